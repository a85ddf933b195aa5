"""Barrier-theme classifiers on the held-out split (nlu/data/test), side by side.

    python benchmarks/nlu.py

For now it measures the built-in classifier only (the Rasa backend and a
keyword baseline join it in the barrier-theme issue). It prints:
- the threshold chosen by 5-fold cross-validation on the training split;
- macro-F1 and micro-F1 on the held-out split, over the themes it contains;
- top-3 recall: at least one true theme among the three best scores;
- training time, p50/p99 latency of one prediction, and peak memory.
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import KFold
from sklearn.preprocessing import MultiLabelBinarizer

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.survey import load_survey  # noqa: E402
from nlu.builtin import BuiltinClassifier  # noqa: E402
from nlu.classifier import Prediction  # noqa: E402
from nlu.data import TEST_DIR, TRAIN_DIR, Example, load_dir  # noqa: E402

THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def macro_f1(
    examples: Sequence[Example], predictions: Sequence[Prediction], themes: Sequence[str]
) -> tuple[float, float]:
    """Macro-F1 over the themes that occur in ``examples``, and micro-F1."""
    binarizer = MultiLabelBinarizer(classes=list(themes))
    truth = binarizer.fit_transform([e.themes for e in examples])
    guess = binarizer.transform([p.themes for p in predictions])
    present = [i for i in range(len(themes)) if truth[:, i].sum() > 0]
    macro = f1_score(truth[:, present], guess[:, present], average="macro", zero_division=0)
    micro = f1_score(truth, guess, average="micro", zero_division=0)
    return float(macro), float(micro)


def cross_validated_threshold(examples: Sequence[Example], themes: Sequence[str]) -> float:
    """The threshold with the best mean macro-F1 over 5 folds of the training split."""
    results: dict[float, list[float]] = {t: [] for t in THRESHOLDS}
    for train, held in KFold(5, shuffle=True, random_state=0).split(examples):
        model = BuiltinClassifier.train([examples[i] for i in train], themes)
        held_out = [examples[i] for i in held]
        scores = model.predict_many([e.text for e in held_out])
        for threshold in THRESHOLDS:
            chosen = [
                Prediction(
                    tuple(t for t, p in s.scores.items() if p >= threshold),
                    s.scores,
                    s.model_version,
                )
                for s in scores
            ]
            results[threshold].append(macro_f1(held_out, chosen, themes)[0])
    best = max(THRESHOLDS, key=lambda t: float(np.mean(results[t])))
    for threshold in THRESHOLDS:
        mark = "  <- chosen" if threshold == best else ""
        print(f"  threshold {threshold:.2f}: CV macro-F1 {np.mean(results[threshold]):.3f}{mark}")
    return best


def main() -> None:
    survey = load_survey(REPO / "config.yml")
    themes = [str(theme["id"]) for theme in survey.themes]
    train = load_dir(TRAIN_DIR, themes)
    test = load_dir(TEST_DIR, themes)
    print(f"training examples {len(train)}, held-out examples {len(test)}")
    print("5-fold cross-validation on the training split:")
    threshold = cross_validated_threshold(train, themes)

    tracemalloc.start()
    started = time.perf_counter()
    model = BuiltinClassifier.train(train, themes, threshold=threshold)
    training = time.perf_counter() - started
    predictions = model.predict_many([e.text for e in test])
    macro, micro = macro_f1(test, predictions, themes)
    # tracemalloc slows every allocation: stop it before timing single predictions.
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    labelled = [(e, p) for e, p in zip(test, predictions, strict=True) if e.themes]
    top3 = sum(
        any(t in sorted(p.scores, key=lambda k: -p.scores[k])[:3] for t in e.themes)
        for e, p in labelled
    ) / len(labelled)
    latencies = []
    for example in test:
        one = time.perf_counter()
        model.predict(example.text)
        latencies.append(time.perf_counter() - one)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]

    print()
    print("| backend | macro-F1 | micro-F1 | top-3 recall | training | p50 predict | p99 predict |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| builtin (threshold {threshold}) | {macro:.3f} | {micro:.3f} | {top3:.3f} "
        f"| {training:.1f} s | {statistics.median(latencies) * 1000:.1f} ms "
        f"| {p99 * 1000:.1f} ms |"
    )
    print(f"peak Python allocations while training and predicting: {peak / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
