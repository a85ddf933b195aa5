"""Synthetic demo data: many realistic participants and answers, the same for the same seed.

Nothing here comes from a person. Pseudonyms are random hex from a seeded
generator; texts are the NLU training examples plus a few written for the
purpose: answers with PII (so the redactor has work in every export and
report), formula-like answers (so spreadsheet escaping is exercised), and two
coherent barriers the themes do not cover, labelled ``other`` with low
confidence (so the report's "new signals" section has something to find).

Rows go in with SQLAlchemy Core ``executemany`` and explicit ids, in one
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
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, Insert, Table, bindparam, func, insert, select
from sqlalchemy.orm import Session

from nlu import distress
from nlu.data import TRAIN_DIR, load_dir
from storage import Base, Database
from survey.config import AgeBand, Option, Question, Survey

# Fixed, so the same seed gives byte-identical exports and reports: the start of a school year.
DEFAULT_START = datetime(2026, 9, 1, tzinfo=UTC)
MODEL_VERSION = "demo"
STAFF_NAME = "demo"
OTHER = "other"
LOCAL_TIME = ZoneInfo("Europe/Brussels")

# Answers per executemany round: large enough to amortise, small enough to stay flat in memory.
_ROWS_PER_ROUND = 5000
_PSEUDONYM_CHECK_CHUNK = 500

# --- who takes part -------------------------------------------------------------------------
# Weights by id; ids the survey has and these lists lack get _DEFAULT_WEIGHT.
_DEFAULT_WEIGHT = 3.0
LANGUAGE_WEIGHTS = {"nl": 88.0, "fr": 7.0, "en": 5.0}
NO_SOURCE_WEIGHT = 18.0  # came in through a plain /start, without a partner's code
SOURCE_WEIGHTS = {
    "instagram": 16.0,
    "poster-school": 14.0,
    "bolwerk": 8.0,
    "ajko": 7.0,
    "stad-kortrijk": 7.0,
    "poster-station": 6.0,
    "de-stroate": 6.0,
    "quindo": 6.0,
    "de-stroom": 5.0,
    "groep-intro": 5.0,
    "begeleide-sessie": 2.0,
}
AGE_WEIGHTS = {"13-15": 30.0, "16-18": 38.0, "19-21": 18.0, "22-25": 10.0, "over-25": 2.0}
# Uneven on purpose: in a small demo some area x theme cells stay under 5 (small-cell rules).
AREA_WEIGHTS = {
    "centrum": 20.0,
    "heule": 10.0,
    "outside": 10.0,
    "overleie": 8.0,
    "walle": 7.0,
    "marke": 7.0,
    "sint-jan": 6.0,
    "lange-munte": 5.0,
    "pottelberg": 4.0,
    "bissegem": 4.0,
    "sint-elooi": 3.0,
    "bellegem": 3.0,
    "rather-not": 3.0,
    "hoog-kortrijk": 2.0,
    "aalbeke": 2.0,
    "rollegem": 2.0,
    "kooigem": 1.0,
}
FREE_TIME_WEIGHTS = {
    "friends": 30.0,
    "online": 24.0,
    "gaming": 20.0,
    "sport": 22.0,
    "music-dance": 10.0,
    "job": 9.0,
    "youth-movement": 8.0,
    "creative": 7.0,
    "youth-centre": 5.0,
    "nothing-much": 6.0,
}
EXCLUSIVE_OPTIONS = frozenset({"nothing-much"})
# Local hour of day at which young people start the survey (after school, evenings).
HOUR_WEIGHTS = (
    (0, 2), (1, 1), (7, 2), (8, 2), (9, 1), (10, 1), (11, 2), (12, 5), (13, 3), (14, 3),
    (15, 5), (16, 9), (17, 10), (18, 9), (19, 11), (20, 12), (21, 11), (22, 8), (23, 4),
)  # fmt: skip
SECOND_RUN_SHARE = 0.03  # took the survey again later (a new participation)
OPT_IN_SHARE = 0.35

# --- how they answer ---------------------------------------------------------------------
CHOICE_SKIP = {"age": 0.02, "area": 0.04}
CHOICE_TYPED = 0.05  # typed "15" or "heule" instead of pressing the button
MULTI_SKIP = 0.04
MULTI_TYPED = 0.10
# Open questions: (skip share, button share) by question id.
OPEN_BEHAVIOUR = {
    "holds-back": (0.06, 0.08),
    "not-welcome": (0.10, 0.35),
    "would-help": (0.14, 0.0),
}
DEFAULT_OPEN_BEHAVIOUR = (0.08, 0.08)
# Share of text answers that belong to one of the new signals (together), by question id.
SIGNAL_SHARE = {"holds-back": 0.36, "not-welcome": 0.1, "would-help": 0.24}
DISTRESS_SHARE = 0.015  # of open text answers: about 0.5 % of all answers
STAFF_SHARE = 0.06  # of classified open answers
STAFF_DISAGREES = 0.2
# Where people stop when they do not finish: after this many answers (weights).
STOP_WEIGHTS = (5.0, 10.0, 15.0, 35.0, 20.0, 15.0)

FREE_TIME_TEXTS = (
    "ik zit in de muziekacademie",
    "pianoles op woensdag",
    "skaten aan de Leie",
    "tekenen en manga lezen",
    "ik help bij de Chiro",
    "zwemmen met mijn nicht",
    "fortnite met de maten",
    "'k goan vissen me mien va",
    "boksen in de Venning",
    "TikToks maken",
    "rien de spécial",
    "I play basketball at the park",
    "koken met mijn oma",
    "naar de bib",
    "chillen op de Grote Markt",
)

# What would help: ideas, not barriers, but the report classifies them just the same.
IDEAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("goedkopere kampen", ("cost",)),
    ("een gratis busje naar de sporthal", ("cost", "transport")),
    ("alles op Instagram of TikTok zetten, niet op Facebook", ("information",)),
    ("een keer gratis mogen proberen voor je je inschrijft", ("cost", "registration")),
    ("dat ik een vriend mag meebrengen de eerste keer", ("social",)),
    ("begeleiders die ook Frans of Engels spreken", ("language",)),
    ("trainingen later op de avond, na mijn job", ("time",)),
    ("een jeugdhuis dat ook op zondag open is", ("space",)),
    ("meer licht op de weg naar het park", ("safety",)),
    ("inschrijven zonder wachtlijst", ("registration",)),
    ("iemand die aan mijn ouders uitlegt wat het is", ("family",)),
    ("minder competitie, gewoon voor de fun", ("interest",)),
    ("een kleine groep om te beginnen, dan durf ik wel", ("confidence",)),
    ("een rustige ruimte voor als het te druk wordt", ("accessibility",)),
    ("dat ze niet raar kijken naar mijn hoofddoek", ("discrimination",)),
    ("een plek waar we mogen zitten zonder dat de politie ons wegstuurt", ("space",)),
    ("korting met de UiTPAS, maar dan duidelijk uitgelegd", ("cost", "information")),
    ("'n busse die ook sebs noa tiene nog rijdt", ("transport",)),
    ("da 't nie zo duur is, simpel", ("cost",)),
    ("e plekke vo ons, mè e bank en e bitje muziek", ("space",)),
    ("gwn info op school geven ipv op een site die niemand kent", ("information",)),
    ("sport zonder dat je direct in een ploeg moet", ("registration", "interest")),
    ("leiding die weet wat autisme is", ("accessibility",)),
    ("iets voor meisjes apart, dan mag ik van thuis", ("family",)),
    ("niks, het is goed zo", ("none",)),
    ("weet ik niet", ()),
    ("idk 🤷", ()),
    ("des activités moins chères", ("cost",)),
    ("cheaper stuff and a bus in the evening", ("cost", "transport")),
    ("dat ze je gewoon welkom heten als je nieuw bent", ("belonging",)),
    ("een buddy die met je meegaat", ("social", "confidence")),
    ("op woensdagnamiddag, dan heb ik geen school", ("time",)),
)


@dataclass(frozen=True)
class DemoText:
    """An answer text and what it is really about (``()``: no theme, noise)."""

    text: str
    themes: tuple[str, ...]
    kind: str = ""  # "pii", "formula", "distress", a new signal's name, or "" (ordinary)


@dataclass(frozen=True)
class NewSignal:
    """A barrier the configured themes do not cover: answers about it get ``other``."""

    name: str
    keywords: tuple[str, ...]  # every text of the signal contains one of these
    near: tuple[str, ...]  # the configured themes the classifier half-confuses it with
    texts: Mapping[str, tuple[str, ...]]  # by question id; "" for any other question


NEW_SIGNALS = (
    NewSignal(
        name="zorg voor broers en zussen",
        keywords=("broer", "zus", "kleintjes", "frère", "brother", "sister"),
        near=("time", "family"),
        texts={
            "holds-back": (
                "ik moet na school op mijn broertjes letten tot mijn ma thuis is",
                "'k moe ip mien klein zusje passen, elken dag tot 't zesen",
                "babysitten op mijn broer en zus, elke woensdag en zaterdag",
                "mama werkt in ploegen dus ik pas op de kleintjes",
                "ik kan niet weg want ik moet mijn zusje van school halen en eten geven",
                "mijn broertjes kunnen niet alleen thuis blijven en ik ben de oudste",
                "altijd oppassen op mn broertje, geen tijd voor mezelf",
                "ik zou willen voetballen maar wie let er dan op mijn zusjes",
                "'k moe ol tied ip mien broers letten, 'k è gin vrije tied",
                "als oudste moet ik voor mijn broers en zussen zorgen na school",
                "mn ouders werken tot laat dus ik ben de babysit van mijn broertje",
                "ik mag mijn kleine zus niet meenemen naar de training en alleen laten kan niet",
                "moet op mijn broertjes letten",
                "kan niet, moet babysitten op mn zus 🙄",
                "ik ben thuis de tweede mama voor mijn broertjes",
                "mijn zusje is nog klein en ik moet haar elke dag ophalen aan de crèche",
                "je dois garder mes petits frères après l'école",
                "I have to look after my little brothers after school",
                "'t is altied ik die ip de kleine broere moe passen",
                "zolang mijn zus geen opvang heeft kan ik nergens heen",
            ),
            "not-welcome": (
                "ze keken raar toen ik mijn broertje moest meebrengen naar de repetitie",
                "ik werd weggestuurd omdat mijn zusje mee was",
                "de trainer zei dat kleine broers niet welkom zijn op de training",
                "'k moste mien zuske meepakken en ze zeiden da da nie mocht",
            ),
            "would-help": (
                "opvang voor mijn broertjes tijdens de training",
                "dat mijn kleine zus mag meekomen",
                "een activiteit waar ik mijn broertje kan meebrengen",
                "iemand die op de kleintjes let zodat ik ook eens weg kan",
                "iets op een uur dat mijn broers en zussen nog op school zitten",
            ),
        },
    ),
    NewSignal(
        name="geen wifi of data",
        keywords=("wifi", "data", "internet", "bundel"),
        near=("information", "registration"),
        texts={
            "holds-back": (
                "we hebben thuis geen wifi, dus ik zie nooit wat er in de groepschat staat",
                "mijn data is altijd op halverwege de maand en dan weet ik van niks",
                "inschrijven moet online maar wij hebben geen internet thuis",
                "geen wifi thuis bro, kan nie eens de info opzoeken",
                "'k è gin internet tuus, 'k moe ol mien data gebruuken",
                "de trainer stuurt alles via WhatsApp maar mijn mobiele data is meestal op",
                "zonder wifi kan ik de app van de club niet gebruiken",
                "ik heb een gsm zonder abonnement, alleen wifi, en thuis is er geen",
                "onze wifi is afgesloten en nu mis ik alle berichten",
                "ik moet naar de bib voor wifi en die is dicht in het weekend",
                "geen data geen wifi = geen idee wat er te doen is",
                "mijn bundel is altijd op dus ik mis de berichtjes van de jeugdbeweging",
                "pas de wifi chez moi, donc je rate tout",
                "no wifi at home and my data runs out fast",
                "thuis geen internet, ik kan de formulieren nie invullen",
                "'t internet is kapot sinds maanden en me ma kan 't nie betoal'n",
                "nooit genoeg data om het rooster of de filmpjes te bekijken",
                "we delen met vijf één gsm met data, dus ik ben nooit online",
            ),
            "not-welcome": (
                "in de bib mochten we niet blijven zitten alleen voor de wifi",
                "in het café werden we buitengezet omdat we kwamen voor de wifi",
                "ze lachten me uit omdat ik nooit data heb en niks weet van de groepschat",
                "aan het station stuurden ze ons weg terwijl we daar gewoon op de wifi zaten",
            ),
            "would-help": (
                "gratis wifi in het jeugdhuis of in de buurt",
                "info ook via sms, want ik heb niet altijd data",
                "een plek met wifi waar we gewoon mogen zitten",
                "papieren inschrijving voor wie geen internet heeft",
                "gratis wifi-hotspots in de wijk",
            ),
        },
    ),
)

# Ways the same thing gets said: kept short so no sentence loses its keyword or sense.
_OPENERS = ("", "", "", "", "eerlijk? ", "bwa, ", "tja, ", "ja, ", "euh ", "vooral: ")
_CLOSERS = ("", "", "", "", " 😩", " dus ja", " 🙃", "...", " echt waar", " lol")

PII_TEXTS = (
    DemoText("te duur voor ons, bel me op 0470 12 34 56 als er korting is", ("cost",), "pii"),
    DemoText("mail me op noor.demo@example.be als er iets gratis is", ("cost",), "pii"),
    DemoText(
        "ik woon in de Doorniksestraat 12 en 's avonds rijdt er geen bus meer",
        ("transport",),
        "pii",
    ),
    DemoText("mijn trainer Jan Peeters lacht altijd met mijn accent", ("language",), "pii"),
    DemoText("volg me op insta @lotte.kortrijk_demo, daar zie je het", (), "pii"),
    DemoText("stort het lidgeld terug op BE71 0961 2345 6769 aub, ik stop ermee", ("cost",), "pii"),
)
FORMULA_TEXTS = (
    DemoText("=cmd|' /C calc'!A0", (), "formula"),
    DemoText('=HYPERLINK("http://example.com/gratis";"klik hier")', (), "formula"),
    DemoText(
        "+32 470 98 76 54 is mijn nummer, ik wil meer info over de scouts",
        ("information",),
        "formula",
    ),
    DemoText("-te duur", ("cost",), "formula"),
    DemoText("+ te ver met de fiets", ("transport",), "formula"),
    DemoText("@SUM(1+1)*cmd|' /C calc'!A0", (), "formula"),
)

_FRENCH = frozenset({"je", "j'", "tu", "c'est", "pas", "les", "mon", "mes", "pour", "est", "il"})
_ENGLISH = frozenset({"i", "i'm", "the", "my", "don't", "can't", "and", "to", "because", "it's"})
_WORD = re.compile(r"[a-zà-ÿ']+")


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


class DemoError(Exception):
    """The fill cannot go ahead; the message says why."""


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


def _weighted(rng: random.Random, items: Sequence[str], weights: Mapping[str, float]) -> str:
    """One item, by weight (unknown ids weigh _DEFAULT_WEIGHT)."""
    return rng.choices(items, [weights.get(item, _DEFAULT_WEIGHT) for item in items])[0]


def _add_months(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later (days past 28 are clamped to 28)."""
    index = moment.month - 1 + months
    return moment.replace(
        year=moment.year + index // 12, month=index % 12 + 1, day=min(moment.day, 28)
    )


