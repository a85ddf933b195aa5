"""What the bot asks of the NLU for every text: themes (if in time) and distress.

The conversation never waits longer than ``timeout_seconds`` on the theme
backend. When it is down or slow the answer is stored unclassified and
``jeugdstem nlu reclassify`` catches up later. Distress is checked in process,
for every text, whatever happens to the backend: it must never be skipped.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Protocol

import structlog

from nlu import builtin as builtin_module
from nlu.builtin import BuiltinClassifier
from nlu.classifier import NluUnavailable, Prediction, ThemeService
from nlu.data import TRAIN_DIR, Example, load_dir, merge_examples
from nlu.distress import DistressDetector, default_examples, training_source
from nlu.insults import is_insult_to_bot
from nlu.rasa import RasaClassifier
from nlu.risk import Distress

log = structlog.get_logger("jeugdstem.nlu")

BUILTIN_MODEL = "builtin.npz"
DISTRESS_MODEL = "distress.npz"
# What reading a model file that is damaged, or not one of ours, can raise.
UNREADABLE = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


class BuiltinService:
    """The built-in classifier behind the async interface."""

    def __init__(self, classifier: BuiltinClassifier) -> None:
        self.classifier = classifier

    @property
    def version(self) -> str:
        """The trained model's version."""
        return self.classifier.version

    async def classify(self, text: str) -> Prediction:
        """On the event loop: a prediction costs less than handing it to a thread would."""
        return self.classifier.predict(text)

    async def aclose(self) -> None:
        """Nothing to release."""


def training_examples(themes: Sequence[str], data_dir: Path = TRAIN_DIR) -> list[Example]:
    """The examples both backends learn from."""
    return load_dir(data_dir, themes)


def _training_digest(themes: Sequence[str], threshold: float, data_dir: Path = TRAIN_DIR) -> str:
    """What the saved model was trained from: data, themes, threshold, recipe and library.

    The data is hashed as the bytes of its files, not parsed: parsing 3,000 examples at
    every start cost the bot time and memory it only needs when it trains. The recipe
    is the version the classifier declares (``nlu.builtin.RECIPE``), not a hash of its
    source: a comment or docstring edit must not retrain every model.
    """
    digest = hashlib.sha256(
        json.dumps(
            [
                builtin_module.RECIPE,
                list(themes),
                threshold,
                # The library that fits it, read without importing it (the bot never does).
                metadata.version("scikit-learn"),
            ]
        ).encode("utf-8")
    )
    for path in sorted(data_dir.glob("*.yml")):
        digest.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def distress_detector(model_dir: Path) -> DistressDetector:
    """The shipped distress detector, saved in ``model_dir``; trained first if out of date.

    Training takes seconds at every start otherwise. The saved model is used only when
    it was trained from today's recipe, data and patterns (``training_source()``); the
    patterns are code and run fresh either way.
    """
    source = training_source()
    path = model_dir / DISTRESS_MODEL
    if path.exists():
        try:
            saved = DistressDetector.load(path)
            if saved.source == source:
                return saved
        except UNREADABLE as error:
            log.warning("nlu.distress_model_unreadable", error=type(error).__name__)
    model = DistressDetector.train(default_examples(), source=source)
    model_dir.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: two workers starting at once never read half a file.
    partial = model_dir / f".{DISTRESS_MODEL}.{os.getpid()}"
    model.save(partial)
    os.replace(partial, path)
    return model


def builtin_classifier(
    model_dir: Path,
    themes: Sequence[str],
    threshold: float,
    *,
    retrain: bool = False,
    labelled: Sequence[Example] = (),
) -> BuiltinClassifier:
    """The saved built-in model, trained (seconds) and saved first if missing or out of date.

    A digest of the shipped training data, themes, threshold and the classifier's
    recipe version (``nlu.builtin.RECIPE``) is saved beside the model, so editing
    ``nlu/data/train`` (or config.yml's themes) and restarting the bot retrains it.

    ``labelled`` are answers labelled by people (staff, young people), trained
    on top of the shipped data when ``jeugdstem nlu train`` asks for it. A
    model trained with them stays in use as long as the shipped data is
    unchanged: the bot never trades it for one without them on restart.
    """
    digest = _training_digest(themes, threshold)
    path = model_dir / BUILTIN_MODEL
    stamp = path.with_suffix(".digest")
    if path.exists() and stamp.exists() and not retrain:
        try:
            stamped = _stamped_digest(stamp)
            if stamped != digest and stamped == _parsed_digest(themes, threshold):
                # A stamp from before the data was hashed as bytes: the same data, so
                # keep the model (it may hold staff labels) and restamp it.
                _write_stamp(stamp, digest, labelled_count(model_dir))
                stamped = digest
            if stamped == digest:
                return BuiltinClassifier.load(path)
        except UNREADABLE as error:
            log.warning("nlu.model_unreadable", error=type(error).__name__)
    examples = merge_examples(training_examples(themes), labelled)
    started = time.perf_counter()
    model = BuiltinClassifier.train(examples, themes, threshold=threshold)
    model_dir.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: two workers starting at once never read half a file.
    partial = model_dir / f".{BUILTIN_MODEL}.{os.getpid()}"
    model.save(partial)
    os.replace(partial, path)
    _write_stamp(stamp, digest, len(labelled))
    log.info(
        "nlu.trained",
        backend="builtin",
        version=model.version,
        examples=len(examples),
        labelled=len(labelled),
        seconds=round(time.perf_counter() - started, 1),
    )
    return model


