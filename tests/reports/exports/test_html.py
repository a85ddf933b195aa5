"""HTML transcripts: one safe, self-contained chat page per participant, streamed."""

from __future__ import annotations

import re
import stat
import weakref
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from reports.exports.html import CONTENT_SECURITY_POLICY, write_html
from reports.exports.transcripts import TranscriptBuilder, TranscriptRow
from reports.exports.writers import ThemeInfo
from storage import Database
from storage.models import Answer, Participant, Participation
from storage.repository import TranscriptFilter, transcript_rows
from survey.config import Survey
from tests.support.rows import make_row

THEMES = (
    ThemeInfo("cost", "Kostprijs", "lidgeld, materiaal"),
    ThemeInfo("transport", "Vervoer & afstand", "te ver"),
    ThemeInfo("belonging", "Erbij horen & ongeschreven codes", "niet welkom"),
)
ALICE = "a1a1a1a1a1a1"
BOB = "b2b2b2b2b2b2"
CAROL = "c3c3c3c3c3c3"


# --- a small DOM over html.parser, to check structure rather than substrings -------------

VOID_ELEMENTS = {"meta", "link", "br", "img", "input", "hr", "area", "base", "col", "source", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def words(self) -> str:
        """The text as a reader sees it: whitespace runs collapsed."""
        return " ".join(self.text().split())

    def iter(self) -> Iterator[Element]:
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def by_id(self, identifier: str) -> Element:
        (found,) = [e for e in self.iter() if e.attrs.get("id") == identifier]
        return found

    def with_class(self, name: str) -> list[Element]:
        return [e for e in self.iter() if name in (e.attrs.get("class") or "").split()]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs))
        self.stack[-1].children.append(element)
        if tag not in VOID_ELEMENTS:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Element(tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(path: Path) -> Element:
    builder = _TreeBuilder()
    builder.feed(path.read_text(encoding="utf-8"))
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.root


def answer_ids(page: Element) -> list[str]:
    return [e.attrs["id"] or "" for e in page.with_class("turn")]


def three_participants() -> list[TranscriptRow]:
    return [
        make_row(ALICE, 1, question_id="area", button="heule"),
        make_row(ALICE, 2, answer="Alice: te duur allemaal", predicted=("cost",)),
        make_row(BOB, 3, participation=2, answer="Bob: geen bus 's avonds"),
        make_row(BOB, 4, participation=2, skipped=True, question_id="not-welcome"),
        make_row(BOB, 5, participation=3, answer="Bob opnieuw: nog altijd geen bus"),
        make_row(CAROL, 6, participation=4, answer="Carol: ik ken er niemand"),
    ]


# --- tests --------------------------------------------------------------------------------


def test_one_page_per_participant_holding_only_their_answers(tmp_path: Path) -> None:
    folder = tmp_path / "html"
    written = write_html(
        three_participants(),
        folder,
        THEMES,
        source_labels={"bolwerk": "Bolwerk"},
        generated_at=datetime(2026, 11, 28, 8, 0, tzinfo=UTC),
    )

    assert written == 6
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{ALICE}.html",
        f"{BOB}.html",
        f"{CAROL}.html",
        "index.html",
    ]
    assert answer_ids(parse(folder / f"{ALICE}.html")) == ["antwoord-1", "antwoord-2"]
    bob = parse(folder / f"{BOB}.html")
    assert answer_ids(bob) == ["antwoord-3", "antwoord-4", "antwoord-5"]
    # Two participations, each under its own heading.
    assert [s.attrs["id"] for s in bob.iter() if s.tag == "h2"] == ["deelname-2", "deelname-3"]
    owners = {ALICE: "Alice", BOB: "Bob", CAROL: "Carol"}
    for name, own in owners.items():
        text = parse(folder / f"{name}.html").text()
        assert own in text
        assert not [other for other in owners.values() if other != own and other in text]

    index = parse(folder / "index.html")
    rows = [e for e in index.iter() if e.tag == "tr"][1:]
    links = [a.attrs["href"] for a in index.iter() if a.tag == "a"]
    assert links == [f"{ALICE}.html", f"{BOB}.html", f"{CAROL}.html"]
    bob_cells = [c.text() for c in rows[1].children if isinstance(c, Element)]
    assert bob_cells[:6] == [BOB, "Bolwerk", "16-18", "heule", "3", "2 van 2 deelnames"]
    (made,) = [(t.attrs["datetime"], t.text()) for t in index.iter() if t.tag == "time"]
    assert made == ("2026-11-28T09:00:00+01:00", "28-11-2026 09:00")


