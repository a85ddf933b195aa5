"""Barrier-theme classifiers on the blind set, then on the held-out split, side by side.

    python -m benchmarks.nlu                # builtin, keyword and both Rasa pipelines (~30 min)
    python -m benchmarks.nlu --no-rasa      # builtin and keyword rows only (about a minute)
    python -m benchmarks.nlu --blind-only   # only the blind set (seconds)
    python -m benchmarks.nlu --blind-only --blind nlu/data/blind/themes.jsonl  # an older one
    python -m benchmarks.nlu --calibration  # also compare calibration recipes (minutes)

It prints:
- first, every backend as the bot runs it on the blind set
  (the newest of nlu/data/blind/themes-2.jsonl and themes.jsonl, or --blind: answers
  written from config.yml's theme descriptions alone, by hands that never saw the
  training data or the code; frozen, never trained or tuned on): macro-F1, micro-F1,
  top-3 recall, exact match per style and F1 per theme side by side, then the
  built-in classifier's precision and recall per theme;
- 5-fold cross-validation of the built-in recipe on the training split: the
  macro-F1 of each threshold (config.yml's ``nlu.threshold`` was chosen this
  way) and how calibrated the out-of-fold probabilities are (Brier score,
  expected calibration error, a reliability table); with ``--calibration`` the
  same for other recipes;
- one row per backend on the held-out split: macro-F1 and micro-F1 (over the
  themes it contains), top-3 recall (a true theme among the three best scores
  above zero), training time, p50/p99 latency of one ``predict`` (every
  held-out text, three times, after classifying them all once) and peak
  Python memory (tracemalloc) while training and predicting;
- F1 per theme for the built-in classifier on the held-out split.

The held-out split is only reported, never used to choose anything.

A new backend is one more ``measure(name, train_fn, test, themes, blind)`` call: any
object with ``predict(text) -> Prediction`` will do. The Rasa rows train each
pipeline with ``rasa train nlu`` (timed), serve it on loopback and parse every
held-out and blind text over HTTP; their memory is the server's RSS, and the latency
includes the HTTP round trip, as the bot sees it. Rasa's threshold is
config.yml's ``nlu.rasa.threshold``; a sweep of thresholds on the held-out
split is printed too, which is how that setting was chosen (so the Rasa
figures are slightly optimistic).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import psutil
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MultiLabelBinarizer

from benchmarks.tables import share, table
from nlu.builtin import BuiltinClassifier, build_pipeline
from nlu.classifier import Classifier, Prediction
from nlu.data import TEST_DIR, TRAIN_DIR, Example, load_dir
from nlu.evaluation import ThemeScore, evaluate, load_labelled
from nlu.keywords import KeywordClassifier
from nlu.rasa import (
    RasaClassifier,
    rasa_environment,
    serve_command,
    train_command,
    wait_until_ready,
)
from survey.config import load_survey
from tests.support.paths import REPO

THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
FOLDS = 5
LATENCY_ROUNDS = 3  # every held-out text is timed this many times for p50/p99
BLIND_DIR = REPO / "nlu" / "data" / "blind"
# Newest first: a blind set is blind until it has chosen between models a few times.
BLIND_SETS = (BLIND_DIR / "themes-2.jsonl", BLIND_DIR / "themes.jsonl")
BLIND_PATH = BLIND_SETS[0]


@dataclass(frozen=True)
class BlindScores:
    """One backend's figures on the blind set."""

    macro_f1: float
    micro_f1: float
    top3_recall: float
    exact_by_style: dict[str, tuple[int, int]]  # style -> (exact matches, answers)
    per_theme: list[ThemeScore]


@dataclass(frozen=True)
class BlindSet:
    """The frozen blind set: its answers and each answer's style. Never trained on."""

    path: Path
    examples: list[Example]
    styles: list[str]

    @classmethod
    def load(cls, themes: Sequence[str], path: Path = BLIND_PATH) -> BlindSet | None:
        """The blind set, or None (with a message) when the file is not there."""
        if not path.exists():
            print(f"blind set: {path} is missing")
            return None
        examples = load_labelled(path, themes)
        lines = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]
        return cls(path, examples, [str(line.get("style", "?")) for line in lines])

    def score(self, predictions: Sequence[Prediction], themes: Sequence[str]) -> BlindScores:
        """Quality of one backend's predictions; figures only, never a text."""
        report = evaluate(self.examples, predictions, themes)
        exact: dict[str, tuple[int, int]] = {}
        for style, example, prediction in zip(self.styles, self.examples, predictions, strict=True):
            hits, answers = exact.get(style, (0, 0))
            exact[style] = (hits + (set(example.themes) == set(prediction.themes)), answers + 1)
        return BlindScores(
            report.macro_f1,
            report.micro_f1,
            top3_recall(self.examples, predictions),
            exact,
            report.per_theme,
        )


