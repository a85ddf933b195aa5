"""New signals: answers no theme covers, grouped by what they say.

Candidates are answers whose themes are ``other`` or whose best theme the
classifier was unsure of. Their redacted texts become character n-gram TF-IDF
vectors (young people spell "broertje", "broer" and "broere" alike enough),
weighted by how much more often each n-gram occurs among the candidates than
in the other answers: what the candidates share with everything else
("school", "thuis") should not decide the groups, what sets them apart
should. Average-linkage agglomerative clustering on cosine distance groups
them. It is quadratic, so at most ``MAX_SAMPLE`` evenly spread answers are
clustered and the others join the nearest cluster when close enough.
Deterministic: no randomness at all, ties by answer id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from reports.findings.quotes import Quote, quotable, representative, thin_out
from reports.findings.textvectors import tfidf, without_placeholders

MAX_SAMPLE = 2500
MAX_BACKGROUND = 5000
# Average cosine distance under which answers belong together. Tuned on the demo's two
# planted signals (bot/demo.py): 0.9 keeps every group pure; above 0.93 the two merge.
DISTANCE_THRESHOLD = 0.9
# Smoothing of the candidate/background contrast, as a share of answers.
CONTRAST_SMOOTHING = 0.01


@dataclass(frozen=True)
class SignalAnswer:
    """A candidate answer: redacted text, and whose it is (an index, never a pseudonym)."""

    answer_id: int
    participant: int
    text: str


@dataclass(frozen=True)
class Signal:
    """A group of similar answers: a candidate new theme."""

    answers: int
    participants: int
    terms: tuple[str, ...]
    quotes: tuple[Quote, ...]


def _clusters(vectors: csr_matrix) -> np.ndarray:
    """A cluster number per row, or -1 for rows that joined no cluster."""
    count = vectors.shape[0]
    # Answers with nothing in common with the other candidates have no direction to compare.
    usable = np.flatnonzero(np.asarray(vectors.multiply(vectors).sum(axis=1)).ravel() > 0)
    if len(usable) < 2:
        return np.full(count, -1)
    spread = np.unique(np.linspace(0, len(usable) - 1, min(len(usable), MAX_SAMPLE)).astype(int))
    sample = vectors[usable[spread]]
    # Cosine distances from one sparse product (rows are unit length): fast, and small.
    distances = np.clip(1.0 - np.round((sample @ sample.T).toarray(), 12), 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    clustering = AgglomerativeClustering(
        n_clusters=None,
        metric="precomputed",
        linkage="average",
        distance_threshold=DISTANCE_THRESHOLD,
    )
    sample_labels = clustering.fit_predict(distances)
    centres = []
    for label in range(int(sample_labels.max()) + 1):
        members = sample[np.flatnonzero(sample_labels == label)]
        if members.shape[0] >= 2:
            centres.append(np.asarray(members.mean(axis=0)).ravel())
    if not centres:
        return np.full(count, -1)
    similarity = np.round(np.asarray(vectors @ normalize(np.asarray(centres)).T), 12)
    best = similarity.argmax(axis=1)
    close = similarity[np.arange(count), best] >= 1 - DISTANCE_THRESHOLD
    return np.where(close, best, -1)


def _vectors(texts: Sequence[str], background: Sequence[str]) -> csr_matrix:
    """Unit-length n-gram vectors of ``texts``, weighted by contrast with ``background``."""
    vectorizer = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True, dtype=np.float64
    )
    everything = [without_placeholders(text) for text in [*texts, *background]]
    try:
        matrix = csr_matrix(vectorizer.fit_transform(everything))
    except ValueError:  # no n-gram occurs twice
        return csr_matrix((len(texts), 1))
    candidates, others = matrix[: len(texts)], matrix[len(texts) :]
    share = np.asarray((candidates > 0).mean(axis=0)).ravel()
    elsewhere = (
        np.asarray((others > 0).mean(axis=0)).ravel() if others.shape[0] else np.zeros_like(share)
    )
    contrast = np.log((share + CONTRAST_SMOOTHING) / (elsewhere + CONTRAST_SMOOTHING))
    weighted = csr_matrix(candidates.multiply(np.clip(contrast, 0, None)))
    weighted.data = np.round(weighted.data, 12)
    weighted.eliminate_zeros()
    return csr_matrix(normalize(weighted))


def _key_terms(
    matrix: csr_matrix,
    members: np.ndarray,
    owners: np.ndarray,
    vocabulary: Sequence[str],
    count: int,
) -> tuple[str, ...]:
    """Terms typical of the cluster, each used by at least two of its participants."""
    inside = matrix[members]
    lift = np.asarray(inside.mean(axis=0)).ravel() - np.asarray(matrix.mean(axis=0)).ravel()
    present = inside.tocsc()
    terms: list[str] = []
    for column in sorted(range(len(vocabulary)), key=lambda c: (-round(lift[c], 12), c)):
        if lift[column] <= 0 or len(terms) >= count:
            break
        rows = present[:, column].nonzero()[0]
        if len(set(owners[members[rows]].tolist())) < 2:
            continue  # a word only one young person used could point to them
        term = vocabulary[column]
        if any(term in chosen or chosen in term for chosen in terms):
            continue
        terms.append(term)
    return tuple(terms)


def find_signals(
    candidates: Sequence[SignalAnswer],
    background: Sequence[str] = (),
    *,
    min_participants: int,
    quotes: int = 3,
    terms: int = 5,
    progress: Callable[[], None] | None = None,
) -> tuple[list[Signal], int]:
    """Clusters of at least ``min_participants`` young people, biggest first, and the rest's size.

    ``background`` holds the other answers in own words, to tell what is special here.
    """
    pool = sorted((c for c in candidates if quotable(c.text)), key=lambda c: c.answer_id)
    if len(pool) < 2:
        return [], len(pool)
    others = thin_out(background, MAX_BACKGROUND)
    labels = _clusters(_vectors([answer.text for answer in pool], others))
    matrix, vocabulary = tfidf([answer.text for answer in pool], min_df=2)
    if progress is not None:
        progress()
    owners = np.array([answer.participant for answer in pool])
    signals: list[tuple[tuple[int, int, int], Signal]] = []
    grouped = 0
    for label in sorted(set(labels.tolist()) - {-1}):
        members = np.flatnonzero(labels == label)
        people = len(set(owners[members].tolist()))
        if people < min_participants:
            continue
        grouped += len(members)
        signal = Signal(
            answers=len(members),
            participants=people,
            terms=_key_terms(matrix, members, owners, vocabulary, terms),
            quotes=tuple(
                representative(
                    [Quote(pool[i].answer_id, pool[i].text) for i in members.tolist()], quotes
                )
            ),
        )
        order = (-people, -len(members), pool[int(members[0])].answer_id)
        signals.append((order, signal))
    signals.sort(key=lambda pair: pair[0])
    return [signal for _, signal in signals], len(pool) - grouped
