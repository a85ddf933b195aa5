"""`jeugdstem nlu ...`: train, predict, evaluate, reclassify and serve the theme classifier."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from bot.logs import configure_logging
from bot.settings import Settings, config_dir, model_dir
from cli.support import fail_config, load_config, load_settings, open_database, progress_bar
from nlu.classifier import NluUnavailable, Prediction, ThemeService
from nlu.data import TRAIN_DIR, Example, TrainingDataError, merge_examples, to_rasa_yaml
from privacy.redact import redact
from reports.exports.labels import GoldSet, gold_examples
from storage import repository as repo
from storage.database import sqlite_file
from survey.config import Survey

if TYPE_CHECKING:
    from nlu.evaluation import Evaluation
    from nlu.risk import Distress

# scikit-learn, matplotlib and aiohttp are imported inside the commands that use them:
# every `jeugdstem` command loads this module, and `export` or `labels` should not wait
# a second for libraries they never touch.

nlu_app = typer.Typer(
    help="Barrier-theme classification: train, predict, evaluate, reclassify, serve.",
    no_args_is_help=True,
)

# Progress and tables go to stderr: stdout belongs to `predict`'s JSONL.
err = Console(stderr=True)


class Backend(StrEnum):
    """The two backends behind one interface."""

    builtin = "builtin"
    rasa = "rasa"


BACKEND_OPTION = typer.Option(
    None, "--backend", help="builtin or rasa (default: nlu.backend in config.yml)"
)


def _backend(survey: Survey, chosen: Backend | None) -> Backend:
    return chosen or Backend(survey.nlu.backend)


def _rasa_paths(survey: Survey, settings: Settings) -> tuple[Path, Path, Path]:
    """Rasa's executable, pipeline file and model folder, all relative to config.yml."""
    base = config_dir(settings)
    rasa = survey.nlu.rasa
    return (
        base / rasa.executable,
        base / rasa.pipeline,
        model_dir(settings, Path(survey.nlu.model_dir)) / "rasa",
    )


def _service(survey: Survey, settings: Settings, backend: Backend) -> ThemeService:
    """The backend, ready to classify; exits with a clear message when it is not."""
    from nlu.rasa import RasaClassifier
    from nlu.service import theme_service

    nlu = survey.nlu
    if backend is Backend.builtin:
        try:
            return theme_service(
                backend.value,
                model_dir=model_dir(settings, Path(nlu.model_dir)),
                themes=survey.theme_ids,
                builtin_threshold=nlu.threshold,
                rasa_url=nlu.rasa.url,
                rasa_threshold=nlu.rasa.threshold,
            )
        except (TrainingDataError, ValueError) as error:
            fail_config(error)
    # Batch work may wait longer on Rasa than a conversation does.
    service = RasaClassifier(
        nlu.rasa.url, survey.theme_ids, nlu.rasa.threshold, attempt_timeout=10, attempts=3
    )

    async def check(classifier: RasaClassifier) -> None:
        # Its own event loop: the connection opened here must not outlive it.
        try:
            await classifier.refresh_version()
        finally:
            await classifier.aclose()

    try:
        asyncio.run(check(service))
    except NluUnavailable as error:
        typer.echo(
            f"{error}.\nStart it with:  jeugdstem nlu serve   (after jeugdstem nlu train "
            "--backend rasa)",
            err=True,
        )
        raise typer.Exit(1) from error
    return service


LABELS_OPTION = typer.Option(
    True,
    "--labels/--no-labels",
    help="Also learn from answers labelled by staff (`jeugdstem labels import`) and confirmed "
    "by young people; staff win where they disagree.",
)


def _people_labels(settings: Settings) -> GoldSet:
    """Labelled answers from the database, or none when there is no database yet."""
    file = sqlite_file(settings.database_url)
    if file is not None and not file.exists():
        return GoldSet()  # training must not create an empty database as a side effect
    database = open_database(settings)
    try:
        with database.snapshot() as session:
            return gold_examples(repo.gold_records(session))
    finally:
        database.dispose()


