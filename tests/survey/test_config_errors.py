"""A broken config.yml or training file stops the real command with exit code 2 and a
message naming the file, the line and the key to fix (never a traceback).

Each case breaks the shipped file in one place and runs the command staff would
run: `jeugdstem chat` and `jeugdstem nlu train` for config.yml, `jeugdstem nlu
evaluate FILE` for a training file in Rasa's format (``nlu train`` reads the
shipped folder, which a test must not break; both use the same loader).

The cases run the `jeugdstem` app in this process (Typer's test runner: the
same command code, exit code and stderr) because a fresh interpreter costs
seconds per case; one case per command also runs as a real subprocess.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from nlu.data import load_file
from survey.config import load_survey
from tests.support.cli import Result, run_jeugdstem
from tests.support.paths import REPO

CONFIG_TEXT = (REPO / "config.yml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Breakage:
    """One change to a file, and where the error must point."""

    name: str
    find: str
    replace: str
    key: str  # the key path the message names ("" when the YAML itself is broken)
    marker: str  # a text on (or just below, see offset) the line the message must name
    says: str  # part of the explanation
    offset: int = 0

    def apply(self, text: str) -> str:
        assert text.count(self.find) == 1, f"{self.name}: {self.find!r} is not unique"
        return text.replace(self.find, self.replace)


def line_of(text: str, marker: str) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if marker in line]
    assert len(lines) == 1, f"{marker!r} is on lines {lines}"
    return lines[0]


def question_index(question_id: str) -> int:
    return [q.id for q in load_survey(REPO / "config.yml").questions].index(question_id)


def run_in_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, config: Path, *args: str
) -> Result:
    """The `jeugdstem` app, run by Typer's test runner with a deployment's environment."""
    for name in list(os.environ):
        if name.startswith(("TELEGRAM_", "JEUGDSTEM_", "DATABASE_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'j.db'}")
    monkeypatch.setenv("JEUGDSTEM_SECRET", "config-test-secret")
    monkeypatch.setenv("JEUGDSTEM_CONFIG", str(config))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.chdir(tmp_path)
    outcome = CliRunner().invoke(app, list(args))
    return Result(outcome.exit_code, outcome.stdout, outcome.stderr)


def assert_names_the_spot(result: Result, path: Path, text: str, breakage: Breakage) -> None:
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    line = line_of(text, breakage.marker) + breakage.offset
    # A YAML error names where the parser gave up and, for an unclosed quote or
    # bracket, where it was opened: the line with the mistake.
    spot = f"{path}:{line}: {breakage.key}" if breakage.key else f"{path}:{line}"
    assert spot in result.stderr, (spot, result.stderr)
    assert breakage.says in result.stderr, result.stderr


AREA = question_index("area")
CONFIG_BREAKAGES = [
    Breakage(
        "bad YAML",
        "      nl: Waar woon je?\n",
        '      nl: "Waar woon je?\n',
        "",
        '"Waar woon je?',
        "not valid YAML",
    ),
    Breakage(
        "wrong type",
        "    profile: area\n    columns: 3\n",
        "    profile: area\n    columns: veel\n",
        f"questions.{AREA}.columns",
        "columns: veel",
        "integer",
    ),
    Breakage(
        "unknown key",
        "    profile: area\n",
        "    profile: area\n    colour: red\n",
        f"questions.{AREA}.colour",
        "colour: red",
        "Extra inputs are not permitted",
    ),
    Breakage(
        "missing language text",
        "      fr: Tu habites où ?\n",
        "",
        f"questions.{AREA}.text",
        "      nl: Waar woon je?",
        "missing the 'fr' text",
        offset=-1,  # the "text:" key above it
    ),
    Breakage(
        "duplicate id",
        "  - id: transport\n    label: Vervoer",
        "  - id: cost\n    label: Vervoer",
        "themes.1.id",
        "label: Vervoer & afstand",
        "duplicate theme id 'cost'",
        offset=-1,  # the "- id: cost" line above it
    ),
    Breakage(
        "out of range",
        "  threshold: 0.35 ",
        "  threshold: 3.5  ",
        "nlu.threshold",
        "threshold: 3.5",
        "less than 1",
    ),
    Breakage(
        "a question id used in two rounds",
        "      - id: what-changed\n",
        "      - id: holds-back\n",
        "rounds.0.questions.1.id",
        "      - id: holds-back",
        "duplicate question id 'holds-back'",
    ),
    Breakage(
        "a round that closes before it opens",
        "    closes: 2027-06-30\n",
        "    closes: 2026-11-30\n",
        "rounds.0.closes",
        "closes: 2026-11-30",
        "closes before it opens",
    ),
    Breakage(
        "a round id holding the deep-link separator",
        "  - id: opvolging\n",
        "  - id: op__volging\n",
        "rounds.0.id",
        "- id: op__volging",
        "may not contain '__'",
    ),
    Breakage(
        "quiet hours written without quotes",
        '{start: "21:00", end: "08:00"}',
        '{start: 21:00, end: "08:00"}',
        "send.quiet_hours.start",
        "quiet_hours: {start: 21:00",
        "valid string",
    ),
]


@pytest.mark.parametrize("breakage", CONFIG_BREAKAGES, ids=lambda b: b.name)
def test_chat_names_the_file_line_and_key(
    breakage: Breakage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = breakage.apply(CONFIG_TEXT)
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    result = run_in_process(monkeypatch, tmp_path, path, "chat")
    assert_names_the_spot(result, path, text, breakage)
    assert not (tmp_path / "j.db").exists()  # refused before touching anything


def test_nlu_train_names_the_file_line_and_key(tmp_path: Path) -> None:
    """The real command in its own process: training never starts."""
    breakage = CONFIG_BREAKAGES[-2]  # a duplicate theme
    text = breakage.apply(CONFIG_TEXT)
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    result = run_jeugdstem(f"sqlite:///{tmp_path / 'j.db'}", "nlu", "train", config=path)
    assert_names_the_spot(result, path, text, breakage)
    assert "training on" not in result.stderr


TRAINING_TEXT = """\
version: "3.1"
nlu:
- intent: cost
  examples: |
    - het lidgeld is te duur
    - geen geld voor de chiro
