"""The survey as data: ``config.yml`` parsed and checked into typed models.

Every text is a mapping language -> string, and must exist in every configured
language. Errors name the file, the line and the key, so staff can fix the
file without a developer.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from survey.clock import LOCAL_TIME
from survey.helplines import Helpline, Opening
from survey.yamlfile import Problem, format_problems, parse, syntax_error

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]{0,23}$")]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
Texts = dict[LanguageCode, Annotated[str, StringConstraints(min_length=1, max_length=3500)]]

# Steps that are not questions; question ids may not use them.
RESERVED_IDS = frozenset({"extra", "opt_in", "done", "consent"})


# A model read from a YAML file (config.yml, offers.yml).
M = TypeVar("M", bound=BaseModel)


class ConfigError(Exception):
    """config.yml is unreadable or invalid; the message names file, line and key."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    """A partner or campaign that hands out a deep link ``?start=<id>``."""

    id: Slug
    label: str
    # A session led by a youth worker with parental consent: the age gate does not apply.
    supervised: bool = False


class Option(_Model):
    """One answer button."""

    id: Slug
    label: Texts
    # "Zeg ik liever niet": an answer that says nothing, left out of the report's breakdowns.
    withheld: bool = False


class AgeBand(_Model):
    """An age band; ``max_age`` under the minimum age triggers the age gate."""

    id: Slug
    label: Texts
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)

    def contains(self, age: int) -> bool:
        """Whether an age in years falls in this band."""
        low = self.min_age if self.min_age is not None else 0
        high = self.max_age if self.max_age is not None else 200
        return low <= age <= high


class Question(_Model):
    """One survey question.

    ``age_band`` takes its buttons from ``age_bands``; ``single_choice`` and
    ``multi_choice`` from ``options``; ``open`` expects the person's own words
    and may offer buttons too.
    """

    id: Slug
    type: Literal["age_band", "single_choice", "multi_choice", "open"]
    text: Texts
    options: tuple[Option, ...] = ()
    # Free text is stored as the answer (multi_choice: next to the ticked options).
    allow_text: bool = False
    skippable: bool = True
    # Which participation column the chosen option also fills, for reports.
    profile: Literal["area"] | None = None
    columns: int = Field(default=2, ge=1, le=4)
    # Open answers: reflect the recognised themes back and let the young person correct them.
    confirm_themes: bool = True


# Joins a source and a round in a deep link's start code: ``bolwerk__opvolging``.
# Telegram allows only A-Za-z0-9_- in it, so the separator is one that ids may not
# contain. Both ids are slugs of at most 24 characters: the code stays within Telegram's 64.
CODE_SEPARATOR = "__"


@dataclass(frozen=True)
class StartCode:
    """A deep link's start parameter: a source, a round, both (``source__round``) or neither."""

    source: str | None = None
    round_id: str | None = None

    @classmethod
    def parse(cls, code: str | None) -> StartCode:
        """The parts of a start parameter; empty parts are None."""
        if not code:
            return cls()
        source, _, round_id = code.partition(CODE_SEPARATOR)
        return cls(source or None, round_id or None)

    def __str__(self) -> str:
        if self.round_id is None:
            return self.source or ""
        return f"{self.source or ''}{CODE_SEPARATOR}{self.round_id}"


class FirstRound(_Model):
    """The survey itself (the top-level ``questions``): always open, for every source."""

    id: Slug = "start"
    title: Texts | None = None


class Round(_Model):
    """A follow-up round: its own questions, open between two dates, maybe for some sources.

    A participant who took an earlier round is not asked the profile questions again
    (``age_band`` and ``profile: area``): their answers carry over.
    """

    id: Slug
    title: Texts
    # The message `jeugdstem send` sends, above the "Doe mee" button.
    invitation: Texts
    questions: tuple[Question, ...] = Field(min_length=1)
    # Kortrijk dates, both included; none: open from the start, or for good.
    opens: date | None = None
    closes: date | None = None
    # Deep-link sources it is meant for; empty: everyone.
    sources: tuple[Slug, ...] = ()

    def open_on(self, day: date) -> bool:
        """Whether the round takes answers on this Kortrijk date."""
        return (self.opens is None or self.opens <= day) and (
            self.closes is None or day <= self.closes
        )

    def for_source(self, source: str | None) -> bool:
        """Whether someone who came through this source may take the round."""
        return not self.sources or source in self.sources


