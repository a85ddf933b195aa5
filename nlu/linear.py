"""A trained TF-IDF + logistic model, run with numpy alone, and its file format.

Both built-in models (the barrier themes, nlu.builtin; distress, nlu.distress) are
linear: TF-IDF features, times one weight column per label, through the logistic
function. scikit-learn fits them; :class:`TfidfLinear` keeps only what prediction
needs (each block's vocabulary and idf, the weights as float32) and computes one
message's scores by hand. For one message that is about ten times faster than
scikit-learn's ``transform`` and sparse product, and the bot never imports
scikit-learn at all (figures: docs/performance.md).

What it computes is what ``TfidfVectorizer(sublinear_tf=True)`` and
``LogisticRegression.predict_proba`` compute: per block, the counts of the known
features, ``1 + log(count)``, times idf, scaled to unit length; the blocks side by
side (``FeatureUnion``); then ``sigmoid(x · W + b)``. Tests check it against
scikit-learn's own output.

The model file is an ``.npz`` of plain arrays, read with ``allow_pickle=False``:
unlike a pickle, a model file cannot run code when it is loaded.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float32]
# Terms turned into Python strings at a time while a vocabulary is built.
_SLICE = 2048


class Vocabulary:
    """Terms to columns, in about a tenth of the memory of a ``dict[str, int]``.

    A trained model knows some 40,000-60,000 n-grams. As a dict, each costs a string
    object, an int object and a slot: over 100 bytes, 13 MB for the two models, which
    took the bot over its memory budget (docs/performance.md). Here a term is its
    64-bit ``hash()`` in a sorted array: the hashing trick of scikit-learn's
    ``HashingVectorizer``, with 2**64 buckets instead of its 2**20, so an n-gram the
    model never saw is counted as a known one with a probability of about one in
    3 * 10**14 (60,000 / 2**64). Checking each hit against the term's text took a Python
    loop that made a prediction three times slower. Python salts ``hash()`` per process,
    so the hashes are computed when the model is loaded and never stored; the terms are
    kept as UTF-8 bytes, for the model file.
    """

    def __init__(self, terms: Sequence[str] | NDArray[np.str_]) -> None:
        """``terms[i]`` has column ``i``.

        Read a slice at a time: the terms of a model file as Python strings all at once
        are tens of thousands of small objects, and the allocator keeps the memory they
        were in after they are gone (docs/performance.md, "Memory at start-up").
        """
        count = len(terms)
        lengths = np.empty(count, dtype=np.int64)
        hashes = np.empty(count, dtype=np.int64)
        texts = []
        for start in range(0, count, _SLICE):
            part = terms[start : start + _SLICE]
            words: list[str] = part.tolist() if isinstance(part, np.ndarray) else list(part)
            encoded = [word.encode() for word in words]
            lengths[start : start + len(words)] = [len(e) for e in encoded]
            hashes[start : start + len(words)] = [hash(word) for word in words]
            texts.append(b"".join(encoded))
        self._text = b"".join(texts)
        self._ends = np.cumsum(lengths)
        order = np.argsort(hashes, kind="stable")
        self._hashes = hashes[order]
        self._columns = order.astype(np.intp)

    def __len__(self) -> int:
        return int(self._hashes.size)

    def term(self, column: int) -> str:
        """The term of one column."""
        start = int(self._ends[column - 1]) if column else 0
        return self._text[start : int(self._ends[column])].decode()

    def terms(self) -> list[str]:
        """The terms in column order."""
        return [self.term(column) for column in range(len(self))]

    def columns(self, features: Sequence[str]) -> NDArray[np.intp]:
        """The column of every known feature, once per occurrence."""
        if not features or not len(self):
            return np.empty(0, dtype=np.intp)
        hashes = np.fromiter(map(hash, features), dtype=np.int64, count=len(features))
        found = np.searchsorted(self._hashes, hashes)
        np.minimum(found, len(self) - 1, out=found)
        known: NDArray[np.intp] = self._columns[found[self._hashes[found] == hashes]]
        return known


@dataclass(frozen=True)
class Block:
    """One vectoriser's part of the features: its terms (in column order) and their idf."""

    vocabulary: Vocabulary
    idf: Floats
    offset: int  # the block's first column in the weight matrix

    @classmethod
    def from_terms(cls, terms: Sequence[str] | NDArray[np.str_], idf: Any, offset: int) -> Block:
        """A block whose term ``terms[i]`` has column ``offset + i``."""
        return cls(Vocabulary(terms), np.asarray(idf, dtype=np.float32), offset)

    def terms(self) -> list[str]:
        """The terms in column order (what the model file stores)."""
        return self.vocabulary.terms()

    def tfidf(self, features: Sequence[str]) -> tuple[NDArray[np.intp], Floats]:
        """The columns and l2-normalised sublinear TF-IDF values of one text's features."""
        known = self.vocabulary.columns(features)
        if not known.size:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.float32)
        columns, tf = np.unique(known, return_counts=True)
        values: Floats = (np.float32(1.0) + np.log(tf.astype(np.float32))) * self.idf[columns]
        values /= math.sqrt(float(values @ values))
        return columns + self.offset, values