@dataclass(frozen=True)
class Row:
    """One backend's figures on the held-out split, and on the blind set."""

    name: str
    macro_f1: float
    micro_f1: float
    top3_recall: float
    training_seconds: float
    p50_ms: float
    p99_ms: float
    peak_mb: float
    per_theme: list[ThemeScore]
    blind: BlindScores | None


def top3_recall(examples: Sequence[Example], predictions: Sequence[Prediction]) -> float:
    """Share of themed answers with a true theme among the three best scores above zero.

    Above zero, so a backend that scores nothing (the keyword list without a hit)
    does not get the first three configured themes for free.
    """
    labelled = [(e, p) for e, p in zip(examples, predictions, strict=True) if e.themes]
    hits = sum(
        1 for e, p in labelled if set(e.themes) & {t for t in p.ranked()[:3] if p.scores[t] > 0}
    )
    return hits / len(labelled) if labelled else 0.0


def measure(
    name: str,
    train_fn: Callable[[], Classifier],
    test: Sequence[Example],
    themes: Sequence[str],
    blind: BlindSet | None,
    *,
    trace_memory: bool = True,
) -> Row:
    """Train (timed), classify both sets, time single predictions, then memory.

    tracemalloc slows every allocation (training takes about three times as
    long), so the peak is taken in a second, traced run of training and
    classifying; ``trace_memory=False`` skips it (reported as 0).
    """
    started = time.perf_counter()
    model = train_fn()
    training = time.perf_counter() - started
    predictions = [model.predict(e.text) for e in test]
    report = evaluate(test, predictions, themes)
    blind_scores = (
        blind.score([model.predict(e.text) for e in blind.examples], themes) if blind else None
    )
    latencies = []
    for _ in range(LATENCY_ROUNDS):
        for example in test:
            one = time.perf_counter()
            model.predict(example.text)
            latencies.append(time.perf_counter() - one)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    peak = 0
    if trace_memory:
        del model
        tracemalloc.start()
        traced = train_fn()
        for example in test:
            traced.predict(example.text)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return Row(
        name=name,
        macro_f1=report.macro_f1,
        micro_f1=report.micro_f1,
        top3_recall=top3_recall(test, predictions),
        training_seconds=training,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=p99 * 1000,
        peak_mb=peak / 2**20,
        per_theme=report.per_theme,
        blind=blind_scores,
    )


def print_table(rows: Sequence[Row]) -> None:
    """The backends side by side, as a Markdown table."""
    print(
        "| backend | macro-F1 | micro-F1 | top-3 recall | training "
        "| p50 predict | p99 predict | peak memory |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row.name} | {row.macro_f1:.3f} | {row.micro_f1:.3f} | {row.top3_recall:.3f} "
            f"| {row.training_seconds:.1f} s | {row.p50_ms:.2f} ms | {row.p99_ms:.2f} ms "
            f"| {row.peak_mb:.1f} MB |"
        )


def print_per_theme(row: Row) -> None:
    """Precision, recall and F1 of every theme in the held-out split."""
    print(f"| {row.name}: theme | precision | recall | F1 | held-out answers |")
    print("|---|---|---|---|---|")
    for score in row.per_theme:
        if score.support:
            print(
                f"| {score.theme} | {score.precision:.2f} | {score.recall:.2f} "
                f"| {score.f1:.2f} | {score.support} |"
            )


# --- the blind set ---------------------------------------------------------------------


