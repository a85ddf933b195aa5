"""The findings as one self-contained HTML file, as Markdown, or as PDF through Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from reports.files import private_output
from reports.findings import charts
from reports.findings.builder import Findings
from reports.findings.suppression import Count
from reports.findings.wording import Wording

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FORMATS = ("html", "md")
CHROMIUM = "chromium"
# Chromium's first start on a busy two-core machine takes a while.
PDF_TIMEOUT_SECONDS = 180

# Characters Markdown (and the HTML many Markdown renderers let through) would act on.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~!])")


def markdown_escaped(text: str) -> str:
    """Text that a Markdown renderer shows as it is, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; the first column left-aligned, the others (numbers) right-aligned."""
    lines = [
        "| " + " | ".join(markdown_escaped(h) for h in headers) + " |",
        "|---|" + "---:|" * (len(headers) - 1),
    ]
    for row in rows:
        cells = [row[0] if row[0].startswith("*") else markdown_escaped(row[0]), *row[1:]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


class ReportRenderer:
    """Fills the report templates for one language."""

    def __init__(self, findings: Findings) -> None:
        self.findings = findings
        self.wording = Wording(findings.language)
        self.thousands = "." if findings.language == "nl" else ","

    def number(self, value: int) -> str:
        """12.345 in Dutch, 12,345 in English."""
        return f"{value:,}".replace(",", self.thousands)

    def count(self, count: Count) -> str:
        """A published count, or "< 5"."""
        if count.value is None:
            return self.hidden
        return self.number(count.value)

    @property
    def hidden(self) -> str:
        """What a suppressed count shows."""
        return self.wording.say("suppressed", min_cell=self.findings.min_cell)

    @staticmethod
    def percent(share: float | None) -> str:
        """A share as a whole percentage, or a dash."""
        return "–" if share is None else f"{round(share * 100)}%"

    @staticmethod
    def change(share: float | None) -> str:
        """A change in share in percentage points, signed, or a dash."""
        if share is None:
            return "–"
        points = round(share * 100)
        return f"{points:+d} pp" if points else "0 pp"

    def handovers(self) -> str | None:
        """The handover sentence: counts by reason, median wait, share answered in time."""
        figures = self.findings.handovers
        if figures is None:
            return None
        if figures.cases.value == 0:
            return self.wording["handovers_none"]
        alarm, concern, request = (self.count(c) for c in figures.by_reason)
        median = figures.median_minutes_to_answer
        return self.wording.say(
            "handovers_text",
            cases=self.count(figures.cases),
            alarm=alarm,
            concern=concern,
            request=request,
            median=self.wording.say("minutes", minutes=round(median))
            if median is not None
            else self.wording["not_shown"],
            share=self.percent(figures.share_within_shift)
            if figures.share_within_shift is not None
            else self.wording["not_shown"],
        )

    def part(self, part: int, whole: int) -> str:
        """ "12 van 40 (30%)"."""
        share = self.percent(part / whole if whole else None)
        return self.wording.say(
            "part", part=self.number(part), whole=self.number(whole), share=share
        )

    def period(self) -> str:
        """The period covered: the options' bounds, else the first and last answer's day."""
        scope, headline = self.findings.scope, self.findings.headline
        first = scope.since.date() if scope.since else headline.first_day
        last = headline.last_day
        if scope.until is not None:
            # The bound is exclusive: the last day covered is the day before it (local time).
            last = (scope.until - _ONE_MICROSECOND).date()
        if first is None or last is None:
            return self.wording["no_data"]
        if first == last:
            return self.wording.day(first)
        return f"{self.wording.day(first)} – {self.wording.day(last)}"

    def environment(self, *, html: bool) -> Environment:
        """Jinja2 with the report's filters; HTML autoescaped, Markdown escaped by ``md``."""
        environment = Environment(
            loader=FileSystemLoader(TEMPLATES),
            # On for report.html; report.md escapes with the ``md`` filter instead.
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        environment.filters.update(
            n=self.number, cnt=self.count, pct=self.percent, md=markdown_escaped, change=self.change
        )
        return environment

    def context(self, chart_uris: dict[str, str]) -> dict[str, object]:
        """What the templates see."""
        findings = self.findings
        labels = {g.key: g.label for g in findings.headline.sources}
        return {
            "f": findings,
            "h": findings.headline,
            "tr": findings.trust,
            "t": self.wording,
            "hidden": self.hidden,
            "period": self.period(),
            "source_filter": ", ".join(labels.get(s, s) for s in findings.scope.sources),
            "part": self.part,
            "handovers": self.handovers(),
            "charts": chart_uris,
        }

    def charts(self, progress: Callable[[], None] | None = None) -> dict[str, str]:
        """Every chart as a data: URI, keyed as the template expects."""
        findings, wording, min_cell = self.findings, self.wording, self.findings.min_cell
        uris = {"ranking": charts.ranking_chart(findings.ranking, wording, min_cell)}
        axis = {"age_band": "age_band", "area": "area", "source": "source"}
        pending = [
            (f"by_{b.dimension}", b, wording[axis[b.dimension]]) for b in findings.breakdowns
        ]
        if findings.over_time is not None:
            pending.append(("by_month", findings.over_time, wording["month"]))
        for key, breakdown, xlabel in pending:
            if breakdown.rows:
                uris[key] = charts.breakdown_chart(
                    breakdown, wording[key], xlabel, wording, min_cell
                )
            if progress is not None:
                progress()
        if len(findings.cooccurrence.themes) >= 2:
            uris["together"] = charts.cooccurrence_chart(findings.cooccurrence, wording, min_cell)
        return {key: uris.get(key, "") for key in _CHART_KEYS}

    def html(self, progress: Callable[[], None] | None = None) -> str:
        """The whole report as one HTML page: inline CSS, charts as data: URIs."""
        template = self.environment(html=True).get_template("report.html")
        css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
        return template.render(css=css, **self.context(self.charts(progress)))

    def markdown(self) -> str:
        """The report as Markdown, tables instead of charts."""
        template = self.environment(html=False).get_template("report.md")
        text = template.render(tables=self.markdown_tables(), **self.context({}))
        return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"

    def markdown_tables(self) -> dict[str, str]:
        """The report's tables in Markdown, keyed as report.md expects."""
        findings, w = self.findings, self.wording
        tables = {
            "sources": markdown_table(
                [w["source"], w["young_people"]],
                [[g.label, self.count(g.participants)] for g in findings.headline.sources],
            ),
            "ranking": markdown_table(
                [w["theme"], w["young_people"], w["share_of_speakers"]],
                [
                    [r.label, self.count(r.participants), self.percent(r.share)]
                    for r in findings.shown_ranking
                ],
            ),
            "pairs": markdown_table(
                [w["top_pairs"], w["both"]],
                [
                    [w.say("pair", first=p.first, second=p.second), self.number(p.participants)]
                    for p in findings.cooccurrence.pairs
                ],
            ),
        }
        breakdowns = list(findings.breakdowns)
        if findings.over_time is not None:
            breakdowns.append(findings.over_time)
        for breakdown in breakdowns:
            rows = [
                [f"*{w['young_people']}*"] + [self.count(g.participants) for g in breakdown.groups]
            ]
            rows += [[row.label] + [self.count(c) for c in row.counts] for row in breakdown.rows]
            headers = [w["theme"]] + [g.label for g in breakdown.groups]
            tables[f"by_{breakdown.dimension}"] = markdown_table(headers, rows)
        if findings.offers is not None:
            for key, first, offer_rows in (
                ("offers", w["offer"], findings.offers.per_offer),
                ("offers_by_theme", w["theme"], findings.offers.per_theme),
            ):
                tables[key] = markdown_table(
                    [first, w["offer_shown"], w["offer_tapped"]],
                    [[r.label, self.count(r.shown), self.count(r.tapped)] for r in offer_rows],
                )
        if findings.voice is not None and findings.voice.rows:
            tables["voice"] = markdown_table(
                [
                    w["theme"],
                    w["voice_status"],
                    w["voice_done"],
                    w["voice_reached"],
                    "👍",
                    "👎",
                    w["voice_said_more"],
                ],
                [
                    [
                        r.theme,
                        r.status,
                        r.message + (f" ({r.partner})" if r.partner else ""),
                        self.count(r.reached),
                        self.count(r.helps),
                        self.count(r.does_not_help),
                        self.count(r.said_more),
                    ]
                    for r in findings.voice.rows
                ],
            )
        if findings.rounds is not None:
            rounds = findings.rounds
            headers = [w["theme"]] + [
                f"{r.title} ({self.count(r.participants)})" for r in rounds.rounds
            ]
            tables["rounds"] = markdown_table(
                headers + ([w["rounds_change"]] if rounds.change_shown else []),
                [
                    [row.label]
                    + [self.percent(share) for share in row.shares]
                    + ([self.change(row.change)] if rounds.change_shown else [])
                    for row in rounds.rows
                ],
            )
        trust = findings.trust
        if trust.overall is not None:
            tables["agreement"] = markdown_table(
                [w["theme"], w["staff_answers"], w["precision"], w["recall"]],
                [
                    [
                        a.label,
                        self.number(a.staff_answers),
                        self.percent(a.precision),
                        self.percent(a.recall),
                    ]
                    for a in (*trust.per_theme, trust.overall)
                ],
            )
        return tables


_CHART_KEYS = ("ranking", "by_age_band", "by_area", "by_source", "by_month", "together")
_ONE_MICROSECOND = timedelta(microseconds=1)


def write_text(path: Path, text: str) -> None:
    """Write a report file readable by its owner only (0600), never half-written."""
    with private_output(path) as partial:
        partial.write_text(text, encoding="utf-8")


class PdfError(RuntimeError):
    """Chromium is missing or could not print the report."""


def print_pdf(html: Path, pdf: Path, *, chromium: str = CHROMIUM) -> None:
    """Print an HTML report to A4 PDF with headless Chromium; the PDF is mode 0600."""
    executable = shutil.which(chromium)
    if executable is None:
        raise PdfError(
            f"{chromium} is not installed: run scripts/ensure-chromium.sh "
            "(or apt-get install chromium) to print PDFs"
        )
    with tempfile.TemporaryDirectory(prefix="jeugdstem-pdf-") as scratch:
        # Chromium writes where it likes; a private scratch folder keeps the PDF 0600 throughout.
        printed = Path(scratch) / "report.pdf"
        command = [
            executable,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={scratch}/profile",
            f"--print-to-pdf={printed}",
            html.resolve().as_uri(),
        ]
        try:
            subprocess.run(  # noqa: S603 - a fixed argument list, the executable found on PATH
                command,
                capture_output=True,
                timeout=PDF_TIMEOUT_SECONDS,
                check=False,
                env={"HOME": scratch, "PATH": "/usr/bin:/bin"},
            )
        except subprocess.TimeoutExpired as error:
            raise PdfError(f"{chromium} did not finish within {PDF_TIMEOUT_SECONDS} s") from error
        if not printed.exists() or printed.stat().st_size == 0:
            raise PdfError(f"{chromium} did not print the report")
        with private_output(pdf) as partial:
            partial.write_bytes(printed.read_bytes())
