"""feedback.yml: the shipped file loads, and each mistake is named by file, line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.config import ConfigError, Survey
from survey.feedback import FeedbackStatus, load_feedback
from tests.support.cli import run_bot_beside
from tests.support.paths import REPO

SHIPPED = (REPO / "feedback.yml").read_text(encoding="utf-8")


def test_the_shipped_file_holds_only_examples(survey: Survey) -> None:
    feedback = load_feedback(REPO / "feedback.yml", survey)
    assert {theme: item.status for theme, item in feedback.themes.items()} == {
        "transport": FeedbackStatus.ON_THE_AGENDA,
        "cost": FeedbackStatus.DONE,
        "space": FeedbackStatus.NOT_POSSIBLE,
    }
    assert all(item.example for item in feedback.themes.values())
    space = feedback.of("space")
    assert space is not None and space.reason is not None
    assert feedback.of("time") is None


def test_no_file_is_no_feedback(survey: Survey, tmp_path: Path) -> None:
    assert load_feedback(tmp_path / "feedback.yml", survey).themes == {}
    (tmp_path / "feedback.yml").write_text("# nothing yet\n", encoding="utf-8")
    assert load_feedback(tmp_path / "feedback.yml", survey).themes == {}


@pytest.mark.parametrize(
    ("find", "replace", "where", "says"),
    [
        (
            "    status: op de agenda\n",
            "    status: bezig\n",
            "themes.transport.status",
            "Input should be",
        ),
        ("  transport:\n", "  vervoer:\n", "themes.vervoer", "'vervoer' is no barrier theme"),
        ("  cost:\n", "  none:\n", "themes.none", "'none' is no barrier theme"),
        (
            "      fr: Vous avez dit qu'il n'y a pas de bus",
            "      de: Vous avez dit qu'il n'y a pas de bus",
            "themes.transport.message.de",
            "'de' is not in languages",
        ),
        ("    reason:\n", "    waarom:\n", "themes.space.waarom", "Extra inputs are not permitted"),
        ("    partner: AjKo\n", "    partner: [AjKo\n", "", "not valid YAML"),
    ],
)
def test_a_broken_file_names_file_line_and_key(
    survey: Survey, tmp_path: Path, find: str, replace: str, where: str, says: str
) -> None:
    assert SHIPPED.count(find) == 1, find
    broken = SHIPPED.replace(find, replace)
    path = tmp_path / "feedback.yml"
    path.write_text(broken, encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        load_feedback(path, survey)

    message = str(caught.value)
    changed = replace.splitlines()[0]
    line = next(n for n, text in enumerate(broken.splitlines(), 1) if text.startswith(changed))
    assert f"{path}:{line}" in message, message
    assert where in message and says in message, message


def test_niet_mogelijk_needs_a_reason(survey: Survey, tmp_path: Path) -> None:
    start = SHIPPED.index("    reason:\n")
    end = SHIPPED.index("    example: true", start)
    path = tmp_path / "feedback.yml"
    path.write_text(SHIPPED[:start] + SHIPPED[end:], encoding="utf-8")

    with pytest.raises(ConfigError) as caught:
        load_feedback(path, survey)
    assert "themes.space.status: 'niet mogelijk' needs a reason" in str(caught.value)


def test_a_broken_feedback_file_keeps_the_bot_from_starting(tmp_path: Path) -> None:
    broken = SHIPPED.replace("  transport:\n", "  vervoer:\n")

    result = run_bot_beside(tmp_path, "feedback.yml", broken)

    assert result.returncode == 2, result.stderr
    assert f"{tmp_path / 'feedback.yml'}:" in result.stderr
    assert "themes.vervoer: 'vervoer' is no barrier theme" in result.stderr
    assert "Traceback" not in result.stderr
