"""The built-in classifier: scikit-learn, in process, trained in seconds.

Character n-grams (within word boundaries) carry dialect and typos: "gin geld",
"geen geld" and "gn geld" share most of them. Word n-grams add the phrases.
One logistic regression per theme (scikit-learn's ``OneVsRestClassifier``)
gives multi-label output: a score per theme, several themes can pass the
threshold, and an answer where none passes ("hallo", "idk") gets no theme.

Calibration. Balanced class weights keep the rare themes from being drowned
by the rest; with weak regularisation (C=30) the per-theme probabilities come
out close to calibrated as they are. Measured by 5-fold cross-validation on
the training split (``python benchmarks/nlu.py --calibration``), over every
(answer, theme) pair:

- balanced, C=30 (chosen): Brier 0.0224, expected calibration error 0.009;
  scores between 0.4 and 0.8 are a little cautious (0.65 is right 73% of the
  time), so the bot's ``confident`` cut-off errs on the side of asking;
- balanced, C=10 (the previous recipe): Brier 0.0235, ECE 0.025, more cautious;
- no class weights, C=30: Brier 0.0290, ECE 0.024, and the best threshold drops to 0.2;
- balanced C=10 with ``CalibratedClassifierCV`` (sigmoid, per theme): Brier
  0.0226, ECE 0.006, CV macro-F1 0.761 against 0.768: not better, and a
  calibrator per theme to train and run. Not taken.

The threshold 0.35 is the best of 0.2-0.5 in the same cross-validation (CV
macro-F1 0.768; 0.30 gives 0.762, worse in 13 of 15 folds over three
shuffles). Returning the best theme when none passes the threshold (from a
score of 0.15) was tried: CV macro-F1 +0.016, but 35% of the noise answers
("hallo", "idk") then got a theme instead of 18%, and the bot already offers
the themes to pick from when the best score is above ``ask_from``. Not taken.

Training uses the ``newton-cg`` solver: the same objective as scikit-learn's
default ``lbfgs``, solved more exactly and about ten times faster here, with
one BLAS thread (more threads doubled the CPU time for no gain and, with other
work on the machine, took 5-10 s instead of 1 s).

Prediction speed. ``OneVsRestClassifier.predict_proba`` asks each of the 17
regressions in turn, and each one re-validates its input: that was 2-3 ms of
the 4 ms a prediction took. So after fitting, the regressions' own
coefficients are stacked into one matrix, and a prediction is the features
(scikit-learn's vectorisers) times that matrix, through the logistic function:
exactly what each ``LogisticRegression.predict_proba`` computes (a test checks
that the two agree). The fitted pipeline is kept and saved as it is.

Status (barrier-theme issue), from ``python benchmarks/nlu.py`` on 1870
training examples: on the held-out split macro-F1 0.84, micro-F1 0.84, top-3
recall 0.98, Brier 0.017; p50/p99 predict 1.6/2.4 ms, training 0.8 s.
The keyword list in ``nlu/keywords.py`` reaches macro-F1 0.63, top-3 0.60.
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

# Bump when the features or the model change, so a stored model version changes too.
_RECIPE = "tfidf-char2-5+word1-2/logreg-newtoncg-balanced-c30/v2"

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
    # about ten times faster on these sparse features.
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
        # steps (twice the CPU for no gain, and ten times the wall time under load).
        with threadpool_limits(limits=1, user_api="blas"):
            pipeline.fit([e.text for e in examples], targets)
        digest = hashlib.sha256(
            json.dumps([_RECIPE, [(e.text, e.themes) for e in examples]]).encode("utf-8")
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