def print_blind(rows: Sequence[Row], path: Path) -> None:
    """Every backend on the blind set: overall, exact match per style, F1 per theme."""
    scored = [(row.name, row.blind) for row in rows if row.blind is not None]
    if not scored:
        return
    print(f"blind set ({path.relative_to(REPO)}), as the bot would answer:")
    table(
        ["backend", "macro-F1", "micro-F1", "top-3 recall"],
        [
            [name, f"{b.macro_f1:.3f}", f"{b.micro_f1:.3f}", f"{b.top3_recall:.3f}"]
            for name, b in scored
        ],
    )
    print()
    styles = list(scored[0][1].exact_by_style)
    names = [name.split(" (")[0] for name, _ in scored]
    table(
        ["exact match by style", "answers", *names],
        [
            [
                style,
                str(scored[0][1].exact_by_style[style][1]),
                *(share(*b.exact_by_style.get(style, (0, 0))) for _, b in scored),
            ]
            for style in styles
        ],
    )
    print()
    per_theme = [{s.theme: s for s in b.per_theme if s.support} for _, b in scored]
    table(
        ["F1 by theme", "answers", *names],
        [
            [theme, str(first.support), *(f"{scores[theme].f1:.2f}" for scores in per_theme)]
            for theme, first in per_theme[0].items()
        ],
    )
    shipped = next((b for name, b in scored if name.startswith("builtin")), None)
    if shipped is not None:
        print()
        table(
            ["builtin: theme", "precision", "recall", "F1", "answers"],
            [
                [s.theme, f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}", str(s.support)]
                for s in shipped.per_theme
                if s.support
            ],
        )


# --- cross-validation on the training split ---------------------------------------------


def _macro(truth: Any, guess: Any) -> float:
    present = truth.sum(axis=0) > 0
    return float(f1_score(truth[:, present], guess[:, present], average="macro", zero_division=0))


@dataclass(frozen=True)
class Calibration:
    """How well out-of-fold probabilities match the frequencies, over (answer, theme) pairs."""

    brier: float
    ece: float
    log_loss: float
    bins: list[tuple[float, float, float, int]]  # (from, mean score, share true, pairs)


def calibration(truth: Any, scores: Any, bins: int = 10) -> Calibration:
    """Brier score, expected calibration error (10 equal-width bins) and the reliability bins."""
    y = np.asarray(truth, dtype=float).ravel()
    p = np.clip(np.asarray(scores, dtype=float).ravel(), 1e-6, 1 - 1e-6)
    index = np.minimum((p * bins).astype(int), bins - 1)
    table = []
    ece = 0.0
    for b in range(bins):
        inside = index == b
        if inside.any():
            mean, share = float(p[inside].mean()), float(y[inside].mean())
            ece += inside.mean() * abs(mean - share)
            table.append((b / bins, mean, share, int(inside.sum())))
    log_loss = float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    return Calibration(float(np.mean((p - y) ** 2)), float(ece), log_loss, table)


@dataclass(frozen=True)
class CrossValidation:
    """Out-of-fold results of one recipe."""

    macro_by_threshold: dict[float, float]  # mean macro-F1 over the folds
    best_threshold: float
    calibration: Calibration
    seconds_per_fit: float


def cross_validate(
    fit_scores: Callable[[list[Example], list[str]], Any],
    examples: Sequence[Example],
    labels: Sequence[str],
) -> CrossValidation:
    """``fit_scores(train, texts)`` trains on ``train`` and returns (texts x labels) scores."""
    binarizer = MultiLabelBinarizer(classes=list(labels))
    truth = binarizer.fit_transform([e.themes for e in examples])
    out_of_fold = np.zeros(truth.shape)
    per_fold: dict[float, list[float]] = {t: [] for t in THRESHOLDS}
    seconds = 0.0
    for train, held in KFold(FOLDS, shuffle=True, random_state=0).split(examples):
        started = time.perf_counter()
        scores = np.asarray(
            fit_scores([examples[i] for i in train], [examples[i].text for i in held])
        )
        seconds += time.perf_counter() - started
        out_of_fold[held] = scores
        for threshold in THRESHOLDS:
            per_fold[threshold].append(_macro(truth[held], scores >= threshold))
    means = {t: float(np.mean(v)) for t, v in per_fold.items()}
    best = max(THRESHOLDS, key=lambda t: means[t])
    return CrossValidation(means, best, calibration(truth, out_of_fold), seconds / FOLDS)


def builtin_scores(labels: Sequence[str]) -> Callable[[list[Example], list[str]], Any]:
    """The shipped BuiltinClassifier, scores in ``labels`` order."""

    def fit_scores(train: list[Example], texts: list[str]) -> Any:
        model = BuiltinClassifier.train(train, labels)
        raw = model.probabilities(texts)
        columns = [model.labels.index(label) for label in labels]
        return raw[:, columns]

    return fit_scores


