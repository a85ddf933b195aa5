"""The numbers of the findings report: counted per participant, small cells suppressed.

One pass over the stored answers (``storage.repository.transcript_rows``,
each participant's answers together) through ``TranscriptBuilder``, so the
report counts the same themes the staff export shows (staff > the young
person > the classifier) and sees texts only after the redactor. Every count
leaves this module as a ``Count``: a number below ``min_cell`` is ``None``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import combinations

from reports.cases import CaseFigures
from reports.exports.transcripts import TranscriptBuilder, TranscriptRow
from reports.findings.offers import NamedTheme, OfferFigures, offer_figures
from reports.findings.quotes import Quote, representative
from reports.findings.signals import Signal, SignalAnswer, find_signals
from reports.findings.suppression import Count, suppress, suppress_line
from reports.findings.voice import (
    RoundComparison,
    RoundTally,
    VoiceFigures,
    round_comparison,
    voice_figures,
)
from reports.findings.wording import Wording
from storage.models import Reaction
from storage.offers import OfferCounts
from storage.repository import TranscriptRecord
from survey.config import SpecialThemes, Survey
from survey.feedback import FeedbackFile
from survey.offers import Catalogue

# Group keys that are no answer option: nothing given, and small groups taken together.
UNKNOWN = ""
SMALL_GROUPS = "*"
QUOTES_PER_THEME = 4
SOLUTIONS_PER_THEME = 3
QUOTES_PER_SIGNAL = 3
TOP_PAIRS = 5

DIMENSIONS = ("age_band", "area", "source")

Month = tuple[int, int]
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class ReportScope:
    """Which answers the report covers and how it speaks."""

    since: datetime | None = None
    until: datetime | None = None  # exclusive
    sources: tuple[str, ...] = ()
    language: str = "nl"
    generated: date | None = None


@dataclass(frozen=True)
class Group:
    """A column of a breakdown (an age band, area, source or month) and its participants."""

    key: str
    label: str
    participants: Count


@dataclass(frozen=True)
class ThemeRow:
    """One theme across the groups of a breakdown."""

    theme: str
    label: str
    counts: tuple[Count, ...]


@dataclass(frozen=True)
class Breakdown:
    """Themes by group: participants in the group who name the theme."""

    dimension: str  # "age_band", "area", "source" or "month"
    groups: tuple[Group, ...]
    rows: tuple[ThemeRow, ...]
    merged: tuple[str, ...] = ()  # labels of the small groups taken together

    def share(self, row: int, column: int) -> float | None:
        """The cell as a share of its group, when both numbers are shown."""
        count = self.rows[row].counts[column].value
        total = self.groups[column].participants.value
        if count is None or not total:
            return None
        return count / total


@dataclass(frozen=True)
class RankedTheme:
    """A barrier with the participants who name it."""

    theme: str
    label: str
    description: str
    participants: Count
    share: float | None  # of the participants who told something about barriers


@dataclass(frozen=True)
class Pair:
    """Two themes named by the same young people."""

    first: str
    second: str
    participants: int  # never below min_cell: smaller pairs are not listed


@dataclass(frozen=True)
class Cooccurrence:
    """Of those naming the row theme, how many also name the column theme."""

    themes: tuple[str, ...]
    labels: tuple[str, ...]
    cells: tuple[tuple[Count, ...], ...]  # the diagonal holds the theme's own total
    pairs: tuple[Pair, ...]

    def share(self, row: int, column: int) -> float | None:
        """Cell as a share of the row theme's participants."""
        count, total = self.cells[row][column].value, self.cells[row][row].value
        if row == column or count is None or not total:
            return None
        return count / total


@dataclass(frozen=True)
class ThemeStory:
    """A theme in the young people's own words."""

    theme: str
    label: str
    description: str
    participants: Count
    quotes: tuple[Quote, ...]
    solutions: tuple[Quote, ...]


@dataclass(frozen=True)
class ThemeAgreement:
    """How the stored prediction compares with staff for one theme."""

    label: str
    staff_answers: int
    precision: float | None
    recall: float | None