ClockTime = Annotated[str, StringConstraints(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class QuietHours(_Model):
    """When no message goes to a minor (Kortrijk time); held until ``end``, never dropped.

    Written as quoted "HH:MM": unquoted, YAML reads 21:00 as the number 1260.
    """

    start: ClockTime = "21:00"
    end: ClockTime = "08:00"

    @staticmethod
    def _time(text: str) -> time:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))

    def holds(self, moment: datetime) -> bool:
        """Whether a message at this moment falls in the quiet hours."""
        now = moment.astimezone(LOCAL_TIME).time()
        start, end = self._time(self.start), self._time(self.end)
        if start <= end:
            return start <= now < end
        return now >= start or now < end

    def over_at(self, moment: datetime) -> datetime:
        """The first moment at or after ``moment`` outside the quiet hours."""
        if not self.holds(moment):
            return moment
        local = moment.astimezone(LOCAL_TIME)
        end = datetime.combine(local.date(), self._time(self.end), tzinfo=LOCAL_TIME)
        if end <= local:
            end = datetime.combine(
                local.date() + timedelta(days=1), self._time(self.end), tzinfo=LOCAL_TIME
            )
        return end


class SendSettings(_Model):
    """Messages the network sends first (`jeugdstem send`, `jeugdstem feedback send`)."""

    # Messages per second; Telegram allows about 30, and the bot's own replies need room.
    rate: float = Field(default=20, gt=0, le=30)
    # None (``quiet_hours: null``): messages go out at any hour.
    quiet_hours: QuietHours | None = QuietHours()
    # From this age on quiet hours do not apply; an unknown age counts as a minor.
    adult_age: int = Field(default=18, ge=0, le=120)


class Theme(_Model):
    """A barrier theme: ``label`` and ``description`` for staff, ``words`` for young people."""

    id: Slug
    label: str
    description: str = ""
    # How the bot names the theme to a young person (reflect-back and pick buttons).
    words: Texts


class SpecialThemes(_Model):
    """The themes that are not a barrier of their own; the bot and the reports treat them apart."""

    # The young person says nothing holds them back.
    no_barrier: Slug = "none"
    # A barrier none of the other themes covers ("Iets anders"): possibly a new theme.
    new_barrier: Slug = "other"


class RasaSettings(_Model):
    """Where the Rasa backend lives; the server is started by ``jeugdstem nlu serve``."""

    url: str = "http://127.0.0.1:5005"
    # Rasa's pipeline, relative to config.yml; kept in its own file because Rasa reads it.
    pipeline: str = "nlu/rasa/config.yml"
    # Rasa's own Python 3.10 environment (scripts/ensure-rasa.sh), relative to config.yml.
    executable: str = ".venv-rasa/bin/rasa"
    # Rasa's intent confidences are overconfident: a theme counts from this score on.
    threshold: float = Field(default=0.5, gt=0, lt=1)


class NluSettings(_Model):
    """Which backend classifies answers, and how sure it must be."""

    backend: Literal["builtin", "rasa"] = "builtin"
    # Trained models, relative to config.yml (git-ignored).
    model_dir: str = "models"
    # The built-in classifier's per-theme probability from which a theme counts.
    threshold: float = Field(default=0.35, gt=0, lt=1)
    # Below this best score the bot asks the young person to pick instead of "Klopt dat?".
    confident: float = Field(default=0.6, gt=0, le=1)
    # With no theme above the threshold, still let them pick from this best score on
    # (below it the answer was noise such as "idk" or an emoji).
    ask_from: float = Field(default=0.15, ge=0, le=1)
    # Themes offered as toggle buttons when the bot is unsure.
    choices: int = Field(default=4, ge=1, le=8)
    # The conversation never waits longer than this on the NLU; later `nlu reclassify`.
    timeout_seconds: float = Field(default=1.0, gt=0, le=10)
    rasa: RasaSettings = RasaSettings()


