"""Memory freed while the bot starts, given back to the system before it serves anyone."""

from __future__ import annotations

import ctypes
import ctypes.util


def release_freed_memory() -> None:
    """Ask the C allocator to return its free pages (glibc ``malloc_trim``); else nothing.

    Loading the models reads their files into temporary arrays and strings. glibc keeps
    the heap pages those lived in for reuse, and after the first large block is freed it
    serves further large blocks from that heap too, so the bot would carry its start-up
    peak for as long as it runs (docs/performance.md).
    """
    name = ctypes.util.find_library("c")
    if name is None:
        return
    try:
        libc = ctypes.CDLL(name)
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
        return
    trim(0)
