"""What the engine shows: question texts, welcome, prompts and their signed buttons.

It also reads typed text back against those buttons ("15" for an age band, "marke"
for an area), since a young person may type what a button says instead of tapping it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.engine.buttons import NO_SOURCE, ButtonCodec, ButtonKind
from bot.engine.events import Button, Reply
from bot.engine.steps import Route
from survey.config import AgeBand, Option, Question, Survey
from survey.text import fold_words

# Commands shown in the channel's menu, in this order.
MENU_COMMANDS = (
    "start",
    "help",
    "praten",
    "privacy",
    "language",
    "stop",
    "mydata",
    "geenberichten",
    "delete",
)

# A message that is about age and nothing else ("15", "ik ben 15", "15 jaar", "j'ai 15
# ans", "i'm 15 y/o"), on folded words. A sentence that merely holds a number ("de bus
# rijdt nie meer na 8u") is no age: that once told a young person they were too young.
_AGE = re.compile(
    r"^(?:(?:ik|k|i|je|j)\s*(?:ben|m|am|ai|heb)\s+|im\s+|(?:age|leeftijd|mijn leeftijd)\s+)?"
    r"(?:(?:pas|al|nu|net|maar|only|just|seulement)\s+)?"
    r"(\d{1,2})\s*"
    r"(?:(?:jaar|jaren|jr|j|years?|yrs?|yo|y o|ans?)(?:\s+(?:oud|old))?)?$"
)
_TICKED = "✅ "


def command_menu(survey: Survey, language: str) -> list[tuple[str, str]]:
    """The (command, description) pairs for a channel's command menu."""
    return [(name, survey.text(f"command_{name}", language)) for name in MENU_COMMANDS]