class PrivacySettings(_Model):
    """Consent, age gate and retention."""

    # The version of the privacy text (messages.welcome and messages.privacy). Change it
    # when they change: returning participants are then asked for consent again.
    version: str = Field(default="1", min_length=1, max_length=32)
    minimum_age: int = Field(default=13, ge=0, le=25)
    # After this many days raw answer texts are replaced by their redacted form.
    retention_days: int = Field(default=730, ge=1)
    # Chat ids of participants not heard from for this many days are forgotten.
    chat_link_days: int = Field(default=180, ge=1)


class RateLimit(_Model):
    """Outgoing message limits; Telegram's own are about 30 messages/s."""

    overall_max_rate: float = Field(default=30, ge=0)
    max_retries: int = Field(default=3, ge=0)


class TelegramSettings(_Model):
    """Channel settings that are not secrets."""

    rate_limit: RateLimit = RateLimit()
    # Updates of different participants handled at once; one participant's stay in order.
    concurrent_updates: int = Field(default=64, ge=1, le=1024)
    # HTTP connections to the Bot API for sending (polling uses one more of its own).
    connection_pool_size: int = Field(default=16, ge=1, le=256)
    # The bot's @username, for the partners' deep links and QR codes (`jeugdstem links`).
    # Left empty, `jeugdstem links` asks Telegram (getMe) with TELEGRAM_BOT_TOKEN.
    bot_username: (
        Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]{3,31}$")] | None
    ) = None


class ReportSettings(_Model):
    """The findings report (`jeugdstem report`)."""

    # Cells counting fewer participants than this show "< min_cell", so nobody is recognisable.
    min_cell: int = Field(default=5, ge=1, le=100)
    # Open questions that ask for ideas, not barriers: their answers are the proposed solutions.
    solution_questions: tuple[Slug, ...] = ()
    # An unconfirmed answer whose best theme scores below this is a candidate new signal.
    low_confidence: float = Field(default=0.5, gt=0, le=1)
    # A change in a barrier's share between rounds is shown only where both rounds have
    # at least this many participants: shares of a handful of people swing by chance.
    min_round: int = Field(default=20, ge=1)


class Worker(_Model):
    """A youth worker who may take cases in the staff chat.

    The Telegram user id is a deployment setting about staff, not data of young
    people; the young person sees only ``name``.
    """

    telegram_id: int
    # What the young person reads: "Sara, Bolwerk".
    name: str = Field(min_length=1, max_length=60)


