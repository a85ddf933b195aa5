"""The rendered report: byte-identical, self-contained, suppressed, redacted, in two formats."""

from __future__ import annotations

import re
import stat
from datetime import date
from pathlib import Path

import pytest

from reports.cases import CaseFigures
from reports.findings.builder import Findings, FindingsBuilder, ReportScope, build_findings
from reports.findings.render import ReportRenderer, markdown_escaped
from storage import Database
from storage.offers import offer_counts
from storage.repository import TranscriptFilter, transcript_rows
from survey.config import Survey
from survey.feedback import load_feedback
from survey.offers import load_catalogue
from tests.support.cli import run_jeugdstem
from tests.support.findings import SECTIONS
from tests.support.paths import REPO
from tests.support.seeding import DISTRESS_TEXT, EMAIL, PHONE, seed_meeting

REPORT_DAY = date(2026, 11, 20)


@pytest.fixture(scope="module")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A SQLite database with ``seed_meeting``'s participants (SQLite only: this is rendering)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('report') / 'jeugdstem.db'}"
    database = Database(url)
    database.migrate()
    seed_meeting(database)
    database.dispose()
    return url


def _findings(url: str, survey: Survey, language: str = "nl") -> Findings:
    """The findings as `jeugdstem report` makes them: answers, and the offers shown."""
    database = Database(url)
    try:
        with database.snapshot() as session:
            builder = FindingsBuilder(survey, ReportScope(language=language))
            builder.read(transcript_rows(session, TranscriptFilter()))
            catalogue = load_catalogue(REPO / "offers.yml", survey)
            builder.read_offers(offer_counts(session), catalogue, REPORT_DAY)
            # The shipped feedback.yml holds examples only: the section says so.
            builder.read_feedback(load_feedback(REPO / "feedback.yml", survey), {}, {})
            return builder.findings()
    finally:
        database.dispose()


def _numbers_in_count_cells(html: str) -> list[int]:
    cells = re.findall(r'<td class="count">([^<]*)</td>', html)
    return [int(cell.replace(".", "")) for cell in cells]


def test_html_is_self_contained_suppressed_and_redacted(seeded_url: str, survey: Survey) -> None:
    html = ReportRenderer(_findings(seeded_url, survey)).html()
    for section in SECTIONS:
        assert f'<section id="{section}"' in html
    # Nothing loads from elsewhere: every src and href is a data: URI or an anchor.
    for target in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert target.startswith(("data:", "#")), target
    assert "http://" not in html and "https://" not in html
    assert "default-src 'none'" in html
    # Every count shown is at least 5; smaller ones read "< 5".
    assert min(_numbers_in_count_cells(html)) >= 5
    assert '<td class="count suppressed">&lt; 5</td>' in html
    # Quotes: redacted, with their reference, never a distress message.
    assert PHONE not in html and EMAIL not in html
    assert "[telefoon]" in html or "[e-mail]" in html
    quotes = re.findall(
        r'<blockquote class="quote[^"]*" data-answer="(\d+)">(.*?)</blockquote>', html
    )
    assert quotes
    for answer_id, body in quotes:
        assert f"antwoord #{answer_id}" in body
    assert DISTRESS_TEXT not in html
    assert "Kooigem" in html  # named among the small groups taken together, never counted


def test_the_same_data_gives_the_same_bytes(seeded_url: str, survey: Survey) -> None:
    first = ReportRenderer(_findings(seeded_url, survey)).html()
    second = ReportRenderer(_findings(seeded_url, survey)).html()
    assert first == second
    assert (
        ReportRenderer(_findings(seeded_url, survey)).markdown()
        == ReportRenderer(_findings(seeded_url, survey)).markdown()
    )


def test_markdown_has_every_section_and_no_small_number(seeded_url: str, survey: Survey) -> None:
    markdown = ReportRenderer(_findings(seeded_url, survey)).markdown()
    for number in range(1, 9):
        assert f"\n## {number}. " in markdown
    assert "> “" in markdown and "(antwoord #" in markdown
    assert PHONE not in markdown and EMAIL not in markdown
    cells = [
        c.strip()
        for line in markdown.splitlines()
        if line.startswith("| ")
        for c in line.split("|")
    ]
    numbers = [int(c.replace(".", "")) for c in cells if c.replace(".", "").isdigit()]
    assert numbers and min(numbers) >= 5
    assert "< 5" in markdown


def test_markdown_escaping_keeps_text_as_typed() -> None:
    assert markdown_escaped("*vet* [link](x) <b>\n# kop") == r"\*vet\* \[link\](x) \<b\> \# kop"


def test_english_texts(seeded_url: str, survey: Survey) -> None:
    html = ReportRenderer(_findings(seeded_url, survey, "en")).html()
    assert "What young people tell us" in html
    assert "answer #" in html


