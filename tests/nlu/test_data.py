"""The training data: enough examples per theme, a clean held-out split, clear errors."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from nlu.data import (
    NOISE,
    TEST_DIR,
    TRAIN_DIR,
    Example,
    TrainingDataError,
    load_dir,
    load_file,
    merge_examples,
    to_rasa_yaml,
)
from survey.config import Survey


def theme_ids(survey: Survey) -> list[str]:
    return survey.theme_ids


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", text.casefold()).split())


def test_every_theme_has_at_least_40_single_theme_examples(survey: Survey) -> None:
    examples = load_dir(TRAIN_DIR, theme_ids(survey))
    single = Counter(e.themes[0] for e in examples if len(e.themes) == 1)
    short = {theme: single[theme] for theme in theme_ids(survey) if single[theme] < 40}
    assert short == {}
    assert sum(1 for e in examples if len(e.themes) > 1) >= 100
    assert sum(1 for e in examples if not e.themes) >= 40  # noise: no theme at all


def test_the_held_out_split_covers_every_theme_and_never_repeats_training(survey: Survey) -> None:
    train = load_dir(TRAIN_DIR, theme_ids(survey))
    test = load_dir(TEST_DIR, theme_ids(survey))
    covered = {theme for example in test for theme in example.themes}
    assert covered == set(theme_ids(survey))
    seen = {normalised(e.text) for e in train}
    assert [e.text for e in test if normalised(e.text) in seen] == []


def test_examples_hold_no_phone_numbers_or_addresses(survey: Survey) -> None:
    examples = load_dir(TRAIN_DIR, theme_ids(survey)) + load_dir(TEST_DIR, theme_ids(survey))
    pii = re.compile(r"(\+32|0032|\b04\d{2})[\s./]?\d{2}|[\w.]+@[\w.]+\.\w+")
    assert [e.text for e in examples if pii.search(e.text)] == []


def test_an_unknown_theme_is_named_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yml"
    path.write_text(
        'version: "3.1"\nnlu:\n- intent: cost\n  examples: |\n    - te duur\n'
        "- intent: cost+weather\n  examples: |\n    - het regent\n",
        encoding="utf-8",
    )
    with pytest.raises(
        TrainingDataError, match=rf"{re.escape(str(path))}:6: nlu.1.intent: weather"
    ):
        load_file(path, ["cost"])


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text('version: "3.1"\nnlu:\n- intent: cost\n  examples: [\n', encoding="utf-8")
    with pytest.raises(TrainingDataError, match=rf"{re.escape(str(path))}:\d+: not valid YAML"):
        load_file(path, ["cost"])


def test_multi_intents_and_noise(tmp_path: Path) -> None:
    path = tmp_path / "multi.yml"
    path.write_text(
        f'version: "3.1"\nnlu:\n- intent: transport+cost\n  examples: |\n    - ver en duur\n'
        f"- intent: {NOISE}\n  examples: |\n    - hallo\n",
        encoding="utf-8",
    )
    examples = load_file(path, ["cost", "transport"])
    assert [(e.text, e.themes) for e in examples] == [
        ("ver en duur", ("cost", "transport")),
        ("hallo", ()),
    ]


def test_people_labels_replace_shipped_examples_with_the_same_words() -> None:
    shipped = [Example("Te duur", ("cost",)), Example("geen bus", ("transport",))]
    people = [Example("te  duur", ("cost", "time"))]
    assert merge_examples(shipped, people) == [
        Example("geen bus", ("transport",)),
        Example("te  duur", ("cost", "time")),
    ]


def test_rasa_yaml_round_trips_and_cannot_smuggle_entity_markup(tmp_path: Path) -> None:
    examples = [
        Example("te duur: 10€ # per maand", ("transport", "cost")),
        Example("bel [naam](person) eens", ("information",)),
        Example("idk\nwhatever", ()),
    ]
    path = tmp_path / "gold.yml"
    path.write_text(to_rasa_yaml(examples, "from staff"), encoding="utf-8")
    assert load_file(path, ["cost", "transport", "information"]) == [
        Example("te duur: 10€ # per maand", ("cost", "transport")),
        Example("bel [naam] (person) eens", ("information",)),
        Example("idk whatever", ()),
    ]