class HandoverSettings(_Model):
    """A youth worker taking over a conversation (`/praten`, and after distress)."""

    # Nobody listed: "talk to someone" gives the helplines and alerts the staff chat only.
    workers: tuple[Worker, ...] = ()
    # When workers read the staff chat (local time); outside them the young person is
    # told so at once. Empty: always staffed.
    hours: tuple[Opening, ...] = ()
    # Case messages (the relayed conversation) are deleted this long after the case closed.
    retention_days: int = Field(default=30, ge=1)

    def worker(self, telegram_id: int) -> Worker | None:
        """The configured worker with this Telegram user id, or None."""
        return next((w for w in self.workers if w.telegram_id == telegram_id), None)

    def staffed_at(self, moment: datetime) -> bool:
        """Whether workers read the staff chat at this moment."""
        if not self.hours:
            return True
        local = moment.astimezone(LOCAL_TIME)
        return any(opening.covers(local) for opening in self.hours)

    def next_shift(self, moment: datetime) -> datetime | None:
        """When the next shift starts after ``moment`` (local time), None if always staffed.

        Found by stepping through the coming week a minute at a time: hours are
        written in whole minutes, and a week is 10,080 cheap checks.
        """
        if not self.hours:
            return None
        local = moment.astimezone(LOCAL_TIME).replace(second=0, microsecond=0)
        was_staffed = self.staffed_at(local)
        for minutes in range(1, 8 * 24 * 60):
            candidate = local + timedelta(minutes=minutes)
            staffed = self.staffed_at(candidate)
            if staffed and not was_staffed:
                return candidate
            was_staffed = staffed
        return None

    def shift_start(self, moment: datetime) -> datetime | None:
        """When the shift running at ``moment`` began; None when off shift or always staffed."""
        if not self.hours or not self.staffed_at(moment):
            return None
        local = moment.astimezone(LOCAL_TIME).replace(second=0, microsecond=0)
        for minutes in range(1, 8 * 24 * 60):
            if not self.staffed_at(local - timedelta(minutes=minutes)):
                return local - timedelta(minutes=minutes - 1)
        return None

    def shift_end(self, moment: datetime) -> datetime | None:
        """When the shift running at ``moment`` (or else the next) ends; None: always staffed."""
        if not self.hours:
            return None
        start = moment if self.staffed_at(moment) else self.next_shift(moment)
        if start is None:
            return None
        local = start.astimezone(LOCAL_TIME).replace(second=0, microsecond=0)
        for minutes in range(1, 8 * 24 * 60):
            candidate = local + timedelta(minutes=minutes)
            if not self.staffed_at(candidate):
                return candidate
        return None


# Messages the engine uses; a config that lacks one is rejected at start-up.
MESSAGE_KEYS = (
    "welcome",
    "button_consent_yes",
    "button_consent_no",
    "declined",
    "declined_known",
    "age_gate",
    "age_gate_confirm",
    "button_age_young_yes",
    "button_age_young_no",
    "progress",
    "button_skip",
    "button_done",
    "choose_a_button",
    "noted_extra",
    "text_only",
    "thanks",
    "button_opt_in_yes",
    "button_opt_in_no",
    "opt_in_yes",
    "opt_in_no",
    "help",
    "privacy",
    "paused",
    "paused_reminder",
    "button_resume",
    "resumed",
    "nothing_to_stop",
    "language_prompt",
    "language_changed",
    "stale_button",
    "invalid_button",
    "unknown_command",
    "something_went_wrong",
    "delete_confirm",
    "button_delete_yes",
    "button_delete_no",
    "deleted",
    "delete_cancelled",
    "nothing_to_delete",
    "themes_check",
    "button_themes_right",
    "button_themes_wrong",
    "themes_pick",
    "button_themes_done",
    "themes_pending",
    "distress_alarm",
    "distress_not_your_fault",
    "distress_threat",
    "distress_friend",
    "helpline_closed",
    "distress_paused",
    "distress_later",
    "distress_check_in",
    "button_talk",
    "button_go_on",
    "consent_again",
    "mydata_intro",
    "mydata_nothing",
    "slow_down",
    "calm",
    "command_mydata",
    "command_start",
    "command_help",
    "command_privacy",
    "command_language",
    "command_stop",
    "command_delete",
    "command_praten",
    "handover_offer",
    "button_handover_yes",
    "button_handover_no",
    "handover_declined",
    "handover_opened",
    "handover_out_of_hours",
    "handover_waiting",
    "handover_claimed",
    "handover_closed_by_worker",
    "handover_closed_by_young",
    "handover_already_open",
    "offers_intro",
    "button_offer",
    "offer_tapped",
    "button_join_round",
    "button_no_more_messages",
    "no_more_messages",
    "round_joined_known",
    "round_closed",
    "round_already_done",
    "round_busy",
    "command_geenberichten",
    "feedback_you_said",
    "feedback_status_heard",
    "feedback_status_on_the_agenda",
    "feedback_status_decided",
    "feedback_status_done",
    "feedback_status_not_possible",
    "feedback_partner",
    "button_feedback_helps",
    "button_feedback_not",
    "button_feedback_more",
    "feedback_noted",
    "feedback_say_more",
    "feedback_said_more",
)


