"""Text helpers every layer shares: one way to fold text, one way to count and split it.

Folding is for matching (typed answers to buttons, keywords, insults); it is never
stored. Splitting keeps every character: channels that limit a message's length
(Telegram counts UTF-16 code units) send the pieces in order, and joined they are
the original text.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"\w+|€")


def fold(text: str) -> str:
    """Lower case, accents dropped, runs of whitespace made one space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def fold_words(text: str) -> str:
    """``fold`` with punctuation and emoji dropped: the words (and €), one space apart."""
    return " ".join(_WORD.findall(fold(text)))


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts it (an emoji can count as two)."""
    return len(text.encode("utf-16-le")) // 2


def _units(char: str) -> int:
    return 2 if ord(char) > 0xFFFF else 1


def split_utf16(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` UTF-16 units whose concatenation is ``text``.

    A piece ends after the last line break that fits, else after the last space,
    else at the limit itself; a character outside the BMP is never cut in two.
    """
    if limit < 2:
        raise ValueError("limit must leave room for a character outside the BMP")
    pieces: list[str] = []
    start = 0
    while utf16_length(text[start:]) > limit:
        end, units = start, 0
        while units + _units(text[end]) <= limit:
            units += _units(text[end])
            end += 1
        cut = text.rfind("\n", start, end)
        if cut < start:
            cut = text.rfind(" ", start, end)
        end = cut + 1 if cut >= start else end
        pieces.append(text[start:end])
        start = end
    pieces.append(text[start:])
    return pieces
