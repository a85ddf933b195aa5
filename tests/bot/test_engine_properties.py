"""Property-based tests: random sequences of events through ``SurveyEngine.handle``.

Hypothesis plays two participants who press live, stale and forged buttons,
type anything (matching labels, "ja", ages, insults, distress, 4096 characters,
random Unicode), edit earlier messages, send photos and commands, and have
updates redelivered. After every event it checks the invariants the issue asks
for:

- the stored step is always a valid one (``q:<question>``, ``check:`` or
  ``pick:<open question>``, ``opt_in``, ``done``);
- no text accepted while a question was open is lost or stored twice;
- every reply fits Telegram's limits after the adapter's split;
- nothing raises.

Runs derandomized (the same examples every run, so CI is reproducible). Set
``JEUGDSTEM_EXPLORE=1`` to search fresh random examples with a larger budget.
SQLite only, one database per test and fresh participants per example: the
engine's logic is the same on PostgreSQL, which the other engine tests cover.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.engine import (
    _NO,
    _YES,
    DONE,
    MENU_COMMANDS,
    OPT_IN,
    Command,
    Edit,
    Event,
    Incoming,
    NonText,
    Press,
    Response,
    Start,
    SurveyEngine,
    Text,
)
from bot.telegram.adapter import keyboard_markup, split_text
from nlu.classifier import NluUnavailable, Prediction
from nlu.distress import DistressDetector
from nlu.service import Analyser
from privacy.identity import CallbackCodec
from storage import Answer, Database, Participation
from storage import repository as repo
from survey.config import Survey
from survey.text import fold_words
from tests.support.secrets import TEST_SECRET

EXPLORE = os.environ.get("JEUGDSTEM_EXPLORE") == "1"
PROPERTIES = settings(
    max_examples=300 if EXPLORE else 40,
    derandomize=not EXPLORE,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

TELEGRAM_TEXT_UNITS = 4096
TELEGRAM_BUTTONS = 100
TELEGRAM_DATA_BYTES = 64
TELEGRAM_NOTICE_CHARS = 200

# Words that steer the conversation: labels, yes/no, ages, insults, distress, noise.
STEERING = [
    "ja",
    "nee",
    "Klopt",
    "niet helemaal",
    "15",
    "ik ben 10",
    "ik ben 19",
    "mijn zus is 10 en ik 15",
    "Marke",
    "Bissegem",
    "heule",
    "sport",
    "Klaar",
    "te duur en te ver",
    "idk",
    "😀",
    "stomme bot",
    "ik wil niet meer leven",
    "/start",
    " ",
    "",
]

_pseudonyms = itertools.count(1)
_update_ids = itertools.count(1_000_000)
_message_ids = itertools.count(1)


class DigestThemes:
    """Test double for a theme backend: scores follow from a hash of the text.

    The same text always gets the same answer, and the four outcomes the
    engine branches on (confident, unsure, nothing recognised, backend down)
    are all reachable from arbitrary text.
    """

    version = "digest-test-double"

    def __init__(self, survey: Survey) -> None:
        self.theme_ids = survey.theme_ids
        self.barriers = [t for t in survey.theme_ids if t not in ("none", "other")]
        self.threshold = survey.nlu.threshold

    async def classify(self, text: str) -> Prediction:
        digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
        mode = digest[0] % 4
        if mode == 3:
            raise NluUnavailable("the test double is down for this text")
        first = self.barriers[digest[1] % len(self.barriers)]
        second = self.barriers[digest[2] % len(self.barriers)]
        best = {0: 0.9, 1: 0.3, 2: 0.05}[mode]
        scores = dict.fromkeys(self.theme_ids, 0.01)
        scores[second] = best / 2
        scores[first] = best
        above = [t for t, s in scores.items() if s >= self.threshold]
        themes = tuple(sorted(above, key=lambda theme: -scores[theme]))
        return Prediction(themes, scores, self.version)

    async def aclose(self) -> None:
        pass


@dataclass
class Setup:
    """One SQLite database and engine shared by the examples of a test."""

    survey: Survey
    database: Database
    engine: SurveyEngine
    analyser: Analyser
    codec: CallbackCodec
    loop: asyncio.AbstractEventLoop

    def valid_steps(self) -> set[str]:
        questions = [q.id for q in self.survey.questions]
        open_ones = [q.id for q in self.survey.questions if q.type == "open"]
        return {
            *(f"q:{q}" for q in questions),
            *(f"check:{q}" for q in open_ones),
            *(f"pick:{q}" for q in open_ones),
            OPT_IN,
            DONE,
        }


@pytest.fixture(scope="module")
def setup(survey: Survey, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    path: Path = tmp_path_factory.mktemp("properties") / "jeugdstem.db"
    database = Database(f"sqlite:///{path}")
    database.migrate()
    codec = CallbackCodec(TEST_SECRET)
    analyser = Analyser(
        DigestThemes(survey), DistressDetector.default(), survey.nlu.timeout_seconds
    )
    loop = asyncio.new_event_loop()
    yield Setup(
        survey, database, SurveyEngine(survey, database, codec, analyser), analyser, codec, loop
    )
    loop.close()
    database.dispose()


# ---------------------------------------------------------------------------
# Actions: drawn as plain data, turned into events against what is on screen


@dataclass(frozen=True)
class Action:
    who: int
    kind: str
    pick: int
    text: str = ""


def long_texts() -> st.SearchStrategy[str]:
    """Messages at and around Telegram's limit, some of characters outside the BMP."""
    return st.builds(
        lambda char, size: char * size,
        st.sampled_from(["x", "é", "😀", "\n", " ", "ﷺ"]),
        st.sampled_from([4095, 4096, 4097]),
    )


