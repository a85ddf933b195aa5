"""Synthetic demo data: many realistic participants and answers, the same for the same seed.

Nothing here comes from a person. Pseudonyms are random hex from a seeded
generator; texts are the NLU training examples plus a few written for the
purpose (data.yml, with the weights of who answers what): answers with PII (so
the redactor has work in every export and report), formula-like answers (so
spreadsheet escaping is exercised), and two coherent barriers the themes do not
cover, labelled ``other`` with low confidence (so the report's "new signals"
section has something to find).

Rows go in through ``storage.bulk`` (executemany with explicit ids), in one
transaction: a fill either completes or leaves the database as it was.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from nlu import distress
from nlu.data import TRAIN_DIR, load_dir
from reports.demo.data import FALLBACK_QUESTION, DemoData, DemoError, NewSignal, load_demo_data
from storage import Database, bulk
from survey.clock import LOCAL_TIME
from survey.config import AgeBand, Option, Question, Survey

# Fixed, so the same seed gives byte-identical exports and reports: the start of a school year.
DEFAULT_START = datetime(2026, 9, 1, tzinfo=UTC)
MODEL_VERSION = "demo"
STAFF_NAME = "demo"

# Answers per executemany round: large enough to amortise, small enough to stay flat in memory.
_ROWS_PER_ROUND = 5000
# In foreign-key order.
_TABLES = ("participants", "participations", "answers")


@dataclass(frozen=True)
class DemoText:
    """An answer text and what it is really about (``()``: no theme, noise)."""

    text: str
    themes: tuple[str, ...]
    kind: str = ""  # "pii", "formula", "distress", a new signal's name, or "" (ordinary)


@dataclass(frozen=True)
class DemoStats:
    """What a fill wrote."""

    participants: int
    participations: int
    answers: int
    finished: int  # participations that reached the end of the survey
    texts: int  # answers with typed text
    classified: int
    confirmed: int  # answers whose themes the young person confirmed or picked
    staff_labelled: int
    distress: int
    pii: int
    formula: int
    new_signals: tuple[tuple[str, int], ...]  # (signal name, answers)


@dataclass
class _Run:
    """One planned participation: where from, when, and how many answers it gets."""

    source: str | None
    started_at: datetime
    length: int = 0


@dataclass
class _PlannedParticipant:
    language: str
    runs: list[_Run]


@dataclass
class _Rows:
    """One round of rows, in foreign-key order."""

    participants: list[dict[str, Any]] = field(default_factory=list)
    participations: list[dict[str, Any]] = field(default_factory=list)
    answers: list[dict[str, Any]] = field(default_factory=list)


class _Quota:
    """Spreads a share of answers evenly (with some jitter), so even small demos get their few."""

    def __init__(
        self, rng: random.Random, share: float, level: float = 0.5, *, jitter: bool = True
    ) -> None:
        self.rng = rng
        self.share = share
        self.level = level
        self.jitter = jitter

    def take(self) -> bool:
        """Whether this answer is one of the share."""
        self.level += self.share * (self.rng.uniform(0.5, 1.5) if self.jitter else 1.0)
        if self.level >= 1.0:
            self.level -= 1.0
            return True
        return False


def _add_months(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later (days past 28 are clamped to 28)."""
    index = moment.month - 1 + months
    return moment.replace(
        year=moment.year + index // 12, month=index % 12 + 1, day=min(moment.day, 28)
    )


_WORD = re.compile(r"[a-zà-ÿ']+")


def _spoken_language(text: str, data: DemoData) -> str:
    """'fr', 'en' or 'nl', guessed from a few function words (good enough to pick demo texts)."""
    words = set(_WORD.findall(text.lower()))
    if len(words & data.french_words) >= 2:
        return "fr"
    if len(words & data.english_words) >= 2:
        return "en"
    return "nl"


