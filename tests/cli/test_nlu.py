"""`jeugdstem nlu train|predict|evaluate|reclassify`, built-in backend, as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.engine import SurveyEngine
from privacy.identity import CallbackCodec
from storage import Database
from storage import repository as repo
from survey.config import Survey, load_survey
from tests.support.chat import Chat, advance_to, consent
from tests.support.config import write_test_config
from tests.support.paths import REPO

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="session")
def nlu_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A config.yml whose models live in a folder shared by this session's commands."""
    return write_test_config(tmp_path_factory.mktemp("nlu-cli"))


def jeugdstem(
    config: Path, *args: str, stdin: str = "", cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "JEUGDSTEM_", "DATABASE_"))
    }
    environment.update(JEUGDSTEM_CONFIG=str(config), JEUGDSTEM_SECRET="s", **env)
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=cwd or config.parent,
        env=environment,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_train_writes_a_versioned_model(nlu_config: Path) -> None:
    result = jeugdstem(nlu_config, "nlu", "train", "--backend", "builtin")
    assert result.returncode == 0, result.stderr
    assert "trained builtin-" in result.stderr
    assert (nlu_config.parent / "models" / "builtin.npz").is_file()


def test_predict_answers_every_line_and_reports_bad_ones(nlu_config: Path, survey: Survey) -> None:
    lines = [
        json.dumps({"id": "a1", "text": "het lidgeld is veel te duur voor ons"}),
        "{this is not json",
        json.dumps({"id": 7, "text": "ik wil niet meer leven"}),
        json.dumps({"id": "no-text"}),
        json.dumps({"id": "a3", "text": "de bus rijdt niet meer na 19u"}),
    ]
    result = jeugdstem(nlu_config, "nlu", "predict", stdin="\n".join(lines) + "\n")
    assert result.returncode == 1  # some lines failed; the others were still answered
    assert "line 2: not valid JSON" in result.stderr
    assert "line 4:" in result.stderr
    answered = [json.loads(line) for line in result.stdout.splitlines()]
    assert [a["id"] for a in answered] == ["a1", 7, "a3"]
    for item in answered:
        assert set(item) == {
            "id",
            "themes",
            "scores",
            "distress",
            "distress_level",
            "distress_kinds",
        }
        assert set(item["scores"]) == set(survey.theme_ids)
        assert all(0.0 <= score <= 1.0 for score in item["scores"].values())
        assert set(item["themes"]) <= set(survey.theme_ids)
    assert "cost" in answered[0]["themes"]
    assert "transport" in answered[2]["themes"]
    assert [a["distress"] for a in answered] == [False, True, False]
    assert [a["distress_level"] for a in answered] == [None, "alarm", None]
    assert [a["distress_kinds"] for a in answered] == [[], ["suicide"], []]


def test_predict_on_clean_input_exits_zero(nlu_config: Path) -> None:
    result = jeugdstem(
        nlu_config, "nlu", "predict", stdin=json.dumps({"id": 1, "text": "idk"}) + "\n"
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["id"] == 1


def test_evaluate_reports_per_theme_scores_and_draws_the_confusion_chart(
    nlu_config: Path, tmp_path: Path, survey: Survey
) -> None:
    labelled = tmp_path / "gold.jsonl"
    labelled.write_text(
        "\n".join(
            json.dumps({"text": text, "themes": themes}, ensure_ascii=False)
            for text, themes in [
                ("het kost gewoon te veel geld", ["cost"]),
                ("te ver fietsen en geen bus", ["transport"]),
                ("mijn ma wil nie dat ik ga", ["family"]),
                ("hallo", []),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    chart = tmp_path / "confusion.png"
    result = jeugdstem(nlu_config, "nlu", "evaluate", str(labelled), "--chart", str(chart))
    assert result.returncode == 0, result.stderr
    assert "macro-F1" in result.stdout and "micro-F1" in result.stdout
    assert "top-3 recall" in result.stdout
    for theme in ("cost", "transport", "family"):
        assert theme in result.stdout
    assert chart.read_bytes().startswith(PNG_SIGNATURE)


def test_evaluate_reads_the_rasa_yaml_test_split(nlu_config: Path, tmp_path: Path) -> None:
    chart = tmp_path / "c.png"
    result = jeugdstem(
        nlu_config, "nlu", "evaluate", str(REPO / "nlu/data/test"), "--chart", str(chart)
    )
    assert result.returncode == 0, result.stderr
    macro = float(result.stdout.split("macro-F1")[1].split()[0])
    assert macro >= 0.7
    assert "worst mistakes" in result.stdout


def test_evaluate_names_the_line_of_a_bad_label(nlu_config: Path, tmp_path: Path) -> None:
    labelled = tmp_path / "gold.jsonl"
    labelled.write_text(
        json.dumps({"text": "te duur", "themes": ["cost"]})
        + "\n"
        + json.dumps({"text": "x", "themes": ["astrology"]})
        + "\n",
        encoding="utf-8",
    )
    result = jeugdstem(nlu_config, "nlu", "evaluate", str(labelled))
    assert result.returncode == 2
    assert f"{labelled}:2: unknown theme astrology" in result.stderr
    assert "Traceback" not in result.stderr


async def test_reclassify_catches_up_on_answers_stored_while_the_nlu_was_down(
    nlu_config: Path, tmp_path: Path, codec: CallbackCodec
) -> None:
    url = f"sqlite:///{tmp_path / 'jeugdstem.db'}"
    database = Database(url)
    database.migrate()
    survey = load_survey(nlu_config)
    # No analyser at all: every answer is stored unclassified, as when the NLU is down.
    chat = Chat(SurveyEngine(survey, database, codec))
    await consent(chat, survey)
    await advance_to(chat, survey, "q:holds-back")
    await chat.text("het lidgeld is te duur")
    await chat.text("ze kijken raar naar mijn hoofddoek")
    with database.transaction() as session:
        assert repo.count_to_classify(session) == 2
    database.dispose()

    result = jeugdstem(nlu_config, "nlu", "reclassify", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert "classified 2 answers with builtin-" in result.stderr

    database = Database(url)
    with database.transaction() as session:
        assert repo.count_to_classify(session) == 0
        answers = {a.text: a for a in repo.answers_of(session, chat.pseudonym)}
    database.dispose()
    cost = answers["het lidgeld is te duur"]
    assert cost.themes is not None and "cost" in cost.themes
    assert cost.model_version is not None and cost.model_version.startswith("builtin-")
    assert cost.distress is False

    again = jeugdstem(nlu_config, "nlu", "reclassify", DATABASE_URL=url)
    assert again.returncode == 0
    assert "classified 0 answers" in again.stderr


def test_rasa_commands_explain_a_missing_server(tmp_path: Path) -> None:
    config = write_test_config(tmp_path, rasa={"url": "http://127.0.0.1:9"})
    result = jeugdstem(config, "nlu", "predict", "--backend", "rasa", stdin="{}\n")
    assert result.returncode == 1
    assert "jeugdstem nlu serve" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_without_a_model_says_how_to_train(tmp_path: Path) -> None:
    config = write_test_config(tmp_path)
    result = jeugdstem(config, "nlu", "serve")
    assert result.returncode == 1
    assert "jeugdstem nlu train --backend rasa" in result.stderr or "make setup-rasa" in (
        result.stderr
    )