TEXTS = st.one_of(st.sampled_from(STEERING), st.text(max_size=60), long_texts())
KINDS = st.sampled_from(
    # Live presses are the most common, so that many examples get deep into the survey.
    ["press"] * 6
    + ["text"] * 3
    + ["start", "command", "edit", "stale", "forged", "nontext", "redeliver"]
)
ACTIONS = st.builds(Action, st.integers(0, 1), KINDS, st.integers(0, 1_000), TEXTS)


@dataclass
class Participant:
    """What the test knows about one simulated participant."""

    pseudonym: str
    chat_id: int
    last: Response = field(default_factory=Response)
    seen_data: list[str] = field(default_factory=list)
    message_ids: list[int] = field(default_factory=list)
    previous: Incoming | None = None
    # message id -> the text it must be stored with (exactly once).
    expected: dict[int, str] = field(default_factory=dict)


def live_buttons(response: Response) -> list[str]:
    """The data of every button the participant can see after a response."""
    replies = [*response.replies]
    if response.origin is not None:
        replies.append(response.origin)
    return [b.data for reply in replies for row in reply.buttons for b in row]


def forged(setup: Setup, person: Participant, pick: int, text: str) -> str:
    """Button data we did not make, or made for another time and place."""
    other = CallbackCodec(b"another bot's secret")
    genuine = person.seen_data[pick % len(person.seen_data)] if person.seen_data else "a|age|x"
    kinds = [
        genuine[:-1] + ("A" if genuine[-1] != "A" else "B"),  # tampered tag
        other.encode("c", "yes", "nl", "-", setup.survey.privacy.version),
        setup.codec.encode("a", "age", "no-such-band"),
        setup.codec.encode("g", "holds-back", "cost"),
        setup.codec.encode("t", "free-time", "no-such-option"),
        setup.codec.encode("c", "maybe", "nl", "-", setup.survey.privacy.version),
        setup.codec.encode("z"),
        setup.codec.encode("a", "age"),
        text[:64],
        "|" * 70,
    ]
    return kinds[pick % len(kinds)]