def test_the_command_writes_private_identical_files(seeded_url: str, tmp_path: Path) -> None:
    first, second, markdown = tmp_path / "a.html", tmp_path / "b.html", tmp_path / "r.md"
    for output in (first, second):
        result = run_jeugdstem(seeded_url, "report", "-o", str(output), "--generated", "2026-12-01")
        assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert "Gemaakt op 1 december 2026" in first.read_text(encoding="utf-8")
    result = run_jeugdstem(
        seeded_url, "report", "--format", "md", "-o", str(markdown), "--source", "quindo"
    )
    assert result.returncode == 0, result.stderr
    text = markdown.read_text(encoding="utf-8")
    assert "**16** jongeren deden mee" in text
    assert "Alleen via: Quindo" in text
    result = run_jeugdstem(seeded_url, "report", "-o", str(markdown), "--source", "nope")
    assert result.returncode == 2
    assert "unknown source nope" in result.stderr


def _handover_figures(alarm: int, concern: int, request: int) -> CaseFigures:
    total = alarm + concern + request
    return CaseFigures(
        total=total,
        by_reason={"alarm": alarm, "concern": concern, "request": request},
        out_of_hours=1,
        answered=total,
        median_minutes_to_answer=42.0,
        answered_within_shift=total - 1,
    )


def test_handovers_are_counted_without_words_and_small_numbers_hidden(
    seeded_url: str, survey: Survey
) -> None:
    database = Database(seeded_url)
    try:
        builder = FindingsBuilder(survey, ReportScope(language="nl"))
        with database.snapshot() as session:
            builder.read(transcript_rows(session, TranscriptFilter()))
    finally:
        database.dispose()
    builder.read_cases(_handover_figures(alarm=5, concern=2, request=10))
    html = ReportRenderer(builder.findings()).html()
    (sentence,) = re.findall(r'<p id="handovers">(.*?)</p>', html)
    assert sentence.startswith("17 keer vroeg een jongere")
    # 2 is hidden, and so is the 5 beside it: 17 - 10 would give the 2 away otherwise.
    assert "na een alarm: &lt; 5" in sentence and "zelf gevraagd: 10" in sentence
    assert "«Gaat het met je?»: &lt; 5" in sentence
    assert "42 min" in sentence and "94%" in sentence

    builder.read_cases(_handover_figures(alarm=1, concern=0, request=2))
    markdown = ReportRenderer(builder.findings()).markdown()
    line = next(x for x in markdown.splitlines() if "keer vroeg een jongere" in x)
    assert line.startswith("< 5 keer") and line.count("niet getoond") == 2
    assert "42 min" not in line

    builder.read_cases(_handover_figures(alarm=0, concern=0, request=0))
    none = ReportRenderer(builder.findings()).html()
    assert '<p id="handovers">In deze periode vroeg geen enkele jongere' in none


def test_a_report_without_cases_read_has_no_handover_section(
    seeded_url: str, survey: Survey
) -> None:
    html = ReportRenderer(_findings(seeded_url, survey)).html()
    assert 'id="handovers"' not in html


def test_the_offers_section_counts_young_people_and_lists_what_has_no_offer(
    seeded_url: str, survey: Survey
) -> None:
    findings = _findings(seeded_url, survey)
    offers = findings.offers
    assert offers is not None
    [uitpas, buddy] = offers.per_offer
    assert uitpas.label == "Kansentarief met je UiTPAS (Stad Kortrijk)"
    assert (uitpas.shown.value, uitpas.tapped.value) == (20, 8)
    assert buddy.shown.suppressed and buddy.tapped.suppressed  # 3 and 0: too few to show
    assert (offers.per_theme[0].label, offers.per_theme[0].shown.value) == ("Kostprijs", 20)
    # The shipped offers are all examples: they answer nothing yet, so the most-named
    # barriers are the network's to-do, and the report says why.
    assert offers.examples_left
    assert [b.label for b in offers.to_do][:2] == ["Kostprijs", "Vervoer & afstand"]
    assert offers.to_do[0].participants.value == 40

    html = ReportRenderer(findings).html()
    section = html[html.index('<section id="offers"') : html.index('<section id="trust"')]
    assert "<td>Kansentarief met je UiTPAS (Stad Kortrijk)</td>" in section
    assert '<td class="count">20</td><td class="count">8</td>' in section
    assert section.count('<td class="count suppressed">&lt; 5</td>') >= 2
    assert "<li>Kostprijs: 40 jongeren</li>" in section
    markdown = ReportRenderer(findings).markdown()
    assert "## 8. Aanbod dat antwoordt op drempels" in markdown
    assert "| Kansentarief met je UiTPAS (Stad Kortrijk) | 20 | 8 |" in markdown
    assert "## 9. " in markdown


def test_without_offers_the_section_is_left_out(seeded_url: str, survey: Survey) -> None:
    database = Database(seeded_url)
    try:
        with database.snapshot() as session:
            findings = build_findings(
                transcript_rows(session, TranscriptFilter()), survey, ReportScope()
            )
    finally:
        database.dispose()
    assert findings.offers is None
    html = ReportRenderer(findings).html()
    assert '<section id="offers"' not in html
    assert "<h2>8. " in html