def test_markup_typed_by_a_young_person_stays_text(tmp_path: Path) -> None:
    attacks = [
        "<script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "</p></li></ol><iframe src=//evil.example></iframe>",
        "{{ 7*7 }} {% raw %}",
    ]
    rows = [
        make_row(ALICE, i, answer=attack, predicted=("<b>x</b>",), scores={"<b>x</b>": 0.5})
        for i, attack in enumerate(attacks, start=1)
    ]
    rows.append(
        make_row(ALICE, 9, button='"><svg onload=alert(1)>', source="<script>s</script>", area="'")
    )
    folder = tmp_path / "html"
    write_html(rows, folder, THEMES)

    for path in folder.glob("*.html"):
        document = parse(path)
        tags = {e.tag for e in document.iter()}
        assert not tags & {"script", "img", "iframe", "svg", "b", "object", "embed"}
        for element in document.iter():
            assert not [name for name in element.attrs if name.startswith("on")]
    page = parse(folder / f"{ALICE}.html")
    texts = [e.text() for e in page.with_class("text")]
    assert texts == attacks
    # Autoescaped, not dropped: the unknown theme id is shown as it is.
    assert "<b>x</b> 0,50" in page.by_id("antwoord-1").text()
    assert '"><svg onload=alert(1)>' in page.by_id("antwoord-9").text()
    assert "<script>s</script>" in parse(folder / "index.html").text()


def test_pages_ask_nothing_from_anywhere(tmp_path: Path) -> None:
    rows = [
        make_row(ALICE, 1, answer="kijk op https://example.org/plaatje.png"),
        make_row(BOB, 2, answer="gewoon tekst", predicted=("cost",), scores={"cost": 0.9}),
    ]
    folder = tmp_path / "html"
    write_html(rows, folder, THEMES)

    pages = {p.name: p for p in folder.glob("*.html")}
    allowed_links = re.compile(r"index\.html|[0-9a-f]{12}\.html")
    for path in pages.values():
        document = parse(path)
        (policy,) = [
            e.attrs["content"]
            for e in document.iter()
            if e.tag == "meta" and e.attrs.get("http-equiv") == "Content-Security-Policy"
        ]
        assert policy == CONTENT_SECURITY_POLICY
        (html,) = [e for e in document.iter() if e.tag == "html"]
        assert html.attrs["lang"] == "nl"
        assert not {e.tag for e in document.iter()} & {"link", "script", "img", "base", "iframe"}
        for element in document.iter():
            for name, value in element.attrs.items():
                assert "://" not in (value or ""), (name, value)
                if name == "href":
                    assert allowed_links.fullmatch(value or ""), value
        (style,) = [e.text() for e in document.iter() if e.tag == "style"]
        assert "url(" not in style
        assert "@import" not in style
    # The young person's URL is there as words, never as a link or an image.
    assert "https://example.org/plaatje.png" in parse(pages[f"{ALICE}.html"]).text()
    for name in ("index.html", f"{BOB}.html"):
        raw = pages[name].read_text(encoding="utf-8")
        assert "http://" not in raw
        assert "https://" not in raw


