"""The survey engine: events in, replies out, conversation state in the database.

It knows nothing about Telegram or the terminal. An adapter turns what its
channel receives into an :class:`Incoming` event and renders the
:class:`Response` (texts and buttons). Each event is handled in one database
transaction: the answer, the new state and the "update seen" mark are
committed together, so a crash never stores half a step and a redelivered
update is stored once.

Every text is analysed before its transaction starts (``nlu.service``):
distress always, themes within a one-second budget. After an open answer the
engine reflects the themes back ("Check") or, when unsure, lets the young
person pick them ("Pick"): at most one such step per answer.

Where to look:

- ``events``: what an adapter hands in (``Start``, ``Text``, ``Press``, ...) and
  gets back (``Reply``, ``Button``, ``Response``).
- ``steps``: where a participant is (``Step``, stored as ``q:<id>``,
  ``check:<id>``, ``pick:<id>``, ``opt_in``, ``done``) and what comes next.
- ``buttons``: the kinds of button (``ButtonKind``) and their signed data.
- ``prompts``: the texts and keyboards of every step; typed text read back as a button.
- ``safeguarding``: the two distress tiers (alarm, concern) and the helpline reply.
- ``turn``: ``SurveyEngine`` and the ``Turn`` that handles one event.
- ``handover``: a youth worker taking over: the offer, the case card, what goes across;
  ``case_turn`` is the young person's side of it inside a turn, ``staff`` the staff
  chat's (``StaffDesk``: claim, answer, close).
- ``offers``: the network's offers (offers.yml) that answer a barrier just confirmed.
- ``rounds``: a follow-up round's invitation (Doe mee, Geen berichten meer), and
  whether a round is open; sending it is bot/sending.py's job.
- ``feedback``: "jullie zeiden, wij deden" on a theme, and its three reactions.

The conversation (states are step kinds; a state's name is its stored form; AgeCheck
and CheckIn are a message with buttons on the same step, Paused a flag on it):

```mermaid
stateDiagram-v2
    [*] --> Welcome: /start [code]
    Welcome --> Welcome: language button
    Welcome --> [*]: Liever niet (nothing stored)
    Welcome --> q: Ik doe mee
    q --> q: answer, button or skip
    q --> check: open answer, themes recognised
    check --> q: Klopt (next question)
    check --> pick: Niet helemaal
    q --> pick: open answer, unsure
    pick --> q: Klaar (next question)
    q --> AgeCheck: age under minimum
    AgeCheck --> [*]: Ja, dat klopt (everything erased)
    AgeCheck --> q: Nee, foutje
    q --> Paused: /stop, or an alarm (helplines first)
    q --> CheckIn: a concern
    CheckIn --> Paused: Ik wil met iemand praten (helplines, a youth worker offered)
    q --> Case: /praten, then Ja, graag (handover.py)
    Case --> Paused: /stop or Afsluiten
    CheckIn --> q: Het gaat wel, verder
    Paused --> q: /start or Verder doen
    q --> opt_in: last question answered
    opt_in --> done: Ja / Nee
    done --> Welcome: /start
    done --> q: Doe mee, or a link naming a round (its first question not yet known)
    done --> more: Ik wil er meer over zeggen (under feedback, feedback.py)
    more --> done: their own words, stored as an answer to fb-<theme>
```

Paused is a flag beside the step, not a step; from any step, /delete erases
everything, and a changed privacy text brings the welcome back first.
"""

from bot.engine.buttons import ButtonKind
from bot.engine.events import (
    Button,
    Command,
    Edit,
    Event,
    Incoming,
    Keyboard,
    NonText,
    Press,
    Reply,
    Response,
    Start,
    Text,
)
from bot.engine.prompts import MENU_COMMANDS, command_menu
from bot.engine.steps import Step, StepKind
from bot.engine.turn import _NO, _YES, EXTRA, SurveyEngine

# The stored form of the two steps without a question (a StrEnum equals its value),
# for comparing with ``Response.step`` and ``conversations.step``.
OPT_IN = StepKind.OPT_IN
DONE = StepKind.DONE

__all__ = [
    "DONE",
    "EXTRA",
    "MENU_COMMANDS",
    "OPT_IN",
    # The typed words that answer "Klopt dat?"; the property tests predict the engine with them.
    "_NO",
    "_YES",
    "Button",
    "ButtonKind",
    "Command",
    "Edit",
    "Event",
    "Incoming",
    "Keyboard",
    "NonText",
    "Press",
    "Reply",
    "Response",
    "Start",
    "Step",
    "StepKind",
    "SurveyEngine",
    "Text",
    "command_menu",
]
