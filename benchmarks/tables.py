"""Plain text tables and shares for the benchmarks' printed figures."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Print a plain text table: first column left-aligned, the others right-aligned."""
    body = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(cell) for cell in column) for column in zip(headers, *body, strict=True)]

    def line(cells: Sequence[str]) -> str:
        first, *rest = cells
        parts = [first.ljust(widths[0])]
        parts += [cell.rjust(width) for cell, width in zip(rest, widths[1:], strict=True)]
        return "  ".join(parts).rstrip()

    print(line(headers))
    print("  ".join("-" * width for width in widths))
    for row in body:
        print(line(row))


def share(part: int, whole: int) -> str:
    """``part / whole`` to three decimals; "-" when there is nothing to divide."""
    return f"{part / whole:.3f}" if whole else "-"