class TfidfLinear:
    """``sigmoid(tfidf(features) · weights + bias)``: one probability per label."""

    def __init__(self, blocks: Sequence[Block], weights: Any, bias: Any) -> None:
        self.blocks = tuple(blocks)
        # C order: a message's few feature rows are read as contiguous runs.
        self.weights: Floats = np.ascontiguousarray(weights, dtype=np.float32)
        self.bias: Floats = np.asarray(bias, dtype=np.float32).reshape(-1)
        width = sum(len(block.vocabulary) for block in self.blocks)
        if self.weights.shape != (width, self.bias.size):
            raise ValueError(
                f"weights are {self.weights.shape}, expected ({width}, {self.bias.size})"
            )

    def probabilities(self, features: Sequence[Sequence[str]]) -> Floats:
        """Per-label probabilities of one text, given its features for each block."""
        logits = self.bias.astype(np.float64)
        for block, block_features in zip(self.blocks, features, strict=True):
            columns, values = block.tfidf(block_features)
            if columns.size:
                logits = logits + values @ self.weights[columns]
        result: Floats = (1.0 / (1.0 + np.exp(-logits))).astype(np.float32)
        return result

    @classmethod
    def from_fitted(cls, vectorizers: Sequence[Any], weights: Any, bias: Any) -> TfidfLinear:
        """From fitted ``TfidfVectorizer``s (in feature order) and the label weights."""
        blocks, offset = [], 0
        for vectorizer in vectorizers:
            vocabulary: dict[str, int] = vectorizer.vocabulary_
            terms = sorted(vocabulary, key=vocabulary.__getitem__)
            blocks.append(Block.from_terms(terms, vectorizer.idf_, offset))
            offset += len(terms)
        return cls(blocks, weights, bias)

    def arrays(self) -> dict[str, Any]:
        """Everything the model file stores, as plain arrays."""
        stored: dict[str, Any] = {"weights": self.weights, "bias": self.bias}
        for i, block in enumerate(self.blocks):
            stored[f"terms{i}"] = np.array(block.terms(), dtype=np.str_)
            stored[f"idf{i}"] = block.idf
        return stored

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, Any]) -> TfidfLinear:
        """The inverse of :meth:`arrays`."""
        blocks, offset, i = [], 0, 0
        while f"terms{i}" in arrays:
            terms = arrays[f"terms{i}"]
            blocks.append(Block.from_terms(terms, arrays[f"idf{i}"], offset))
            offset += len(terms)
            i += 1
        return cls(blocks, arrays["weights"], arrays["bias"])


def save_model(path: Path, arrays: Mapping[str, Any], metadata: Mapping[str, Any]) -> None:
    """Write arrays and JSON metadata to one ``.npz`` file at exactly ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A file object, not a name: numpy would add ".npz" to a name without it.
    with path.open("wb") as file:
        np.savez(file, metadata=np.array(json.dumps(dict(metadata))), **arrays)


def load_model(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The arrays and metadata of a file :func:`save_model` wrote (ValueError if not one)."""
    with np.load(path, allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    if "metadata" not in arrays:
        raise ValueError(f"{path}: not a model file (no metadata)")
    metadata = json.loads(str(arrays.pop("metadata")))
    if not isinstance(metadata, dict):
        raise ValueError(f"{path}: not a model file (metadata is not an object)")
    return arrays, metadata
