"""survey.text: folding for matching, and the lossless UTF-16 splitter channels send with."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from survey.text import fold, fold_words, split_utf16, utf16_length

# Characters that make splitting interesting: line breaks, spaces, emoji (two UTF-16
# units each), accents that fold, and plain letters.
PIECES_ALPHABET = st.sampled_from(["a", "é", " ", "\n", "😀", "🚲", "\r\n", "€", "ß"])
texts = st.lists(PIECES_ALPHABET, max_size=400).map("".join) | st.text(max_size=400)


def test_fold_lowers_drops_accents_and_collapses_whitespace() -> None:
    assert fold("  Éèn\tTWEE\n\ndrie  ") == "een twee drie"
    assert fold("Straße") == "strasse"


def test_fold_words_keeps_words_and_euro_only() -> None:
    assert fold_words("Ja, klopt! 👍") == "ja klopt"
    assert fold_words("Te duur: €5 per week...") == "te duur € 5 per week"
    assert fold_words("🙂🙂") == ""


def test_utf16_length_counts_emoji_twice() -> None:
    assert utf16_length("") == 0
    assert utf16_length("abc") == 3
    assert utf16_length("😀") == 2
    assert utf16_length("é😀a") == 4


def test_short_text_is_one_piece() -> None:
    assert split_utf16("Hoi!", 10) == ["Hoi!"]
    assert split_utf16("", 10) == [""]


def test_cuts_after_the_last_line_break_that_fits() -> None:
    assert split_utf16("een twee\ndrie vier", 12) == ["een twee\n", "drie vier"]


def test_cuts_after_the_last_space_when_no_line_break_fits() -> None:
    assert split_utf16("een twee drie", 10) == ["een twee ", "drie"]


def test_cuts_at_the_limit_when_there_is_no_space() -> None:
    assert split_utf16("a" * 10, 4) == ["aaaa", "aaaa", "aa"]


def test_an_emoji_that_would_straddle_the_limit_goes_to_the_next_piece() -> None:
    # Three units of "a", then an emoji of two: it does not fit in a piece of four.
    assert split_utf16("aaa😀", 4) == ["aaa", "😀"]


def test_a_limit_too_small_for_an_emoji_is_refused() -> None:
    with pytest.raises(ValueError, match="limit"):
        split_utf16("😀", 1)


@given(text=texts, limit=st.integers(min_value=2, max_value=60))
@example(text="😀" * 3000, limit=4096)
@example(text="a" * 4096 + "😀", limit=4096)
@example(text="\n" * 10, limit=3)
def test_pieces_join_into_the_text_and_respect_the_limit(text: str, limit: int) -> None:
    """Nothing is lost or added, no piece is too long, and none is empty but the only one."""
    pieces = split_utf16(text, limit)
    assert "".join(pieces) == text
    assert all(utf16_length(piece) <= limit for piece in pieces)
    assert all(pieces[:-1]), "an empty piece before the end"
    if text:
        assert pieces[-1], "an empty last piece"
    for piece in pieces:
        # A character outside the BMP cut in two would leave a lone surrogate.
        piece.encode("utf-16-le", errors="strict")
        assert utf16_length(piece) == len(piece.encode("utf-16-le")) // 2


@given(text=texts, limit=st.integers(min_value=2, max_value=60))
def test_a_piece_is_only_cut_short_at_a_break(text: str, limit: int) -> None:
    """A piece shorter than the limit (but the last) ends after a line break or a space,
    or the next character would not have fitted."""
    pieces = split_utf16(text, limit)
    for piece, following in itertools.pairwise(pieces):
        room = limit - utf16_length(piece)
        assert piece.endswith(("\n", " ")) or utf16_length(following[0]) > room
