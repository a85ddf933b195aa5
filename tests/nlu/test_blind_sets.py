"""The frozen theme blind sets are well formed: a broken line would count wrongly.

Only the format is checked, never the texts' content (the sets stay unread:
nlu/data/blind/README.md); failures name line numbers, not texts.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from survey.config import Survey
from tests.support.paths import REPO

BLIND_SETS = sorted((REPO / "nlu" / "data" / "blind").glob("themes*.jsonl"))


def test_there_are_blind_sets() -> None:
    assert [path.name for path in BLIND_SETS][:2] == ["themes-2.jsonl", "themes.jsonl"]


@pytest.mark.parametrize("path", BLIND_SETS, ids=[path.name for path in BLIND_SETS])
def test_every_line_has_a_text_known_themes_and_a_style(path: Path, survey: Survey) -> None:
    known = set(survey.theme_ids)
    broken, texts, styles = [], Counter[str](), Counter[str]()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        row = json.loads(raw)
        themes = row.get("themes")
        if (
            not isinstance(row.get("text"), str)
            or not isinstance(themes, list)
            or not set(themes) <= known
            or len(set(themes)) != len(themes)
        ):
            broken.append(number)
            continue
        texts[row["text"]] += 1
        styles[str(row.get("style"))] += 1
    assert not broken, f"{path.name}: lines {broken} are broken"
    assert max(texts.values()) == 1, f"{path.name} repeats a line"
    assert sum(texts.values()) >= 600
    assert {"story", "fr", "en", "noise"} <= set(styles)