def pipeline_scores(
    make: Callable[[], Pipeline], labels: Sequence[str]
) -> Callable[[list[Example], list[str]], Any]:
    """A variant of the recipe as a bare scikit-learn pipeline (for --calibration)."""

    def fit_scores(train: list[Example], texts: list[str]) -> Any:
        binarizer = MultiLabelBinarizer(classes=list(labels))
        pipeline = make()
        pipeline.fit([e.text for e in train], binarizer.fit_transform([e.themes for e in train]))
        return pipeline.predict_proba(texts)

    return fit_scores


def calibration_recipes() -> dict[str, Callable[[], Pipeline]]:
    """The alternatives the shipped recipe was chosen over (see nlu/builtin.py)."""

    def variant(**params: Any) -> Callable[[], Pipeline]:
        return lambda: clone(build_pipeline()).set_params(**params)

    sigmoid = CalibratedClassifierCV(
        LogisticRegression(C=10.0, solver="newton-cg", max_iter=1000, class_weight="balanced"),
        method="sigmoid",
        cv=5,
        ensemble=False,
    )
    return {
        "balanced C=30 (shipped)": build_pipeline,
        "balanced C=10 (v1's C)": variant(themes__estimator__C=10.0),
        "balanced C=30, lbfgs (v1's solver)": variant(themes__estimator__solver="lbfgs"),
        "unweighted C=30": variant(themes__estimator__class_weight=None),
        "balanced C=10 + sigmoid calibration": variant(themes__estimator=sigmoid),
    }


def print_cross_validation(name: str, result: CrossValidation, *, detail: bool) -> None:
    """Thresholds (with detail), then calibration."""
    if detail:
        for threshold, macro in result.macro_by_threshold.items():
            mark = "  <- chosen" if threshold == result.best_threshold else ""
            print(f"  threshold {threshold:.2f}: CV macro-F1 {macro:.3f}{mark}")
    cal = result.calibration
    print(
        f"  {name}: best threshold {result.best_threshold:.2f}, CV macro-F1 "
        f"{result.macro_by_threshold[result.best_threshold]:.3f}, Brier {cal.brier:.4f}, "
        f"ECE {cal.ece:.4f}, log-loss {cal.log_loss:.4f}, {result.seconds_per_fit:.1f} s per fit"
    )
    if detail:
        print("  reliability (score bin: mean score -> share of pairs truly that theme, pairs):")
        for start, mean, share, count in cal.bins:
            print(f"    {start:.1f}-{start + 0.1:.1f}: {mean:.2f} -> {share:.2f} ({count})")


def main() -> None:
    parser = argparse.ArgumentParser(description="Barrier-theme classifiers side by side.")
    parser.add_argument(
        "--calibration", action="store_true", help="also cross-validate other recipes"
    )
    parser.add_argument("--no-rasa", action="store_true", help="skip the two Rasa pipelines")
    parser.add_argument("--blind-only", action="store_true", help="only the blind set")
    parser.add_argument(
        "--blind",
        type=Path,
        default=BLIND_PATH,
        help=f"the blind set (default: the newest, {BLIND_PATH.relative_to(REPO)})",
    )
    args = parser.parse_args()

    survey = load_survey(REPO / "config.yml")
    themes = survey.theme_ids
    threshold = survey.nlu.threshold
    train = load_dir(TRAIN_DIR, themes)
    test = load_dir(TEST_DIR, themes)
    blind = BlindSet.load(themes, args.blind.resolve())
    rows = [
        measure(
            f"builtin (threshold {threshold})",
            lambda: BuiltinClassifier.train(train, themes, threshold=threshold),
            test,
            themes,
            blind,
            trace_memory=not args.blind_only,
        ),
        measure(
            "keyword list",
            lambda: KeywordClassifier.train(train, themes),
            test,
            themes,
            blind,
            trace_memory=not args.blind_only,
        ),
    ]
    if not (args.no_rasa or args.blind_only):
        rows += rasa_rows(themes, test, blind, survey.nlu.rasa.threshold)
    print_blind(rows, args.blind.resolve())
    if args.blind_only:
        return

    print()
    labels = sorted({t for e in train for t in e.themes})
    print(f"training examples {len(train)}, held-out examples {len(test)}")
    print(f"{FOLDS}-fold cross-validation on the training split:")
    shipped = cross_validate(builtin_scores(labels), train, labels)
    print_cross_validation("builtin", shipped, detail=True)
    if args.calibration:
        print("calibration recipes, same folds:")
        for name, make in calibration_recipes().items():
            result = cross_validate(pipeline_scores(make, labels), train, labels)
            print_cross_validation(name, result, detail=False)
    print()
    print("held-out split (nlu/data/test):")
    print_table(rows)
    print()
    print_per_theme(rows[0])


