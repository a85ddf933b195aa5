"""The distress detector on the held-out split (nlu/data/distress/test.yml).

    python benchmarks/distress.py

Prints, for patterns only, the model only and both combined (the shipped decision):
recall, precision and F1 of "is this distress" overall and per category, every false
positive and every miss; then training time, the model's cross-validated threshold,
p50/p99 latency of one ``detect`` call, and how many of the ordinary barrier answers of
the held-out barrier split (nlu/data/test) flag. The model trains like the shipped one:
on train.yml plus the barrier *training* answers as 'none' (nlu.distress.default_examples).
Targets: recall >= 0.95, precision >= 0.85.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from nlu.data import DATA_DIR  # noqa: E402
from nlu.distress import (  # noqa: E402
    KINDS,
    NONE,
    TEST_PATH,
    TRAIN_PATH,
    DistressDetector,
    barrier_answers,
    default_examples,
    load_examples,
    pattern_kinds,
)

RECALL_TARGET = 0.95
PRECISION_TARGET = 0.85
Predict = Callable[[str], tuple[str, ...]]


def scores(truth: Sequence[bool], flagged: Sequence[bool]) -> tuple[float, float, float]:
    """Recall, precision and F1 of a yes/no decision."""
    hits = sum(t and f for t, f in zip(truth, flagged, strict=True))
    recall = hits / max(sum(truth), 1)
    precision = hits / max(sum(flagged), 1)
    f1 = 2 * recall * precision / (recall + precision) if recall + precision else 0.0
    return recall, precision, f1


def report(name: str, examples: Sequence[tuple[str, str]], predict: Predict) -> None:
    """Overall and per-category figures, false positives and misses of one method."""
    predicted = [predict(text) for text, _ in examples]
    truth = [label != NONE for _, label in examples]
    recall, precision, f1 = scores(truth, [bool(kinds) for kinds in predicted])
    met = "met" if recall >= RECALL_TARGET and precision >= PRECISION_TARGET else "NOT met"
    print(f"\n## {name}")
    print(f"distress (any kind): recall {recall:.3f}  precision {precision:.3f}  F1 {f1:.3f}")
    print(f"targets recall >= {RECALL_TARGET}, precision >= {PRECISION_TARGET}: {met}")
    print("| category | n | recall | precision | F1 |")
    print("|---|---|---|---|---|")
    for kind in KINDS:
        is_kind = [label == kind for _, label in examples]
        says_kind = [kind in kinds for kinds in predicted]
        r, p, f = scores(is_kind, says_kind)
        print(f"| {kind} | {sum(is_kind)} | {r:.3f} | {p:.3f} | {f:.3f} |")
    false_positives = [
        (text, kinds)
        for (text, label), kinds in zip(examples, predicted, strict=True)
        if label == NONE and kinds
    ]
    misses = [
        (text, label)
        for (text, label), kinds in zip(examples, predicted, strict=True)
        if label != NONE and not kinds
    ]
    print(f"false positives ({len(false_positives)}):")
    for text, kinds in false_positives:
        print(f"  - {text!r} -> {', '.join(kinds)}")
    print(f"misses ({len(misses)}):")
    for text, label in misses:
        print(f"  - {text!r} (labelled {label})")


def main() -> None:
    train = load_examples(TRAIN_PATH)
    test = load_examples(TEST_PATH)
    print(f"training examples {len(train)}, held-out examples {len(test)}")
    for split, examples in (("train", train), ("test", test)):
        counts = ", ".join(
            f"{kind} {sum(label == kind for _, label in examples)}" for kind in (*KINDS, NONE)
        )
        print(f"  {split}: {counts}")

    examples = default_examples()
    print(f"  plus {len(examples) - len(train)} barrier training answers as 'none'")
    started = time.perf_counter()
    detector = DistressDetector.train(examples)
    training = time.perf_counter() - started
    print(
        f"training (5-fold CV for the threshold, then the final fit): {training:.2f} s; "
        f"model threshold {detector.threshold:.2f}"
    )

    report("patterns only", test, pattern_kinds)
    report("model only", test, detector.model_kinds)
    report("combined: patterns OR model (shipped)", test, lambda t: detector.detect(t).kinds)

    texts = [text for text, _ in test]
    for text in texts[:20]:  # warm up caches
        detector.detect(text)
    latencies: list[float] = []
    for _ in range(5):
        for text in texts:
            one = time.perf_counter()
            detector.detect(text)
            latencies.append(time.perf_counter() - one)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(
        f"\ndetect latency over {len(latencies)} calls: p50 "
        f"{statistics.median(latencies) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms"
    )

    answers = barrier_answers(DATA_DIR / "test")
    flagged = [(text, detector.detect(text)) for text in answers]
    flagged = [(text, verdict) for text, verdict in flagged if verdict]
    print(
        f"\nheld-out barrier answers (nlu/data/test; by our line a few are distress): "
        f"{len(flagged)} of {len(answers)} flag"
    )
    for text, verdict in flagged:
        source = "patterns" if verdict.by_patterns else "model"
        print(f"  - {text!r} -> {', '.join(verdict.kinds)} ({source})")


if __name__ == "__main__":
    main()