def to_event(setup: Setup, person: Participant, action: Action) -> Event | None:
    """The event an action stands for; None for a press with no button on screen."""
    pick, text = action.pick, action.text
    match action.kind:
        case "start":
            codes = [None, "bolwerk", "quindo", "no-such-code", text[:64] or None]
            return Start(codes[pick % len(codes)])
        case "command":
            names = [*MENU_COMMANDS, "unknown", "START"]
            return Command(names[pick % len(names)])
        case "text":
            message_id = next(_message_ids)
            person.message_ids.append(message_id)
            return Text(text, message_id)
        case "edit":
            if person.message_ids and pick % 4:
                return Edit(text, person.message_ids[pick % len(person.message_ids)])
            return Edit(text, 999_999_999)
        case "press":
            buttons = live_buttons(person.last)
            # Counted from the end: Hypothesis favours 0, and the last button (skip, done,
            # Klaar) moves on, where the first (the youngest age band) ends the survey.
            return Press(buttons[-1 - pick % len(buttons)]) if buttons else None
        case "stale":
            return (
                Press(person.seen_data[pick % len(person.seen_data)]) if person.seen_data else None
            )
        case "forged":
            return Press(forged(setup, person, pick, text))
        case "nontext":
            return NonText(["photo", "voice", "sticker", "location", "other"][pick % 5])
    raise AssertionError(action.kind)


# ---------------------------------------------------------------------------
# Invariants


def assert_fits_telegram(response: Response) -> None:
    """What the adapter sends for this response is accepted by the Bot API."""
    replies = [*response.replies]
    if response.origin is not None:
        replies.append(response.origin)
    for reply in replies:
        pieces = split_text(reply.text)
        for piece in pieces:
            units = len(piece.encode("utf-16-le")) // 2
            assert 0 < units <= TELEGRAM_TEXT_UNITS, (units, piece[:40])
            assert piece.strip(), "Telegram refuses a blank message"
        markup = keyboard_markup(reply.buttons)
        if markup is None:
            continue
        buttons = [b for row in markup["inline_keyboard"] for b in row]
        assert len(buttons) <= TELEGRAM_BUTTONS
        for button in buttons:
            assert button["text"].strip()
            assert 0 < len(button["callback_data"].encode("utf-8")) <= TELEGRAM_DATA_BYTES
    if response.notice is not None:
        assert 0 < len(response.notice) <= TELEGRAM_NOTICE_CHARS


@dataclass(frozen=True)
class Stored:
    """What the database holds about one participant, read outside the engine."""

    exists: bool
    step: str | None = None
    paused: bool = False
    latest_message_id: int | None = None
    answers: int = 0


def stored(setup: Setup, pseudonym: str) -> Stored:
    with setup.database.transaction() as session:
        participant = repo.find_participant(session, pseudonym)
        if participant is None:
            return Stored(exists=False)
        conversation = repo.get_conversation(session, participant.id)
        if conversation is None:
            return Stored(exists=True)
        latest = repo.latest_answer(session, conversation.participation_id)
        count = session.execute(
            select(func.count())
            .select_from(Answer)
            .join(Participation, Answer.participation_id == Participation.id)
            .where(Participation.participant_id == participant.id)
        ).scalar_one()
        return Stored(
            True,
            conversation.step,
            conversation.paused,
            latest.message_id if latest is not None else None,
            int(count),
        )


def stored_texts(setup: Setup, pseudonym: str) -> dict[int, list[str | None]]:
    """message id -> the texts stored for it (one, if nothing is lost or doubled)."""
    with setup.database.transaction() as session:
        found: dict[int, list[str | None]] = {}
        for answer in repo.answers_of(session, pseudonym):
            if answer.message_id is not None:
                found.setdefault(answer.message_id, []).append(answer.text)
        return found


def must_be_kept(setup: Setup, before: Stored, text: str) -> bool:
    """Whether the engine promises to store this text, given the state before it."""
    if not before.exists or before.step is None or before.paused:
        return False  # before consent nothing is stored; paused shows the reminder
    if before.step.startswith("check:") and fold_words(text) in _YES | _NO:
        return False  # a typed Klopt / Niet helemaal
    analysis = setup.loop.run_until_complete(setup.analyser.analyse(text))
    # Insults aimed at the bot get a calm word, unless they also show distress.
    return not (analysis.insult and not analysis.distress.kinds)