def test_files_are_for_their_owner_only(tmp_path: Path) -> None:
    folder = tmp_path / "html"
    write_html(three_participants(), folder, THEMES)

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    names = [p.name for p in folder.iterdir()]
    assert len(names) == 4
    assert not [n for n in names if n.startswith(".")], "partial files left behind"
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_themes_distress_buttons_and_skips_under_each_answer(tmp_path: Path) -> None:
    rows = [
        make_row(
            ALICE,
            1,
            answer="te duur en te ver",
            predicted=("transport", "cost"),
            scores={"cost": 0.83, "transport": 0.41},
            confirmed=("cost",),
            distress=True,
        ),
        make_row(ALICE, 2, answer="niemand snapt me", staff=("belonging",), confirmed=()),
        make_row(ALICE, 3, question_id="free-time", button="sport,gaming", answer="tekenen"),
        make_row(ALICE, 4, question_id="not-welcome", skipped=True),
    ]
    folder = tmp_path / "html"
    write_html(rows, folder, THEMES)
    page = parse(folder / f"{ALICE}.html")

    first = page.by_id("antwoord-1")
    chips = [(li.text(), li.attrs["title"]) for li in list(first.iter())[1:] if li.tag == "li"]
    assert chips == [
        ("Kostprijs 0,83", "cost"),
        ("Vervoer & afstand 0,41", "transport"),
        (
            "Kostprijs",
            "cost",
        ),
    ]
    counting = [g.words() for g in first.with_class("counts")]
    assert counting == ["Bevestigd door de jongere (telt): Kostprijs"]
    assert "Zorgsignaal" in first.with_class("distress")[0].text()
    assert [t for t in answer_ids(page) if page.by_id(t).with_class("distress")] == ["antwoord-1"]
    assert "Bij 1 antwoord herkende de bot mogelijke nood" in page.text()
    assert "antwoord-id 1" in first.with_class("answer-meta")[0].text()
    assert "27-11-2026 14:01" in first.with_class("answer-meta")[0].text()

    second = page.by_id("antwoord-2")
    assert [g.words() for g in second.with_class("counts")] == [
        "Team (telt): Erbij horen & ongeschreven codes"
    ]
    assert "geen enkel thema past" in second.text()
    assert "nog niet geclassificeerd" in second.text()

    third = page.by_id("antwoord-3")
    assert [b.text() for b in third.with_class("button-choice")] == ["sport", "gaming"]
    assert [t.text() for t in third.with_class("text")] == ["tekenen"]
    fourth = page.by_id("antwoord-4")
    assert [s.text() for s in fourth.with_class("skipped")] == ["overgeslagen"]
    assert not fourth.with_class("labels")  # a skip has nothing to classify

    index = parse(folder / "index.html")
    (row,) = [e for e in index.iter() if e.tag == "tr"][1:]
    cells = [c for c in row.children if isinstance(c, Element)]
    theme_counts = [(li.words(), li.attrs["title"]) for li in cells[6].iter() if li.tag == "li"]
    assert theme_counts == [
        ("Erbij horen & ongeschreven codes 1", "belonging"),
        ("Kostprijs 1", "cost"),
    ]
    assert cells[7].words() == "ja (1)"


def test_any_script_and_emoji_survive(tmp_path: Path) -> None:
    rows = [
        make_row(ALICE, 1, answer="مرحبا، لا أعرف أحدا هناك 👋🏽"),
        make_row(ALICE, 2, answer="regel één\nregel twee 🏳️‍🌈"),
        make_row(ALICE, 3, answer="half emoji \ud83d weg"),  # a lone surrogate
    ]
    folder = tmp_path / "html"
    write_html(rows, folder, THEMES)
    page = parse(folder / f"{ALICE}.html")

    texts = [e.text() for e in page.with_class("text")]
    assert texts == [rows[0].answer, rows[1].answer, "half emoji ? weg"]
    for bubble in page.with_class("bubble"):
        assert bubble.attrs["dir"] == "auto"


def test_same_rows_give_byte_identical_files(tmp_path: Path) -> None:
    write_html(three_participants(), tmp_path / "one", THEMES)
    write_html(three_participants(), tmp_path / "two", THEMES)

    one = {p.name: p.read_bytes() for p in (tmp_path / "one").iterdir()}
    two = {p.name: p.read_bytes() for p in (tmp_path / "two").iterdir()}
    assert one == two


class Tracker(dict[str, float]):
    """Scores only one row holds: a tuple cannot be watched with a weak reference, this can."""


