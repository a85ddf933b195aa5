"""What the benchmarks share: real commands measured, a process's memory, fresh databases."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from sqlalchemy import make_url

from tests.support.paths import REPO
from tests.support.postgres import PostgresServer


@dataclass(frozen=True)
class Run:
    """One finished child process."""

    seconds: float
    cpu_seconds: float  # user + system: what the command cost, whatever else runs beside it
    peak_rss_mb: float
    returncode: int
    log: str


def environment(url: str) -> dict[str, str]:
    """What a deployment gives the command: only our settings, none of the caller's."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "JEUGDSTEM_", "DATABASE_"))
    }
    env.update(
        DATABASE_URL=url,
        JEUGDSTEM_CONFIG=str(REPO / "config.yml"),
        JEUGDSTEM_SECRET="bench-secret",
        PYTHONIOENCODING="utf-8",
    )
    return env


def run_jeugdstem(args: list[str], url: str, log: Path) -> Run:
    """Run `python -m cli <args>` and measure it; output and errors go to ``log``."""
    with log.open("wb") as out:
        started = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "cli", *args],
            cwd=str(REPO),
            env=environment(url),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        peak_mb = 0.0
        while True:
            # Not ru_maxrss: a forked child inherits this process's own peak, which the
            # demo data makes large. The child's VmHWM starts afresh at exec.
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            peak_mb = max(peak_mb, memory_mb(child.pid, "VmHWM") or 0.0)
            time.sleep(0.02)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, peak_mb, child.returncode, log.read_text("utf-8", "replace"))


def memory_mb(pid: int, field: str) -> float | None:
    """One memory line of /proc/PID/status (VmHWM, VmRSS, RssAnon ...) in MB (Linux).

    None once the process is gone, or when the kernel has no such line.
    """
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return None


def postgres_databases(server: PostgresServer, names: list[str]) -> list[str]:
    """Fresh databases on the throwaway server, as URLs."""
    with psycopg.connect(server.url, autocommit=True) as connection:
        for name in names:
            connection.execute(f"CREATE DATABASE {name}".encode())
    return [
        make_url(server.url).set(database=name).render_as_string(hide_password=False)
        for name in names
    ]