- intent: transport+time
  examples: |
    - te ver en geen tijd
- synonym: chiro
  examples: |
    - chiroo
"""

TRAINING_BREAKAGES = [
    Breakage(
        "unknown theme",
        "- intent: transport+time",
        "- intent: transport+weather",
        "nlu.1.intent",
        "transport+weather",
        "weather is not a theme",
    ),
    Breakage(
        "empty theme in a multi-intent",
        "- intent: transport+time",
        "- intent: transport+",
        "nlu.1.intent",
        "transport+",
        "(empty) is not a theme",
    ),
    Breakage(
        "missing examples block",
        "  examples: |\n    - te ver en geen tijd\n",
        "",
        "nlu.1.examples",
        "transport+time",
        "expected a '|' block",
    ),
    Breakage(
        "misspelled intent key",
        "- intent: cost",
        "- intnet: cost",
        "nlu.0",
        "intnet: cost",
        "no 'intent' key (found intnet, examples)",
    ),
    Breakage(
        "misspelled examples key",
        "- intent: cost\n  examples: |",
        "- intent: cost\n  exampels: |",
        "nlu.0.exampels",
        "- intent: cost",
        "unknown key",
    ),
    Breakage(
        "example without a dash",
        "    - geen geld voor de chiro",
        "    geen geld voor de chiro",
        "nlu.0.examples",
        "geen geld voor de chiro",  # the example's own line, not its intent's
        "every example is a line '- <text>'",
    ),
    Breakage(
        "bad YAML",
        "- intent: transport+time\n  examples: |",
        "- intent: transport+time\n   examples: |",
        "",
        "   examples: |",
        "not valid YAML",
    ),
]


@pytest.mark.parametrize("breakage", TRAINING_BREAKAGES, ids=lambda b: b.name)
def test_a_broken_training_file_names_the_file_line_and_key(
    breakage: Breakage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = breakage.apply(TRAINING_TEXT)
    path = tmp_path / "answers.yml"
    path.write_text(text, encoding="utf-8")
    result = run_in_process(
        monkeypatch, tmp_path, REPO / "config.yml", "nlu", "evaluate", str(path)
    )
    assert_names_the_spot(result, path, text, breakage)


def test_nlu_evaluate_in_its_own_process_names_the_file_line_and_key(tmp_path: Path) -> None:
    breakage = TRAINING_BREAKAGES[3]  # the misspelled intent key, once silently skipped
    text = breakage.apply(TRAINING_TEXT)
    path = tmp_path / "answers.yml"
    path.write_text(text, encoding="utf-8")
    result = run_jeugdstem(f"sqlite:///{tmp_path / 'j.db'}", "nlu", "evaluate", str(path))
    assert_names_the_spot(result, path, text, breakage)


def test_the_unbroken_training_file_is_accepted(tmp_path: Path) -> None:
    """The cases above fail because of their one change, not because of the base file."""
    path = tmp_path / "answers.yml"
    path.write_text(TRAINING_TEXT, encoding="utf-8")
    examples = load_file(path, ["cost", "transport", "time"])
    assert [(e.text, e.themes) for e in examples] == [
        ("het lidgeld is te duur", ("cost",)),
        ("geen geld voor de chiro", ("cost",)),
        ("te ver en geen tijd", ("time", "transport")),
    ]