@nlu_app.command()
def train(backend: Backend | None = BACKEND_OPTION, labels: bool = LABELS_OPTION) -> None:
    """Train a backend on nlu/data/train plus people's labels (built-in: seconds, Rasa: minutes)."""
    from nlu.rasa import MODEL_NAME, rasa_environment, train_command
    from nlu.service import builtin_classifier, training_examples

    settings = load_settings()
    configure_logging("WARNING")  # the progress bar and the summary say it all
    survey = load_config(settings)
    chosen = _backend(survey, backend)
    started = time.perf_counter()
    try:
        shipped = training_examples(survey.theme_ids)
    except TrainingDataError as error:
        fail_config(error)
    gold = _people_labels(settings) if labels else GoldSet()
    err.print(
        f"training on {len(shipped)} examples from {TRAIN_DIR.name}/ and "
        f"{len(gold.examples)} labelled answers ({gold.staff} by staff, {gold.confirmed} "
        f"confirmed by young people; {gold.disagreements} disagreements, staff won)"
    )
    if chosen is Backend.builtin:
        with progress_bar() as progress:
            task = progress.add_task("training the built-in classifier", total=1)
            model = builtin_classifier(
                model_dir(settings, Path(survey.nlu.model_dir)),
                survey.theme_ids,
                survey.nlu.threshold,
                retrain=True,
                labelled=gold.examples,
            )
            progress.advance(task)
        err.print(f"trained {model.version} in {time.perf_counter() - started:.1f} s")
        return
    executable, pipeline, out = _rasa_paths(survey, settings)
    if not executable.exists():
        typer.echo(
            f"Rasa is not installed at {executable}. Set it up with:  make setup-rasa", err=True
        )
        raise typer.Exit(1)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="jeugdstem-rasa-data-") as folder:
        # Rasa reads one merged file, so a person's label replaces a shipped example
        # with the same words instead of contradicting it. The folder is 0700.
        data = Path(folder) / "nlu.yml"
        data.write_text(to_rasa_yaml(merge_examples(shipped, gold.examples)), encoding="utf-8")
        # Rasa draws its own progress bar per epoch. The command is built from config.yml.
        result = subprocess.run(  # noqa: S603
            train_command(executable, pipeline, data, out),
            env=rasa_environment(),
            check=False,
        )
    if result.returncode != 0:
        typer.echo(f"rasa train nlu failed with exit code {result.returncode}", err=True)
        raise typer.Exit(1)
    err.print(f"trained {out / (MODEL_NAME + '.tar.gz')} in {time.perf_counter() - started:.0f} s")


@nlu_app.command()
def serve(
    port: int = typer.Option(5005, help="Port on 127.0.0.1 (match nlu.rasa.url in config.yml)."),
) -> None:
    """Start the Rasa server on 127.0.0.1 with the trained model (logs warnings only)."""
    from nlu.rasa import MODEL_NAME, rasa_environment, serve_command

    settings = load_settings()
    survey = load_config(settings)
    executable, _, out = _rasa_paths(survey, settings)
    model = out / f"{MODEL_NAME}.tar.gz"
    if not executable.exists():
        typer.echo(
            f"Rasa is not installed at {executable}. Set it up with:  make setup-rasa", err=True
        )
        raise typer.Exit(1)
    if not model.exists():
        typer.echo(
            f"No Rasa model at {model}. Train one with:  jeugdstem nlu train --backend rasa",
            err=True,
        )
        raise typer.Exit(1)
    # Replace this process: signals (Ctrl-C, a supervisor's TERM) reach Rasa directly.
    command = serve_command(executable, model, "127.0.0.1", port)
    os.execve(command[0], command, rasa_environment())  # noqa: S606


def _read_jsonl(stream: Any) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, object or None, error or None) per non-empty line."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield number, None, f"not valid JSON: {error.msg}"
            continue
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            yield number, None, 'expected an object {"id": ..., "text": "..."}'
            continue
        yield number, item, None


def _distress_fields(verdict: Distress) -> dict[str, Any]:
    """The distress verdict as predict prints it: flag, level (or null) and kinds."""
    return {
        "distress": bool(verdict),
        "distress_level": verdict.level.value if verdict.level is not None else None,
        "distress_kinds": [kind.value for kind in verdict.kinds],
    }


@nlu_app.command()
def predict(backend: Backend | None = BACKEND_OPTION) -> None:
    """stdin JSONL {"id","text"} -> stdout JSONL: themes, scores and the distress verdict.

    Each answer is {"id", "themes", "scores", "distress": true|false, "distress_level":
    "alarm"|"concern"|null, "distress_kinds": (a list, most urgent first)}. A bad line gets an
    error on stderr with its number; the others are still answered, and the exit code
    is then 1.
    """
    from nlu.service import distress_detector

    settings = load_settings()
    configure_logging("WARNING")
    survey = load_config(settings)
    service = _service(survey, settings, _backend(survey, backend))
    detector = distress_detector(model_dir(settings, Path(survey.nlu.model_dir)))
    failed = 0

    async def classify_all() -> None:
        nonlocal failed
        try:
            for number, item, error in _read_jsonl(sys.stdin):
                if item is None:
                    failed += 1
                    typer.echo(f"line {number}: {error}", err=True)
                    continue
                try:
                    prediction = await service.classify(item["text"])
                except NluUnavailable as unavailable:
                    failed += 1
                    typer.echo(f"line {number}: {unavailable}", err=True)
                    continue
                line = {
                    "id": item.get("id"),
                    "themes": list(prediction.themes),
                    "scores": prediction.scores,
                    **_distress_fields(detector.detect(item["text"])),
                }
                sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
                sys.stdout.flush()
        finally:
            await service.aclose()

    asyncio.run(classify_all())
    if failed:
        raise typer.Exit(1)