def _spoken_language(text: str) -> str:
    """'fr', 'en' or 'nl', guessed from a few function words (good enough to pick demo texts)."""
    words = set(_WORD.findall(text.lower()))
    if len(words & _FRENCH) >= 2:
        return "fr"
    if len(words & _ENGLISH) >= 2:
        return "en"
    return "nl"


class _Generator:
    """Rows for a demo fill; every random choice comes from one seeded generator, in order."""

    def __init__(self, survey: Survey, seed: int, start: datetime, months: int) -> None:
        # Not for secrets: demo data must be reproducible from its seed.
        self.rng = random.Random(seed)  # noqa: S311
        self.survey = survey
        # Whole seconds: SQLite and PostgreSQL then store exactly the same instants.
        start = start.replace(microsecond=0)
        self.start = start if start.tzinfo else start.replace(tzinfo=UTC)
        self.end = _add_months(self.start, months)
        self.theme_ids = survey.theme_ids
        self.theme_order = {theme: index for index, theme in enumerate(self.theme_ids)}
        examples = load_dir(TRAIN_DIR, self.theme_ids)
        self.barriers = [DemoText(e.text, e.themes) for e in examples]
        self.by_language: dict[str, list[DemoText]] = {}
        for item in self.barriers:
            self.by_language.setdefault(_spoken_language(item.text), []).append(item)
        welcome_themes = {"belonging", "discrimination", "safety", "social", "language"}
        self.unwelcome = [t for t in self.barriers if welcome_themes & set(t.themes)]
        known = set(self.theme_ids)
        self.ideas = [DemoText(t, tuple(x for x in th if x in known)) for t, th in IDEAS]
        self.distress_texts = [
            DemoText(message, (), "distress")
            for message, kind in distress.load_examples(distress.TRAIN_PATH)
            if kind != distress.NONE
        ]
        self.specials = [*PII_TEXTS, *FORMULA_TEXTS]
        self.languages = [lang for lang in survey.languages if lang in LANGUAGE_WEIGHTS] or [
            survey.default_language
        ]
        self.sources: list[str | None] = [None, *(s.id for s in survey.sources)]
        minimum = survey.privacy.minimum_age
        self.bands = [b for b in survey.age_bands if b.max_age is None or b.max_age >= minimum]
        self.counts: Counter[str] = Counter()
        self.signal_counts: Counter[str] = Counter({s.name: 0 for s in NEW_SIGNALS})
        self.distress_quota = _Quota(self.rng, DISTRESS_SHARE)
        self.signal_quotas = {q: _Quota(self.rng, s) for q, s in SIGNAL_SHARE.items()}
        self.signal_turn = 0
        # No jitter: the count is then exact, and every special text appears at least once.
        self.special_quota = _Quota(self.rng, 0.0, level=1.0, jitter=False)
        self.special_turn = 0
        self.special_question: str | None = None
        self.next_ids = {"participants": 0, "participations": 0, "answers": 0}

    # -- planning ------------------------------------------------------------------------

    def plan(self, participants: int, answers: int | None) -> list[_PlannedParticipant]:
        """Who takes part when, in order of their first start, with answers per participation."""
        window = (self.end - self.start).total_seconds()
        campaigns = {source: self.rng.uniform(0.1, 0.9) * window for source in self.sources}
        people = []
        for _ in range(participants):
            language = _weighted(self.rng, self.languages, LANGUAGE_WEIGHTS)
            source = self._source()
            runs = [_Run(source, self._moment(campaigns[source], window))]
            if self.rng.random() < SECOND_RUN_SHARE:
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
        weights = [
            NO_SOURCE_WEIGHT if s is None else SOURCE_WEIGHTS.get(s, _DEFAULT_WEIGHT)
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
        hours, weights = zip(*HOUR_WEIGHTS, strict=True)
        hour = self.rng.choices(hours, weights)[0]
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
            stop = self.rng.choices(range(len(STOP_WEIGHTS)), STOP_WEIGHTS)[0]
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
                "notify_opt_in": finished_any and self.rng.random() < OPT_IN_SHARE,
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
        if self.rng.random() < CHOICE_SKIP.get(question.id, 0.03):
            row["skipped"] = True
            return row
        if question.type == "age_band":
            band = self._band()
            row["button_value"] = band.id
            if self.rng.random() < CHOICE_TYPED:
                low = band.min_age if band.min_age is not None else 13
                high = band.max_age if band.max_age is not None else low + 3
                row["text"] = str(self.rng.randint(low, high))
        else:
            option = self._option(question.options, AREA_WEIGHTS)
            row["button_value"] = option.id
            label = option.label.get(self.survey.default_language)
            if label and self.rng.random() < CHOICE_TYPED:
                row["text"] = label.lower()
        if row["text"] is not None:
            self.counts["texts"] += 1
        return row

    def _band(self) -> AgeBand:
        ids = [band.id for band in self.bands]
        chosen = _weighted(self.rng, ids, AGE_WEIGHTS)
        return next(band for band in self.bands if band.id == chosen)

    def _option(self, options: Sequence[Option], weights: Mapping[str, float]) -> Option:
        chosen = _weighted(self.rng, [o.id for o in options], weights)
        return next(option for option in options if option.id == chosen)

    def _multi(self, question: Question, participation_id: int, moment: datetime) -> dict[str, Any]:
        """Ticked options, comma-joined in the order ticked; sometimes typed words too."""
        row = self._row(participation_id, question.id, moment)
        if self.rng.random() < MULTI_SKIP:
            row["skipped"] = True
            return row
        remaining = [o.id for o in question.options]
        ticked: list[str] = []
        for _ in range(self.rng.choices((1, 2, 3, 4), (35, 35, 20, 10))[0]):
            if not remaining:
                break
            choice = _weighted(self.rng, remaining, FREE_TIME_WEIGHTS)
            remaining.remove(choice)
            if choice in EXCLUSIVE_OPTIONS:
                # "niet veel" next to "sport" makes no sense: alone, or not at all.
                ticked = ticked or [choice]
                break
            ticked.append(choice)
        if question.allow_text and self.rng.random() < MULTI_TYPED:
            row["text"] = self.rng.choice(FREE_TIME_TEXTS)
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
        skip, button = OPEN_BEHAVIOUR.get(question.id, DEFAULT_OPEN_BEHAVIOUR)
        roll = self.rng.random()
        if roll < skip:
            row["skipped"] = True
            return moment
        if question.options and roll < skip + button:
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
            signal = NEW_SIGNALS[self.signal_turn % len(NEW_SIGNALS)]
            self.signal_turn += 1
            texts = signal.texts.get(question.id) or signal.texts["holds-back"]
            wording = self.rng.choice(_OPENERS) + self.rng.choice(texts) + self.rng.choice(_CLOSERS)
            self.signal_counts[signal.name] += 1
            themes = (OTHER,) if OTHER in self.theme_order else ()
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
                wrong = [t for t in self.theme_ids if t not in truth and t != OTHER]
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
        if not truth or self.rng.random() >= STAFF_SHARE:
            return
        themes = list(truth)
        if self.rng.random() < STAFF_DISAGREES:
            # Staff read more, or less, into it than the young person or the classifier did.
            if len(truth) > 1:
                themes.remove(self.rng.choice(truth))
            else:
                barriers = [t for t in self.theme_ids if t not in (*truth, "none", OTHER)]
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


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _insert(name: str) -> Insert:
    """An executemany INSERT that stores None in JSON columns as SQL NULL, not JSON 'null'.

    The models' JSON columns would write 'null', and "not set" is read as IS NULL.
    """
    table = _table(name)
    as_null = {
        column.name: bindparam(column.name, type_=JSON(none_as_null=True))
        for column in table.columns
        if isinstance(column.type, JSON)
    }
    return insert(table).values(as_null) if as_null else insert(table)


_TABLES = ("participants", "participations", "answers")


def count_participants(database: Database) -> int:
    """How many participants the database holds (the demo refuses to mix into real data)."""
    with database.transaction() as session:
        return int(
            session.execute(select(func.count()).select_from(_table("participants"))).scalar_one()
        )


def _max_ids(session: Session) -> dict[str, int]:
    return {
        name: int(
            session.execute(select(func.coalesce(func.max(_table(name).c.id), 0))).scalar_one()
        )
        for name in _TABLES
    }


def _refuse_known_pseudonyms(session: Session, rows: _Rows) -> None:
    """With data already there, the same seed would repeat pseudonyms: say so plainly."""
    column = _table("participants").c.pseudonym
    pseudonyms = [row["pseudonym"] for row in rows.participants]
    for start in range(0, len(pseudonyms), _PSEUDONYM_CHECK_CHUNK):
        chunk = pseudonyms[start : start + _PSEUDONYM_CHECK_CHUNK]
        if session.execute(select(column).where(column.in_(chunk)).limit(1)).first():
            raise DemoError(
                "demo participants from this seed are already in the database; "
                "use another --seed to add more"
            )


def _advance_sequences(session: Session) -> None:
    """PostgreSQL hands out ids from sequences, which explicit ids do not move on."""
    for name in _TABLES:
        table = _table(name)
        highest = select(func.max(table.c.id)).scalar_subquery()
        session.execute(select(func.setval(func.pg_get_serial_sequence(name, "id"), highest)))


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
) -> DemoStats:
    """Store synthetic participants and answers; ``progress`` gets the participants stored so far.

    ``answers=None`` gives every participation the whole survey; a number spreads
    exactly that many answers over the participations, so some stop early.
    """
    if participants < 1:
        raise ValueError("participants must be at least 1")
    if answers is not None and answers < 0:
        raise ValueError("answers cannot be negative")
    if months < 1:
        raise ValueError("months must be at least 1")
    generator = _Generator(survey, seed, start or DEFAULT_START, months)
    people = generator.plan(participants, answers)
    with database.transaction() as session:
        offsets = _max_ids(session)
        already = offsets["participants"] > 0
        stored = 0
        for rows in generator.rounds(people, offsets):
            if already:
                _refuse_known_pseudonyms(session, rows)
            for name, batch in zip(
                _TABLES, (rows.participants, rows.participations, rows.answers), strict=True
            ):
                if batch:
                    session.execute(_insert(name), batch)
            stored += len(rows.participants)
            if progress is not None:
                progress(stored)
        if database.dialect == "postgresql":
            _advance_sequences(session)
    return generator.stats()
