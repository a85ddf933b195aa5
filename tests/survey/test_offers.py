"""offers.yml: the shipped examples load, a broken file names its line and key and stops the bot."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from survey.config import ConfigError, Survey
from survey.offers import Catalogue, load_catalogue
from tests.support.cli import run_bot_beside
from tests.support.paths import REPO

OFFERS_TEXT = (REPO / "offers.yml").read_text(encoding="utf-8")


def test_the_shipped_offers_load_and_are_all_marked_as_examples(survey: Survey) -> None:
    catalogue = load_catalogue(REPO / "offers.yml", survey)
    assert len(catalogue.offers) >= 3
    assert catalogue.examples == list(catalogue.offers)
    assert all(offer.where_to_go() for offer in catalogue.offers)


def test_an_absent_or_empty_file_is_an_empty_catalogue(survey: Survey, tmp_path: Path) -> None:
    assert load_catalogue(tmp_path / "offers.yml", survey) == Catalogue()
    (tmp_path / "offers.yml").write_text("# nothing yet\n", encoding="utf-8")
    assert load_catalogue(tmp_path / "offers.yml", survey) == Catalogue()


def line_number(text: str, marker: str) -> int:
    [line] = [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
    return line


@pytest.mark.parametrize(
    ("find", "replace", "key", "says"),
    [
        ("themes: [cost]\n", "themes: [kost]\n", "offers.0.themes.0", "'kost' is no barrier theme"),
        ("themes: [cost]\n", "themes: [none]\n", "offers.0.themes.0", "'none' is no barrier"),
        (
            "areas: [aalbeke,",
            "areas: [aalbeek,",
            "offers.3.areas.0",
            "'aalbeek' is no area option",
        ),
        (
            "      fr: Tarif réduit avec ton UiTPAS\n",
            "",
            "offers.0.title",
            "missing the 'fr' text",
        ),
        (
            "    min_age: 12\n    max_age: 18\n",
            "    min_age: 19\n    max_age: 18\n",
            "offers.1.min_age",
            "above max_age",
        ),
        (
            "    link: https://www.kortrijk.be/uitpas\n",
            "    link: www.kortrijk.be/uitpas\n",
            "offers.0.link",
            "URL",
        ),
        (
            "    link: https://www.kortrijk.be/uitpas\n",
            "    link: https://www.kortrijk.be/uitpas\n    ends: 2026-13-01\n",
            "offers.0.ends",
            "date",
        ),
        (
            "    link: https://www.kortrijk.be/uitpas\n",
            "",
            "offers.0",
            "needs a link or a contact",
        ),
        (
            "    partner: Quindo\n",
            "    partner: Quindo\n    colour: blue\n",
            "offers.1.colour",
            "Extra",
        ),
    ],
)
def test_a_broken_offer_names_the_file_line_and_key(
    survey: Survey, tmp_path: Path, find: str, replace: str, key: str, says: str
) -> None:
    assert OFFERS_TEXT.count(find) == 1, find
    broken = OFFERS_TEXT.replace(find, replace)
    path = tmp_path / "offers.yml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_catalogue(path, survey)
    message = str(raised.value)
    first = message.splitlines()[0]
    assert first.startswith(f"{path}:"), message
    assert f": {key}: " in first, message
    assert says in first, message
    # The line named is inside the offending offer, at or after its "- id:" line.
    line = int(first.split(":")[1])
    offer_index = int(key.split(".")[1])
    starts = [n for n, text in enumerate(broken.splitlines(), 1) if text.startswith("  - id:")]
    assert starts[offer_index] <= line, message
    if offer_index + 1 < len(starts):
        assert line < starts[offer_index + 1], message


def test_text_that_is_not_yaml_names_the_line(survey: Survey, tmp_path: Path) -> None:
    path = tmp_path / "offers.yml"
    path.write_text(OFFERS_TEXT.replace("themes: [cost]\n", "themes: [cost\n"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"offers\.yml:\d+: not valid YAML"):
        load_catalogue(path, survey)


def test_an_offer_runs_from_its_start_to_its_end_inclusive(survey: Survey) -> None:
    catalogue = load_catalogue(REPO / "offers.yml", survey)
    offer = catalogue.offers[0].model_copy(
        update={"starts": date(2027, 1, 1), "ends": date(2027, 1, 31)}
    )
    assert not offer.open_on(date(2026, 12, 31))
    assert offer.open_on(date(2027, 1, 1)) and offer.open_on(date(2027, 1, 31))
    assert not offer.open_on(date(2027, 2, 1))


def test_a_broken_offers_file_keeps_the_bot_from_starting(tmp_path: Path) -> None:
    broken = OFFERS_TEXT.replace("themes: [cost]\n", "themes: [kost]\n")
    result = run_bot_beside(tmp_path, "offers.yml", broken)
    assert result.returncode == 2, result.stderr
    assert f"{tmp_path / 'offers.yml'}:" in result.stderr
    assert "offers.0.themes.0: 'kost' is no barrier theme" in result.stderr
    assert "Traceback" not in result.stderr