class Survey(_Model):
    """The whole of config.yml."""

    languages: tuple[LanguageCode, ...]
    default_language: LanguageCode
    language_names: dict[LanguageCode, str]
    sources: tuple[Source, ...]
    privacy: PrivacySettings = PrivacySettings()
    telegram: TelegramSettings = TelegramSettings()
    age_bands: tuple[AgeBand, ...]
    # The first round: the survey everyone takes.
    questions: tuple[Question, ...] = Field(min_length=1)
    first_round: FirstRound = FirstRound()
    # Follow-up rounds, sent to opted-in participants (`jeugdstem send ROUND`).
    rounds: tuple[Round, ...] = ()
    send: SendSettings = SendSettings()
    messages: dict[str, Texts]
    helplines: tuple[Helpline, ...] = ()
    themes: tuple[Theme, ...] = Field(min_length=1)
    special_themes: SpecialThemes = SpecialThemes()
    nlu: NluSettings = NluSettings()
    report: ReportSettings = ReportSettings()
    handover: HandoverSettings = HandoverSettings()

    @property
    def theme_ids(self) -> list[str]:
        """Theme ids in config order, as the classifiers and exports use them."""
        return [theme.id for theme in self.themes]

    def theme(self, theme_id: str) -> Theme | None:
        """The theme with this id, or None."""
        return next((t for t in self.themes if t.id == theme_id), None)

    def question(self, question_id: str) -> Question | None:
        """The question with this id in any round, or None."""
        # No list or dict built: the engine looks a question up on every event. (A cached
        # index would go stale in a model_copy that changes the rounds.)
        for questions in (self.questions, *(r.questions for r in self.rounds)):
            for question in questions:
                if question.id == question_id:
                    return question
        return None

    def round_questions(self) -> dict[str, tuple[Question, ...]]:
        """Each round's questions by round id, the first round first."""
        return {
            self.first_round.id: self.questions,
            **{round_.id: round_.questions for round_ in self.rounds},
        }

    def all_questions(self) -> list[Question]:
        """Every round's questions, the first round's first."""
        return [q for questions in self.round_questions().values() for q in questions]

    def round(self, round_id: str) -> Round | None:
        """The follow-up round with this id, or None (also for the first round)."""
        return next((r for r in self.rounds if r.id == round_id), None)

    def round_title(self, round_id: str | None, language: str) -> str:
        """A round's title for people; the id where none is configured."""
        found = self.round(round_id) if round_id is not None else None
        if found is not None:
            return found.title[language]
        title = self.first_round.title
        return title[language] if title is not None else (round_id or self.first_round.id)

    def source(self, code: str | None) -> Source | None:
        """The source for a deep-link code, or None if the code is unknown."""
        return next((s for s in self.sources if s.id == code), None)

    def text(self, key: str, language: str, **values: object) -> str:
        """A message in a language, with its ``{placeholders}`` filled in."""
        template = self.messages[key][language]
        return template.format(**values) if values else template


def _placeholders(template: str) -> set[str]:
    """Named {placeholders}; raises ValueError for a stray brace or a positional {}."""
    names = set()
    for _, name, _, _ in string.Formatter().parse(template):
        if name is not None:
            if not name.isidentifier():
                raise ValueError(f"{{{name}}} is not a named placeholder")
            names.add(name)
    return names


