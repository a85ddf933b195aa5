"""Spreadsheet cells that are safe to open: no young person's text ever runs as a formula."""

from __future__ import annotations

# Excel, LibreOffice and Google Sheets treat a cell starting with one of these as a
# formula (or DDE command) when a CSV is opened or a cell is edited (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: str) -> bool:
    """Whether a spreadsheet could read this text as a formula."""
    return value.startswith(FORMULA_STARTS)
