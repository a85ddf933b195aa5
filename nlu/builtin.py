"""The built-in classifier: scikit-learn, in process, trained in seconds.

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

Prediction speed. ``OneVsRestClassifier.predict_proba`` asks each of the
regressions in turn, and each one re-validates its input: most of a
prediction's time. So after fitting, the regressions' own coefficients are
stacked into one matrix, and a prediction is the features (scikit-learn's
vectorisers) times that matrix, through the logistic function: exactly what
each ``LogisticRegression.predict_proba`` computes (a test checks that the two
agree). The fitted pipeline is kept and saved as it is.

Figures (held-out scores, calibration, threshold sweep, speed): docs/nlu.md.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy.special import expit  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import MultiLabelBinarizer
from threadpoolctl import threadpool_limits

from nlu.classifier import Prediction
from nlu.data import Example

# Bump when the features or the model change: a saved model from another recipe is retrained,
# and the stored model version changes with it.
RECIPE = "tfidf-char2-5+word1-2/logreg-newtoncg-balanced-c30/v2"

# Inverse regularisation strength of every per-theme regression (see the module docstring).
C = 30.0


def build_pipeline() -> Pipeline:
    """The unfitted recipe: features, then one logistic regression per theme."""
    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    strip_accents="unicode",
                    min_df=1,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    token_pattern=r"(?u)\b\w+\b",
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


def _stacked(pipeline: Pipeline) -> tuple[Any, Any] | None:
    """The per-theme coefficients as one (features x labels) matrix, and the intercepts.

    None when an estimator is not a fitted logistic regression (a label that every
    or no example carries gets a constant predictor): then the pipeline predicts.
    """
    estimators = getattr(pipeline.named_steps["themes"], "estimators_", [])
    if not estimators or not all(isinstance(e, LogisticRegression) for e in estimators):
        return None
    weights = np.vstack([e.coef_ for e in estimators]).T
    intercepts = np.array([e.intercept_[0] for e in estimators])
    return weights, intercepts


class BuiltinClassifier:
    """Multi-label theme classifier; ``predict`` is a few milliseconds, no server needed."""

    def __init__(
        self,
        pipeline: Pipeline,
        labels: Sequence[str],
        themes: Sequence[str],
        version: str,
        threshold: float,
    ) -> None:
        self._pipeline = pipeline
        self._labels = list(labels)
        self._themes = list(themes)
        self.version = version
        self.threshold = threshold
        self._features: Any = pipeline.named_steps["features"]
        self._linear = _stacked(pipeline)

    @classmethod
    def train(
        cls, examples: Sequence[Example], themes: Sequence[str], threshold: float = 0.35
    ) -> BuiltinClassifier:
        """Fit on labelled examples; themes with no example always score 0."""
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
        return cls(pipeline, list(binarizer.classes_), themes, f"builtin-{digest[:12]}", threshold)

    def predict(self, text: str) -> Prediction:
        """Themes above the threshold, and a score for every configured theme."""
        return self.predict_many([text])[0]

    def probabilities(self, texts: Sequence[str]) -> Any:
        """The raw (texts x labels) probability matrix, columns in ``labels`` order."""
        if self._linear is None:
            return np.asarray(self._pipeline.predict_proba(list(texts)))
        weights, intercepts = self._linear
        features = self._features.transform(list(texts))
        return expit(np.asarray(features @ weights) + intercepts)

    @property
    def labels(self) -> list[str]:
        """The themes the model was trained on, in the column order of :meth:`probabilities`."""
        return list(self._labels)

    def predict_many(self, texts: Sequence[str]) -> list[Prediction]:
        """Batch prediction (much faster per text than one at a time)."""
        rows = self.probabilities(texts)
        predictions = []
        for row in rows:
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
            predictions.append(Prediction(chosen, scores, self.version))
        return predictions

    def save(self, path: Path) -> None:
        """Write the model to one file (joblib)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "pipeline": self._pipeline,
            "labels": self._labels,
            "themes": self._themes,
            "version": self.version,
            "threshold": self.threshold,
        }
        joblib.dump(payload, path)

    @classmethod
    def load(cls, path: Path) -> BuiltinClassifier:
        """Read a model written by :meth:`save` (only load files this program wrote)."""
        payload = joblib.load(path)
        return cls(
            payload["pipeline"],
            payload["labels"],
            payload["themes"],
            payload["version"],
            payload["threshold"],
        )