@dataclass(frozen=True)
class Trust:
    """What the numbers rest on."""

    text_answers: int
    classified: int
    unclassified: int
    confirmed: int
    confirmed_agreed: int
    staff_labelled: int
    staff_compared: int  # staff-labelled answers that also have a prediction
    staff_changed: int
    staff_agreed: int
    per_theme: tuple[ThemeAgreement, ...]
    overall: ThemeAgreement | None
    distress_answers: Count
    distress_participants: Count


@dataclass(frozen=True)
class Handovers:
    """Conversations with a youth worker in the period: counts and times, no words."""

    cases: Count
    # alarm, concern, request: suppressed together, so no hidden count can be worked out.
    by_reason: tuple[Count, ...]
    median_minutes_to_answer: float | None
    # Of all cases, the share a worker answered within the shift it was asked in.
    share_within_shift: float | None


@dataclass(frozen=True)
class Headline:
    """The first screen: period, how many, through whom."""

    first_day: date | None
    last_day: date | None
    participants: int
    finished: int
    answers: int
    text_answers: int
    speakers: int
    sources: tuple[Group, ...]


@dataclass(frozen=True)
class Findings:
    """Everything the report shows, already suppressed and redacted."""

    language: str
    min_cell: int
    scope: ReportScope
    headline: Headline
    ranking: tuple[RankedTheme, ...]
    no_barrier: Count
    breakdowns: tuple[Breakdown, ...]
    over_time: Breakdown | None
    stories: tuple[ThemeStory, ...]
    cooccurrence: Cooccurrence
    signals: tuple[Signal, ...]
    signal_rest: int
    trust: Trust
    handovers: Handovers | None = None
    # None when no offers.yml offer exists and none was ever shown.
    offers: OfferFigures | None = None
    # None when feedback.yml holds nothing (or was not read).
    voice: VoiceFigures | None = None
    # None until two rounds have participants in the report's scope.
    rounds: RoundComparison | None = None

    def number(self, section: str) -> int:
        """A section's number in this report: the optional ones shift those after them."""
        present = [
            "headline",
            "ranking",
            "for-whom",
            "over-time",
            "stories",
            "together",
            "signals",
            *(["offers"] if self.offers else []),
            *(["voice"] if self.voice else []),
            *(["rounds"] if self.rounds else []),
            "trust",
        ]
        return present.index(section) + 1

    @property
    def shown_ranking(self) -> tuple[RankedTheme, ...]:
        """The themes whose count is shown."""
        return tuple(t for t in self.ranking if not t.participants.suppressed)

    @property
    def hidden_themes(self) -> tuple[str, ...]:
        """Labels of themes named by too few to show."""
        return tuple(t.label for t in self.ranking if t.participants.suppressed)


@dataclass
class _TextAnswer:
    answer_id: int
    text: str
    themes: tuple[str, ...]
    confidence: float | None
    human: bool  # staff or the young person chose the themes


@dataclass
class _Person:
    """One participant's answers, folded as they stream by."""

    source: str | None = None
    age_band: str = UNKNOWN
    area: str = UNKNOWN
    finished: bool = False
    spoke: bool = False
    distress: bool = False
    themes: set[str] = field(default_factory=set)
    months: set[Month] = field(default_factory=set)
    month_themes: set[tuple[Month, str]] = field(default_factory=set)
    texts: list[_TextAnswer] = field(default_factory=list)
    solutions: list[_TextAnswer] = field(default_factory=list)


@dataclass
class _Agreement:
    true_positive: Counter[str] = field(default_factory=Counter)
    false_positive: Counter[str] = field(default_factory=Counter)
    false_negative: Counter[str] = field(default_factory=Counter)


