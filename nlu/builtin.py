"""The built-in classifier: trained by scikit-learn in seconds, run in process by numpy.

Reading each answer in the shared spelling of ``nlu.normalise`` (as the distress
model does) was tried on the blind set and not taken: +0.013 macro-F1 with the
older data, -0.003 once ``languages-and-stories.yml`` was added, and a second
normaliser pass on every message (docs/nlu.md).

Character n-grams (within word boundaries) carry dialect and typos: "gin geld",
"geen geld" and "gn geld" share most of them. Word n-grams add the phrases.
One logistic regression per theme (scikit-learn's ``OneVsRestClassifier``)
gives multi-label output: a score per theme, several themes can pass the
threshold, and an answer where none passes ("hallo", "idk") gets no theme.

Calibration. Balanced class weights keep the rare themes from being drowned
by the rest; with weak regularisation (C=30) the per-theme probabilities come
out close to calibrated as they are, a little cautious in the middle, so the
bot's ``confident`` cut-off errs on the side of asking. Per-theme calibrators
(``CalibratedClassifierCV``) were tried and not taken: no better, and one more
model per theme to train and run. Cross-validated Brier/ECE comparisons of
each recipe: docs/nlu.md.

The threshold 0.35 is the best of 0.2-0.5 in the same cross-validation.
Returning the best theme when none passes the threshold was tried and not
taken: it gave many noise answers ("hallo", "idk") a theme, and the bot
already offers the themes to pick from when the best score is above
``ask_from``.

Training uses the ``newton-cg`` solver: the same objective as scikit-learn's
default ``lbfgs``, solved more exactly and much faster here, with one BLAS
thread (more threads cost CPU for no gain and are far slower when other work
shares the machine).

Prediction. scikit-learn fits the pipeline; the bot then predicts with the
fitted coefficients stacked into one float32 matrix (``nlu.linear``): one
message's features by hand, times that matrix, through the logistic function.
That is what ``OneVsRestClassifier.predict_proba`` computes (a test checks
they agree), about ten times faster for one message, and the bot never
imports scikit-learn. Only the matrix, the vocabularies and the idf are saved.

Figures (held-out scores, calibration, threshold sweep, speed): docs/nlu.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nlu.classifier import Prediction
from nlu.data import Example
from nlu.linear import TfidfLinear, load_model, save_model
from nlu.ngrams import WORD_TOKEN, char_wb_ngrams, strip_accents, word_ngrams

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

# Bump when the features or the model change: a saved model from another recipe is retrained,
# and the stored model version changes with it.
RECIPE = "tfidf-char2-5+word1-2/logreg-newtoncg-balanced-c30/v3-float32"

# Inverse regularisation strength of every per-theme regression (see the module docstring).
C = 30.0
CHARS = (2, 5)  # character n-gram lengths, inside words
WORDS = (1, 2)  # word n-gram lengths


def build_pipeline() -> Pipeline:
    """The unfitted recipe: features, then one logistic regression per theme."""
    # scikit-learn only trains: the running bot predicts without importing it.
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=CHARS,
                    sublinear_tf=True,
                    strip_accents="unicode",
                    min_df=1,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=WORDS,
                    token_pattern=WORD_TOKEN.pattern,
                    sublinear_tf=True,
                    strip_accents="unicode",
                ),
            ),
        ]
    )
    # newton-cg solves the same objective as the default lbfgs, more exactly and
    # much faster on these sparse features (docs/nlu.md).
    per_theme = LogisticRegression(C=C, solver="newton-cg", max_iter=1000, class_weight="balanced")
    return Pipeline([("features", features), ("themes", OneVsRestClassifier(per_theme))])


def features(text: str) -> tuple[list[str], list[str]]:
    """The pipeline's two feature blocks for one text: character and word n-grams."""
    folded = strip_accents(text.lower())
    return char_wb_ngrams(folded, *CHARS), word_ngrams(WORD_TOKEN.findall(folded), *WORDS)


