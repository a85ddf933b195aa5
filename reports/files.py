"""Export files: readable by their owner only, and never left half-written."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


@contextlib.contextmanager
def private_output(path: Path) -> Iterator[Path]:
    """A path to write the export to; it becomes ``path`` (mode 0600) only if all went well.

    The file is created 0600 before a byte is written, so not even the partial
    file is ever readable by others, and a crash leaves the previous export
    (if any) untouched instead of a truncated one.
    """
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    os.close(descriptor)
    os.chmod(partial, PRIVATE_FILE)  # in case it existed with wider rights
    try:
        yield partial
        os.replace(partial, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            partial.unlink()


def private_directory(path: Path) -> Path:
    """A folder for a multi-file export; created 0700 if it does not exist yet."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    return path