def test_rows_are_streamed_one_participant_at_a_time(tmp_path: Path) -> None:
    folder = tmp_path / "html"
    participants, per_participant = 200, 5
    alive = 0
    most_alive = 0
    pages_seen_early = 0

    def released() -> None:
        nonlocal alive
        alive -= 1

    def rows() -> Iterator[TranscriptRow]:
        nonlocal alive, most_alive, pages_seen_early
        for person in range(participants):
            if person >= 2:
                # The page of the participant before the previous one is on disk already.
                assert (folder / f"{person - 2:012x}.html").exists()
                pages_seen_early += 1
            for turn in range(per_participant):
                tracker = Tracker()
                row = make_row(
                    f"{person:012x}",
                    person * per_participant + turn,
                    participation=person,
                    answer=f"antwoord {turn}",
                )._replace(predicted_scores=tracker)
                alive += 1
                weakref.finalize(tracker, released)
                del tracker
                most_alive = max(most_alive, alive)
                yield row
                del row

    written = write_html(rows(), folder, THEMES)

    assert written == participants * per_participant
    assert pages_seen_early == participants - 2
    # One participant's rows, plus the one row groupby reads ahead.
    assert most_alive <= per_participant + 1
    assert len(list(folder.glob("*.html"))) == participants + 1


def test_rows_not_grouped_by_participant_are_refused(tmp_path: Path) -> None:
    rows = [make_row(ALICE, 1), make_row(BOB, 2), make_row(ALICE, 3)]
    with pytest.raises(ValueError, match="not grouped"):
        write_html(rows, tmp_path / "html", THEMES)
    with pytest.raises(ValueError, match="hex"):
        write_html([make_row("../../etc/x", 1)], tmp_path / "html", THEMES)
    assert not (tmp_path / "etc").exists()


def test_pages_of_participants_no_longer_exported_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "html"
    write_html(three_participants(), folder, THEMES)
    (folder / "notities.html").write_text("van een medewerker")

    write_html([make_row(ALICE, 1, answer="nog steeds hier")], folder, THEMES)

    assert sorted(p.name for p in folder.iterdir()) == [
        f"{ALICE}.html",
        "index.html",
        "notities.html",
    ]


def test_database_answers_reach_the_page_redacted_and_pseudonymised(
    database: Database, survey: Survey, tmp_path: Path
) -> None:
    pseudonym = "9f" * 32
    with database.transaction() as session:
        participant = Participant(pseudonym=pseudonym, language="nl")
        participation = Participation(
            participant=participant,
            source="bolwerk",
            language="nl",
            age_band="16-18",
            area="heule",
            started_at=datetime(2026, 11, 27, 13, 0, tzinfo=UTC),
            finished_at=datetime(2026, 11, 27, 13, 10, tzinfo=UTC),
        )
        session.add_all(
            [
                participant,
                participation,
                Answer(
                    participation=participation,
                    question_id="area",
                    button_value="heule",
                    created_at=datetime(2026, 11, 27, 13, 1, tzinfo=UTC),
                ),
                Answer(
                    participation=participation,
                    question_id="holds-back",
                    text="Te duur. Bel me op 0470 12 34 56 als er iets goedkopers is",
                    created_at=datetime(2026, 11, 27, 13, 5, tzinfo=UTC),
                    themes=["cost"],
                    theme_scores={"cost": 0.834, "transport": 0.02},
                    model_version="builtin-test",
                    distress=False,
                ),
            ]
        )
    questions = {question.id: question.text["nl"] for question in survey.questions}
    themes = [ThemeInfo(t.id, t.label, t.description) for t in survey.themes]
    folder = tmp_path / "html"
    with database.transaction() as session:
        rows = TranscriptBuilder(questions).rows(transcript_rows(session, TranscriptFilter()))
        written = write_html(rows, folder, themes)

    assert written == 2
    page_path = folder / f"{pseudonym[:12]}.html"
    page = parse(page_path)
    (typed,) = [e.text() for e in page.with_class("text")]
    assert "[telefoon]" in typed
    turn = page.with_class("turn")[1]
    assert questions["holds-back"] in turn.text()
    assert "Kostprijs 0,83" in turn.text()
    # 13:05 UTC is 14:05 on Kortrijk's clock in November.
    assert "27-11-2026 14:05" in turn.text()
    for path in folder.iterdir():
        raw = path.read_text(encoding="utf-8")
        assert "0470" not in raw
        assert pseudonym not in raw
        assert pseudonym[:13] not in raw