class _Generator:
    """Rows for a demo fill; every random choice comes from one seeded generator, in order."""

    def __init__(
        self, survey: Survey, data: DemoData, seed: int, start: datetime, months: int
    ) -> None:
        # Not for secrets: demo data must be reproducible from its seed.
        self.rng = random.Random(seed)  # noqa: S311
        self.survey = survey
        self.data = data
        # Whole seconds: SQLite and PostgreSQL then store exactly the same instants.
        start = start.replace(microsecond=0)
        self.start = start if start.tzinfo else start.replace(tzinfo=UTC)
        self.end = _add_months(self.start, months)
        self.theme_ids = survey.theme_ids
        self.theme_order = {theme: index for index, theme in enumerate(self.theme_ids)}
        self.no_barrier = survey.special_themes.no_barrier
        self.new_barrier = survey.special_themes.new_barrier
        examples = load_dir(TRAIN_DIR, self.theme_ids)
        self.barriers = [DemoText(e.text, e.themes) for e in examples]
        self.by_language: dict[str, list[DemoText]] = {}
        for item in self.barriers:
            self.by_language.setdefault(_spoken_language(item.text, data), []).append(item)
        self.unwelcome = [t for t in self.barriers if data.unwelcome_themes & set(t.themes)]
        known = set(self.theme_ids)
        self.ideas = [
            DemoText(idea.text, tuple(x for x in idea.themes if x in known)) for idea in data.ideas
        ]
        self.distress_texts = [
            DemoText(message, (), "distress")
            for message, kind in distress.load_examples(distress.TRAIN_PATH)
            if kind != distress.NONE
        ]
        self.specials = [
            *(DemoText(t.text, t.themes, "pii") for t in data.pii_texts),
            *(DemoText(t.text, t.themes, "formula") for t in data.formula_texts),
        ]
        self.languages = [lang for lang in survey.languages if lang in data.language_weights] or [
            survey.default_language
        ]
        self.sources: list[str | None] = [None, *(s.id for s in survey.sources)]
        minimum = survey.privacy.minimum_age
        self.bands = [b for b in survey.age_bands if b.max_age is None or b.max_age >= minimum]
        self.counts: Counter[str] = Counter()
        self.signal_counts: Counter[str] = Counter({s.name: 0 for s in data.new_signals})
        self.distress_quota = _Quota(self.rng, data.distress_share)
        self.signal_quotas = {q: _Quota(self.rng, s) for q, s in data.signal_share.items()}
        self.signal_turn = 0
        # No jitter: the count is then exact, and every special text appears at least once.
        self.special_quota = _Quota(self.rng, 0.0, level=1.0, jitter=False)
        self.special_turn = 0
        self.special_question: str | None = None
        self.next_ids = dict.fromkeys(_TABLES, 0)
        self.hours = tuple(data.hour_weights)
        self.hour_weights = tuple(data.hour_weights.values())

    def _weighted(self, items: Sequence[str], weights: Mapping[str, float]) -> str:
        """One item, by weight (ids the weights lack weigh the default weight)."""
        default = self.data.default_weight
        return self.rng.choices(items, [weights.get(item, default) for item in items])[0]

    # -- planning ------------------------------------------------------------------------

    def plan(self, participants: int, answers: int | None) -> list[_PlannedParticipant]:
        """Who takes part when, in order of their first start, with answers per participation."""
        window = (self.end - self.start).total_seconds()
        campaigns = {source: self.rng.uniform(0.1, 0.9) * window for source in self.sources}
        people = []
        for _ in range(participants):
            language = self._weighted(self.languages, self.data.language_weights)
            source = self._source()
            runs = [_Run(source, self._moment(campaigns[source], window))]
            if self.rng.random() < self.data.second_run_share:
                later = runs[0].started_at + timedelta(
                    seconds=self.rng.randint(7 * 86400, 45 * 86400)
                )
                runs.append(_Run(self._source(), min(later, self.end - timedelta(hours=1))))
            people.append(_PlannedParticipant(language, runs))
        people.sort(key=lambda person: person.runs[0].started_at)
        all_runs = [run for person in people for run in person.runs]
        for run, length in zip(all_runs, self._lengths(len(all_runs), answers), strict=True):
            run.length = length
        self._plan_specials(all_runs)
        return people

    def _source(self) -> str | None:
        data = self.data
        weights = [
            data.no_source_weight if s is None else data.source_weights.get(s, data.default_weight)
            for s in self.sources
        ]
        return self.rng.choices(self.sources, weights)[0]

    def _moment(self, campaign: float, window: float) -> datetime:
        """A start time: near the source's campaign for some, anywhere for the rest, at a
        plausible local hour, in whole seconds (the same on SQLite and PostgreSQL)."""
        if self.rng.random() < 0.45:
            offset = min(max(self.rng.gauss(campaign, 5 * 86400), 0.0), window - 1)
        else:
            offset = self.rng.uniform(0, window - 1)
        day = (self.start + timedelta(seconds=offset)).astimezone(LOCAL_TIME)
        hour = self.rng.choices(self.hours, self.hour_weights)[0]
        local = day.replace(
            hour=hour, minute=self.rng.randrange(60), second=self.rng.randrange(60), microsecond=0
        )
        moment = local.astimezone(UTC)
        if not self.start <= moment < self.end:
            moment = (self.start + timedelta(seconds=int(offset))).replace(microsecond=0)
        return moment

    def _lengths(self, runs: int, answers: int | None) -> list[int]:
        """Answers per participation: the whole survey each, or exactly ``answers`` in all."""
        full = len(self.survey.questions)
        lengths = [full] * runs
        if answers is None:
            return lengths
        surplus = answers - full * runs
        if surplus > 0:
            # More than the survey asks: some wrote more after the last question.
            for _ in range(surplus):
                lengths[self.rng.randrange(runs)] += 1
            return lengths
        missing = -surplus
        for index in self.rng.sample(range(runs), runs):
            if missing == 0:
                break
            stop_weights = self.data.stop_weights
            stop = self.rng.choices(range(len(stop_weights)), stop_weights)[0]
            cut = min(max(full - stop, 1), missing)
            lengths[index] -= cut
            missing -= cut
        index = 0
        while missing:  # fewer answers than participations can carry: empty some out
            if lengths[index]:
                lengths[index] -= 1
                missing -= 1
            index = (index + 1) % runs
        return lengths

    def _plan_specials(self, runs: Sequence[_Run]) -> None:
        """Enough PII and formula answers to the first open question that each appears."""
        first_open = next(
            (i for i, q in enumerate(self.survey.questions) if q.type == "open"), None
        )
        if first_open is None:
            return
        self.special_question = self.survey.questions[first_open].id
        reaching = sum(run.length > first_open for run in runs)
        wanted = max(len(self.specials), len(self.specials) * len(runs) / 400)
        # Most who reach the question answer it in words; 0.8 keeps the estimate low.
        self.special_quota.share = min(0.5, wanted / max(1.0, 0.8 * reaching))

    # -- rows ----------------------------------------------------------------------------

    def rounds(
        self, people: Sequence[_PlannedParticipant], offsets: Mapping[str, int]
    ) -> Iterator[_Rows]:
        """Rows in rounds of about _ROWS_PER_ROUND answers, ids after ``offsets``."""
        self.next_ids = dict(offsets)
        rows = _Rows()
        for person in people:
            self._participant(person, rows)
            if len(rows.answers) >= _ROWS_PER_ROUND:
                yield rows
                rows = _Rows()
        if rows.participants:
            yield rows

    def _id(self, table: str) -> int:
        self.next_ids[table] += 1
        return self.next_ids[table]

    def _participant(self, person: _PlannedParticipant, rows: _Rows) -> None:
        participant_id = self._id("participants")
        first = person.runs[0].started_at
        finished_any = False
        for run in person.runs:
            finished_any |= self._participation(participant_id, person.language, run, rows)
        rows.participants.append(
            {
                "id": participant_id,
                "pseudonym": f"{self.rng.getrandbits(256):064x}",
                "language": person.language,
                "notify_opt_in": finished_any and self.rng.random() < self.data.opt_in_share,
                "unreachable": False,
                "created_at": first,
                "consent_version": self.survey.privacy.version,
                "consented_at": first,
            }
        )
        self.counts["participants"] += 1

    def _participation(self, participant_id: int, language: str, run: _Run, rows: _Rows) -> bool:
        """A participation and its answers; True if it reached the end of the survey."""
        participation_id = self._id("participations")
        profile: dict[str, str | None] = {"age_band": None, "area": None}
        moment = run.started_at + timedelta(seconds=self.rng.randint(5, 30))
        questions = self.survey.questions
        answers: list[dict[str, Any]] = []
        for question in questions[: run.length]:
            moment += timedelta(seconds=self._pause(question))
            moment = self._answer(question, participation_id, language, moment, profile, answers)
        finished = run.length >= len(questions)
        for _ in range(run.length - len(questions)):
            moment += timedelta(seconds=self.rng.randint(30, 600))
            answers.append(self._extra(participation_id, language, moment))
        rows.participations.append(
            {
                "id": participation_id,
                "participant_id": participant_id,
                "source": run.source,
                "language": language,
                "age_band": profile["age_band"],
                "area": profile["area"],
                "started_at": run.started_at,
                "finished_at": moment + timedelta(seconds=self.rng.randint(2, 10))
                if finished
                else None,
            }
        )
        rows.answers.extend(answers)
        self.counts["participations"] += 1
        self.counts["finished"] += finished
        return finished

    def _pause(self, question: Question) -> int:
        """Seconds between the previous answer and this one."""
        if question.type == "open":
            return self.rng.randint(20, 240)
        if question.type == "multi_choice":
            return self.rng.randint(8, 50)
        return self.rng.randint(3, 25)

    def _answer(
        self,
        question: Question,
        participation_id: int,
        language: str,
        moment: datetime,
        profile: dict[str, str | None],
        answers: list[dict[str, Any]],
    ) -> datetime:
        """Append the answer to one question; returns when the person moved on."""
        if question.type == "open":
            return self._open(question, participation_id, language, moment, answers)
        if question.type == "multi_choice":
            answers.append(self._multi(question, participation_id, moment))
            return moment
        row = self._choice(question, participation_id, moment)
        if question.type == "age_band":
            profile["age_band"] = row["button_value"]
        elif question.profile == "area":
            profile["area"] = row["button_value"]
        answers.append(row)
        return moment

    def _row(self, participation_id: int, question_id: str, moment: datetime) -> dict[str, Any]:
        """An answer row with every column (executemany wants the same keys in each)."""
        self.counts["answers"] += 1
        return {
            "id": self._id("answers"),
            "participation_id": participation_id,
            "question_id": question_id,
            "text": None,
            "button_value": None,
            "skipped": False,
            "message_id": None,
            "created_at": moment,
            "edited_at": None,
            "themes": None,
            "theme_scores": None,
            "model_version": None,
            "classified_at": None,
            "confirmed_themes": None,
            "confirmed_at": None,
            "staff_themes": None,
            "staff_labelled_at": None,
            "staff_labelled_by": None,
            "distress": None,
            "redacted_at": None,
        }

    def _choice(
        self, question: Question, participation_id: int, moment: datetime
    ) -> dict[str, Any]:
        """An age band or single choice: mostly a button, sometimes typed, sometimes skipped."""
        row = self._row(participation_id, question.id, moment)
        data = self.data
        if self.rng.random() < data.choice_skip.get(question.id, data.default_choice_skip):
            row["skipped"] = True
            return row
        if question.type == "age_band":
            band = self._band()
            row["button_value"] = band.id
            if self.rng.random() < data.choice_typed:
                low = band.min_age if band.min_age is not None else 13
                high = band.max_age if band.max_age is not None else low + 3
                row["text"] = str(self.rng.randint(low, high))
        else:
            option = self._option(question.options, data.area_weights)
            row["button_value"] = option.id
            label = option.label.get(self.survey.default_language)
            if label and self.rng.random() < data.choice_typed:
                row["text"] = label.lower()
        if row["text"] is not None:
            self.counts["texts"] += 1
        return row

    def _band(self) -> AgeBand:
        ids = [band.id for band in self.bands]
        chosen = self._weighted(ids, self.data.age_weights)
        return next(band for band in self.bands if band.id == chosen)

    def _option(self, options: Sequence[Option], weights: Mapping[str, float]) -> Option:
        chosen = self._weighted([o.id for o in options], weights)
        return next(option for option in options if option.id == chosen)

    def _multi(self, question: Question, participation_id: int, moment: datetime) -> dict[str, Any]:
        """Ticked options, comma-joined in the order ticked; sometimes typed words too."""
        data = self.data
        row = self._row(participation_id, question.id, moment)
        if self.rng.random() < data.multi_skip:
            row["skipped"] = True
            return row
        remaining = [o.id for o in question.options]
        ticked: list[str] = []
        ticks = self.rng.choices(tuple(data.ticked_weights), tuple(data.ticked_weights.values()))
        for _ in range(ticks[0]):
            if not remaining:
                break
            choice = self._weighted(remaining, data.free_time_weights)
            remaining.remove(choice)
            if choice in data.exclusive_options:
                # "niet veel" next to "sport" makes no sense: alone, or not at all.
                ticked = ticked or [choice]
                break
            ticked.append(choice)
        if question.allow_text and self.rng.random() < data.multi_typed:
            row["text"] = self.rng.choice(data.free_time_texts)
            self.counts["texts"] += 1
            self._classify(row, DemoText(row["text"], ()))
            if self.rng.random() < 0.5:
                ticked = []
        row["button_value"] = ",".join(ticked) or None
        row["skipped"] = not ticked and row["text"] is None
        return row

    def _open(
        self,
        question: Question,
        participation_id: int,
        language: str,
        moment: datetime,
        answers: list[dict[str, Any]],
    ) -> datetime:
        """Words (classified, maybe confirmed and staff-labelled), a button, or a skip."""
        row = self._row(participation_id, question.id, moment)
        answers.append(row)
        behaviour = self.data.open_behaviour.get(question.id, self.data.default_open_behaviour)
        roll = self.rng.random()
        if roll < behaviour.skip:
            row["skipped"] = True
            return moment
        if question.options and roll < behaviour.skip + behaviour.button:
            row["button_value"] = question.options[0].id
            return moment
        said, near = self._open_text(question, language)
        row["text"] = said.text
        self.counts["texts"] += 1
        if said.kind in ("pii", "formula"):
            self.counts[said.kind] += 1
        if said.kind == "distress":
            row["distress"] = True
            self.counts["distress"] += 1
        self._classify(row, said, near)
        if said.kind != "distress":
            moment = self._confirm(question, row, said, moment)
            self._staff(row, said)
        return moment

    def _open_text(
        self, question: Question, language: str
    ) -> tuple[DemoText, tuple[str, ...] | None]:
        """What they wrote, and for a new signal the themes it is half-confused with."""
        if self.distress_quota.take():
            return self.rng.choice(self.distress_texts), None
        if question.id == self.special_question and self.special_quota.take():
            said = self.specials[self.special_turn % len(self.specials)]
            self.special_turn += 1
            return said, None
        quota = self.signal_quotas.get(question.id)
        if quota is not None and quota.take():
            signals = self.data.new_signals
            signal: NewSignal = signals[self.signal_turn % len(signals)]
            self.signal_turn += 1
            texts = signal.texts.get(question.id) or signal.texts[FALLBACK_QUESTION]
            rng, data = self.rng, self.data
            wording = rng.choice(data.openers) + rng.choice(texts) + rng.choice(data.closers)
            self.signal_counts[signal.name] += 1
            themes = (self.new_barrier,) if self.new_barrier in self.theme_order else ()
            return DemoText(wording, themes, signal.name), signal.near
        pool = self.barriers
        if question.id == "would-help":
            pool = self.ideas
        elif question.id == "not-welcome" and self.unwelcome:
            pool = self.unwelcome
        elif (
            language != "nl"
            and len(self.by_language.get(language, ())) >= 5
            and self.rng.random() < 0.6
        ):
            pool = self.by_language[language]
        return self.rng.choice(pool), None

    def _classify(
        self, row: dict[str, Any], said: DemoText, near: tuple[str, ...] | None = None
    ) -> None:
        """A plausible prediction: the true themes mostly high, sometimes unsure or wrong."""
        rng = self.rng
        scores = {theme: rng.uniform(0.001, 0.06) for theme in self.theme_ids}
        if rng.random() < 0.3:
            scores[rng.choice(self.theme_ids)] = rng.uniform(0.06, 0.2)
        truth = [t for t in said.themes if t in scores]
        if near is not None:
            for theme in near:
                if theme in scores:
                    scores[theme] = rng.uniform(0.12, 0.33)
            for theme in truth:
                scores[theme] = rng.uniform(0.36, 0.56)
        elif truth:
            for theme in truth:
                scores[theme] = rng.uniform(0.62, 0.98)
            roll = rng.random()
            if roll < 0.15:  # right, but unsure
                for theme in truth:
                    scores[theme] = rng.uniform(0.36, 0.6)
            elif roll < 0.23:  # missed one
                scores[rng.choice(truth)] = rng.uniform(0.1, 0.34)
            elif roll < 0.30:  # saw one that is not there
                wrong = [t for t in self.theme_ids if t not in truth and t != self.new_barrier]
                scores[rng.choice(wrong)] = rng.uniform(0.36, 0.62)
        rounded = {theme: round(score, 4) for theme, score in scores.items()}
        threshold = self.survey.nlu.threshold
        themes = sorted(
            (t for t, s in rounded.items() if s >= threshold),
            key=lambda t: (-rounded[t], self.theme_order[t]),
        )
        row.update(
            themes=themes,
            theme_scores=rounded,
            model_version=MODEL_VERSION,
            classified_at=row["created_at"],
            distress=bool(row["distress"]),
        )
        self.counts["classified"] += 1

    def _confirm(
        self, question: Question, row: dict[str, Any], said: DemoText, moment: datetime
    ) -> datetime:
        """The theme step as the engine runs it: "Klopt dat?" when sure, pick when unsure."""
        if not question.confirm_themes:
            return moment
        settings = self.survey.nlu
        predicted: list[str] = row["themes"]
        best = max(row["theme_scores"].values(), default=0.0)
        truth = [t for t in said.themes if t in self.theme_order]
        roll = self.rng.random()
        if predicted and best >= settings.confident:
            if set(predicted) == set(truth) or not truth:
                confirmed = predicted if roll < 0.7 else None
            else:
                confirmed = truth if roll < 0.45 else predicted if roll < 0.65 else None
        elif predicted or best >= settings.ask_from:
            confirmed = truth if roll < 0.55 else [] if roll < 0.65 else None
        else:
            return moment
        moment += timedelta(seconds=self.rng.randint(4, 25))
        if confirmed is not None:
            row["confirmed_themes"] = list(confirmed)
            row["confirmed_at"] = moment
            self.counts["confirmed"] += 1
        return moment

    def _staff(self, row: dict[str, Any], said: DemoText) -> None:
        """Now and then a staff member labels the answer, usually as it really is."""
        truth = [t for t in said.themes if t in self.theme_order]
        if not truth or self.rng.random() >= self.data.staff_share:
            return
        themes = list(truth)
        if self.rng.random() < self.data.staff_disagrees:
            # Staff read more, or less, into it than the young person or the classifier did.
            if len(truth) > 1:
                themes.remove(self.rng.choice(truth))
            else:
                barriers = [
                    t
                    for t in self.theme_ids
                    if t not in (*truth, self.no_barrier, self.new_barrier)
                ]
                themes.append(self.rng.choice(barriers))
        row["staff_themes"] = themes
        row["staff_labelled_at"] = row["created_at"] + timedelta(
            days=self.rng.randint(3, 40), seconds=self.rng.randint(0, 86399)
        )
        row["staff_labelled_by"] = STAFF_NAME
        self.counts["staff_labelled"] += 1

    def _extra(self, participation_id: int, language: str, moment: datetime) -> dict[str, Any]:
        """Words typed after the last question (the engine stores them as "extra")."""
        row = self._row(participation_id, "extra", moment)
        said = self.rng.choice(self.by_language.get(language) or self.barriers)
        row["text"] = said.text
        self.counts["texts"] += 1
        self._classify(row, said)
        return row

    def stats(self) -> DemoStats:
        """Counts of what was generated."""
        c = self.counts
        return DemoStats(
            participants=c["participants"],
            participations=c["participations"],
            answers=c["answers"],
            finished=c["finished"],
            texts=c["texts"],
            classified=c["classified"],
            confirmed=c["confirmed"],
            staff_labelled=c["staff_labelled"],
            distress=c["distress"],
            pii=c["pii"],
            formula=c["formula"],
            new_signals=tuple(self.signal_counts.items()),
        )