def play(setup: Setup, actions: list[Action]) -> set[str]:
    """Run the actions and check every invariant after every event; returns the steps seen."""
    people = [Participant(f"property-{next(_pseudonyms):08d}", 7_000_000 + n) for n in range(2)]
    valid = setup.valid_steps()
    visited: set[str] = set()
    for action in actions:
        person = people[action.who]
        before = stored(setup, person.pseudonym)
        redelivery = action.kind == "redeliver"
        if redelivery:
            if person.previous is None:
                continue
            incoming = person.previous
        else:
            event = to_event(setup, person, action)
            if event is None:
                continue
            incoming = Incoming(person.pseudonym, event, person.chat_id, next(_update_ids))
        event = incoming.event
        if (
            isinstance(event, Edit)
            and event.message_id == before.latest_message_id
            and event.message_id in person.expected
        ):
            # An edit of the latest answer replaces its text (see SurveyEngine.on_edit).
            person.expected[event.message_id] = event.text

        response = setup.loop.run_until_complete(setup.engine.handle(incoming))

        assert_fits_telegram(response)
        after = stored(setup, person.pseudonym)
        assert after.step is None or after.step in valid, after.step
        if after.step is not None:
            visited.add(after.step)
        if not after.exists:
            person.expected.clear()  # /delete or the age gate: erasing is the point
        elif redelivery:
            assert after.answers == before.answers, "a redelivered update stored something"
        elif (
            isinstance(incoming.event, Text)
            and incoming.event.message_id is not None
            and must_be_kept(setup, before, incoming.event.text)
        ):
            person.expected[incoming.event.message_id] = incoming.event.text
        texts = stored_texts(setup, person.pseudonym)
        for message_id, text in person.expected.items():
            assert texts.get(message_id) == [text], (message_id, texts.get(message_id))
        assert all(len(found) == 1 for found in texts.values()), texts

        person.last = response if not response.duplicate else person.last
        person.seen_data.extend(live_buttons(response))
        person.previous = incoming
    return visited


@PROPERTIES
@given(actions=st.lists(ACTIONS, min_size=1, max_size=40))
def test_random_events_keep_every_invariant(setup: Setup, actions: list[Action]) -> None:
    play(setup, actions)


# Most random sequences stall in the profile questions; these start every example
# at the first open question, so the theme steps (check/pick) and the end get
# exercised too: consent ("Ik doe mee" is 5th from the end of the welcome's
# buttons), then skip age, area and free time (skip is their last button).
TO_OPEN_QUESTIONS = [Action(0, "start", 0), Action(0, "press", 4), *[Action(0, "press", 0)] * 3]
IN_SURVEY = st.lists(
    st.builds(
        Action,
        st.just(0),
        st.sampled_from(["press"] * 5 + ["text"] * 3 + ["edit", "stale", "command", "redeliver"]),
        st.integers(0, 1_000),
        TEXTS,
    ),
    min_size=1,
    max_size=30,
)


def test_random_events_inside_the_survey_keep_every_invariant(setup: Setup) -> None:
    visited: set[str] = set()

    @PROPERTIES
    @given(actions=IN_SURVEY)
    # Always tried as well: a message of 4096 emoji (8192 UTF-16 units) echoed by /mydata.
    @example(
        actions=[
            Action(0, "text", 0, "😀" * 4096),
            Action(0, "command", MENU_COMMANDS.index("mydata")),
        ]
    )
    # And an unsure answer ("geen tijd": DigestThemes scores it 0.3), so the pick step is
    # always among the steps checked. Derandomized draws alone stopped reaching it when
    # unrelated modules were added: Hypothesis also draws from literals in the code it
    # has loaded, so the 40 examples shift whenever the code base does.
    @example(actions=[Action(0, "text", 0, "geen tijd"), Action(0, "press", 0)])
    def inside(actions: list[Action]) -> None:
        visited.update(play(setup, TO_OPEN_QUESTIONS + actions))

    inside()
    # A guard on the generator: the examples reached every kind of step, so the
    # invariants were checked there too.
    kinds = {step.split(":")[0] for step in visited}
    assert kinds >= {"q", "check", "pick", OPT_IN, DONE}, kinds