# -- Rasa: trained and served in its own environment -----------------------------------

RASA_PIPELINES = {
    "rasa DIET (shipped pipeline)": REPO / "nlu/rasa/config.yml",
    "rasa light (LogisticRegression)": REPO / "nlu/rasa/config-light.yml",
}


def rasa_rows(
    themes: Sequence[str], test: Sequence[Example], blind: BlindSet | None, threshold: float
) -> list[Row]:
    """Both Rasa pipelines, measured like the in-process backends."""
    executable = REPO / ".venv-rasa" / "bin" / "rasa"
    if not executable.exists():
        print("rasa: skipped, there is no .venv-rasa (run `make setup-rasa`)")
        return []
    return [
        rasa_row(name, executable, pipeline, themes, test, blind, threshold)
        for name, pipeline in RASA_PIPELINES.items()
    ]


def rasa_row(
    name: str,
    executable: Path,
    pipeline: Path,
    themes: Sequence[str],
    test: Sequence[Example],
    blind: BlindSet | None,
    threshold: float,
) -> Row:
    """Train, serve on a free loopback port, parse the held-out split and the blind set, stop."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        started = time.perf_counter()
        subprocess.run(
            train_command(executable, pipeline, TRAIN_DIR, out, quiet=True),
            env=rasa_environment(),
            check=True,
            capture_output=True,
        )
        training = time.perf_counter() - started
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(
            serve_command(executable, out / "nlu.tar.gz", "127.0.0.1", port),
            env=rasa_environment(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            asyncio.run(wait_until_ready(url, seconds=300))
            predictions, latencies = asyncio.run(parse_all(url, themes, test, threshold))
            blind_predictions = (
                asyncio.run(parse_all(url, themes, blind.examples, threshold, rounds=1))[0]
                if blind
                else []
            )
            rss = psutil.Process(server.pid).memory_info().rss
        finally:
            server.terminate()
            server.wait(timeout=60)
    print(f"{name}: macro-F1 on the held-out split by threshold (how nlu.rasa.threshold was set)")
    for candidate in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        swept = [_rethreshold(p, candidate) for p in predictions]
        print(f"  {candidate:.1f}: {evaluate(test, swept, themes).macro_f1:.3f}")
    report = evaluate(test, predictions, themes)
    latencies.sort()
    return Row(
        name=f"{name} (threshold {threshold})",
        macro_f1=report.macro_f1,
        micro_f1=report.micro_f1,
        top3_recall=top3_recall(test, predictions),
        training_seconds=training,
        p50_ms=statistics.median(latencies) * 1000,
        p99_ms=latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000,
        peak_mb=rss / 2**20,
        per_theme=report.per_theme,
        blind=blind.score(blind_predictions, themes) if blind else None,
    )


def _rethreshold(prediction: Prediction, threshold: float) -> Prediction:
    """The same scores with another threshold; "no theme" (noise won) stays no theme."""
    if not prediction.themes and prediction.best_score > 0:
        return prediction
    chosen = tuple(t for t in prediction.ranked() if prediction.scores[t] >= threshold)
    return Prediction(chosen, prediction.scores, prediction.model_version)


async def parse_all(
    url: str,
    themes: Sequence[str],
    test: Sequence[Example],
    threshold: float,
    *,
    rounds: int = LATENCY_ROUNDS,
) -> tuple[list[Prediction], list[float]]:
    """Every text through /model/parse, timed one by one (after a warm-up)."""
    classifier = RasaClassifier(url, themes, threshold, attempt_timeout=30)
    predictions: list[Prediction] = []
    latencies: list[float] = []
    try:
        for example in test[:20]:
            await classifier.classify(example.text)
        for _ in range(rounds):
            predictions = []
            for example in test:
                one = time.perf_counter()
                predictions.append(await classifier.classify(example.text))
                latencies.append(time.perf_counter() - one)
    finally:
        await classifier.aclose()
    return predictions, latencies


if __name__ == "__main__":
    main()
