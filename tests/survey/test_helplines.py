"""Helplines by opening hours: which lines a reply names, at moments on a frozen clock."""

from __future__ import annotations

from datetime import datetime

import pytest
from pydantic import ValidationError

from survey.clock import LOCAL_TIME
from survey.config import load_survey
from survey.helplines import Helpline, Opening, choose_helplines, unchecked
from tests.support.paths import REPO

HELPLINES = load_survey(REPO / "config.yml").helplines
# 5 December 2026 is a Saturday; 7 December a Monday.
SATURDAY_3AM = datetime(2026, 12, 5, 3, 0, tzinfo=LOCAL_TIME)
SATURDAY_5PM = datetime(2026, 12, 5, 17, 0, tzinfo=LOCAL_TIME)
MONDAY_10AM = datetime(2026, 12, 7, 10, 0, tzinfo=LOCAL_TIME)
SUNDAY_11PM = datetime(2026, 12, 6, 23, 0, tzinfo=LOCAL_TIME)


def ids(lines: list[Helpline]) -> list[str]:
    return [line.id for line in lines]


def line(**fields: object) -> Helpline:
    base: dict[str, object] = {
        "id": "x",
        "name": "X",
        "contact": {"nl": "bel 1"},
        "serves": ["any"],
        "speaks": ["nl"],
    }
    return Helpline.model_validate(base | fields)


def test_the_shipped_lines_are_all_there() -> None:
    assert {"awel", "zelfmoordlijn", "tele-onthaal", "1712", "child-focus", "druglijn"} <= set(
        ids(list(HELPLINES))
    )
    assert ids([h for h in HELPLINES if h.emergency]) == ["112", "101"]


def test_awel_is_open_on_saturday_afternoon_and_closed_at_night() -> None:
    awel = next(h for h in HELPLINES if h.id == "awel")
    assert awel.open_at(SATURDAY_5PM)
    assert not awel.open_at(SATURDAY_3AM)
    assert not awel.open_at(SUNDAY_11PM)


def test_a_stretch_past_midnight_belongs_to_the_day_it_opened() -> None:
    late = Opening.model_validate({"days": ["fri"], "opens": "20:00", "closes": "02:00"})
    assert late.covers(datetime(2026, 12, 4, 23, 0, tzinfo=LOCAL_TIME))  # Friday 23:00
    assert late.covers(datetime(2026, 12, 5, 1, 30, tzinfo=LOCAL_TIME))  # Saturday 01:30
    assert not late.covers(datetime(2026, 12, 5, 2, 0, tzinfo=LOCAL_TIME))
    assert not late.covers(datetime(2026, 12, 5, 23, 0, tzinfo=LOCAL_TIME))  # Saturday night


def test_open_lines_come_first_and_a_night_and_day_line_plus_112_always_end() -> None:
    at_night = choose_helplines(HELPLINES, ["abuse"], "nl", SATURDAY_3AM)
    support = [h for h in at_night if not h.emergency and "nl" in h.speaks]
    closed = [h for h in support if not h.open_at(SATURDAY_3AM)]
    opened = [h for h in support if h.open_at(SATURDAY_3AM)]
    assert support[: len(opened)] == opened, "every open line before every closed one"
    assert closed, "1712 is closed on Saturday night, and still named for abuse"
    assert any(h.always_open and not h.emergency for h in at_night)
    assert ids(at_night)[-2:] == ["112", "101"]


def test_a_line_for_the_risk_itself_comes_before_one_that_takes_every_worry() -> None:
    chosen = ids(choose_helplines(HELPLINES, ["suicide"], "nl", MONDAY_10AM))
    assert chosen.index("zelfmoordlijn") < chosen.index("tele-onthaal")
    weekday = ids(choose_helplines(HELPLINES, ["abuse"], "nl", MONDAY_10AM))
    assert weekday[0] == "1712"


def test_french_speakers_get_lines_in_french_first() -> None:
    chosen = ids(choose_helplines(HELPLINES, ["suicide"], "fr", MONDAY_10AM))
    assert chosen.index("cps") < chosen.index("zelfmoordlijn")


def test_lines_in_the_young_persons_language_come_before_open_ones_in_another() -> None:
    chosen = choose_helplines(HELPLINES, ["suicide"], "nl", SUNDAY_11PM)
    speaks = ["nl" in h.speaks for h in chosen if not h.emergency]
    assert speaks == sorted(speaks, reverse=True), "every Dutch line before any other"
    assert "ecoute-enfants" not in ids(chosen)[:2]  # open, but in French


def test_a_language_we_do_not_speak_gets_112_first() -> None:
    chosen = ids(choose_helplines(HELPLINES, ["runaway"], "tr", SATURDAY_3AM, emergency_first=True))
    assert chosen[0] == "112"
    assert "child-focus" in chosen


def test_when_every_fitting_line_is_closed_a_night_and_day_one_is_added() -> None:
    day_only = line(
        id="day",
        serves=["eating"],
        hours=[{"days": ["mon"], "opens": "09:00", "closes": "17:00"}],
    )
    night = line(id="night", serves=["any"])
    chosen = ids(choose_helplines([day_only, night], ["eating"], "nl", SATURDAY_3AM, limit=1))
    assert chosen == ["night"]


def test_an_emergency_number_with_hours_is_refused() -> None:
    with pytest.raises(ValidationError, match="day and night"):
        line(emergency=True, hours=[{"days": ["mon"], "opens": "09:00", "closes": "17:00"}])


def test_lines_nobody_checked_are_listed() -> None:
    assert unchecked([line(id="a"), line(id="b", checked="2026-12-01")]) == ["a"]
