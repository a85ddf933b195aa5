"""Representative quotes: central (they say what many say) and diverse (not five times the same).

The most central answer (closest to the mean TF-IDF vector) comes first; each
next one is chosen by maximal marginal relevance: close to the centre, far
from the quotes already chosen. Deterministic: ties go to the lowest answer id.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from reports.findings.textvectors import tfidf, without_placeholders

# Quotes are shown whole, never shortened: answers longer than this are not quoted.
MAX_QUOTE_CHARACTERS = 320
MIN_QUOTE_WORDS = 3
# More candidates than this are thinned out evenly (by answer id) before the maths.
MAX_CANDIDATES = 2000
# 0: only centrality; 1: only difference from the quotes already chosen.
DIVERSITY = 0.6

T = TypeVar("T")

_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class Quote:
    """A redacted answer, verbatim, with its reference in the staff export."""

    answer_id: int
    text: str


def quotable(text: str) -> bool:
    """Whether a redacted answer can be shown whole as a quote."""
    return (
        len(text) <= MAX_QUOTE_CHARACTERS
        and len(_WORD.findall(without_placeholders(text))) >= MIN_QUOTE_WORDS
    )


def thin_out(items: Sequence[T], limit: int) -> list[T]:
    """At most ``limit`` items, evenly spread over the sequence (deterministic)."""
    if len(items) <= limit:
        return list(items)
    step = len(items) / limit
    return [items[int(index * step)] for index in range(limit)]


def _unique(candidates: Sequence[Quote]) -> list[Quote]:
    """Candidates by answer id, each wording once (the first answer that used it)."""
    seen: set[str] = set()
    unique = []
    for quote in sorted(candidates, key=lambda q: q.answer_id):
        key = " ".join(quote.text.casefold().split())
        if key not in seen:
            seen.add(key)
            unique.append(quote)
    return unique


def representative(candidates: Sequence[Quote], count: int) -> list[Quote]:
    """Up to ``count`` quotable candidates, most central first, then the most diverse."""
    pool = thin_out(_unique([q for q in candidates if quotable(q.text)]), MAX_CANDIDATES)
    if len(pool) <= count:
        return pool
    matrix, vocabulary = tfidf([quote.text for quote in pool])
    if not vocabulary:
        return pool[:count]
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    norm = np.linalg.norm(centroid)
    centrality = matrix @ (centroid / norm) if norm else np.zeros(len(pool))
    centrality = np.round(np.asarray(centrality).ravel(), 12)
    chosen = [int(np.argmax(centrality))]  # argmax takes the first of equals: the lowest id
    closest = np.zeros(len(pool))
    while len(chosen) < count:
        similarity = np.asarray((matrix @ matrix[chosen[-1]].T).todense()).ravel()
        closest = np.maximum(closest, np.round(similarity, 12))
        score = (1 - DIVERSITY) * centrality - DIVERSITY * closest
        score[chosen] = -np.inf
        chosen.append(int(np.argmax(score)))
    return [pool[index] for index in chosen]
