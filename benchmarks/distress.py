"""The distress detector on the blind sets, then on the held-out split.

    python -m benchmarks.distress                # the blind sets, then the held-out split
    python -m benchmarks.distress --blind-only   # the blind sets only
    python -m benchmarks.distress --held-out-only  # the held-out split only

First the BLIND sets, newest first (nlu/data/distress/blind-5, blind-4, blind-3, blind-2,
then the oldest, blind: positives.jsonl and hard negatives.jsonl each), written by people
who never saw the patterns, the model or their data. They are frozen: never edit them,
never train on them, and never tune patterns, thresholds or training data on the newest.
Once a newer set exists, the older ones serve as development sets that a change may be
chosen on (docs/safeguarding.md), so only the newest is blind in the strict sense, and it
is run once on the shipped detector before anything changes. For that reason this section
prints figures only, never the texts it misses or flags. The detector is called as the bot
calls it (nlu.service.Analyser: DistressDetector.default() then ``detect(text)``; a
message is flagged when the verdict is true). It prints recall (a positive counts as
caught when flagged at all, whatever the kind), precision over positives plus negatives,
the share of hard negatives flagged, recall per blind category, level, style and language,
hard negatives flagged per kind, style and language, and the p50/p99 latency of one
``detect`` call over the blind texts.

Then the held-out split (nlu/data/distress/test.yml), written alongside the patterns, so
an upper bound. Prints, for patterns only, the model only and both combined (the shipped decision):
recall, precision and F1 of "is this distress" overall and per category, every false
positive and every miss; then training time, the model's cross-validated threshold,
p50/p99 latency of one ``detect`` call, and how many of the ordinary barrier answers of
the held-out barrier split (nlu/data/test) flag. The model trains like the shipped one:
on the training files plus the everyday barrier answers as 'none' (nlu.distress.default_examples).
Targets: recall >= 0.95, precision >= 0.85.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.tables import share, table
from nlu.data import DATA_DIR
from nlu.distress import DATA_DIR as DISTRESS_DIR
from nlu.distress import (
    KINDS,
    NONE,
    TEST_PATH,
    DistressDetector,
    barrier_answers,
    default_examples,
    load_examples,
    pattern_kinds,
    training_examples,
)
from tests.support.paths import REPO

RECALL_TARGET = 0.95
PRECISION_TARGET = 0.85
Predict = Callable[[str], tuple[str, ...]]
# Newest first: a blind set is blind the first time it is run; every later run, and
# every change made after reading its figures, wears that off a little.
BLIND_SETS = {
    DISTRESS_DIR / "blind-5": "written 2026-12-07 (stop 27) from the kind descriptions, frozen",
    DISTRESS_DIR / "blind-4": "written 2026-12-07 from the kind descriptions alone, frozen",
    DISTRESS_DIR / "blind-3": "written 2026-12-07 from the kind descriptions alone, frozen",
    DISTRESS_DIR / "blind-2": "written 2026-12-07 the same way, frozen",
    DISTRESS_DIR / "blind": "written 2026-12-06 the same way, frozen",
}
LATENCY_PASSES = 5


@dataclass(frozen=True)
class BlindLine:
    """One line of the blind set; ``group`` is the category (positives) or kind (negatives)."""

    text: str
    group: str
    level: str  # alarm | concern for positives, "" for negatives
    style: str
    language: str


def load_blind(path: Path, group_key: str) -> list[BlindLine]:
    """The lines of one blind JSONL file; errors say file:line."""
    lines = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        row = json.loads(raw)
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            raise ValueError(f"{path}:{number}: expected an object with a 'text'")
        lines.append(
            BlindLine(
                text=row["text"],
                group=str(row.get(group_key, "?")),
                level=str(row.get("level", "")),
                style=str(row.get("style", "?")),
                language=str(row.get("language", "?")),
            )
        )
    return lines


def breakdown(
    title: str, lines: Sequence[BlindLine], flags: Sequence[bool], key: Callable[[BlindLine], str]
) -> None:
    """One table of flagged/total per value of ``key``, in order of first appearance."""
    total: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    for line, flag in zip(lines, flags, strict=True):
        total[key(line)] += 1
        flagged[key(line)] += flag
    print()
    caught_or_flagged, rate = title.split("/")
    table(
        ("name", f"{caught_or_flagged}/total", rate),
        ((name, f"{flagged[name]}/{n}", share(flagged[name], n)) for name, n in total.items()),
    )


def latency(detector: DistressDetector, texts: Sequence[str]) -> tuple[int, float, float]:
    """Calls timed, p50 and p99 in milliseconds of one ``detect`` call over ``texts``."""
    for text in texts[:20]:  # warm up caches
        detector.detect(text)
    latencies: list[float] = []
    for _ in range(LATENCY_PASSES):
        for text in texts:
            one = time.perf_counter()
            detector.detect(text)
            latencies.append(time.perf_counter() - one)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return len(latencies), statistics.median(latencies) * 1000, p99 * 1000


def report_blind(detector: DistressDetector, folder: Path, about: str) -> None:
    """One blind set: figures only, never its texts (so nobody tunes on them)."""
    positives = load_blind(folder / "positives.jsonl", "category")
    negatives = load_blind(folder / "negatives.jsonl", "kind")
    print(f"# BLIND set {folder.relative_to(REPO)} ({about})")
    print(f"positives {len(positives)}, hard negatives {len(negatives)}")
    print("shipped decision as the bot calls it: DistressDetector.default().detect(text)")

    verdicts = [detector.detect(line.text) for line in (*positives, *negatives)]
    caught = [bool(v) for v in verdicts[: len(positives)]]
    flagged = [bool(v) for v in verdicts[len(positives) :]]
    truth = [True] * len(positives) + [False] * len(negatives)
    recall, precision, f1 = scores(truth, [*caught, *flagged])
    met = "met" if recall >= RECALL_TARGET and precision >= PRECISION_TARGET else "NOT met"
    hits, false_alarms = sum(caught), sum(flagged)
    print()
    table(
        ("figure", "count", "value"),
        [
            ("recall (positive flagged at all)", f"{hits}/{len(positives)}", f"{recall:.3f}"),
            (
                "precision (positives + negatives)",
                f"{hits}/{hits + false_alarms}",
                f"{precision:.3f}",
            ),
            ("F1", "", f"{f1:.3f}"),
            (
                "hard negatives flagged",
                f"{false_alarms}/{len(negatives)}",
                share(false_alarms, len(negatives)),
            ),
        ],
    )
    print(f"targets recall >= {RECALL_TARGET}, precision >= {PRECISION_TARGET}: {met}")

    # Which half of the OR caught them: a fact about the detector, not a tuning signal.
    sources = (
        ("patterns", lambda v: v.by_patterns),
        ("model", lambda v: v.by_model),
        ("patterns only", lambda v: v.by_patterns and not v.by_model),
        ("model only", lambda v: v.by_model and not v.by_patterns),
    )
    print()
    table(
        ("source", "positives caught", "recall", "negatives flagged", "share"),
        (
            (
                name,
                f"{sum(map(test, verdicts[: len(positives)]))}/{len(positives)}",
                share(sum(map(test, verdicts[: len(positives)])), len(positives)),
                f"{sum(map(test, verdicts[len(positives) :]))}/{len(negatives)}",
                share(sum(map(test, verdicts[len(positives) :])), len(negatives)),
            )
            for name, test in sources
        ),
    )

    print("\n## blind positives: recall per category, level, style and language")
    breakdown("caught/recall", positives, caught, lambda line: line.group)
    breakdown("caught/recall", positives, caught, lambda line: line.level)
    breakdown("caught/recall", positives, caught, lambda line: line.style)
    breakdown("caught/recall", positives, caught, lambda line: line.language)

    print("\n## blind hard negatives: flagged per kind, style and language")
    breakdown("flagged/share", negatives, flagged, lambda line: line.group)
    breakdown("flagged/share", negatives, flagged, lambda line: line.style)
    breakdown("flagged/share", negatives, flagged, lambda line: line.language)
    flagged_kinds = Counter(
        kind for verdict in verdicts[len(positives) :] for kind in verdict.kinds[:1]
    )
    said = ", ".join(f"{kind} {n}" for kind, n in flagged_kinds.most_common()) or "none"
    print(f"\nflagged hard negatives by the kind the detector gave: {said}")

    calls, p50, p99 = latency(detector, [line.text for line in (*positives, *negatives)])
    print(f"\nblind detect latency over {calls} calls: p50 {p50:.2f} ms, p99 {p99:.2f} ms")


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blind-only", action="store_true", help="only the blind sets")
    parser.add_argument("--held-out-only", action="store_true", help="skip the blind sets")
    args = parser.parse_args()
    # The bot's detector (nlu.service.Analyser gets DistressDetector.default()): trained on
    # default_examples() on first use, so this call is the training time.
    started = time.perf_counter()
    detector = DistressDetector.default()
    training = time.perf_counter() - started
    for folder, about in () if args.held_out_only else BLIND_SETS.items():
        report_blind(detector, folder, about)
        print("\n")
    if args.blind_only:
        return

    train = [(e.text, e.kinds[0].value if e.kinds else NONE) for e in training_examples()]
    test = load_examples(TEST_PATH)
    print("\n\n# HELD-OUT split (nlu/data/distress/test.yml; written alongside the patterns)")
    print(f"training examples {len(train)}, held-out examples {len(test)}")
    for split, examples in (("train", train), ("test", test)):
        counts = ", ".join(
            f"{kind} {sum(label == kind for _, label in examples)}" for kind in (*KINDS, NONE)
        )
        print(f"  {split}: {counts}")

    print(f"  plus {len(default_examples()) - len(train)} barrier training answers as 'none'")
    print(
        f"training (3-fold CV for the thresholds, then the final fit): {training:.2f} s; "
        f"model thresholds: concern {detector.threshold:.2f}, alarm {detector.alarm_threshold:.2f}"
    )

    report("patterns only", test, pattern_kinds)
    report("model only", test, detector.model_kinds)
    report("combined: patterns OR model (shipped)", test, lambda t: detector.detect(t).kinds)

    calls, p50, p99 = latency(detector, [text for text, _ in test])
    print(f"\ndetect latency over {calls} calls: p50 {p50:.2f} ms, p99 {p99:.2f} ms")

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
