"""What generalises: the distress detector with a kind or a style held out of training.

    python -m benchmarks.distress_cv           # leave-one-kind-out, leave-one-style-out
    python -m benchmarks.distress_cv --dev     # the development set, figures only
    python -m benchmarks.distress_cv --dev --show   # ... and the texts it gets wrong

Leave one kind out: for each RiskKind, the model is trained on train.yml (plus the
barrier answers as negatives, like the shipped detector) without any example of that
kind, then asked about those examples. The patterns stay, so the printed recall says
what the patterns plus the model's knowledge of *other* kinds catch of a kind nobody
wrote examples for. Leave one style out: the same with each style (standard, dialect,
slang, mixed, fr, en and the seven languages the bot does not speak) held out, positives
and negatives; it prints recall and the share of held-out negatives flagged.

The development set (nlu/data/distress/dev.jsonl) was written apart from train.yml: the
shipped detector's recall, precision, hard negatives flagged, recall per category,
style and language, how often the level and the kind agree, and the p50/p99 time of one
``detect``. It never looks at the blind set.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence

from nlu.distress import (
    DATA_DIR,
    STYLES,
    Distress,
    DistressDetector,
    Example,
    RiskKind,
    default_examples,
    pattern_hits,
    training_examples,
)

DEV_PATH = DATA_DIR / "dev.jsonl"
# dev.jsonl's categories that are not a RiskKind id
DEV_KINDS = {
    "suicide_direct": "suicide",
    "suicide_indirect": "suicide",
    "grooming": "exploitation",
}


def _held_out(
    examples: Sequence[Example], kind: RiskKind
) -> tuple[DistressDetector, list[Example]]:
    """A detector trained without any example of ``kind``, and those examples."""
    kept = [e for e in examples if kind not in e.kinds]
    return DistressDetector.train(kept), [e for e in examples if kind in e.kinds]


def _line(name: str, detector: DistressDetector, held: Sequence[Example]) -> str:
    positives = [e for e in held if e.positive]
    negatives = [e for e in held if not e.positive]
    caught = sum(bool(detector.detect(e.text)) for e in positives)
    by_patterns = sum(bool(pattern_hits(e.text)) for e in positives)
    flagged = sum(bool(detector.detect(e.text)) for e in negatives)
    text = f"| {name} | {len(positives)} | "
    if positives:
        text += f"{caught / len(positives):.3f} | {by_patterns / len(positives):.3f} | "
    else:
        text += "- | - | "
    text += f"{flagged}/{len(negatives)} |" if negatives else "- |"
    return text


def cross_validate() -> None:
    examples = default_examples()
    labelled = training_examples()
    print(
        f"training examples: {len(labelled)} in the training files, "
        f"{len(examples)} with barrier answers"
    )
    print("\n## Leave one kind out (recall of the held-out kind; patterns stay)")
    print("| kind held out | n | recall (patterns OR model) | patterns alone | negatives flagged |")
    print("|---|---|---|---|---|")
    for kind in RiskKind:
        detector, held = _held_out(examples, kind)
        print(_line(kind.value, detector, held), flush=True)
    print("\n## Leave one style out (positives and negatives of that style held out)")
    print(
        "| style held out | n | recall (patterns OR model) | patterns alone | negatives flagged |"
    )
    print("|---|---|---|---|---|")
    for style in STYLES:
        held = [e for e in labelled if e.style == style]
        detector = DistressDetector.train([e for e in examples if e.style != style])
        print(_line(style, detector, held), flush=True)


def _table(title: str, rows: dict[str, list[int]]) -> None:
    print(f"\n| {title} | positives | recall | negatives | flagged |")
    print("|---|---|---|---|---|")
    for name, (n, caught, negatives, flagged) in sorted(rows.items()):
        recall = f"{caught / n:.3f}" if n else "-"
        share = f"{flagged / negatives:.3f}" if negatives else "-"
        print(f"| {name} | {n} | {recall} | {negatives} | {share} |")


def dev(show: bool) -> None:
    rows = [json.loads(line) for line in DEV_PATH.read_text(encoding="utf-8").splitlines() if line]
    started = time.perf_counter()
    detector = DistressDetector.default()
    print(f"training: {time.perf_counter() - started:.2f} s")
    timings: list[float] = []
    verdicts: list[Distress] = []
    for _ in range(3):
        timings.clear()
        verdicts.clear()
        for row in rows:
            begin = time.perf_counter()
            verdicts.append(detector.detect(row["text"]))
            timings.append(time.perf_counter() - begin)
    groups: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0] * 4))
    tp = fp = positives = negatives = level_right = kind_right = 0
    for row, verdict in zip(rows, verdicts, strict=True):
        positive = row["category"] != "none"
        for key in ("category", "style", "language"):
            cell = groups[key][row[key]]
            cell[0 if positive else 2] += 1
            cell[1 if positive else 3] += bool(verdict)
        if positive:
            positives += 1
            tp += bool(verdict)
            level_right += verdict.level is not None and verdict.level.value == row["level"]
            kind = DEV_KINDS.get(row["category"], row["category"])
            kind_right += kind in verdict.kinds
            if show and not verdict:
                print(f"  missed ({row['category']}, {row['style']}): {row['text']!r}")
        else:
            negatives += 1
            fp += bool(verdict)
            if show and verdict:
                kinds = ", ".join(verdict.kinds)
                print(f"  flagged ({kinds}; patterns {verdict.by_patterns}): {row['text']!r}")
    print(f"\ndevelopment set {DEV_PATH.name}: {positives} positives, {negatives} negatives")
    print(
        f"recall {tp / positives:.3f}  precision {tp / max(tp + fp, 1):.3f}  "
        f"negatives flagged {fp}/{negatives} ({fp / negatives:.3f})"
    )
    print(
        f"level as labelled {level_right / positives:.3f}; "
        f"labelled kind among the kinds {kind_right / positives:.3f}"
    )
    for key in ("category", "style", "language"):
        _table(key, groups[key])
    ms = sorted(t * 1000 for t in timings)
    p99 = ms[min(len(ms) - 1, round(0.99 * len(ms)))]
    print(f"\ndetect over {len(ms)} messages: p50 {statistics.median(ms):.2f} ms, p99 {p99:.2f} ms")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--dev", action="store_true", help="the development set, not CV")
    parser.add_argument("--show", action="store_true", help="with --dev: print the errors")
    args = parser.parse_args(argv)
    if args.dev:
        dev(args.show)
    else:
        cross_validate()


if __name__ == "__main__":
    main()
