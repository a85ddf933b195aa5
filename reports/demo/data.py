"""The demo's texts and weights (data.yml): loaded with PyYAML, checked with pydantic."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DATA_FILE = Path(__file__).with_name("data.yml")

# Open questions without texts of their own in a new signal use this question's.
FALLBACK_QUESTION = "holds-back"

Weight = Annotated[float, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]
Text = Annotated[str, Field(min_length=1)]
Id = Annotated[str, Field(min_length=1)]


class DemoError(Exception):
    """The fill cannot go ahead; the message says why."""


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ThemedText(_Data):
    """A text written for the demo and what it is really about (``[]``: no theme, noise)."""

    text: Text
    themes: tuple[Id, ...] = ()


class OpenBehaviour(_Data):
    """Shares of an open question's answers that are skips and button presses."""

    skip: Share
    button: Share


class NewSignal(_Data):
    """A barrier the configured themes do not cover: answers about it get ``other``."""

    name: Text
    keywords: tuple[Text, ...] = Field(min_length=1)
    near: tuple[Id, ...]  # the configured themes the classifier half-confuses it with
    texts: dict[Id, tuple[Text, ...]]  # by question id

    @model_validator(mode="after")
    def _texts_fit(self) -> Self:
        if not self.texts.get(FALLBACK_QUESTION):
            raise ValueError(f"needs texts for {FALLBACK_QUESTION} (they serve other questions)")
        for texts in self.texts.values():
            for text in texts:
                if not any(keyword in text.lower() for keyword in self.keywords):
                    raise ValueError(f"{text!r} contains none of the keywords")
        return self


class DemoData(_Data):
    """Who takes part, how they answer, and what they write (see data.yml's comments)."""

    default_weight: Weight
    language_weights: dict[Id, Weight]
    no_source_weight: Weight
    source_weights: dict[Id, Weight]
    age_weights: dict[Id, Weight]
    area_weights: dict[Id, Weight]
    free_time_weights: dict[Id, Weight]
    exclusive_options: frozenset[Id]
    hour_weights: dict[Annotated[int, Field(ge=0, le=23)], Weight] = Field(min_length=1)
    second_run_share: Share
    opt_in_share: Share

    choice_skip: dict[Id, Share]
    default_choice_skip: Share
    choice_typed: Share
    multi_skip: Share
    multi_typed: Share
    ticked_weights: dict[Annotated[int, Field(ge=1)], Weight] = Field(min_length=1)
    open_behaviour: dict[Id, OpenBehaviour]
    default_open_behaviour: OpenBehaviour
    signal_share: dict[Id, Share]
    distress_share: Share
    staff_share: Share
    staff_disagrees: Share
    stop_weights: tuple[Weight, ...] = Field(min_length=1)
    unwelcome_themes: frozenset[Id]

    free_time_texts: tuple[Text, ...] = Field(min_length=1)
    ideas: tuple[ThemedText, ...] = Field(min_length=1)
    new_signals: tuple[NewSignal, ...] = Field(min_length=1)
    openers: tuple[str, ...] = Field(min_length=1)
    closers: tuple[str, ...] = Field(min_length=1)
    pii_texts: tuple[ThemedText, ...]
    formula_texts: tuple[ThemedText, ...]
    french_words: frozenset[Text]
    english_words: frozenset[Text]


def load_demo_data(path: Path = DATA_FILE) -> DemoData:
    """The demo data, or a DemoError that names the file and every problem in it."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise DemoError(f"{path}: cannot read the demo data: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise DemoError(f"{path}: not valid YAML: {error}") from error
    try:
        return DemoData.model_validate(raw)
    except ValidationError as error:
        problems = "\n".join(
            f"  {'.'.join(str(part) for part in problem['loc']) or '(top level)'}: {problem['msg']}"
            for problem in error.errors()
        )
        raise DemoError(f"{path} is not valid demo data:\n{problems}") from error
