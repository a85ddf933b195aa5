"""The Rasa backend: score mapping, then the real `rasa train nlu` and a real Rasa server.

The server tests train the shipped pipeline, with a smaller DIET, once per
session (minutes: DIET on the whole training split) through `jeugdstem nlu train
--backend rasa`, start it with `jeugdstem nlu serve`, and talk to it over HTTP like
the bot does.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from nlu.classifier import NluUnavailable
from nlu.distress import DistressDetector
from nlu.rasa import (
    RasaClassifier,
    prediction_from_parse,
    rasa_environment,
    serve_command,
    train_command,
    wait_until_ready,
)
from nlu.service import Analyser
from survey.config import Survey
from tests.support.config import write_test_config
from tests.support.paths import REPO
from tests.support.postgres import free_port

THEMES = ["cost", "transport", "family", "none", "other"]


def ranking(*pairs: tuple[str, float]) -> dict[str, object]:
    return {
        "intent": {"name": pairs[0][0], "confidence": pairs[0][1]},
        "intent_ranking": [{"name": name, "confidence": conf} for name, conf in pairs],
    }


def test_a_theme_scores_the_confidence_of_every_intent_that_contains_it() -> None:
    parsed = ranking(("cost+transport", 0.5), ("cost", 0.3), ("family", 0.15), ("noise", 0.05))
    prediction = prediction_from_parse(parsed, THEMES, 0.5, "rasa-x")
    assert prediction.scores == {
        "cost": 0.8,
        "transport": 0.5,
        "family": 0.15,
        "none": 0.0,
        "other": 0.0,
    }
    assert prediction.themes == ("cost", "transport")
    assert prediction.model_version == "rasa-x"


def test_noise_on_top_means_no_theme() -> None:
    prediction = prediction_from_parse(ranking(("noise", 0.7), ("cost", 0.3)), THEMES, 0.2, "v")
    assert prediction.themes == ()
    assert prediction.scores["cost"] == 0.3


def test_unknown_intents_and_an_empty_ranking_are_harmless() -> None:
    prediction = prediction_from_parse(ranking(("astrology", 0.9)), THEMES, 0.5, "v")
    assert prediction.themes == ()
    assert prediction_from_parse({}, THEMES, 0.5, "v").scores == dict.fromkeys(THEMES, 0.0)


def test_rasa_runs_without_telemetry_and_without_text_in_its_logs(tmp_path: Path) -> None:
    env = rasa_environment()
    assert env["RASA_TELEMETRY_ENABLED"] == "false"
    assert env["LOG_LEVEL"] == "WARNING"
    command = serve_command(Path("rasa"), tmp_path / "nlu.tar.gz", "127.0.0.1", 5005)
    assert "--quiet" in command and "--enable-api" in command
    assert command[command.index("--interface") + 1] == "127.0.0.1"
    train = train_command(Path("rasa"), Path("p.yml"), Path("data"), tmp_path)
    assert train[1:3] == ["train", "nlu"]


async def test_a_server_that_is_not_there_is_unavailable_quickly() -> None:
    classifier = RasaClassifier(f"http://127.0.0.1:{free_port()}", THEMES, 0.5)
    started = asyncio.get_running_loop().time()
    with pytest.raises(NluUnavailable):
        await asyncio.wait_for(classifier.classify("te duur"), timeout=10)
    await classifier.aclose()
    assert asyncio.get_running_loop().time() - started < 10


# ---------------------------------------------------------------------------
# The real thing


def _environment(config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JEUGDSTEM_", "DATABASE_"))}
    env.update(JEUGDSTEM_CONFIG=str(config), JEUGDSTEM_SECRET="s")
    return env


# These tests check the real train-serve-parse path, not DIET's quality (that is
# benchmarks/nlu.py, with the shipped pipeline). The shipped DIET (60 epochs, two
# transformer layers over each answer's tokens) takes most of an hour on the training
# data since long multi-barrier stories joined it; without the transformer layers and
# with 20 epochs the same components and data train in about two minutes.
TEST_DIET = {"epochs": 20, "number_of_transformer_layers": 0}


def quick_pipeline(folder: Path) -> Path:
    """The shipped Rasa pipeline, component for component, with a small DIET."""
    import yaml

    pipeline = yaml.safe_load((REPO / "nlu/rasa/config.yml").read_text(encoding="utf-8"))
    diet = [c for c in pipeline["pipeline"] if c["name"] == "DIETClassifier"]
    assert len(diet) == 1, "the shipped pipeline has one DIETClassifier"
    diet[0].update(TEST_DIET)
    path = folder / "pipeline.yml"
    path.write_text(yaml.safe_dump(pipeline, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def rasa_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("rasa")
    port = free_port()
    rasa = {"url": f"http://127.0.0.1:{port}", "pipeline": str(quick_pipeline(folder))}
    return write_test_config(folder, backend="rasa", rasa=rasa)


@pytest.fixture(scope="session")
def trained_rasa(rasa_config: Path) -> Path:
    """`jeugdstem nlu train --backend rasa`: the real `rasa train nlu`, once per session."""
    executable = REPO / ".venv-rasa" / "bin" / "rasa"
    assert executable.exists(), "run `make setup-rasa` (make test does it)"
    result = subprocess.run(
        [sys.executable, "-m", "cli", "nlu", "train", "--backend", "rasa"],
        env=_environment(rasa_config),
        cwd=rasa_config.parent,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    model = rasa_config.parent / "models" / "rasa" / "nlu.tar.gz"
    assert model.is_file()
    return model


@dataclass(frozen=True)
class RasaServer:
    url: str
    log_path: Path
    pid: int


@pytest.fixture(scope="session")
def rasa_server(rasa_config: Path, trained_rasa: Path) -> Iterator[RasaServer]:
    """`jeugdstem nlu serve` on a free loopback port."""
    import yaml

    url = yaml.safe_load(rasa_config.read_text())["nlu"]["rasa"]["url"]
    port = url.rsplit(":", 1)[1]
    log_path = rasa_config.parent / "rasa-server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "cli", "nlu", "serve", "--port", port],
            env=_environment(rasa_config),
            cwd=rasa_config.parent,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    try:
        asyncio.run(wait_until_ready(url, seconds=240))
        # `nlu serve` replaces itself with Rasa (exec), so this pid is the server's.
        yield RasaServer(url, log_path, process.pid)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


CLEAR_ANSWERS = {
    "het lidgeld is echt veel te duur, dat kunnen mijn ouders niet betalen": "cost",
    "er rijdt geen bus meer naar daar 's avonds en het is te ver met de fiets": "transport",
    "mien moeder wil nie dat 'k ga, ze vertrouwt da nie": "family",
}


async def test_the_rasa_server_classifies_over_http(
    rasa_server: RasaServer, survey: Survey
) -> None:
    url, log_path = rasa_server.url, rasa_server.log_path
    classifier = RasaClassifier(url, survey.theme_ids, survey.nlu.rasa.threshold, attempt_timeout=5)
    try:
        for text, theme in CLEAR_ANSWERS.items():
            prediction = await classifier.classify(text)
            assert set(prediction.scores) == set(survey.theme_ids)
            assert prediction.ranked()[0] == theme, (text, prediction.scores)
            assert prediction.model_version.startswith("rasa-nlu")
        noise = await classifier.classify("hallo")
        assert "cost" not in noise.themes
    finally:
        await classifier.aclose()
    # Rasa logs parsed texts at debug level; the server must not have written any of them.
    log = log_path.read_text(errors="replace")
    for text in CLEAR_ANSWERS:
        assert text not in log


def test_predict_through_the_rasa_backend_follows_the_contract(
    rasa_server: RasaServer, rasa_config: Path, survey: Survey
) -> None:
    lines = [
        json.dumps({"id": "x", "text": next(iter(CLEAR_ANSWERS))}),
        "not json",
        json.dumps({"id": "y", "text": "ik wil er niet meer zijn"}),
    ]
    result = subprocess.run(
        [sys.executable, "-m", "cli", "nlu", "predict", "--backend", "rasa"],
        env=_environment(rasa_config),
        cwd=rasa_config.parent,
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "line 2: not valid JSON" in result.stderr
    answered = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["id"] for a in answered] == ["x", "y"]
    assert "cost" in answered[0]["themes"]
    assert set(answered[0]["scores"]) == set(survey.theme_ids)
    assert [a["distress"] for a in answered] == [False, True]


def test_evaluate_through_the_rasa_backend(
    rasa_server: RasaServer, rasa_config: Path, tmp_path: Path
) -> None:
    chart = tmp_path / "rasa-confusion.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "cli",
            "nlu",
            "evaluate",
            str(REPO / "nlu/data/test"),
            "--backend",
            "rasa",
            "--chart",
            str(chart),
        ],
        env=_environment(rasa_config),
        cwd=rasa_config.parent,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    macro = float(result.stdout.split("macro-F1")[1].split()[0])
    assert macro >= 0.6
    assert chart.stat().st_size > 10_000


async def test_when_the_rasa_server_stops_answers_wait_at_most_the_budget(
    rasa_server: RasaServer, survey: Survey
) -> None:
    """A stopped server: the analyser gives up within its budget and distress still works."""
    url = rasa_server.url
    classifier = RasaClassifier(url, survey.theme_ids, survey.nlu.rasa.threshold)
    analyser = Analyser(classifier, DistressDetector.default(), timeout_seconds=1.0)
    assert (await analyser.analyse("te duur")).prediction is not None
    # A paused (SIGSTOP) server accepts connections but never answers: the worst case.
    pid = rasa_server.pid
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.perf_counter()
        analysis = await analyser.analyse("ik wil er niet meer zijn")
        waited = time.perf_counter() - started
    finally:
        os.kill(pid, signal.SIGCONT)
        await analyser.aclose()
    assert analysis.prediction is None
    assert analysis.distress
    # Functional bound, generous for a loaded machine: the budget is 1 s, not Rasa's timeout.
    assert waited < 5
