"""The PII redactor (privacy/redact.py) on the blind set, then its labelled set, and its speed.

    python -m benchmarks.redact

First the BLIND sets (privacy/data/pii/blind-6.jsonl, blind-5.jsonl, blind-4.jsonl, blind-3.jsonl,
blind-2.jsonl, then blind.jsonl), written by people who never saw the rules or the
labelled set. They are frozen: never edit them and never tune the rules on them, so this
section prints figures only, never their texts or missed spans. Their lines have the
labelled set's format ("text", "expected") plus "kinds" (the placeholders in "expected")
and "style", so the same span rule applies unchanged. It prints span recall overall, per
PII kind and per style, the PII-free lines left unchanged (and how many changed, per
style), and the exact-match share. The development sets (dev-5.jsonl, dev-4.jsonl, dev-3.jsonl,
dev-2.jsonl, dev.jsonl) follow in the same form: written apart from the rules, then read
to improve them, so their figures are upper bounds.

Then the labelled (held-out) set, which prints:
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
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.tables import share, table
from nlu.data import TEST_DIR, TRAIN_DIR, barrier_answers
from privacy.labelled import KIND_OF, PLACEHOLDER, pii_spans
from privacy.redact import PLACEHOLDERS, redact
from tests.support.paths import REPO

LABELLED = REPO / "privacy" / "data" / "pii" / "test.jsonl"
PII_DIR = REPO / "privacy" / "data" / "pii"
# Newest first: a blind set is blind the first time it is run; every later run, and every
# rule written after reading its figures, wears that off a little (docs/redaction.md).
BLIND_SETS = {
    PII_DIR / "blind-6.jsonl": "written 2026-12-08 (stop 29) from the PII brief alone, frozen",
    PII_DIR / "blind-5.jsonl": "written 2026-12-07 (stop 28) from the PII brief alone, frozen",
    PII_DIR / "blind-4.jsonl": "written 2026-12-07 (stop 27) from the PII brief alone, frozen",
    PII_DIR / "blind-3.jsonl": (
        "written 2026-12-07 (stop 27) from the PII brief alone, frozen; its figures steered "
        "one policy at stop 28"
    ),
    PII_DIR / "blind-2.jsonl": "written 2026-12-07 from the PII brief alone, frozen",
    PII_DIR / "blind.jsonl": "written 2026-12-06, frozen; its figures steered one policy",
}
DEVELOPMENT_SETS = (
    PII_DIR / "dev-5.jsonl",
    PII_DIR / "dev-4.jsonl",
    PII_DIR / "dev-3.jsonl",
    PII_DIR / "dev-2.jsonl",
    PII_DIR / "dev.jsonl",
)


@dataclass
class Figures:
    """What one pass of the redactor over a labelled JSONL file gives."""

    lines: int = 0
    clean: int = 0  # PII-free lines: text == expected
    clean_changed: int = 0
    exact: int = 0  # output == expected
    total: Counter[str] = field(default_factory=Counter)  # spans per kind
    caught: Counter[str] = field(default_factory=Counter)
    style_total: Counter[str] = field(default_factory=Counter)  # spans per style
    style_caught: Counter[str] = field(default_factory=Counter)
    style_clean: Counter[str] = field(default_factory=Counter)
    style_clean_changed: Counter[str] = field(default_factory=Counter)
    missed: list[str] = field(default_factory=list)  # "kind: span in text"
    inserted: Counter[str] = field(default_factory=Counter)  # placeholders in PII-free lines
    # (kind, check digits valid, caught) -> spans, for IBANs and rijksregisternummers
    checked: Counter[tuple[str, bool, bool]] = field(default_factory=Counter)


def load_rows(path: Path) -> list[dict[str, object]]:
    """The lines of a labelled JSONL file; each needs string "text" and "expected"."""
    rows: list[dict[str, object]] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip():
            continue
        row = json.loads(raw)
        if not (
            isinstance(row, dict)
            and isinstance(row.get("text"), str)
            and isinstance(row.get("expected"), str)
        ):
            raise ValueError(f"{path}:{number}: expected an object with 'text' and 'expected'")
        rows.append(row)
    return rows


def check_digits_ok(kind: str, span: str) -> bool | None:
    """Whether an IBAN's or rijksregisternummer's check digits hold; None for other kinds.

    Written here from the standards (ISO 13616 mod 97; the Belgian national number's
    97 - base mod 97, with a leading 2 for births from 2000), not imported from the
    redactor, so it tells whether a missed span was even a valid number.
    """
    if kind == "iban":
        chars = re.sub(r"[^0-9A-Za-z]", "", span).upper()
        if len(chars) < 5 or not chars.isalnum():
            return False
        digits = "".join(str(int(char, 36)) for char in chars[4:] + chars[:4])
        return int(digits) % 97 == 1
    if kind == "national_id":
        digits = re.sub(r"\D", "", span)
        if len(digits) != 11:
            return False
        base, check = digits[:9], int(digits[9:])
        return check in (97 - int(base) % 97, 97 - int("2" + base) % 97)
    return None


def measure(rows: Iterable[dict[str, object]]) -> Figures:
    """Redact every line; count spans caught (the rule of ``pii_spans``), clean lines kept.

    A line is PII-free when its expected output is its text. Each placeholder in
    "expected" marks one span, aligned back onto "text" by ``pii_spans``; the span is
    caught when its text is gone from the output and its kind's placeholder is there.
    The blind set's "kinds" list names the placeholders of "expected"; it is checked
    against them, not used for counting.
    """
    figures = Figures()
    for row in rows:
        text, expected = str(row["text"]), str(row["expected"])
        style = str(row.get("style", "-"))
        output = redact(text)
        figures.lines += 1
        figures.exact += output == expected
        if text == expected:
            figures.clean += 1
            figures.clean_changed += output != text
            figures.style_clean[style] += 1
            figures.style_clean_changed[style] += output != text
            figures.inserted.update(KIND_OF[m.group()] for m in PLACEHOLDER.finditer(output))
            continue
        spans = pii_spans(text, expected)
        listed = row.get("kinds")
        if isinstance(listed, list):
            found = {PLACEHOLDERS[kind][1:-1] for kind, _ in spans}
            # Written as "naam" in the first blind set and "[naam]" in the later ones.
            if {str(kind).strip("[]") for kind in listed} != found:
                # Never the line itself: the blind sets' texts stay unread.
                raise ValueError(f"'kinds' {listed} do not match the placeholders of its line")
        for kind, span in spans:
            figures.total[kind] += 1
            figures.style_total[style] += 1
            hit = span not in output and PLACEHOLDERS[kind] in output
            if hit:
                figures.caught[kind] += 1
                figures.style_caught[style] += 1
            else:
                figures.missed.append(f"{kind}: {span!r} in {text!r}")
            valid = check_digits_ok(kind, span)
            if valid is not None:
                figures.checked[kind, valid, hit] += 1
    return figures


def report_set(path: Path, title: str) -> None:
    """One blind or development set: figures only, never its texts."""
    figures = measure(load_rows(path))
    pii_lines = figures.lines - figures.clean
    spans, caught = sum(figures.total.values()), sum(figures.caught.values())
    kept = figures.clean - figures.clean_changed
    print(f"# {title}")
    print(f"lines {figures.lines}: {pii_lines} with PII ({spans} spans), {figures.clean} PII-free")
    print()
    table(
        ("figure", "count", "value"),
        [
            ("span recall", f"{caught}/{spans}", share(caught, spans)),
            ("PII-free lines unchanged", f"{kept}/{figures.clean}", share(kept, figures.clean)),
            (
                "PII-free lines changed",
                f"{figures.clean_changed}/{figures.clean}",
                share(figures.clean_changed, figures.clean),
            ),
            (
                "exact match (output == expected)",
                f"{figures.exact}/{figures.lines}",
                share(figures.exact, figures.lines),
            ),
        ],
    )
    print()
    table(
        ("kind", "placeholder", "caught/spans", "recall"),
        (
            (
                kind,
                PLACEHOLDERS[kind],
                f"{figures.caught[kind]}/{figures.total[kind]}",
                share(figures.caught[kind], figures.total[kind]),
            )
            for kind in sorted(PLACEHOLDERS, key=lambda k: (-figures.total[k], k))
        ),
    )
    print()
    styles = sorted(
        {*figures.style_total, *figures.style_clean},
        key=lambda s: -(figures.style_total[s] + figures.style_clean[s]),
    )
    table(
        ("style", "caught/spans", "recall", "clean changed/lines", "kept"),
        (
            (
                style,
                f"{figures.style_caught[style]}/{figures.style_total[style]}",
                share(figures.style_caught[style], figures.style_total[style]),
                f"{figures.style_clean_changed[style]}/{figures.style_clean[style]}",
                share(
                    figures.style_clean[style] - figures.style_clean_changed[style],
                    figures.style_clean[style],
                ),
            )
            for style in styles
        ),
    )
    said = ", ".join(f"{kind} {n}" for kind, n in figures.inserted.most_common()) or "none"
    print(f"\nplaceholders put into PII-free lines: {said}")
    print("\nIBANs and rijksregisternummers by their check digits (the redactor requires them):")
    table(
        ("kind", "check digits", "caught/spans", "recall"),
        (
            (
                kind,
                "valid" if valid else "invalid",
                f"{figures.checked[kind, valid, True]}/{n}",
                share(figures.checked[kind, valid, True], n),
            )
            for kind in ("iban", "national_id")
            for valid in (True, False)
            if (n := figures.checked[kind, valid, True] + figures.checked[kind, valid, False])
        ),
    )


def main() -> None:
    for path, about in BLIND_SETS.items():
        relative = path.relative_to(REPO)
        report_set(path, f"BLIND set ({relative}; {about}; written without sight of the rules)")
        print("\n")
    for development in DEVELOPMENT_SETS:
        report_set(
            development,
            f"DEVELOPMENT set ({development.relative_to(REPO)}; written apart from the rules, "
            "then its misses read to improve them: an upper bound since)",
        )
        print("\n")
    print("\n\n# HELD-OUT labelled set (privacy/data/pii/test.jsonl; written with the rules)")

    rows = load_rows(LABELLED)
    figures = measure(rows)
    total, caught, clean = figures.total, figures.caught, figures.clean
    # Every example answer of the barrier-theme data: PII-free by construction.
    answers = barrier_answers(TRAIN_DIR) + barrier_answers(TEST_DIR)
    answers_changed = sum(redact(text) != text for text in answers)

    texts = [str(row["text"]) for row in rows]
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
        print(f"| {kind} | {total[kind]} | {caught[kind]} | {share(caught[kind], total[kind])} |")
    all_spans, all_caught = sum(total.values()), sum(caught.values())
    print(f"| all | {all_spans} | {all_caught} | {share(all_caught, all_spans)} |")
    print()
    exact = figures.exact
    print(f"PII-free labelled lines changed: {figures.clean_changed} of {clean}")
    print(f"barrier-theme answers changed:   {answers_changed} of {len(answers)}")
    print(f"exact match (output == expected): {exact} of {len(rows)} = {exact / len(rows):.3f}")
    print(
        f"latency per line: p50 {statistics.median(latencies) * 1000:.3f} ms, "
        f"p99 {p99 * 1000:.3f} ms; one 4096-character message (median of 5) {long_ms:.1f} ms"
    )
    for line in figures.missed:
        print("missed", line)


if __name__ == "__main__":
    main()
