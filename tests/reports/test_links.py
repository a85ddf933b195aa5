"""The partners' kit: start codes, deep links, and QR codes that a real decoder reads back.

The QR codes are checked the way a phone would: zxing-cpp decodes the PNG, and the
SVG is drawn to pixels from its own path (no SVG library needed) and decoded too,
so a code that looks fine to segno but reads wrong cannot pass.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import segno

from reports import links
from survey.config import Source, Survey
from tests.support.qr import check_png, check_svg_file, decode_svg

BOT = "JeugdstemTestBot"


@pytest.mark.parametrize(
    "code", ["a", "bolwerk", "Poster_2027-B", "x" * 64, "begeleide-sessie", "0-_"]
)
def test_telegram_accepts_these_start_codes(code: str) -> None:
    assert links.start_code(code) == code
    assert links.deep_link(BOT, code) == f"https://t.me/{BOT}?start={code}"


@pytest.mark.parametrize(
    "code", ["", "x" * 65, "bolwerk oost", "café", "a/b", "a?b=1", "a&b", "bolwerk\n", "#1"]
)
def test_other_start_codes_are_refused_by_name(code: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(code))) as raised:
        links.deep_link(BOT, code)
    assert "1 to 64 characters" in str(raised.value)


def test_the_username_may_carry_an_at_sign_and_nothing_else() -> None:
    assert links.bot_username("@JeugdstemTestBot") == "JeugdstemTestBot"
    for wrong in ("", "bot", "9lives_bot", "Jeugdstem Bot", "t.me/JeugdstemBot", "x" * 33):
        with pytest.raises(ValueError, match="not a Telegram username"):
            links.bot_username(wrong)


def test_every_source_gets_a_kit_that_reads_back(survey: Survey, tmp_path: Path) -> None:
    kits = links.write_kits(tmp_path, BOT, survey.sources, minimum_age=13)
    assert [kit.source.id for kit in kits] == [s.id for s in survey.sources]
    assert any(s.supervised for s in survey.sources), "a supervised source gets a kit too"
    for source in survey.sources:
        folder = tmp_path / source.id
        link = f"https://t.me/{BOT}?start={source.id}"
        assert sorted(p.name for p in folder.iterdir()) == [
            "link.txt",
            "poster.html",
            "qr.png",
            "qr.svg",
        ]
        assert (folder / "link.txt").read_text(encoding="utf-8") == link + "\n"
        check_png(folder / "qr.png", link)
        check_svg_file(folder / "qr.svg", link)
        poster = (folder / "poster.html").read_text(encoding="utf-8")
        inline = re.findall(r"<svg\b.*?</svg>", poster, flags=re.DOTALL)
        assert len(inline) == 1, "the code is inline, so the poster is one file"
        assert decode_svg(inline[0]) == [link]
        assert f">{source.label}<" in poster.replace("&#39;", "'")
        assert f'href="{link}"' in poster
        assert f">t.me/{BOT}?start={source.id}<" in poster
        assert "@page { size: A4;" in poster
        assert not re.search(r"""(src|href)=["'](?!https://t\.me/)""", poster), "fetches nothing"
        assert 'lang="fr"' in poster and 'lang="en"' in poster
        assert "/delete" in poster
        who = "Samen met je jeugdwerker" if source.supervised else "Ben je 13 tot 25?"
        assert who in poster


def test_a_label_is_text_on_the_poster_not_markup(tmp_path: Path) -> None:
    source = Source(id="school", label='<b>Sint-Jozef</b> & "co"')
    links.write_kits(tmp_path, BOT, [source], minimum_age=13)
    poster = (tmp_path / "school" / "poster.html").read_text(encoding="utf-8")
    assert "<b>Sint-Jozef" not in poster
    assert "&lt;b&gt;Sint-Jozef&lt;/b&gt; &amp; &#34;co&#34;" in poster


def test_a_bad_code_stops_the_kit_before_any_file(tmp_path: Path) -> None:
    # The config loader refuses this id; rounds may combine codes later, so the kit checks too.
    good = Source(id="bolwerk", label="Bolwerk")
    bad = Source.model_construct(id="bolwerk oost", label="Bolwerk Oost", supervised=False)
    with pytest.raises(ValueError, match="'bolwerk oost'"):
        links.write_kits(tmp_path / "kit", BOT, [good, bad], minimum_age=13)
    assert not (tmp_path / "kit").exists()


def test_the_index_lists_what_the_folder_holds(survey: Survey, tmp_path: Path) -> None:
    first, second, *rest = survey.sources
    links.write_kits(tmp_path, BOT, [first, second], minimum_age=13)
    (tmp_path / second.id / "poster.pdf").write_bytes(b"%PDF-1.4 stand-in")
    index = links.write_index(tmp_path, survey.sources)
    page = index.read_text(encoding="utf-8")
    rows = re.findall(r'<tr id="([^"]+)">(.*?)</tr>', page, flags=re.DOTALL)
    assert [row_id for row_id, _ in rows] == [first.id, second.id]
    for row_id, row in rows:
        link = f"https://t.me/{BOT}?start={row_id}"
        assert decode_svg(re.findall(r"<svg\b.*?</svg>", row, flags=re.DOTALL)[0]) == [link]
        targets = re.findall(r'href="([^"]+)"', row)
        assert link in targets
        for target in targets:
            if target != link:
                assert (tmp_path / target).is_file(), target
        assert (f"{row_id}/poster.pdf" in targets) == (row_id == second.id)
    assert all(f'id="{s.id}"' not in page for s in rest)


def test_a_changed_poster_drops_its_old_pdf(survey: Survey, tmp_path: Path) -> None:
    source = survey.sources[0]
    pdf = tmp_path / source.id / "poster.pdf"
    links.write_kits(tmp_path, BOT, [source], minimum_age=13)
    pdf.write_bytes(b"%PDF stand-in")
    links.write_kits(tmp_path, BOT, [source], minimum_age=13)
    assert pdf.exists(), "the same poster keeps its PDF"
    links.write_kits(tmp_path, "OtherTestBot", [source], minimum_age=13)
    assert not pdf.exists(), "a PDF with the old link must not stay beside the new poster"


def test_a_failed_write_leaves_the_previous_file_and_no_partial(
    survey: Survey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = survey.sources[0]
    links.write_kits(tmp_path, BOT, [source], minimum_age=13)
    png = tmp_path / source.id / "qr.png"
    before = png.read_bytes()
    real_save = segno.QRCode.save

    def breaks_halfway(self: segno.QRCode, out: str, kind: str | None = None, **kw: object) -> None:
        if kind == "png":
            Path(out).write_bytes(b"\x89PNG half")
            raise OSError("disk full")
        real_save(self, out, kind=kind, **kw)

    monkeypatch.setattr(segno.QRCode, "save", breaks_halfway)
    with pytest.raises(OSError, match="disk full"):
        links.write_kits(tmp_path, "OtherTestBot", [source], minimum_age=13)
    assert png.read_bytes() == before
    assert not [p.name for p in (tmp_path / source.id).iterdir() if "partial" in p.name]


def test_no_chromium_is_a_pdf_error(survey: Survey, tmp_path: Path) -> None:
    from reports.findings.render import PdfError  # matplotlib: only the test that needs it

    kits = links.write_kits(tmp_path, BOT, survey.sources[:1], minimum_age=13)
    with pytest.raises(PdfError, match="not installed"):
        links.print_posters(kits, chromium="no-such-chromium-here")
    assert not (tmp_path / survey.sources[0].id / "poster.pdf").exists()