def check_texts(
    where: tuple[str | int, ...], texts: dict[str, str], survey: Survey
) -> list[Problem]:
    """A text in every language and no other, with the same {placeholders} in each."""
    problems: list[Problem] = []
    for language in survey.languages:
        if language not in texts:
            problems.append((where, f"missing the {language!r} text"))
    for language in texts:
        if language not in survey.languages:
            problems.append(((*where, language), f"{language!r} is not in languages"))
    found: dict[str, set[str]] = {}
    for language in survey.languages:
        if language not in texts:
            continue
        try:
            found[language] = _placeholders(texts[language])
        except ValueError as error:
            problems.append(
                ((*where, language), f"bad braces: {error} (write {{{{ for a literal brace)")
            )
    if len({frozenset(names) for names in found.values()}) > 1:
        problems.append((where, "the languages use different {placeholders}"))
    return problems


def _check_survey(survey: Survey) -> list[Problem]:
    """Rules that span several keys, each reported at the key that breaks it."""
    problems: list[Problem] = []
    if survey.default_language not in survey.languages:
        problems.append((("default_language",), "must be one of languages"))
    for language in survey.languages:
        if language not in survey.language_names:
            problems.append((("language_names",), f"missing a name for {language!r}"))
    for key in MESSAGE_KEYS:
        if key not in survey.messages:
            problems.append((("messages",), f"missing message {key!r}"))
    for key, texts in survey.messages.items():
        problems += check_texts(("messages", key), texts, survey)

    seen: set[str] = set()
    problems += _check_questions(("questions",), survey.questions, seen, survey)
    problems += _check_rounds(survey, seen)
    theme_ids = [theme.id for theme in survey.themes]
    for index, theme in enumerate(survey.themes):
        if theme_ids.index(theme.id) != index:
            problems.append((("themes", index, "id"), f"duplicate theme id {theme.id!r}"))
        problems += check_texts(("themes", index, "words"), theme.words, survey)
    for key in (survey.special_themes.no_barrier, survey.special_themes.new_barrier):
        if key not in theme_ids:
            problems.append((("themes",), f"the theme {key!r} is required (no barrier / new one)"))
    for index, question_id in enumerate(survey.report.solution_questions):
        found = survey.question(question_id)
        if found is None or found.type != "open":
            problems.append(
                (("report", "solution_questions", index), f"{question_id!r} is no open question")
            )

    worker_ids = [worker.telegram_id for worker in survey.handover.workers]
    if len(set(worker_ids)) != len(worker_ids):
        problems.append((("handover", "workers"), "a worker is listed twice"))

    minimum = survey.privacy.minimum_age
    previous_max: int | None = None
    for index, band in enumerate(survey.age_bands):
        where = ("age_bands", index)
        problems += check_texts((*where, "label"), band.label, survey)
        if band.min_age is not None and band.max_age is not None and band.min_age > band.max_age:
            problems.append((where, "min_age is above max_age"))
        low = band.min_age if band.min_age is not None else 0
        high = band.max_age if band.max_age is not None else 200
        if low < minimum <= high and low != minimum:
            problems.append(
                (where, f"straddles privacy.minimum_age ({minimum}): split the band there")
            )
        if index > 0 and (
            band.min_age is None or previous_max is None or band.min_age != previous_max + 1
        ):
            problems.append(((*where, "min_age"), "bands must follow each other without gaps"))
        previous_max = band.max_age
    return problems


def _check_questions(
    where: tuple[str | int, ...], questions: tuple[Question, ...], seen: set[str], survey: Survey
) -> list[Problem]:
    """One round's questions; ``seen`` collects ids, which are unique across all rounds."""
    problems: list[Problem] = []
    for index, question in enumerate(questions):
        at: tuple[str | int, ...] = (*where, index)
        if question.id in seen:
            problems.append(((*at, "id"), f"duplicate question id {question.id!r}"))
        if question.id in RESERVED_IDS:
            problems.append(((*at, "id"), f"{question.id!r} is reserved"))
        seen.add(question.id)
        problems += check_texts((*at, "text"), question.text, survey)
        if question.type in ("single_choice", "multi_choice") and not question.options:
            problems.append(((*at, "options"), f"a {question.type} question needs options"))
        if question.type == "age_band" and question.options:
            problems.append(((*at, "options"), "age_band questions use age_bands instead"))
        option_ids = [o.id for o in question.options]
        if len(set(option_ids)) != len(option_ids):
            problems.append(((*at, "options"), "option ids must be unique"))
        for position, option in enumerate(question.options):
            problems += check_texts((*at, "options", position, "label"), option.label, survey)
    if sum(q.type == "age_band" for q in questions) > 1:
        problems.append((where, "at most one age_band question"))
    return problems


