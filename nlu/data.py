"""Training data in Rasa's NLU YAML format: the single source for every backend.

One intent per theme id. An answer with several themes uses a Rasa
multi-intent, the ids joined by ``+`` (``cost+transport``). The intent
``noise`` marks answers that carry no theme at all ("hallo", "idk", a lone
emoji); it is not a theme.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from survey.yamlfile import parse

NOISE = "noise"
DATA_DIR = Path(__file__).parent / "data"
TRAIN_DIR = DATA_DIR / "train"
TEST_DIR = DATA_DIR / "test"


# Entries of a Rasa NLU file that carry no examples for us, and the keys of an intent.
_RASA_ONLY = frozenset({"synonym", "lookup", "regex"})
_ENTRY_KEYS = frozenset({"intent", "examples", "metadata"})


class TrainingDataError(Exception):
    """A training file that cannot be used; the message names file, line and problem."""


@dataclass(frozen=True)
class Example:
    """One labelled answer."""

    text: str
    themes: tuple[str, ...]


def themes_of(intent: str) -> tuple[str, ...]:
    """'cost+transport' -> ('cost', 'transport'); 'noise' -> ()."""
    if intent == NOISE:
        return ()
    return tuple(sorted(intent.split("+")))


def load_file(path: Path, known_themes: Iterable[str]) -> list[Example]:
    """The examples of one Rasa NLU file, checked against the configured themes."""
    known = set(known_themes)
    try:
        text = path.read_text(encoding="utf-8")
        root, document = parse(text)
    except (OSError, UnicodeDecodeError) as error:
        raise TrainingDataError(f"{path}: cannot read: {error}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(error, "problem", None) or "cannot be parsed"
        raise TrainingDataError(f"{path}:{line}: not valid YAML: {problem}") from error
    if not isinstance(document, dict) or not isinstance(document.get("nlu"), list):
        raise TrainingDataError(f"{path}:1: expected a top-level 'nlu:' list (Rasa NLU format)")
    entries = _entry_nodes(root)
    examples: list[Example] = []
    for index, entry in enumerate(document["nlu"]):
        node = entries[index] if index < len(entries) else None
        line = node.start_mark.line + 1 if node is not None else 1
        where = f"{path}:{line}: nlu.{index}"
        if not isinstance(entry, dict):
            raise TrainingDataError(f"{where}: expected '- intent: <theme>' with 'examples: |'")
        if "intent" not in entry:
            if _RASA_ONLY & set(entry):
                continue  # synonyms, lookup tables and regexes are Rasa's business
            raise TrainingDataError(
                f"{where}: no 'intent' key (found {', '.join(map(str, entry))}); "
                f"expected '- intent: <theme>' or a Rasa {'/'.join(sorted(_RASA_ONLY))} entry"
            )
        unknown_keys = [str(key) for key in entry if key not in _ENTRY_KEYS]
        if unknown_keys:
            raise TrainingDataError(
                f"{where}.{unknown_keys[0]}: unknown key (an intent has "
                f"{', '.join(sorted(_ENTRY_KEYS))})"
            )
        intent = str(entry["intent"])
        unknown = [t for t in themes_of(intent) if t not in known]
        if unknown:
            raise TrainingDataError(
                f"{where}.intent: {', '.join(t or '(empty)' for t in unknown)} is not a theme "
                f"in config.yml (themes: {', '.join(sorted(known))}, or {NOISE!r})"
            )
        block = entry.get("examples")
        if not isinstance(block, str):
            raise TrainingDataError(f"{where}.examples: expected a '|' block of '- ' lines")
        # A '|' block starts on the line after its indicator.
        first = _value_line(node, "examples") + 1
        for offset, raw in enumerate(block.splitlines()):
            stripped = raw.strip()
            if not stripped:
                continue
            if not stripped.startswith("- ") or not stripped[2:].strip():
                raise TrainingDataError(
                    f"{path}:{first + offset}: nlu.{index}.examples: every example is a "
                    f"line '- <text>': {stripped[:40]!r}"
                )
            examples.append(Example(stripped[2:].strip(), themes_of(intent)))
    return examples


def _entry_nodes(root: yaml.Node | None) -> list[yaml.Node]:
    """The YAML node of each entry under 'nlu:', for line numbers."""
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if key.value == "nlu" and isinstance(value, yaml.SequenceNode):
                return list(value.value)
    return []


def _value_line(entry: yaml.Node | None, key: str) -> int:
    """1-based line where an entry's value for ``key`` starts (the entry's line if unknown)."""
    if entry is None:
        return 1
    if isinstance(entry, yaml.MappingNode):
        for key_node, value_node in entry.value:
            if key_node.value == key:
                return int(value_node.start_mark.line) + 1
    return int(entry.start_mark.line) + 1


def load_dir(folder: Path, known_themes: Iterable[str]) -> list[Example]:
    """Every example in a folder of Rasa NLU files, in a stable order."""
    known = list(known_themes)
    files = sorted(folder.glob("*.yml"))
    if not files:
        raise TrainingDataError(f"{folder}: no .yml training files")
    return [example for path in files for example in load_file(path, known)]


def barrier_answers(folder: Path) -> list[str]:
    """The answer texts in a folder of barrier-theme files, whatever their themes."""
    files = sorted(folder.glob("*.yml"))
    intents = {part for path in files for part in path.stem.split("+")}
    return [example.text for path in files for example in load_file(path, intents)]


def intent_of(themes: Iterable[str]) -> str:
    """('cost', 'transport') -> 'cost+transport'; () -> 'noise'."""
    ordered = sorted(set(themes))
    return "+".join(ordered) if ordered else NOISE


def _same_text(text: str) -> str:
    return " ".join(text.casefold().split())


def merge_examples(base: Iterable[Example], extra: Iterable[Example]) -> list[Example]:
    """``base`` plus ``extra``; where both hold the same text, ``extra``'s label wins.

    Used to put labels from people (staff, young people) on top of the
    shipped training data: a person's judgement of a real answer outranks a
    written example that happens to read the same.
    """
    extra = list(extra)
    overridden = {_same_text(example.text) for example in extra}
    kept = [example for example in base if _same_text(example.text) not in overridden]
    return kept + extra


def to_rasa_yaml(examples: Iterable[Example], header: str = "") -> str:
    """Examples as a Rasa NLU YAML document, intents and texts in a stable order."""
    by_intent: dict[str, set[str]] = {}
    for example in examples:
        # One line per example in Rasa's block format; "](" would read as an entity annotation.
        text = " ".join(example.text.split()).replace("](", "] (")
        if text:
            by_intent.setdefault(intent_of(example.themes), set()).add(text)
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += ['version: "3.1"', "nlu:"]
    for intent in sorted(by_intent):
        lines += [f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in sorted(by_intent[intent])]
    return "\n".join(lines) + "\n"
