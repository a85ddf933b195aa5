"""The format of the labelled PII sets: a line's "text" and its "expected" redaction.

``privacy/data/pii/test.jsonl`` (written with the rules) and ``blind.jsonl`` (written
without them) share it; the tests and ``benchmarks/redact.py`` read both through here
so that a span is counted the same way everywhere.
"""

from __future__ import annotations

import re

from privacy.redact import PLACEHOLDERS

# The kind of PII each placeholder stands for: "[telefoon]" -> "phone".
KIND_OF = {placeholder: kind for kind, placeholder in PLACEHOLDERS.items()}
PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))


def pii_spans(text: str, expected: str) -> list[tuple[str, str]]:
    """(kind, original text) of each span ``expected`` replaces in ``text``.

    ValueError when ``expected`` does not line up with ``text`` (a broken label).
    """
    pattern, kinds, position = [], [], 0
    for match in PLACEHOLDER.finditer(expected):
        pattern.append(re.escape(expected[position : match.start()]))
        pattern.append("(.+?)")
        kinds.append(KIND_OF[match.group()])
        position = match.end()
    pattern.append(re.escape(expected[position:]))
    aligned = re.fullmatch("".join(pattern), text, re.DOTALL)
    if aligned is None:
        raise ValueError(f"expected does not align with text: {expected!r}")
    return list(zip(kinds, aligned.groups(), strict=True))