def count_participants(database: Database) -> int:
    """How many participants the database holds (the demo refuses to mix into real data)."""
    with database.transaction() as session:
        return bulk.count_rows(session, "participants")


def fill_demo(
    database: Database,
    survey: Survey,
    *,
    participants: int,
    answers: int | None = None,
    seed: int = 7,
    start: datetime | None = None,
    months: int = 4,
    progress: Callable[[int], None] | None = None,
    data: DemoData | None = None,
) -> DemoStats:
    """Store synthetic participants and answers; ``progress`` gets the participants stored so far.

    ``answers=None`` gives every participation the whole survey; a number spreads
    exactly that many answers over the participations, so some stop early. ``data``
    defaults to data.yml.
    """
    if participants < 1:
        raise ValueError("participants must be at least 1")
    if answers is not None and answers < 0:
        raise ValueError("answers cannot be negative")
    if months < 1:
        raise ValueError("months must be at least 1")
    generator = _Generator(survey, data or load_demo_data(), seed, start or DEFAULT_START, months)
    people = generator.plan(participants, answers)
    with database.transaction() as session:
        offsets = bulk.highest_ids(session, _TABLES)
        already = offsets["participants"] > 0
        stored = 0
        for rows in generator.rounds(people, offsets):
            # With data already there, the same seed would repeat pseudonyms: say so plainly.
            if already and bulk.any_pseudonym_known(
                session, [row["pseudonym"] for row in rows.participants]
            ):
                raise DemoError(
                    "demo participants from this seed are already in the database; "
                    "use another --seed to add more"
                )
            for name, batch in zip(
                _TABLES, (rows.participants, rows.participations, rows.answers), strict=True
            ):
                bulk.insert_rows(session, name, batch)
            stored += len(rows.participants)
            if progress is not None:
                progress(stored)
        bulk.advance_sequences(session, _TABLES)
    return generator.stats()
