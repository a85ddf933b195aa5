"""How well a backend agrees with labelled answers: the figures behind ``jeugdstem nlu evaluate``.

Beyond ``rasa test nlu``: the answers are multi-label, so precision, recall and
F1 are per theme; macro-F1 weighs every theme alike (rare barriers count as
much as common ones), micro-F1 weighs every label alike; top-3 recall says how
often a true theme is among the three the bot would offer as buttons.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.preprocessing import MultiLabelBinarizer

from nlu.classifier import Prediction
from nlu.data import Example, TrainingDataError, load_dir, load_file


@dataclass(frozen=True)
class ThemeScore:
    """Precision, recall and F1 of one theme; support is how many answers truly carry it."""

    theme: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Mistake:
    """One answer the backend got wrong, with how sure it was."""

    text: str
    expected: tuple[str, ...]
    predicted: tuple[str, ...]
    confidence: float


@dataclass(frozen=True)
class Evaluation:
    """The whole report."""

    examples: int
    per_theme: list[ThemeScore]
    macro_f1: float
    micro_f1: float
    top3_recall: float
    worst: list[Mistake]


def load_labelled(path: Path, themes: Sequence[str]) -> list[Example]:
    """Labelled answers: JSONL ``{"text", "themes"}``, or Rasa YAML (a file or a folder).

    Errors name the file and line, like the training data loader.
    """
    if path.is_dir():
        return load_dir(path, themes)
    if path.suffix in (".yml", ".yaml"):
        return load_file(path, themes)
    known = set(themes)
    examples = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise TrainingDataError(f"{path}: cannot read: {error}") from error
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            raise TrainingDataError(f"{path}:{number}: not valid JSON: {error.msg}") from error
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise TrainingDataError(f'{path}:{number}: expected {{"text": ..., "themes": [...]}}')
        labels = item.get("themes", [])
        if not isinstance(labels, list) or not all(isinstance(t, str) for t in labels):
            raise TrainingDataError(f"{path}:{number}: themes must be a list of theme ids")
        unknown = sorted(set(labels) - known)
        if unknown:
            raise TrainingDataError(f"{path}:{number}: unknown theme {', '.join(unknown)}")
        examples.append(Example(item["text"], tuple(sorted(labels))))
    if not examples:
        raise TrainingDataError(f"{path}: no labelled answers")
    return examples


def evaluate(
    examples: Sequence[Example],
    predictions: Sequence[Prediction],
    themes: Sequence[str],
    *,
    worst: int = 10,
) -> Evaluation:
    """Compare predictions with the labels; macro-F1 over the themes that occur in the labels."""
    binarizer = MultiLabelBinarizer(classes=list(themes))
    truth = binarizer.fit_transform([e.themes for e in examples])
    guess = binarizer.transform([p.themes for p in predictions])
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, guess, average=None, zero_division=0
    )
    per_theme = [
        ThemeScore(theme, float(precision[i]), float(recall[i]), float(f1[i]), int(support[i]))
        for i, theme in enumerate(themes)
    ]
    present = [i for i in range(len(themes)) if truth[:, i].sum() > 0]
    macro = float(np.mean([f1[i] for i in present])) if present else 0.0
    micro = float(f1_score(truth, guess, average="micro", zero_division=0))

    labelled = [(e, p) for e, p in zip(examples, predictions, strict=True) if e.themes]
    hits = sum(1 for e, p in labelled if set(e.themes) & set(p.ranked()[:3]))
    top3 = hits / len(labelled) if labelled else 0.0

    mistakes = [
        Mistake(e.text, e.themes, p.themes, _confidence_of_mistake(e, p))
        for e, p in zip(examples, predictions, strict=True)
        if set(e.themes) != set(p.themes)
    ]
    mistakes.sort(key=lambda m: (-m.confidence, m.text))
    return Evaluation(len(examples), per_theme, macro, micro, top3, mistakes[:worst])


def _confidence_of_mistake(example: Example, prediction: Prediction) -> float:
    """How sure the backend was: its best wrong score, or how little it gave the truth."""
    wrong = [
        s
        for t, s in prediction.scores.items()
        if t in prediction.themes and t not in example.themes
    ]
    if wrong:
        return max(wrong)
    missed = [prediction.scores.get(t, 0.0) for t in example.themes]
    return 1.0 - min(missed) if missed else prediction.best_score


NO_THEME = "(geen)"


def confusion_counts(
    examples: Sequence[Example], predictions: Sequence[Prediction], themes: Sequence[str]
) -> np.ndarray:
    """Rows: true theme (or none), columns: predicted (or none); every multi-label pair counts."""
    labels = [*themes, NO_THEME]
    index = {label: i for i, label in enumerate(labels)}
    counts = np.zeros((len(labels), len(labels)), dtype=int)
    for example, prediction in zip(examples, predictions, strict=True):
        for true in example.themes or (NO_THEME,):
            for guessed in prediction.themes or (NO_THEME,):
                counts[index[true], index[guessed]] += 1
    return counts


def confusion_chart(
    examples: Sequence[Example],
    predictions: Sequence[Prediction],
    themes: Sequence[str],
    path: Path,
    *,
    title: str,
) -> None:
    """A PNG heatmap of confusion_counts, in a colour-blind-safe palette, counts in the cells."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = confusion_counts(examples, predictions, themes)
    labels = [*themes, NO_THEME]
    figure, axes = plt.subplots(figsize=(9, 8), dpi=120)
    image = axes.imshow(counts, cmap="cividis")
    axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
    axes.set_yticks(range(len(labels)), labels)
    axes.set_xlabel("voorspeld thema")
    axes.set_ylabel("juist thema")
    axes.set_title(title)
    threshold = counts.max() / 2 if counts.max() else 1
    for row in range(len(labels)):
        for column in range(len(labels)):
            if counts[row, column]:
                colour = "black" if counts[row, column] > threshold else "white"
                axes.text(
                    column,
                    row,
                    str(counts[row, column]),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=colour,
                )
    figure.colorbar(image, ax=axes, fraction=0.046, pad=0.04, label="aantal antwoorden")
    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)