class _Tally:
    """Running totals over participants; nothing here is suppressed yet."""

    def __init__(
        self,
        barrier_questions: frozenset[str],
        solution_questions: frozenset[str],
        special: SpecialThemes,
        withheld_areas: frozenset[str],
    ) -> None:
        self.barrier_questions = barrier_questions
        self.solution_questions = solution_questions
        self.no_barrier_theme = special.no_barrier
        self.new_barrier_theme = special.new_barrier
        # Area answers that say nothing about where someone lives ("zeg ik liever niet").
        self.withheld_areas = withheld_areas
        self.participants = 0
        self.finished = 0
        self.answers = 0
        self.text_answers = 0
        self.first: datetime | None = None
        self.last: datetime | None = None
        self.sources: Counter[str | None] = Counter()
        self.speakers = 0
        self.no_barrier = 0
        self.themes: Counter[str] = Counter()
        self.groups: dict[str, Counter[str]] = {
            d: Counter() for d in ("age_band", "area", "source")
        }
        self.cells: dict[str, Counter[tuple[str, str]]] = {d: Counter() for d in self.groups}
        self.months: Counter[Month] = Counter()
        self.month_cells: Counter[tuple[Month, str]] = Counter()
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.quotes: dict[str, list[Quote]] = {}
        self.solutions: dict[str, list[Quote]] = {}
        self.signals: list[SignalAnswer] = []
        self.background: list[str] = []  # the other answers in own words, for contrast
        self.classified = 0
        self.unclassified = 0
        self.confirmed = 0
        self.confirmed_agreed = 0
        self.staff_labelled = 0
        self.staff_compared = 0
        self.staff_changed = 0
        self.staff_agreed = 0
        self.agreement = _Agreement()
        self.distress_answers = 0
        self.distress_participants = 0
        self.low_confidence = 0.5

    def answer(self, person: _Person, row: TranscriptRow) -> None:
        """Fold one answer into its participant."""
        self.answers += 1
        self.first = min(self.first, row.answered_at) if self.first else row.answered_at
        self.last = max(self.last, row.answered_at) if self.last else row.answered_at
        if person.source is None and row.source:
            person.source = row.source
        person.age_band = row.age_band or person.age_band
        if row.area:
            person.area = UNKNOWN if row.area in self.withheld_areas else row.area
        person.finished = person.finished or row.finished
        if row.distress:
            self.distress_answers += 1
            person.distress = True
        if row.skipped:
            return
        if row.question_id in self.solution_questions and row.answer:
            person.solutions.append(
                _TextAnswer(row.answer_id, row.answer, row.themes, row.confidence, False)
            )
            return
        if row.question_id not in self.barrier_questions:
            return
        person.spoke = True
        month = (row.answered_at.year, row.answered_at.month)
        person.months.add(month)
        for theme in row.themes:
            person.themes.add(theme)
            person.month_themes.add((month, theme))
        if row.answer:
            self._check(row)
            human = row.staff_themes is not None or row.confirmed_themes is not None
            person.texts.append(
                _TextAnswer(row.answer_id, row.answer, row.themes, row.confidence, human)
            )

    def _check(self, row: TranscriptRow) -> None:
        """Count what the trust section needs about one barrier answer in own words."""
        self.text_answers += 1
        if not row.model_version and not row.predicted_scores:
            self.unclassified += 1
            predicted = None
        else:
            self.classified += 1
            predicted = set(row.predicted_themes)
        if row.confirmed_themes is not None:
            self.confirmed += 1
            self.confirmed_agreed += predicted == set(row.confirmed_themes)
        if row.staff_themes is None:
            return
        self.staff_labelled += 1
        if predicted is None:
            return
        staff = set(row.staff_themes)
        self.staff_compared += 1
        self.staff_agreed += predicted == staff
        self.staff_changed += predicted != staff
        for theme in predicted | staff:
            if theme in predicted and theme in staff:
                self.agreement.true_positive[theme] += 1
            elif theme in predicted:
                self.agreement.false_positive[theme] += 1
            else:
                self.agreement.false_negative[theme] += 1

    def participant(self, person: _Person) -> None:
        """Fold a finished participant into the totals."""
        index = self.participants
        self.participants += 1
        self.finished += person.finished
        self.sources[person.source] += 1
        self.distress_participants += person.distress
        if not person.spoke:
            return
        self.speakers += 1
        barriers = sorted(person.themes - {self.no_barrier_theme, self.new_barrier_theme})
        if self.no_barrier_theme in person.themes and not barriers:
            self.no_barrier += 1
        keys = {"age_band": person.age_band, "area": person.area, "source": person.source or ""}
        for dimension, key in keys.items():
            self.groups[dimension][key] += 1
            for theme in barriers:
                self.cells[dimension][key, theme] += 1
        for theme in barriers:
            self.themes[theme] += 1
        for first, second in combinations(barriers, 2):
            self.pairs[first, second] += 1
        for month in person.months:
            self.months[month] += 1
        for month, theme in person.month_themes:
            if theme in barriers:
                self.month_cells[month, theme] += 1
        if person.distress:
            return  # nothing of a young person in distress is quoted
        for text in person.texts:
            for theme in text.themes:
                self.quotes.setdefault(theme, []).append(Quote(text.answer_id, text.text))
            if self._is_signal(text):
                self.signals.append(SignalAnswer(text.answer_id, index, text.text))
            else:
                self.background.append(text.text)
        for text in person.solutions:
            # An idea belongs to the themes it is about, not to everything its author named.
            for theme in text.themes:
                self.solutions.setdefault(theme, []).append(Quote(text.answer_id, text.text))

    def _is_signal(self, text: _TextAnswer) -> bool:
        """An answer no theme covers: "other", or an unsure guess nobody confirmed."""
        if self.new_barrier_theme in text.themes:
            return True
        return (
            not text.human
            and self.no_barrier_theme not in text.themes
            and text.confidence is not None
            and text.confidence < self.low_confidence
        )