@nlu_app.command("evaluate")
def evaluate_command(
    file: Annotated[
        Path | None,
        typer.Argument(
            help='Labelled answers: JSONL {"text","themes"}, or Rasa YAML (file or folder).'
        ),
    ] = None,
    gold: Annotated[
        bool,
        typer.Option(
            "--gold",
            help="Compare with the labels staff gave in the database (`jeugdstem labels "
            "import`) instead of a file: does the classifier deserve trust?",
        ),
    ] = False,
    backend: Backend | None = BACKEND_OPTION,
    chart: Annotated[Path, typer.Option(help="Where to write the confusion chart.")] = Path(
        "confusion.png"
    ),
    worst: int = typer.Option(10, help="How many of the worst mistakes to list."),
) -> None:
    """Per-theme precision/recall/F1, macro and micro F1, top-3 recall, confusion chart."""
    from nlu.evaluation import confusion_chart, evaluate, load_labelled
    from nlu.service import labelled_count

    settings = load_settings()
    configure_logging("WARNING")
    survey = load_config(settings)
    if (file is None) == (not gold):
        raise typer.BadParameter("give a labelled FILE, or --gold (not both)")
    if gold:
        examples = _staff_labelled(settings)
        if not examples:
            typer.echo(
                "No staff labels yet: import a reviewed export first "
                "(jeugdstem labels import FILE.xlsx).",
                err=True,
            )
            raise typer.Exit(1)
    else:
        assert file is not None
        try:
            examples = load_labelled(file, survey.theme_ids)
        except TrainingDataError as error:
            fail_config(error)
    chosen = _backend(survey, backend)
    service = _service(survey, settings, chosen)

    async def classify_all() -> list[Prediction]:
        predictions = []
        try:
            with progress_bar() as progress:
                task = progress.add_task(f"classifying with {chosen.value}", total=len(examples))
                for example in examples:
                    predictions.append(await service.classify(example.text))
                    progress.advance(task)
        finally:
            await service.aclose()
        return predictions

    try:
        predictions = asyncio.run(classify_all())
    except NluUnavailable as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error
    result = evaluate(examples, predictions, survey.theme_ids, worst=worst)
    _print_evaluation(result, service.version)
    if gold:
        learned = labelled_count(model_dir(settings, Path(survey.nlu.model_dir)))
        if chosen is Backend.builtin and learned:
            err.print(
                f"note: this model was trained with {learned} labelled answers, so it has seen "
                "many of these; agreement on new answers will be lower."
            )
    confusion_chart(
        examples,
        predictions,
        survey.theme_ids,
        chart,
        title=f"Thema's: juist tegenover voorspeld ({chosen.value}, {len(examples)} antwoorden)",
    )
    err.print(f"confusion chart: {chart}")


def _staff_labelled(settings: Settings) -> list[Example]:
    """Answers staff labelled, as they were typed (the classifier saw them that way)."""
    database = open_database(settings)
    try:
        with database.snapshot() as session:
            return [
                Example(record.text, tuple(sorted(record.staff_themes or ())))
                for record in repo.gold_records(session, staff_only=True)
            ]
    finally:
        database.dispose()


def _print_evaluation(result: Evaluation, version: str) -> None:
    table = Table(title=f"{version} on {result.examples} answers")
    for column in ("theme", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column == "theme" else "right")
    for score in result.per_theme:
        table.add_row(
            score.theme,
            f"{score.precision:.2f}",
            f"{score.recall:.2f}",
            f"{score.f1:.2f}",
            str(score.support),
        )
    console = Console()
    console.print(table)
    console.print(
        f"macro-F1 {result.macro_f1:.3f}   micro-F1 {result.micro_f1:.3f}   "
        f"top-3 recall {result.top3_recall:.3f}"
    )
    if result.worst:
        console.print("\nworst mistakes (most confident first):")
        for mistake in result.worst:
            console.print(
                f"  {mistake.confidence:.2f}  expected {','.join(mistake.expected) or '-'}"
                f"  got {','.join(mistake.predicted) or '-'}  {redact(mistake.text)!r}",
                markup=False,
                highlight=False,
            )


@nlu_app.command()
def reclassify(
    backend: Backend | None = BACKEND_OPTION,
    stale: bool = typer.Option(
        False, "--stale", help="Also answers classified by another model version."
    ),
    batch: int = typer.Option(200, min=1, help="Answers per transaction."),
) -> None:
    """Classify stored answers that have no prediction yet (the NLU was down or slow)."""
    from bot.reclassify import Reclassifier
    from nlu.service import distress_detector

    settings = load_settings()
    configure_logging("WARNING")
    survey = load_config(settings)
    service = _service(survey, settings, _backend(survey, backend))
    database = open_database(settings)
    reclassifier = Reclassifier(
        database,
        service,
        distress_detector(model_dir(settings, Path(survey.nlu.model_dir))),
        stale=stale,
        batch=batch,
    )

    async def run() -> int:
        try:
            total = await reclassifier.waiting()
            with progress_bar() as progress:
                task = progress.add_task("classifying stored answers", total=total)
                return await reclassifier.run(lambda stored: progress.advance(task, stored))
        finally:
            await service.aclose()

    try:
        done = asyncio.run(run())
    except NluUnavailable as error:
        typer.echo(f"{error}; what was classified so far is stored.", err=True)
        raise typer.Exit(1) from error
    finally:
        database.dispose()
    err.print(f"classified {done} answers with {service.version}")
