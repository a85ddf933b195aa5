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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

Floats = NDArray[np.float32]


@dataclass(frozen=True)
class Block:
    """One vectoriser's part of the features: its terms (in column order) and their idf."""

    vocabulary: Mapping[str, int]
    idf: Floats
    offset: int  # the block's first column in the weight matrix

    @classmethod
    def from_terms(cls, terms: Sequence[str], idf: Any, offset: int) -> Block:
        """A block whose term ``terms[i]`` has column ``offset + i``."""
        vocabulary = dict(zip(terms, range(len(terms)), strict=True))
        return cls(vocabulary, np.asarray(idf, dtype=np.float32), offset)

    def terms(self) -> list[str]:
        """The terms in column order (what the model file stores)."""
        terms = [""] * len(self.vocabulary)
        for term, index in self.vocabulary.items():
            terms[index] = term
        return terms

    def tfidf(self, features: Iterable[str]) -> tuple[NDArray[np.intp], Floats]:
        """The columns and l2-normalised sublinear TF-IDF values of one text's features."""
        counts: dict[int, int] = {}
        lookup = self.vocabulary.get
        for feature in features:
            index = lookup(feature)
            if index is not None:
                counts[index] = counts.get(index, 0) + 1
        if not counts:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.float32)
        columns = np.fromiter(counts, dtype=np.intp, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
        values: Floats = (np.float32(1.0) + np.log(tf)) * self.idf[columns]
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

    def probabilities(self, features: Sequence[Iterable[str]]) -> Floats:
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
            terms = arrays[f"terms{i}"].tolist()
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