def _participants(records: Iterable[TranscriptRecord]) -> Iterable[list[TranscriptRecord]]:
    """Records grouped per participant (``transcript_rows`` keeps them together)."""
    batch: list[TranscriptRecord] = []
    for record in records:
        if batch and record.pseudonym != batch[0].pseudonym:
            yield batch
            batch = []
        batch.append(record)
    if batch:
        yield batch


class FindingsBuilder:
    """Reads the answers once and turns them into ``Findings``."""

    def __init__(self, survey: Survey, scope: ReportScope) -> None:
        self.survey = survey
        self.scope = scope
        self.wording = Wording(scope.language)
        self.min_cell = survey.report.min_cell
        self.language = scope.language
        question_texts = {q.id: q.text.get("nl", q.id) for q in survey.all_questions()}
        self.builder = TranscriptBuilder(question_texts, first_round=survey.first_round.id)
        solution = frozenset(survey.report.solution_questions)
        barrier = frozenset(q.id for q in survey.questions if q.type == "open") - solution
        withheld = frozenset(
            option.id
            for question in survey.questions
            if question.profile == "area"
            for option in question.options
            if option.withheld
        )
        self.tally = _Tally(barrier, solution, survey.special_themes, withheld)
        # Per round, the open questions about barriers: what the comparison counts.
        self.round_barriers = {
            round_id: frozenset(q.id for q in questions if q.type == "open") - solution
            for round_id, questions in survey.round_questions().items()
        }
        self.rounds = RoundTally()
        self._voice: VoiceFigures | None = None
        self.tally.low_confidence = survey.report.low_confidence
        # None until read_cases: a report made without the cases table says nothing of them.
        self.handovers: Handovers | None = None
        # Set by read_offers: what was shown, the catalogue, and the day its dates count on.
        self._offers: tuple[OfferCounts, Catalogue, date] | None = None

    # --- Labels ----------------------------------------------------------------------------

    def theme_label(self, theme_id: str) -> str:
        """A theme's name in the report's language."""
        theme = self.survey.theme(theme_id)
        if theme is None:
            return theme_id
        if self.language == "nl":
            return theme.label
        return theme.words.get(self.language, theme.label)

    def group_label(self, dimension: str, key: str) -> str:
        """An age band, area or source code as people say it."""
        if key == SMALL_GROUPS:
            return self.wording["small_groups"]
        if key == UNKNOWN:
            return self.wording["no_source" if dimension == "source" else "unknown"]
        if dimension == "age_band":
            band = next((b for b in self.survey.age_bands if b.id == key), None)
            return band.label.get(self.language, key) if band else key
        if dimension == "area":
            for question in self.survey.questions:
                if question.profile == "area":
                    option = next((o for o in question.options if o.id == key), None)
                    if option is not None:
                        return option.label.get(self.language, key)
            return key
        source = self.survey.source(key)
        return source.label if source else key

    def _group_order(self, dimension: str) -> list[str]:
        """Configured keys in config order."""
        if dimension == "age_band":
            return [band.id for band in self.survey.age_bands]
        if dimension == "area":
            return [
                option.id
                for question in self.survey.questions
                if question.profile == "area"
                for option in question.options
                if not option.withheld
            ]
        return [source.id for source in self.survey.sources]

    # --- Reading ---------------------------------------------------------------------------

    def read(self, records: Iterable[TranscriptRecord], progress: Progress | None = None) -> None:
        """Fold every record in, participant by participant."""
        for batch in _participants(records):
            person = _Person()
            for record in batch:
                row = self.builder.row(record)
                self.tally.answer(person, row)
                self._count_round(record.pseudonym, row)
            self.tally.participant(person)
            if progress is not None:
                progress("records", len(batch))

    def _count_round(self, pseudonym: str, row: TranscriptRow) -> None:
        """Who took part in the row's round, and which barriers they named there."""
        self.rounds.took_part(row.round, pseudonym)
        if row.skipped or row.question_id not in self.round_barriers.get(row.round, ()):
            return
        special = self.survey.special_themes
        for theme in row.themes:
            if theme not in (special.no_barrier, special.new_barrier):
                self.rounds.name(row.round, pseudonym, theme)

    def read_feedback(
        self,
        feedback: FeedbackFile,
        reached: dict[str, int],
        reactions: dict[tuple[str, str], Counter[Reaction]],
    ) -> None:
        """feedback.yml, how many each feedback reached, and the reactions (storage)."""
        self._voice = voice_figures(
            feedback,
            reached,
            reactions,
            self.theme_label,
            min_cell=self.min_cell,
            language=self.language,
        )

    def _round_comparison(self) -> RoundComparison | None:
        order = list(self.survey.round_questions())
        titles = {r: self.survey.round_title(r, self.language) for r in order}
        return round_comparison(
            self.rounds,
            order,
            titles,
            self.survey.theme_ids,
            self.theme_label,
            min_cell=self.min_cell,
            min_round=self.survey.report.min_round,
        )

    # --- Building --------------------------------------------------------------------------

    def findings(self, progress: Progress | None = None) -> Findings:
        """The suppressed numbers, quotes and signals."""
        tally = self.tally
        ranking = self._ranking()
        shown = [t.theme for t in ranking if not t.participants.suppressed]
        breakdowns = tuple(self._breakdown(d, shown) for d in DIMENSIONS)
        stories = []
        for theme in ranking:
            if theme.participants.suppressed:
                continue
            stories.append(
                ThemeStory(
                    theme=theme.theme,
                    label=theme.label,
                    description=theme.description,
                    participants=theme.participants,
                    quotes=tuple(
                        representative(tally.quotes.get(theme.theme, []), QUOTES_PER_THEME)
                    ),
                    solutions=tuple(
                        representative(tally.solutions.get(theme.theme, []), SOLUTIONS_PER_THEME)
                    ),
                )
            )
            if progress is not None:
                progress("quotes", 1)
        signals, rest = find_signals(
            tally.signals,
            tally.background,
            min_participants=self.min_cell,
            quotes=QUOTES_PER_SIGNAL,
            progress=(lambda: progress("signals", 1)) if progress is not None else None,
        )
        return Findings(
            language=self.language,
            min_cell=self.min_cell,
            scope=self.scope,
            headline=self._headline(),
            ranking=ranking,
            no_barrier=suppress(tally.no_barrier, self.min_cell),
            breakdowns=breakdowns,
            over_time=self._over_time(shown),
            stories=tuple(stories),
            cooccurrence=self._cooccurrence(shown),
            signals=tuple(signals),
            signal_rest=rest,
            trust=self._trust(),
            handovers=self.handovers,
            offers=self._offer_figures(ranking),
            voice=self._voice,
            rounds=self._round_comparison(),
        )

    def read_cases(self, figures: CaseFigures) -> None:
        """The period's handover figures (reports/cases.py), suppressed like every count."""
        shown = self.min_cell <= figures.total
        self.handovers = Handovers(
            # None asked: nothing to protect, and "< 5" would suggest someone did.
            cases=suppress(figures.total, self.min_cell) if figures.total else Count(0),
            by_reason=tuple(suppress_line(list(figures.by_reason.values()), self.min_cell)),
            # A median or share of fewer than min_cell cases could point at one person.
            median_minutes_to_answer=figures.median_minutes_to_answer if shown else None,
            share_within_shift=figures.share_within_shift if shown else None,
        )

    def read_offers(self, counts: OfferCounts, catalogue: Catalogue, day: date) -> None:
        """Offers shown and tapped in the period (storage.offers), and offers.yml as of ``day``."""
        if catalogue.offers or counts.per_offer:
            self._offers = (counts, catalogue, day)

    def _offer_figures(self, ranking: Sequence[RankedTheme]) -> OfferFigures | None:
        if self._offers is None:
            return None
        counts, catalogue, day = self._offers
        named = [NamedTheme(t.theme, t.label, t.participants) for t in ranking]
        return offer_figures(
            counts,
            catalogue,
            named,
            self.theme_label,
            min_cell=self.min_cell,
            language=self.language,
            day=day,
        )

    def _headline(self) -> Headline:
        tally = self.tally
        order: list[str | None] = [*self._group_order("source"), None]
        keys = [k for k in order if tally.sources[k]]
        keys += sorted(k for k in tally.sources if k not in order and k is not None)
        counts = suppress_line([tally.sources[k] for k in keys], self.min_cell)
        groups = tuple(
            Group(k or UNKNOWN, self.group_label("source", k or UNKNOWN), count)
            for k, count in zip(keys, counts, strict=True)
        )
        return Headline(
            first_day=tally.first.date() if tally.first else None,
            last_day=tally.last.date() if tally.last else None,
            participants=tally.participants,
            finished=tally.finished,
            answers=tally.answers,
            text_answers=tally.text_answers,
            speakers=tally.speakers,
            sources=groups,
        )

    def _ranking(self) -> tuple[RankedTheme, ...]:
        """Shown themes by count; hidden ones after them in config order (never by their count)."""
        tally = self.tally
        ranked = []
        for theme in self.survey.themes:
            if theme.id in (tally.no_barrier_theme, tally.new_barrier_theme):
                continue
            count = suppress(tally.themes[theme.id], self.min_cell)
            share = count.value / tally.speakers if count.value is not None else None
            description = theme.description if self.language == "nl" else ""
            ranked.append(
                RankedTheme(theme.id, self.theme_label(theme.id), description, count, share)
            )
        position = {theme.id: index for index, theme in enumerate(self.survey.themes)}
        ranked.sort(
            key=lambda t: (
                t.participants.suppressed,
                -(t.participants.value or 0),
                position[t.theme],
            )
        )
        return tuple(ranked)

    def _breakdown(self, dimension: str, themes: Sequence[str]) -> Breakdown:
        """Themes by age band, area or source; groups under min_cell are taken together."""
        groups = self.tally.groups[dimension]
        cells = self.tally.cells[dimension]
        order = [k for k in self._group_order(dimension) if k in groups]
        order += sorted(k for k in groups if k not in order and k != UNKNOWN)
        keep = [k for k in order if groups[k] >= self.min_cell]
        small = [k for k in order if groups[k] < self.min_cell]
        columns: list[tuple[str, list[str]]] = [(k, [k]) for k in keep]
        if small:
            columns.append((SMALL_GROUPS, small))
        if groups[UNKNOWN]:
            columns.append((UNKNOWN, [UNKNOWN]))
        sizes = suppress_line([sum(groups[k] for k in ks) for _, ks in columns], self.min_cell)
        rows = []
        for theme in themes:
            counts = [sum(cells[k, theme] for k in ks) for _, ks in columns]
            rows.append(
                ThemeRow(
                    theme, self.theme_label(theme), tuple(suppress_line(counts, self.min_cell))
                )
            )
        return Breakdown(
            dimension=dimension,
            groups=tuple(
                Group(key, self.group_label(dimension, key), size)
                for (key, _), size in zip(columns, sizes, strict=True)
            ),
            rows=tuple(rows),
            merged=tuple(self.group_label(dimension, k) for k in small) if small else (),
        )

    def _over_time(self, themes: Sequence[str]) -> Breakdown | None:
        """Themes per month, once there is more than one month."""
        months = sorted(self.tally.months)
        if len(months) < 2:
            return None
        sizes = suppress_line([self.tally.months[m] for m in months], self.min_cell)
        rows = []
        for theme in themes:
            counts = [self.tally.month_cells[m, theme] for m in months]
            rows.append(
                ThemeRow(
                    theme, self.theme_label(theme), tuple(suppress_line(counts, self.min_cell))
                )
            )
        return Breakdown(
            dimension="month",
            groups=tuple(
                Group(f"{y:04d}-{m:02d}", self.wording.month(y, m), size)
                for (y, m), size in zip(months, sizes, strict=True)
            ),
            rows=tuple(rows),
        )

    def _cooccurrence(self, themes: Sequence[str]) -> Cooccurrence:
        tally = self.tally

        def together(first: str, second: str) -> int:
            if first == second:
                return tally.themes[first]
            return tally.pairs[min(first, second), max(first, second)]

        cells = tuple(
            tuple(suppress(together(a, b), self.min_cell) for b in themes) for a in themes
        )
        position = {theme: index for index, theme in enumerate(themes)}
        pairs = sorted(
            (
                (-count, position[a], position[b], a, b, count)
                for (a, b), count in tally.pairs.items()
                if count >= self.min_cell and a in position and b in position
            ),
        )
        return Cooccurrence(
            themes=tuple(themes),
            labels=tuple(self.theme_label(t) for t in themes),
            cells=cells,
            pairs=tuple(
                Pair(self.theme_label(a), self.theme_label(b), count)
                for *_, a, b, count in pairs[:TOP_PAIRS]
            ),
        )

    def _trust(self) -> Trust:
        tally = self.tally
        agreement = tally.agreement
        per_theme = []
        totals = [0, 0, 0]
        for theme in self.survey.theme_ids:
            tp = agreement.true_positive[theme]
            fp = agreement.false_positive[theme]
            fn = agreement.false_negative[theme]
            totals = [totals[0] + tp, totals[1] + fp, totals[2] + fn]
            if tp + fn >= self.min_cell:
                per_theme.append(_agreement(self.theme_label(theme), tp, fp, fn))
        overall = (
            _agreement(self.wording["overall"], *totals)
            if totals[0] + totals[2] >= self.min_cell
            else None
        )
        return Trust(
            text_answers=tally.text_answers,
            classified=tally.classified,
            unclassified=tally.unclassified,
            confirmed=tally.confirmed,
            confirmed_agreed=tally.confirmed_agreed,
            staff_labelled=tally.staff_labelled,
            staff_compared=tally.staff_compared,
            staff_changed=tally.staff_changed,
            staff_agreed=tally.staff_agreed,
            per_theme=tuple(per_theme),
            overall=overall,
            distress_answers=suppress(tally.distress_answers, self.min_cell),
            distress_participants=suppress(tally.distress_participants, self.min_cell),
        )


def _agreement(label: str, tp: int, fp: int, fn: int) -> ThemeAgreement:
    return ThemeAgreement(
        label=label,
        staff_answers=tp + fn,
        precision=tp / (tp + fp) if tp + fp else None,
        recall=tp / (tp + fn) if tp + fn else None,
    )


def build_findings(
    records: Iterable[TranscriptRecord],
    survey: Survey,
    scope: ReportScope,
    progress: Progress | None = None,
) -> Findings:
    """The report's findings from stored answers (in ``transcript_rows`` order)."""
    builder = FindingsBuilder(survey, scope)
    builder.read(records, progress)
    return builder.findings(progress)