def _check_rounds(survey: Survey, seen: set[str]) -> list[Problem]:
    """Round ids unique, texts in every language, dates in order, sources known, links valid."""
    problems: list[Problem] = []
    if survey.first_round.title is not None:
        problems += check_texts(("first_round", "title"), survey.first_round.title, survey)
    round_ids = [survey.first_round.id]
    source_ids = {source.id for source in survey.sources}
    for index, round_ in enumerate(survey.rounds):
        where: tuple[str | int, ...] = ("rounds", index)
        if round_.id in round_ids:
            problems.append(((*where, "id"), f"duplicate round id {round_.id!r}"))
        round_ids.append(round_.id)
        problems += check_texts((*where, "title"), round_.title, survey)
        problems += check_texts((*where, "invitation"), round_.invitation, survey)
        problems += _check_questions((*where, "questions"), round_.questions, seen, survey)
        if round_.opens and round_.closes and round_.closes < round_.opens:
            problems.append(((*where, "closes"), "closes before it opens"))
        for position, source in enumerate(round_.sources):
            if source not in source_ids:
                problems.append(((*where, "sources", position), f"unknown source {source!r}"))
    # Deep links join a source and a round: neither id may hold the separator.
    for index, configured in enumerate(survey.sources):
        if CODE_SEPARATOR in configured.id:
            problems.append((("sources", index, "id"), f"may not contain {CODE_SEPARATOR!r}"))
    for index, round_id in enumerate(round_ids):
        if CODE_SEPARATOR in round_id:
            key = ("first_round", "id") if index == 0 else ("rounds", index - 1, "id")
            problems.append((key, f"may not contain {CODE_SEPARATOR!r}"))
    return problems


def read_yaml(path: Path, what: str) -> tuple[yaml.Node | None, Any]:
    """A YAML file's node tree (for line numbers) and data; ConfigError naming file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"{path}: cannot read {what}: {error.strerror}") from error
    try:
        return parse(text)
    except yaml.YAMLError as error:
        raise ConfigError(syntax_error(path, error)) from error


def validated(model: type[M], data: Any, path: Path, root: yaml.Node | None) -> M:
    """The data as ``model``, or a ConfigError with a ``file:line: key: message`` per problem."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems: list[Problem] = [
            (tuple(e["loc"]), " ".join(e["msg"].split())) for e in error.errors()
        ]
        raise ConfigError(format_problems(path, root, problems)) from error


def load_beside(
    path: Path,
    model: type[M],
    survey: Survey,
    check: Callable[[M, Survey], list[Problem]],
    *,
    what: str,
    expected: str,
) -> M:
    """A file beside config.yml (offers.yml, feedback.yml) read, validated and checked
    against the survey; absent or empty, the model's empty default.

    ``what`` names it in a read error, ``expected`` says what its top level should be.
    Raises ConfigError naming file, line and key.
    """
    if not path.exists():
        return model()
    root, data = read_yaml(path, what)
    if data is None:
        return model()
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: expected {expected}")
    loaded = validated(model, data, path, root)
    problems = check(loaded, survey)
    if problems:
        raise ConfigError(format_problems(path, root, problems))
    return loaded


def load_survey(path: Path) -> Survey:
    """Read and validate config.yml; raise ConfigError naming file, line and key."""
    root, data = read_yaml(path, "the configuration")
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: expected a mapping of settings at the top level")
    survey = validated(Survey, data, path, root)
    problems = _check_survey(survey)
    if problems:
        raise ConfigError(format_problems(path, root, problems))
    return survey
