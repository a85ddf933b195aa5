"""A throwaway PostgreSQL server on loopback, in a temporary directory.

PostgreSQL refuses to run as root, so when the tests run as root (as CI does)
the server runs as the ``postgres`` user in a directory that user owns.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# The migrated database each PostgreSQL test database is copied from (tests/conftest.py).
TEMPLATE = "jeugdstem_template"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL binaries, or the server would not start."""


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable(
        "PostgreSQL binaries not found: install them (apt-get install postgresql) "
        "or set JEUGDSTEM_TEST_POSTGRES_URL to a server the tests may create databases on"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """A running server; ``url`` connects as the superuser to the ``postgres`` database."""

    root: Path
    port: int
    bin_dir: Path
    as_postgres_user: bool

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.as_postgres_user:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)

    @classmethod
    def start(cls) -> PostgresServer:
        bin_dir = _bin_dir()
        as_postgres_user = os.geteuid() == 0
        root = Path(tempfile.mkdtemp(prefix="jeugdstem-pg-"))
        if as_postgres_user:
            shutil.chown(root, "postgres", "postgres")
        server = cls(
            root=root, port=free_port(), bin_dir=bin_dir, as_postgres_user=as_postgres_user
        )
        data = root / "data"
        result = server._run(
            "initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"
        )
        if result.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {result.stderr.strip()}")
        result = server._pg_ctl_start()
        if result.returncode != 0:
            log = (root / "log").read_text(errors="replace") if (root / "log").exists() else ""
            raise PostgresUnavailable(f"pg_ctl start failed: {result.stderr.strip()}\n{log}")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", server.port)) == 0:
                    return server
            time.sleep(0.1)
        raise PostgresUnavailable("PostgreSQL did not accept connections within 30 s")

    def _pg_ctl_start(self) -> subprocess.CompletedProcess[str]:
        """Start the cluster on loopback; durability is off, it is thrown away anyway."""
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        data, log = str(self.root / "data"), str(self.root / "log")
        return self._run("pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        """Stop the server as a restart or a patch does: sessions are cut off, data stays."""
        data = str(self.root / "data")
        result = self._run("pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        if result.returncode != 0:
            raise PostgresUnavailable(f"pg_ctl stop failed: {result.stderr.strip()}")

    def start_again(self) -> None:
        """Start a stopped server on the same port and data; returns once it accepts connections."""
        result = self._pg_ctl_start()
        if result.returncode != 0:
            raise PostgresUnavailable(f"pg_ctl start failed: {result.stderr.strip()}")

    def destroy(self) -> None:
        self._run("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