def linear_model(pipeline: Pipeline) -> TfidfLinear:
    """The fitted pipeline as one weight matrix (features x labels) and intercepts.

    A label that every or no example carries gets scikit-learn's constant predictor,
    not a regression: its column is zeros, and its bias gives the constant.
    """
    union = pipeline.named_steps["features"]
    vectorizers = [vectorizer for _, vectorizer in union.transformer_list]
    width = sum(len(v.vocabulary_) for v in vectorizers)
    columns, biases = [], []
    for estimator in pipeline.named_steps["themes"].estimators_:
        if hasattr(estimator, "coef_"):
            columns.append(np.asarray(estimator.coef_[0]))
            biases.append(float(estimator.intercept_[0]))
        else:
            constant = float(estimator.predict_proba(np.zeros((1, width)))[0, 1])
            columns.append(np.zeros(width))
            biases.append(40.0 if constant >= 0.5 else -40.0)
    return TfidfLinear.from_fitted(vectorizers, np.vstack(columns).T, biases)


class BuiltinClassifier:
    """Multi-label theme classifier; ``predict`` is well under a millisecond, no server needed."""

    def __init__(
        self,
        model: TfidfLinear,
        labels: Sequence[str],
        themes: Sequence[str],
        version: str,
        threshold: float,
    ) -> None:
        self._model = model
        self._labels = list(labels)
        self._themes = list(themes)
        self.version = version
        self.threshold = threshold

    @classmethod
    def train(
        cls, examples: Sequence[Example], themes: Sequence[str], threshold: float = 0.35
    ) -> BuiltinClassifier:
        """Fit on labelled examples; themes with no example always score 0."""
        from sklearn.preprocessing import MultiLabelBinarizer
        from threadpoolctl import threadpool_limits

        binarizer = MultiLabelBinarizer(classes=sorted({t for e in examples for t in e.themes}))
        targets = binarizer.fit_transform([e.themes for e in examples])
        pipeline = build_pipeline()
        # One BLAS thread: more only spin against each other on these small dense
        # steps (more CPU for no gain, and far slower under load; docs/nlu.md).
        with threadpool_limits(limits=1, user_api="blas"):
            pipeline.fit([e.text for e in examples], targets)
        digest = hashlib.sha256(
            json.dumps([RECIPE, [(e.text, e.themes) for e in examples]]).encode("utf-8")
        ).hexdigest()
        return cls(
            linear_model(pipeline),
            list(binarizer.classes_),
            themes,
            f"builtin-{digest[:12]}",
            threshold,
        )

    def predict(self, text: str) -> Prediction:
        """Themes above the threshold, and a score for every configured theme."""
        return self._prediction(self._model.probabilities(features(text)))

    def probabilities(self, texts: Sequence[str]) -> Any:
        """The raw (texts x labels) probability matrix, columns in ``labels`` order."""
        rows = [self._model.probabilities(features(text)) for text in texts]
        return np.vstack(rows) if rows else np.empty((0, len(self._labels)), dtype=np.float32)

    @property
    def labels(self) -> list[str]:
        """The themes the model was trained on, in the column order of :meth:`probabilities`."""
        return list(self._labels)

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """One prediction per text, in order."""
        return [self.predict(text) for text in texts]

    def _prediction(self, row: Any) -> Prediction:
        scores = {theme: 0.0 for theme in self._themes}
        for label, probability in zip(self._labels, row, strict=True):
            if label in scores:
                scores[label] = round(float(probability), 4)
        chosen = tuple(
            sorted(
                (t for t, p in scores.items() if p >= self.threshold),
                key=lambda t: -scores[t],
            )
        )
        return Prediction(chosen, scores, self.version)

    def save(self, path: Path) -> None:
        """Write the model to one ``.npz`` file (nlu.linear: plain arrays, no pickle)."""
        metadata = {
            "recipe": RECIPE,
            "labels": self._labels,
            "themes": self._themes,
            "version": self.version,
            "threshold": self.threshold,
        }
        save_model(path, self._model.arrays(), metadata)

    @classmethod
    def load(cls, path: Path) -> BuiltinClassifier:
        """Read a model written by :meth:`save` (ValueError or KeyError if it is not one)."""
        arrays, metadata = load_model(path)
        return cls(
            TfidfLinear.from_arrays(arrays),
            [str(label) for label in metadata["labels"]],
            [str(theme) for theme in metadata["themes"]],
            str(metadata["version"]),
            float(metadata["threshold"]),
        )
