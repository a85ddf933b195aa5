"""The n-grams scikit-learn's text vectorisers make, without importing scikit-learn.

Training uses scikit-learn; the running bot only needs each text's n-grams to look
up in a trained vocabulary. Importing scikit-learn for that costs the bot about
70 MB and a second of start-up (docs/performance.md), so these few functions
re-state what ``TfidfVectorizer``'s analysers do. ``tests/nlu/test_ngrams.py``
checks that they give exactly scikit-learn's n-grams on every training text.
"""

from __future__ import annotations

import re
import unicodedata

# TfidfVectorizer(token_pattern=...) as the theme classifier configures it.
WORD_TOKEN = re.compile(r"(?u)\b\w+\b")


def strip_accents(text: str) -> str:
    """``strip_accents="unicode"``: NFKD, then combining marks dropped."""
    if text.isascii():
        return text
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def char_wb_ngrams(text: str, low: int, high: int) -> list[str]:
    """``analyzer="char_wb"``: character n-grams inside words, each word padded by a space."""
    ngrams: list[str] = []
    append = ngrams.append
    for word in text.split():
        padded = f" {word} "
        length = len(padded)
        for n in range(low, high + 1):
            if length <= n:
                # A word shorter than n counts once, as itself, and ends this word's n-grams.
                append(padded)
                break
            for offset in range(length - n + 1):
                append(padded[offset : offset + n])
    return ngrams


def word_ngrams(tokens: list[str], low: int, high: int) -> list[str]:
    """``analyzer="word"``: the tokens joined in runs of ``low`` to ``high``."""
    ngrams: list[str] = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        ngrams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
    return ngrams
