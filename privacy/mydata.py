"""The /mydata document: everything stored about one young person, as they receive it."""

from __future__ import annotations

import json

from storage import repository as repo
from storage.database import Session
from survey.text import split_utf16

# UTF-16 units per message: under Telegram's 4096, so every channel can send a piece as is.
PIECE_UNITS = 3500


def mydata_document(session: Session, participant_id: int) -> str:
    """Everything stored about the participant, as indented JSON (what this turn changed too)."""
    session.flush()
    data = repo.participant_data(session, participant_id)
    return json.dumps(data, ensure_ascii=False, indent=1)


def mydata_pieces(session: Session, participant_id: int) -> list[str]:
    """The document in pieces of at most PIECE_UNITS that join back into it.

    Blank pieces are left out: a channel refuses an empty message. Only an answer
    holding thousands of spaces in a row can lose some of them that way.
    """
    pieces = split_utf16(mydata_document(session, participant_id), PIECE_UNITS)
    return [piece for piece in pieces if piece.strip()]
