"""The PII redactor (nlu/redact.py) on its labelled set, and its speed.

    python benchmarks/redact.py

It prints:
- recall per PII kind, counted per span: a span is caught when its text is
  gone from the output and the placeholder of its kind is there;
- how many PII-free lines changed: the labelled set's tricky lines, and the
  2,090-odd answers of the barrier-theme data (nlu/data/train, nlu/data/test),
  which hold no PII;
- the exact-match rate (output == expected) over the labelled set;
- p50/p99 latency per line, and the time for one 4096-character message.

The rules were written alongside the labelled set, so its figures are an
upper bound; the barrier-theme answers were never looked at while tuning.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from privacy.redact import PLACEHOLDERS, redact  # noqa: E402

LABELLED = REPO / "nlu" / "data" / "pii" / "test.jsonl"
KIND_OF = {placeholder: kind for kind, placeholder in PLACEHOLDERS.items()}
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


def pii_spans(text: str, expected: str) -> list[tuple[str, str]]:
    """(kind, original text) of each span that ``expected`` replaces in ``text``."""
    pattern, kinds, position = [], [], 0
    for match in _PLACEHOLDER.finditer(expected):
        pattern.append(re.escape(expected[position : match.start()]))
        pattern.append("(.+?)")
        kinds.append(KIND_OF[match.group()])
        position = match.end()
    pattern.append(re.escape(expected[position:]))
    aligned = re.fullmatch("".join(pattern), text, re.DOTALL)
    if aligned is None:
        raise ValueError(f"expected does not align with text: {expected!r}")
    return list(zip(kinds, aligned.groups(), strict=True))


def barrier_answers() -> list[str]:
    """Every example answer of the barrier-theme data: PII-free by construction."""
    texts = []
    for path in sorted((REPO / "nlu" / "data").glob("*/*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("nlu", []):
            for line in str(item.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    texts.append(line[2:])
    return texts


def main() -> None:
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    total: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    clean = clean_changed = exact = 0
    missed: list[str] = []
    for row in rows:
        output = redact(row["text"])
        exact += output == row["expected"]
        if row["text"] == row["expected"]:
            clean += 1
            clean_changed += output != row["text"]
            continue
        for kind, span in pii_spans(row["text"], row["expected"]):
            total[kind] += 1
            if span not in output and PLACEHOLDERS[kind] in output:
                caught[kind] += 1
            else:
                missed.append(f"{kind}: {span!r} in {row['text']!r}")
    answers = barrier_answers()
    answers_changed = sum(redact(text) != text for text in answers)

    texts = [row["text"] for row in rows]
    for text in texts:  # warm up: lexicon, regex caches
        redact(text)
    latencies = []
    for _ in range(20):
        for text in texts:
            started = time.perf_counter()
            redact(text)
            latencies.append(time.perf_counter() - started)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    long_message = (" ".join(texts))[:4096]  # dense: about 70 PII spans
    long_runs = []
    for _ in range(5):
        started = time.perf_counter()
        redact(long_message)
        long_runs.append(time.perf_counter() - started)
    long_ms = statistics.median(long_runs) * 1000

    pii_lines = len(rows) - clean
    print(f"labelled lines {len(rows)}: {pii_lines} with PII, {clean} PII-free")
    print()
    print("| kind | spans | caught | recall |")
    print("|---|---|---|---|")
    for kind in PLACEHOLDERS:
        print(f"| {kind} | {total[kind]} | {caught[kind]} | {caught[kind] / total[kind]:.3f} |")
    all_spans, all_caught = sum(total.values()), sum(caught.values())
    print(f"| all | {all_spans} | {all_caught} | {all_caught / all_spans:.3f} |")
    print()
    print(f"PII-free labelled lines changed: {clean_changed} of {clean}")
    print(f"barrier-theme answers changed:   {answers_changed} of {len(answers)}")
    print(f"exact match (output == expected): {exact} of {len(rows)} = {exact / len(rows):.3f}")
    print(
        f"latency per line: p50 {statistics.median(latencies) * 1000:.3f} ms, "
        f"p99 {p99 * 1000:.3f} ms; one 4096-character message (median of 5) {long_ms:.1f} ms"
    )
    for line in missed:
        print("missed", line)


if __name__ == "__main__":
    main()