class Prompts:
    """Builds the replies of every step in a participant's language."""

    def __init__(self, survey: Survey, buttons: ButtonCodec, route: Route) -> None:
        self.survey = survey
        self.buttons = buttons
        self.route = route
        # (folded label or id, option id) per question, for matching typed answers.
        self._typed_labels: dict[str, list[tuple[str, str]]] = {
            question.id: [
                (fold_words(name), choice.id)
                for choice in self.choices_of(question)
                for name in (*choice.label.values(), choice.id)
            ]
            for questions in survey.round_questions().values()
            for question in questions
        }

    def button(self, label_key: str, language: str, kind: ButtonKind, *args: str) -> Button:
        """A button labelled with a configured message."""
        return Button(self.survey.text(label_key, language), self.buttons.encode(kind, *args))

    # -- questions ---------------------------------------------------------------------

    def question_text(self, question: Question, language: str) -> str:
        """A question's text with its progress, e.g. "(2/6) Waar woon je?"."""
        progress = self.survey.text(
            "progress",
            language,
            number=self.route.number(question),
            total=self.route.total(question),
        )
        return f"{progress} {question.text[language]}"

    def question_prompt(self, question: Question, language: str, ticked: Sequence[str]) -> Reply:
        """A question with its progress, text and buttons."""
        text = self.question_text(question, language)
        # Multiple choice buttons tick and untick; all others answer.
        multi = question.type == "multi_choice"
        kind = ButtonKind.TICK_OPTION if multi else ButtonKind.ANSWER
        options = [
            Button(
                (_TICKED if choice.id in ticked else "") + choice.label[language],
                self.buttons.encode(kind, question.id, choice.id),
            )
            for choice in self.choices_of(question)
        ]
        rows = [
            tuple(options[i : i + question.columns])
            for i in range(0, len(options), question.columns)
        ]
        last_row: list[Button] = []
        if multi:
            last_row.append(
                self.button("button_done", language, ButtonKind.OPTIONS_DONE, question.id)
            )
        if question.skippable:
            last_row.append(self.button("button_skip", language, ButtonKind.SKIP, question.id))
        if last_row:
            rows.append(tuple(last_row))
        return Reply(text, tuple(rows))

    def answered(self, question: Question, language: str, shown: str) -> Reply:
        """The question as it stays in the chat once answered: no buttons, the answer below."""
        return Reply(f"{self.question_text(question, language)}\n→ {shown}")

    def choices_of(self, question: Question) -> Sequence[Option | AgeBand]:
        """The buttons a question offers: its options, or the age bands."""
        return self.survey.age_bands if question.type == "age_band" else question.options

    def option_label(self, question: Question, option_id: str, language: str) -> str | None:
        """The label of a question's option (or age band), or None if it has no such option."""
        return next(
            (c.label[language] for c in self.choices_of(question) if c.id == option_id), None
        )

    def match_option(self, question: Question, text: str) -> str | None:
        """The option a typed text names: a label in any language, or (for age) one number."""
        typed = fold_words(text)
        if not typed:
            return None
        by_label = {option for name, option in self._typed_labels[question.id] if name == typed}
        if by_label:
            return by_label.pop() if len(by_label) == 1 else None
        if question.type == "age_band":
            age = _AGE.match(typed)
            if age is not None:
                years = int(age.group(1))
                return next((b.id for b in self.survey.age_bands if b.contains(years)), None)
        return None

    def age_gate_confirm(self, band_id: str, language: str) -> Reply:
        """Under the minimum age: asked once, since a yes erases everything they gave."""
        minimum = self.survey.privacy.minimum_age
        buttons = (
            (
                self.button(
                    "button_age_young_yes", language, ButtonKind.AGE_CONFIRM, band_id, "yes"
                ),
                self.button("button_age_young_no", language, ButtonKind.AGE_CONFIRM, band_id, "no"),
            ),
        )
        return Reply(self.survey.text("age_gate_confirm", language, minimum_age=minimum), buttons)

    # -- welcome, language, pause, opt-in, delete ---------------------------------------

    def welcome(self, language: str, source: str | None) -> Reply:
        """The welcome with consent and language buttons; the source rides along signed."""
        code = source or NO_SOURCE
        version = self.survey.privacy.version
        consent = (
            self.button(
                "button_consent_yes", language, ButtonKind.CONSENT, "yes", language, code, version
            ),
            self.button(
                "button_consent_no", language, ButtonKind.CONSENT, "no", language, code, version
            ),
        )
        return Reply(self.survey.text("welcome", language), (consent, self.language_row(code)))

    def language_row(self, source: str) -> tuple[Button, ...]:
        """One button per survey language."""
        return tuple(
            Button(
                self.survey.language_names[lang],
                self.buttons.encode(ButtonKind.LANGUAGE, lang, source),
            )
            for lang in self.survey.languages
        )

    def paused_reminder(self, language: str) -> Reply:
        """The reminder that the survey is paused, with a button to carry on."""
        resume = self.button("button_resume", language, ButtonKind.RESUME)
        return Reply(self.survey.text("paused_reminder", language), ((resume,),))

    def opt_in_prompt(self, language: str) -> Reply:
        """The closing thanks, asking whether we may message them about new questions."""
        buttons = (
            (
                self.button("button_opt_in_yes", language, ButtonKind.OPT_IN, "yes"),
                self.button("button_opt_in_no", language, ButtonKind.OPT_IN, "no"),
            ),
        )
        return Reply(self.survey.text("thanks", language), buttons)

    def delete_prompt(self, language: str) -> Reply:
        """Are you sure? before erasing everything about the participant."""
        buttons = (
            (
                self.button("button_delete_yes", language, ButtonKind.DELETE, "yes"),
                self.button("button_delete_no", language, ButtonKind.DELETE, "no"),
            ),
        )
        return Reply(self.survey.text("delete_confirm", language), buttons)

    # -- themes -------------------------------------------------------------------------

    def themes_check_prompt(
        self, question: Question, themes: Sequence[str], language: str
    ) -> Reply:
        """ "It's mostly about: A, B. Is that right?" with Klopt / Niet helemaal."""
        named = ", ".join(self.theme_words(theme, language) for theme in themes)
        buttons = (
            (
                self.button(
                    "button_themes_right", language, ButtonKind.THEMES_CHECK, question.id, "yes"
                ),
                self.button(
                    "button_themes_wrong", language, ButtonKind.THEMES_CHECK, question.id, "no"
                ),
            ),
        )
        return Reply(self.survey.text("themes_check", language, themes=named), buttons)

    def themes_offered(self, scores: dict[str, float] | None) -> list[str]:
        """The themes to pick from: the best-scoring barriers, then the new-barrier theme."""
        special = self.survey.special_themes
        not_barriers = {special.no_barrier, special.new_barrier}
        # Highest score first; the sort is stable, so ties keep the configured order.
        ranked = sorted(scores or {}, key=lambda theme: -(scores or {})[theme])
        barriers = [t for t in ranked if t not in not_barriers and self.survey.theme(t)]
        if not barriers:
            barriers = [t for t in self.survey.theme_ids if t not in not_barriers]
        return [*barriers[: self.survey.nlu.choices], special.new_barrier]

    def themes_pick_prompt(
        self, question: Question, offered: Sequence[str], ticked: Sequence[str], language: str
    ) -> Reply:
        """One toggle button per offered theme, in plain words, and Klaar."""
        rows = [
            (
                Button(
                    (_TICKED if theme in ticked else "") + self.theme_words(theme, language),
                    self.buttons.encode(ButtonKind.TICK_THEME, question.id, theme),
                ),
            )
            for theme in offered
        ]
        done = self.button("button_themes_done", language, ButtonKind.THEMES_PICKED, question.id)
        return Reply(self.survey.text("themes_pick", language), (*rows, (done,)))

    def theme_words(self, theme_id: str, language: str) -> str:
        """How the bot names a theme to a young person."""
        theme = self.survey.theme(theme_id)
        return theme.words[language] if theme is not None else theme_id