def _parsed_digest(themes: Sequence[str], threshold: float) -> str:
    """The digest stamps held before 2026-12-07: of the parsed examples, not the files."""
    examples = training_examples(themes)
    payload = json.dumps(
        [
            builtin_module.RECIPE,
            [(e.text, e.themes) for e in examples],
            list(themes),
            threshold,
            metadata.version("scikit-learn"),
        ]
    ).encode("utf-8")
    return hashlib.sha256(payload).hexdigest()


def _write_stamp(stamp: Path, digest: str, labelled: int) -> None:
    """Write the stamp beside the model, aside and renamed like the model itself."""
    partial = stamp.with_name(f".{stamp.name}.{os.getpid()}")
    partial.write_text(json.dumps({"shipped": digest, "labelled": labelled}), encoding="utf-8")
    os.replace(partial, stamp)


def _stamped_digest(stamp: Path) -> str:
    """The shipped-data digest a saved model was trained from (older stamps hold it bare)."""
    content = stamp.read_text(encoding="utf-8").strip()
    if content.startswith("{"):
        return str(json.loads(content)["shipped"])
    return content


def labelled_count(model_dir: Path) -> int:
    """How many people-labelled answers the saved built-in model was trained with."""
    try:
        content = (model_dir / BUILTIN_MODEL).with_suffix(".digest").read_text(encoding="utf-8")
        return int(json.loads(content).get("labelled", 0)) if content.startswith("{") else 0
    except (OSError, ValueError, AttributeError):
        return 0


@dataclass(frozen=True)
class Analysis:
    """What the NLU made of one text."""

    # None when the backend could not answer in time: classify later.
    prediction: Prediction | None
    distress: Distress
    # The message insults the bot itself: answered calmly, not stored as an answer.
    insult: bool = False


class DistressCheck(Protocol):
    """What the analyser needs of a distress detector (nlu.distress.DistressDetector)."""

    def detect(self, text: str) -> Distress:
        """The verdict on one message; false when it shows no distress."""
        ...


class Analyser:
    """Themes within a time budget, distress always."""

    def __init__(
        self, themes: ThemeService, distress: DistressCheck, timeout_seconds: float
    ) -> None:
        self.themes = themes
        self.distress = distress
        self.timeout_seconds = timeout_seconds

    async def analyse(self, text: str) -> Analysis:
        """Both checks for one text; the text itself is never logged."""
        distress = self.distress.detect(text)
        prediction = await self.classify(text)
        return Analysis(prediction, distress, insult=is_insult_to_bot(text))

    async def classify(self, text: str) -> Prediction | None:
        """Themes, or None when the backend is down or slower than the budget."""
        try:
            async with asyncio.timeout(self.timeout_seconds):
                return await self.themes.classify(text)
        except (NluUnavailable, TimeoutError) as error:
            log.warning("nlu.unavailable", reason=type(error).__name__)
            return None

    async def aclose(self) -> None:
        """Release the backend's connections."""
        await self.themes.aclose()


def theme_service(
    backend: str,
    *,
    model_dir: Path,
    themes: Sequence[str],
    builtin_threshold: float,
    rasa_url: str,
    rasa_threshold: float,
) -> ThemeService:
    """The configured backend behind the one interface."""
    if backend == "rasa":
        return RasaClassifier(rasa_url, themes, rasa_threshold)
    return BuiltinService(builtin_classifier(model_dir, themes, builtin_threshold))
