"""What staff labels are worth: blind-set macro-F1 after 0, 50, 100, 200 and 400 labels.

    python -m benchmarks.learning_curve                  # table, and docs/learning-curve.svg
    python -m benchmarks.learning_curve --pool FILE ...  # another pool of labelled answers

Staff labels are simulated from a pool of labelled answers that are held out of
the training data for the run: by default the training files named in ``POOL``,
answers the shipped model learns from but that the base model here never sees.
The blind set (the newest, ``benchmarks.nlu.BLIND_PATH``) is never a source of labels; it
is only scored, and only figures are printed.

Two ways of choosing what staff label, side by side:
- **uncertain**: what ``jeugdstem export --order uncertain`` puts first. After
  each step the model is retrained and the rest of the pool rescored, as a
  weekly labelling round would;
- **random**: the pool in a random order, the mean of ``SEEDS`` orders.
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections.abc import Sequence
from pathlib import Path

from benchmarks.nlu import BLIND_PATH
from benchmarks.tables import table
from nlu.builtin import BuiltinClassifier
from nlu.data import TRAIN_DIR, Example, load_file
from nlu.evaluation import evaluate, load_labelled
from survey.config import load_survey
from tests.support.paths import REPO

STEPS = (0, 50, 100, 200, 400)
SEEDS = (1, 2, 3)
POOL = ("languages-and-stories.yml",)
CHART = REPO / "docs" / "learning-curve.svg"


def macro_f1(model: BuiltinClassifier, blind: Sequence[Example], themes: Sequence[str]) -> float:
    """The model's macro-F1 on the blind set."""
    predictions = model.predict_many([e.text for e in blind])
    return evaluate(blind, predictions, themes).macro_f1


def uncertain_curve(
    base: list[Example],
    pool: list[Example],
    blind: Sequence[Example],
    themes: Sequence[str],
    threshold: float,
) -> list[float]:
    """Label the least certain answers first, rescoring the pool after every step."""
    labelled: list[Example] = []
    remaining = list(pool)
    model = BuiltinClassifier.train(base, themes, threshold)
    scores = []
    for step in STEPS:
        if step > len(labelled):
            # The last step's model ranks what is left, as last week's model would.
            ranked = sorted(remaining, key=lambda e: model.predict(e.text).certainty)
            chosen = ranked[: step - len(labelled)]
            labelled += chosen
            chosen_ids = {id(e) for e in chosen}
            remaining = [e for e in remaining if id(e) not in chosen_ids]
            model = BuiltinClassifier.train(base + labelled, themes, threshold)
        scores.append(macro_f1(model, blind, themes))
    return scores


def random_curve(
    base: list[Example],
    pool: list[Example],
    blind: Sequence[Example],
    themes: Sequence[str],
    threshold: float,
    seed: int,
) -> list[float]:
    """Label the pool in one random order."""
    order = list(pool)
    random.Random(seed).shuffle(order)
    return [
        macro_f1(BuiltinClassifier.train(base + order[:step], themes, threshold), blind, themes)
        for step in STEPS
    ]


def write_chart(uncertain: Sequence[float], randomly: Sequence[float], path: Path) -> None:
    """Both curves as a small SVG for the README."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    from reports.findings.charts import BAR_COLOUR, STYLE

    with matplotlib.rc_context(STYLE):  # type: ignore[arg-type]
        figure = Figure(figsize=(5.0, 3.0))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        axes.plot(STEPS, uncertain, marker="o", color=BAR_COLOUR, label="least certain first")
        axes.plot(
            STEPS, randomly, marker="s", linestyle="--", color="#a69d75", label="random order"
        )
        axes.set_xticks(STEPS)
        axes.set_xlabel("staff labels")
        axes.set_ylabel("macro-F1 on the blind set")
        axes.grid(alpha=0.3)
        axes.legend(frameon=False)
        figure.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--pool",
        nargs="+",
        default=list(POOL),
        metavar="FILE",
        help="training files (in nlu/data/train) to hold out as the pool of staff labels",
    )
    parser.add_argument("--chart", type=Path, default=CHART, help="where to write the SVG")
    args = parser.parse_args()

    survey = load_survey(REPO / "config.yml")
    themes, threshold = survey.theme_ids, survey.nlu.threshold
    pool_files = {TRAIN_DIR / name for name in args.pool}
    missing = [str(path) for path in pool_files if not path.is_file()]
    if missing:
        parser.error(f"no such training file: {', '.join(missing)}")
    base = [
        example
        for path in sorted(TRAIN_DIR.glob("*.yml"))
        if path not in pool_files
        for example in load_file(path, themes)
    ]
    pool = [example for path in sorted(pool_files) for example in load_file(path, themes)]
    if len(pool) < STEPS[-1]:
        parser.error(f"the pool has {len(pool)} answers; {STEPS[-1]} are needed")
    blind = load_labelled(BLIND_PATH, themes)
    print(
        f"base training answers {len(base)}, pool {len(pool)} "
        f"({', '.join(sorted(args.pool))}), blind set {len(blind)}"
    )

    uncertain = uncertain_curve(base, pool, blind, themes, threshold)
    runs = [random_curve(base, pool, blind, themes, threshold, seed) for seed in SEEDS]
    randomly = [statistics.mean(scores) for scores in zip(*runs, strict=True)]
    spread = [max(scores) - min(scores) for scores in zip(*runs, strict=True)]
    table(
        ["staff labels", "least certain first", f"random (mean of {len(SEEDS)})", "random range"],
        [
            [str(step), f"{u:.3f}", f"{r:.3f}", f"{s:.3f}"]
            for step, u, r, s in zip(STEPS, uncertain, randomly, spread, strict=True)
        ],
    )
    write_chart(uncertain, randomly, args.chart)
    print(f"chart: {args.chart}")


if __name__ == "__main__":
    main()
