"""The report's charts: matplotlib SVG, byte-identical for the same numbers, as data: URIs.

No pyplot (no global figure state, safe in any process): a ``Figure`` on the
SVG canvas. Text is drawn as paths in the bundled DejaVu Sans, so the file
looks the same on every machine and needs no font. The palette is cividis
(readable with every common colour-vision deficiency and in grey print);
suppressed cells are plain light grey with "< 5", never a number. (Hatching
made Chromium's PDF of one report 66 MB instead of 0.4 MB.)
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from typing import Any

import matplotlib
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from reports.findings.builder import Breakdown, Cooccurrence, RankedTheme
from reports.findings.wording import Wording

# A4 minus margins is about 7.1 inches wide; print stays readable from 7 points up.
WIDTH = 7.0
FONT_SIZE = 8
PALETTE = "cividis"
BAR_COLOUR = "#00204d"  # cividis' darkest blue
HIDDEN_COLOUR = "#d9d9d9"
STYLE: dict[str, Any] = {
    "svg.hashsalt": "jeugdstem-report",  # fixed ids inside the SVG: same numbers, same bytes
    "svg.fonttype": "path",
    "font.family": "DejaVu Sans",
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 2,
    "axes.titleweight": "bold",
    "axes.labelsize": FONT_SIZE + 1,
}


def _data_uri(figure: Figure) -> str:
    """The figure as an SVG data: URI, without a creation date."""
    FigureCanvasSVG(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def ranking_chart(ranking: Sequence[RankedTheme], wording: Wording, min_cell: int) -> str:
    """Horizontal bars: participants per theme, hidden counts as hatched "< 5" stubs."""
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        figure = Figure(figsize=(WIDTH, 0.3 * len(ranking) + 1.0))
        axes = figure.add_subplot()
        positions = list(range(len(ranking)))
        largest = max((t.participants.value or 0 for t in ranking), default=0) or min_cell
        for position, theme in zip(positions, ranking, strict=True):
            value = theme.participants.value
            if value is None:
                axes.barh(
                    position,
                    min_cell,
                    color=HIDDEN_COLOUR,
                    edgecolor="#8c8c8c",
                    linestyle="--",
                    linewidth=0.6,
                )
                label = wording.say("suppressed", min_cell=min_cell)
                axes.text(min_cell + largest * 0.01, position, label, va="center")
                continue
            axes.barh(position, value, color=BAR_COLOUR)
            share = f" ({_percent(theme.share)})" if theme.share is not None else ""
            axes.text(value + largest * 0.01, position, f"{value}{share}", va="center")
        axes.set_yticks(positions, [t.label for t in ranking])
        axes.invert_yaxis()
        axes.set_xlim(0, largest * 1.18)
        axes.set_xlabel(wording["young_people"])
        axes.set_title(wording["ranking_chart"], loc="left")
        axes.spines[["top", "right"]].set_visible(False)
        return _data_uri(figure)


def _text_colour(level: float) -> str:
    """White on cividis' dark end, black on its light end."""
    return "white" if level < 0.55 else "black"


def _heatmap(
    title: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    shares: Sequence[Sequence[float | None]],
    notes: Sequence[Sequence[str]],
    xlabel: str,
    ylabel: str,
    rotate: bool,
) -> str:
    """A grid coloured by share; ``notes`` is what each cell says (a share, "< 5", or "")."""
    rows, columns = len(row_labels), len(column_labels)
    values = np.array(
        [[np.nan if s is None else s for s in row] for row in shares], dtype=float
    ).reshape(rows, columns)
    top = float(np.nanmax(values)) if np.isfinite(values).any() else 1.0
    norm = Normalize(vmin=0.0, vmax=max(top, 0.05))
    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        width = min(WIDTH, 2.6 + 0.5 * columns)
        figure = Figure(figsize=(width, 0.28 * rows + (2.1 if rotate else 1.5)))
        axes = figure.add_subplot()
        cmap = matplotlib.colormaps[PALETTE].with_extremes(bad=HIDDEN_COLOUR)
        image = axes.imshow(
            np.ma.masked_invalid(values), cmap=cmap, norm=norm, aspect="auto", interpolation="none"
        )
        for row in range(rows):
            for column in range(columns):
                note = notes[row][column]
                value = values[row, column]
                colour = "black" if np.isnan(value) else _text_colour(float(norm(value)))
                if note:
                    axes.text(column, row, note, ha="center", va="center", color=colour, fontsize=7)
        axes.set_xticks(
            range(columns),
            column_labels,
            rotation=45 if rotate else 0,
            ha="right" if rotate else "center",
            rotation_mode="anchor",
        )
        axes.set_yticks(range(rows), row_labels)
        axes.tick_params(length=0)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.set_title(title, loc="left")
        for spine in axes.spines.values():
            spine.set_visible(False)
        colourbar = figure.colorbar(image, ax=axes, fraction=0.035, pad=0.02)
        colourbar.ax.yaxis.set_major_formatter(lambda value, _: _percent(value))
        colourbar.outline.set_visible(False)
        return _data_uri(figure)


def breakdown_chart(
    breakdown: Breakdown, title: str, xlabel: str, wording: Wording, min_cell: int
) -> str:
    """Themes by group as a heatmap of shares within each group."""
    hidden = wording.say("suppressed", min_cell=min_cell)
    shares: list[list[float | None]] = []
    notes: list[list[str]] = []
    for row_index, row in enumerate(breakdown.rows):
        shares.append([])
        notes.append([])
        for column, count in enumerate(row.counts):
            share = breakdown.share(row_index, column)
            shares[-1].append(share)
            if share is not None:
                notes[-1].append(_percent(share))
            else:
                notes[-1].append(hidden if count.value is None else str(count.value))
    rotate = len(breakdown.groups) > 6 or any(len(g.label) > 16 for g in breakdown.groups)
    # Rotated labels stay on one line; upright ones put the group's size underneath.
    separator = " " if rotate else "\n"
    columns = [
        f"{group.label}{separator}(n={group.participants.value})"
        if group.participants.value is not None
        else f"{group.label}{separator}({hidden})"
        for group in breakdown.groups
    ]
    return _heatmap(
        title,
        [row.label for row in breakdown.rows],
        columns,
        shares,
        notes,
        xlabel,
        wording["theme"],
        rotate,
    )


def cooccurrence_chart(cooccurrence: Cooccurrence, wording: Wording, min_cell: int) -> str:
    """Of those naming the row theme, the share also naming the column theme."""
    hidden = wording.say("suppressed", min_cell=min_cell)
    size = len(cooccurrence.themes)
    shares: list[list[float | None]] = []
    notes: list[list[str]] = []
    for row in range(size):
        shares.append([])
        notes.append([])
        for column in range(size):
            share = cooccurrence.share(row, column)
            shares[-1].append(share)
            if row == column:
                notes[-1].append("")
            elif share is not None:
                notes[-1].append(_percent(share))
            else:
                notes[-1].append(hidden)
    return _heatmap(
        wording["together_chart"],
        cooccurrence.labels,
        cooccurrence.labels,
        shares,
        notes,
        wording["also_names"],
        wording["who_names"],
        rotate=True,
    )
