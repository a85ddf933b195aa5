"""Button kinds and their signed data: the bytes chats already hold must keep working."""

from __future__ import annotations

import pytest

from bot.engine.buttons import (
    ARGUMENTS,
    ButtonCodec,
    ButtonKind,
    ButtonPress,
    claimed_kind,
)
from privacy.identity import CallbackCodec
from tests.support.secrets import TEST_SECRET

# Signed with TEST_SECRET by the engine before ButtonKind existed (codec.encode with the
# letter). Messages in chats carry data like this for months: it must decode the same.
SIGNED_BEFORE = [
    ("c|yes|nl|-|1|_4Xyp6v9", ButtonKind.CONSENT, ("yes", "nl", "-", "1")),
    ("l|nl|-|X0xsLb9G", ButtonKind.LANGUAGE, ("nl", "-")),
    ("a|age|13-15|QVpHTkvw", ButtonKind.ANSWER, ("age", "13-15")),
    ("t|free-time|sport|u6ZEtDYI", ButtonKind.TICK_OPTION, ("free-time", "sport")),
    ("d|free-time|9eFx2ZHk", ButtonKind.OPTIONS_DONE, ("free-time",)),
    ("s|area|hkL2tp6V", ButtonKind.SKIP, ("area",)),
    ("o|yes|JQGNCxpq", ButtonKind.OPT_IN, ("yes",)),
    ("r|-0Bsj3L7", ButtonKind.RESUME, ()),
    ("x|yes|lYIj1qZp", ButtonKind.DELETE, ("yes",)),
    ("k|holds-back|no|GoFOisJU", ButtonKind.THEMES_CHECK, ("holds-back", "no")),
    ("g|holds-back|cost|sV7K3ukC", ButtonKind.TICK_THEME, ("holds-back", "cost")),
    ("f|holds-back|KMkHeSek", ButtonKind.THEMES_PICKED, ("holds-back",)),
    # Added with the distress check-in; pinned from its first release on.
    ("h|suicide|W5MYoent", ButtonKind.TALK, ("suicide",)),
    ("y|under-13|yes|9blK5t0k", ButtonKind.AGE_CONFIRM, ("under-13", "yes")),
    # Added with the handover to a youth worker; pinned from its first release on.
    ("v|alarm|suicide|yes|0gi7z4yy", ButtonKind.HANDOVER, ("alarm", "suicide", "yes")),
    ("w|12|m3ZTYpez", ButtonKind.CLAIM_CASE, ("12",)),
    ("e|12|U0XI7tHD", ButtonKind.CLOSE_CASE, ("12",)),
    # Added with offers (offers.yml); pinned from its first release on.
    ("n|uitpas|98A26u04", ButtonKind.OFFER, ("uitpas",)),
    # Added with follow-up rounds; pinned from their first release on.
    ("j|opvolging|3X4syX0k", ButtonKind.JOIN_ROUND, ("opvolging",)),
    ("m|a-0UFRak", ButtonKind.NO_MORE_MESSAGES, ()),
    (
        "b|transport|on-the-agenda|helps|3obESaKt",
        ButtonKind.FEEDBACK,
        ("transport", "on-the-agenda", "helps"),
    ),
]


@pytest.fixture
def buttons() -> ButtonCodec:
    return ButtonCodec(CallbackCodec(TEST_SECRET))


def test_every_kind_is_pinned_to_the_data_signed_before() -> None:
    assert {kind for _, kind, _ in SIGNED_BEFORE} == set(ButtonKind)


@pytest.mark.parametrize(("data", "kind", "args"), SIGNED_BEFORE)
def test_encoding_is_byte_identical_to_the_data_signed_before(
    buttons: ButtonCodec, data: str, kind: ButtonKind, args: tuple[str, ...]
) -> None:
    assert buttons.encode(kind, *args) == data


@pytest.mark.parametrize(("data", "kind", "args"), SIGNED_BEFORE)
def test_data_signed_before_decodes_to_its_kind_and_arguments(
    buttons: ButtonCodec, data: str, kind: ButtonKind, args: tuple[str, ...]
) -> None:
    assert buttons.decode(data) == ButtonPress(kind, args)
    assert claimed_kind(data) is kind


def test_the_arguments_of_each_kind_are_those_chats_hold() -> None:
    assert {kind.value: len(names) for kind, names in ARGUMENTS.items()} == {
        "c": 4,
        "l": 2,
        "a": 2,
        "t": 2,
        "d": 1,
        "s": 1,
        "o": 1,
        "r": 0,
        "x": 1,
        "k": 2,
        "g": 2,
        "f": 1,
        "h": 1,
        "y": 2,
        "v": 3,
        "w": 1,
        "e": 1,
        "n": 1,
        "j": 1,
        "m": 0,
        "b": 3,
    }


def test_encoding_the_wrong_number_of_arguments_is_refused(buttons: ButtonCodec) -> None:
    with pytest.raises(ValueError, match="ANSWER"):
        buttons.encode(ButtonKind.ANSWER, "age")


def test_forged_or_foreign_data_decodes_to_nothing(buttons: ButtonCodec) -> None:
    genuine = buttons.encode(ButtonKind.ANSWER, "age", "13-15")
    forged = "a|age|22-25|" + genuine.rpartition("|")[2]
    other_bot = ButtonCodec(CallbackCodec(b"another secret")).encode(ButtonKind.RESUME)
    for data in (forged, other_bot, "", "a", "a|age|13-15", "|||"):
        assert buttons.decode(data) is None, data


def test_our_signature_on_an_unknown_kind_or_shape_decodes_to_nothing(
    buttons: ButtonCodec,
) -> None:
    """Signed by another version of this bot: a letter or an argument count we do not know."""
    codec = buttons.codec
    for data in (codec.encode("z"), codec.encode("a", "age"), codec.encode("r", "extra")):
        assert buttons.decode(data) is None, data


def test_the_claimed_kind_is_read_before_the_signature() -> None:
    assert claimed_kind("c|anything|forged") is ButtonKind.CONSENT
    assert claimed_kind("x|") is ButtonKind.DELETE
    assert claimed_kind("c") is None
    assert claimed_kind("cc|yes") is None
    assert claimed_kind("") is None
