"""config.yml: the shipped survey is complete, and broken files are reported by file, line and key.

Also the `jeugdstem` command line around it: exit codes, help, and a console chat
that really stores answers in SQLite.
"""

from __future__ import annotations

import os
import sqlite3
import string
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from privacy.identity import Pseudonymizer
from survey.config import MESSAGE_KEYS, ConfigError, Survey, load_survey
from tests.support.paths import CONFIG

CONFIG_TEXT = CONFIG.read_text(encoding="utf-8")

LANGUAGES = ("nl", "en", "fr")
PARTNER_CODES = ("ajko", "bolwerk", "de-stroate", "de-stroom", "groep-intro", "quindo")
DEFAULT_BANDS = ("under-13", "13-15", "16-18", "19-21", "22-25", "over-25")
DESIGN_THEMES = (
    "cost",
    "transport",
    "time",
    "information",
    "registration",
    "social",
    "belonging",
    "discrimination",
    "language",
    "family",
    "interest",
    "confidence",
    "accessibility",
    "safety",
    "space",
    "none",
    "other",
)

CLI_SECRET = "cli-test-secret"
CLI_TIMEOUT = 120


# --- helpers ---------------------------------------------------------------------------------


def all_texts(survey: Survey) -> Iterator[tuple[str, dict[str, str]]]:
    """Every translatable text in the survey, with a readable name for failure messages."""
    for key, texts in survey.messages.items():
        yield f"messages.{key}", texts
    for question in survey.questions:
        yield f"questions.{question.id}.text", question.text
        for option in question.options:
            yield f"questions.{question.id}.options.{option.id}.label", option.label
    for band in survey.age_bands:
        yield f"age_bands.{band.id}.label", band.label


def placeholders(template: str) -> list[str]:
    """Field names in a str.format template, in order; '' for a positional {}."""
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


def line_of(text: str, needle: str, after: str | None = None, occurrence: int = 1) -> int:
    """1-based line of the n-th ``needle`` in ``text`` (optionally counting from ``after``)."""
    index = text.index(after) if after is not None else 0
    for number in range(occurrence):
        index = text.index(needle, index + (1 if number else 0))
    return text.count("\n", 0, index) + 1


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, f"{old!r} is no longer in config.yml; update the test"
    return text.replace(old, new, 1)


def config_error(path: Path) -> str:
    """The ConfigError message for a config file that must be rejected."""
    with pytest.raises(ConfigError) as caught:
        load_survey(path)
    return str(caught.value)


def question_index(question_id: str) -> int:
    survey = load_survey(CONFIG)
    return [q.id for q in survey.questions].index(question_id)


# --- the shipped config.yml ------------------------------------------------------------------


def test_shipped_config_loads(survey: Survey) -> None:
    assert isinstance(load_survey(CONFIG), Survey)
    assert survey.languages == LANGUAGES
    assert survey.default_language in survey.languages
    assert len(survey.questions) >= 1


def test_every_text_exists_in_every_language(survey: Survey) -> None:
    missing = [
        f"{name} [{language}]"
        for name, texts in all_texts(survey)
        for language in LANGUAGES
        if not texts.get(language, "").strip()
    ]
    assert missing == []
    extra = [
        f"{name} [{language}]"
        for name, texts in all_texts(survey)
        for language in texts
        if language not in LANGUAGES
    ]
    assert extra == []


def test_every_text_uses_the_same_placeholders_in_every_language(survey: Survey) -> None:
    for name, texts in all_texts(survey):
        reference = sorted(placeholders(texts[survey.default_language]))
        for language in LANGUAGES:
            assert sorted(placeholders(texts[language])) == reference, f"{name} [{language}]"


def test_every_text_formats_with_its_named_placeholders(survey: Survey) -> None:
    """No positional {} fields and no stray braces: every template fills with keyword values."""
    for name, texts in all_texts(survey):
        for language in LANGUAGES:
            fields = placeholders(texts[language])
            assert all(field.isidentifier() for field in fields), f"{name} [{language}]: {fields}"
            texts[language].format(**{field: "x" for field in fields})


def test_messages_that_take_values_render_in_every_language(survey: Survey) -> None:
    for language in LANGUAGES:
        assert "13" in survey.text("age_gate", language, minimum_age=13)
        assert survey.text("progress", language, number=2, total=6) == "(2/6)"
        assert survey.text("welcome", language) == survey.messages["welcome"][language]


def test_texts_are_short_enough_for_a_phone(survey: Survey) -> None:
    too_long = [
        f"{name} [{language}]: {len(text)} chars"
        for name, texts in all_texts(survey)
        for language, text in texts.items()
        if len(text) > 1000
    ]
    assert too_long == []
    for language in LANGUAGES:
        assert 0 < len(survey.messages["welcome"][language]) <= 1000


def test_no_text_exceeds_telegrams_message_limit(survey: Survey) -> None:
    for name, texts in all_texts(survey):
        for language, text in texts.items():
            assert len(text) <= 4096, f"{name} [{language}]"
    # A question is sent with its progress prefix in front.
    for question in survey.questions:
        for language in LANGUAGES:
            progress = survey.text("progress", language, number=99, total=99)
            assert len(f"{progress} {question.text[language]}") <= 4096


def test_every_message_key_exists(survey: Survey) -> None:
    assert [key for key in MESSAGE_KEYS if key not in survey.messages] == []
    assert len(set(MESSAGE_KEYS)) == len(MESSAGE_KEYS)


def test_language_names_cover_all_languages(survey: Survey) -> None:
    for language in survey.languages:
        assert survey.language_names.get(language, "").strip(), language
    assert survey.language_names["nl"] == "Nederlands"


def test_partner_codes_and_poster_are_sources(survey: Survey) -> None:
    ids = [source.id for source in survey.sources]
    for code in (*PARTNER_CODES, "poster-station"):
        assert code in ids
        found = survey.source(code)
        assert found is not None
        assert found.id == code
        assert found.label.strip()
    assert len(set(ids)) == len(ids)
    assert survey.source("no-such-partner") is None
    assert survey.source(None) is None


def test_age_bands_line_up_with_the_age_gate(survey: Survey) -> None:
    minimum = survey.privacy.minimum_age
    assert minimum == 13
    assert tuple(band.id for band in survey.age_bands) == DEFAULT_BANDS
    for band in survey.age_bands:
        low = band.min_age if band.min_age is not None else 0
        high = band.max_age if band.max_age is not None else 200
        # Either wholly under the minimum age (age gate) or wholly at or above it.
        assert high < minimum or low >= minimum, band.id
    gated = [
        band.id for band in survey.age_bands if band.max_age is not None and band.max_age < minimum
    ]
    assert gated == ["under-13"]
    # Every age from 0 to 120 falls in exactly one band.
    for age in range(121):
        assert sum(band.contains(age) for band in survey.age_bands) == 1, age
    assert survey.age_bands[0].min_age is None
    assert survey.age_bands[-1].max_age is None


def test_design_themes_are_in_the_config(survey: Survey) -> None:
    assert len(DESIGN_THEMES) == 17
    ids = survey.theme_ids
    assert [theme for theme in DESIGN_THEMES if theme not in ids] == []
    assert len(set(ids)) == len(ids)
    for theme in survey.themes:
        assert theme.label.strip(), theme.id


# --- malformed configs -----------------------------------------------------------------------


@pytest.fixture
def write_config(tmp_path: Path) -> Callable[[str], Path]:
    def write(text: str) -> Path:
        path = tmp_path / "config.yml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


def test_a_copy_of_the_shipped_config_loads(write_config: Callable[[str], Path]) -> None:
    assert load_survey(write_config(CONFIG_TEXT)) == load_survey(CONFIG)


def test_missing_french_question_text(write_config: Callable[[str], Path]) -> None:
    text = replace_once(CONFIG_TEXT, "      fr: Tu habites où ?\n", "")
    path = write_config(text)
    index = question_index("area")
    line = line_of(text, "    text:", after="  - id: area\n")
    message = config_error(path)
    assert f"{path}:{line}: questions.{index}.text: " in message
    assert "'fr'" in message


def test_missing_french_option_label(write_config: Callable[[str], Path]) -> None:
    old = "{id: walle, label: {nl: Walle, en: Walle, fr: Walle}}"
    text = replace_once(CONFIG_TEXT, old, "{id: walle, label: {nl: Walle, en: Walle}}")
    path = write_config(text)
    survey = load_survey(CONFIG)
    area = survey.questions[question_index("area")]
    option = [o.id for o in area.options].index("walle")
    line = line_of(text, "{id: walle,")
    message = config_error(path)
    assert f"{path}:{line}: questions.{question_index('area')}.options.{option}.label: " in message
    assert "'fr'" in message


def test_every_problem_is_reported(write_config: Callable[[str], Path]) -> None:
    text = replace_once(
        CONFIG_TEXT, "{nl: Overleie, en: Overleie, fr: Overleie}", "{nl: Overleie, en: Overleie}"
    )
    text = replace_once(
        text, "label: {nl: 16–18, en: 16–18, fr: 16–18}", "label: {nl: 16–18, fr: 16–18}"
    )
    message = config_error(write_config(text))
    assert len(message.splitlines()) == 2
    assert "'fr' text" in message
    assert "'en' text" in message


def test_unknown_key(write_config: Callable[[str], Path]) -> None:
    text = replace_once(CONFIG_TEXT, "  - id: age\n", "  - id: age\n    colour: red\n")
    path = write_config(text)
    line = line_of(text, "    colour: red")
    assert f"{path}:{line}: questions.{question_index('age')}.colour: " in config_error(path)


def test_unknown_top_level_key(write_config: Callable[[str], Path]) -> None:
    text = replace_once(
        CONFIG_TEXT, "default_language: nl\n", "default_language: nl\nlanguage: nl\n"
    )
    path = write_config(text)
    line = line_of(text, "\nlanguage: nl") + 1
    assert f"{path}:{line}: language: " in config_error(path)


def test_duplicate_question_id(write_config: Callable[[str], Path]) -> None:
    text = replace_once(CONFIG_TEXT, "  - id: area\n", "  - id: age\n")
    path = write_config(text)
    index = question_index("area")
    line = line_of(text, "  - id: age\n", occurrence=2)
    assert line > line_of(text, "  - id: age\n")
    message = config_error(path)
    assert f"{path}:{line}: questions.{index}.id: " in message
    assert "duplicate" in message


def test_reserved_question_id(write_config: Callable[[str], Path]) -> None:
    text = replace_once(CONFIG_TEXT, "  - id: would-help\n", "  - id: done\n")
    path = write_config(text)
    line = line_of(text, "  - id: done\n")
    message = config_error(path)
    assert f"{path}:{line}: questions.{question_index('would-help')}.id: " in message
    assert "reserved" in message


def test_unclosed_bracket_names_the_line_with_the_bracket(
    write_config: Callable[[str], Path],
) -> None:
    text = replace_once(CONFIG_TEXT, "languages: [nl, en, fr]\n", "languages: [nl, en, fr\n")
    path = write_config(text)
    line = line_of(text, "languages: [nl, en, fr\n")
    message = config_error(path)
    assert "not valid YAML" in message
    # The parser gives up a line later; the message also names where the bracket opened.
    assert f"opened at {path}:{line})" in message


def test_tab_indentation_is_invalid_yaml(write_config: Callable[[str], Path]) -> None:
    text = replace_once(CONFIG_TEXT, "  minimum_age: 13\n", "\tminimum_age: 13\n")
    path = write_config(text)
    line = line_of(text, "\tminimum_age")
    message = config_error(path)
    assert message.startswith(f"{path}:{line}: not valid YAML")


def test_band_straddling_the_minimum_age(write_config: Callable[[str], Path]) -> None:
    text = replace_once(CONFIG_TEXT, "  minimum_age: 13\n", "  minimum_age: 14\n")
    path = write_config(text)
    index = DEFAULT_BANDS.index("13-15")
    line = line_of(text, "  - id: 13-15\n")
    message = config_error(path)
    assert f"{path}:{line}: age_bands.{index}: " in message
    assert "straddles" in message


def test_gap_between_bands(write_config: Callable[[str], Path]) -> None:
    text = replace_once(CONFIG_TEXT, "    min_age: 19\n", "    min_age: 20\n")
    path = write_config(text)
    index = DEFAULT_BANDS.index("19-21")
    line = line_of(text, "    min_age: 20\n")
    assert f"{path}:{line}: age_bands.{index}.min_age: " in config_error(path)


def test_missing_message_key(write_config: Callable[[str], Path]) -> None:
    text = replace_once(
        CONFIG_TEXT, "  button_skip: {nl: Overslaan ⏭️, en: Skip ⏭️, fr: Passer ⏭️}\n", ""
    )
    path = write_config(text)
    line = line_of(text, "\nmessages:\n") + 1
    message = config_error(path)
    assert f"{path}:{line}: messages: " in message
    assert "'button_skip'" in message


def test_different_placeholders_between_languages(write_config: Callable[[str], Path]) -> None:
    text = replace_once(CONFIG_TEXT, 'en: "({number}/{total})"', 'en: "({number}/{count})"')
    path = write_config(text)
    line = line_of(text, "  progress: ")
    message = config_error(path)
    assert f"{path}:{line}: messages.progress: " in message
    assert "placeholders" in message


def test_unbalanced_brace_in_a_text(write_config: Callable[[str], Path]) -> None:
    """A typo like '{naam' must be a ConfigError with file and line, not a bare ValueError."""
    text = replace_once(CONFIG_TEXT, "nl: Helemaal oké! Er is", "nl: Helemaal oké {naam Er is")
    path = write_config(text)
    key_line = line_of(text, "  declined:\n")
    text_line = line_of(text, "nl: Helemaal oké {naam")
    message = config_error(path)
    assert (
        f"{path}:{key_line}: messages.declined" in message
        or f"{path}:{text_line}: messages.declined" in message
    ), message


def test_text_longer_than_telegram_allows(write_config: Callable[[str], Path]) -> None:
    long = "x" * 5000
    text = replace_once(
        CONFIG_TEXT,
        "    nl: Helemaal oké! Er is niets bewaard. Van gedacht veranderd? Tik /start.\n",
        f"    nl: {long}\n",
    )
    path = write_config(text)
    line = line_of(text, f"nl: {long}")
    assert f"{path}:{line}: messages.declined.nl: " in config_error(path)


def test_unknown_language_text(write_config: Callable[[str], Path]) -> None:
    text = replace_once(
        CONFIG_TEXT,
        "      fr: Tu habites où ?\n",
        "      fr: Tu habites où ?\n      de: Wo wohnst du?\n",
    )
    path = write_config(text)
    line = line_of(text, "      de: Wo wohnst du?")
    assert f"{path}:{line}: questions.{question_index('area')}.text.de: " in config_error(path)


def test_missing_language_name(write_config: Callable[[str], Path]) -> None:
    text = replace_once(
        CONFIG_TEXT,
        "language_names: {nl: Nederlands, en: English, fr: Français}",
        "language_names: {nl: Nederlands, en: English}",
    )
    path = write_config(text)
    line = line_of(text, "language_names:")
    message = config_error(path)
    assert f"{path}:{line}: language_names: " in message
    assert "'fr'" in message


def test_default_language_not_configured(write_config: Callable[[str], Path]) -> None:
    text = replace_once(CONFIG_TEXT, "default_language: nl\n", "default_language: de\n")
    path = write_config(text)
    line = line_of(text, "default_language: de")
    assert f"{path}:{line}: default_language: " in config_error(path)


def test_choice_question_without_options(write_config: Callable[[str], Path]) -> None:
    text = replace_once(
        CONFIG_TEXT,
        "  - id: would-help\n    type: open\n",
        "  - id: would-help\n    type: single_choice\n",
    )
    path = write_config(text)
    line = line_of(text, "  - id: would-help\n")
    message = config_error(path)
    assert f"{path}:{line}: questions.{question_index('would-help')}" in message
    assert "needs options" in message


@pytest.mark.parametrize("text", ["- nl\n- en\n", "just a sentence\n", "", "# only a comment\n"])
def test_top_level_that_is_not_a_mapping(write_config: Callable[[str], Path], text: str) -> None:
    path = write_config(text)
    message = config_error(path)
    assert message.startswith(f"{path}:1: ")
    assert "mapping" in message


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "config.yml"
    message = config_error(path)
    assert str(path) in message


# --- the jeugdstem command line --------------------------------------------------------------


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A clean environment: SQLite in tmp_path, a fixed secret, no token, no webhook settings."""
    cleared = {
        "TELEGRAM_BOT_TOKEN",
        "JEUGDSTEM_CONFIG",
        "JEUGDSTEM_WEBHOOK_URL",
        "JEUGDSTEM_WEBHOOK_SECRET",
        "DATABASE_URL",
        "JEUGDSTEM_SECRET",
    }
    env = {key: value for key, value in os.environ.items() if key.upper() not in cleared}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'jeugdstem.db'}",
        JEUGDSTEM_SECRET=CLI_SECRET,
        # Never reach the real Telegram, whatever happens.
        TELEGRAM_API_URL="http://127.0.0.1:9",
        PYTHONIOENCODING="utf-8",
        JEUGDSTEM_LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def jeugdstem(
    *args: str, cwd: Path, env: dict[str, str], stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=cwd,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=CLI_TIMEOUT,
        check=False,
    )


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    folder = tmp_path / "cwd"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("command", ["chat", "run"])
def test_cli_rejects_a_broken_config_with_file_and_line(
    tmp_path: Path, workdir: Path, command: str
) -> None:
    text = replace_once(CONFIG_TEXT, "  - id: age\n", "  - id: age\n    colour: red\n")
    path = tmp_path / "broken.yml"
    path.write_text(text, encoding="utf-8")
    line = line_of(text, "    colour: red")
    env = cli_env(tmp_path, JEUGDSTEM_CONFIG=str(path), TELEGRAM_BOT_TOKEN="123456:TEST-TOKEN")
    result = jeugdstem(command, cwd=workdir, env=env)
    assert result.returncode == 2, result.stderr
    assert f"{path}:{line}: questions.{question_index('age')}.colour" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_chat_reports_invalid_yaml(tmp_path: Path, workdir: Path) -> None:
    path = tmp_path / "broken.yml"
    path.write_text("languages: [nl, en\n", encoding="utf-8")
    result = jeugdstem("chat", cwd=workdir, env=cli_env(tmp_path, JEUGDSTEM_CONFIG=str(path)))
    assert result.returncode == 2, result.stderr
    assert f"{path}:" in result.stderr
    assert "not valid YAML" in result.stderr


def test_cli_chat_reports_a_missing_config(tmp_path: Path, workdir: Path) -> None:
    path = tmp_path / "missing.yml"
    result = jeugdstem("chat", cwd=workdir, env=cli_env(tmp_path, JEUGDSTEM_CONFIG=str(path)))
    assert result.returncode == 2, result.stderr
    assert str(path) in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("token", [None, ""])
def test_run_without_token_points_to_botfather(
    tmp_path: Path, workdir: Path, token: str | None
) -> None:
    env = cli_env(tmp_path)
    if token is not None:
        env["TELEGRAM_BOT_TOKEN"] = token
    result = jeugdstem("run", cwd=workdir, env=env)
    assert result.returncode == 2
    assert "BotFather" in result.stderr
    assert "TELEGRAM_BOT_TOKEN" in result.stderr


@pytest.mark.parametrize(
    ("webhook_env", "missing"),
    [
        ({"JEUGDSTEM_WEBHOOK_SECRET": "webhook-secret"}, "JEUGDSTEM_WEBHOOK_URL"),
        ({}, "JEUGDSTEM_WEBHOOK_URL"),
        ({"JEUGDSTEM_WEBHOOK_URL": "https://example.org/hook"}, "JEUGDSTEM_WEBHOOK_SECRET"),
    ],
)
def test_run_webhook_without_its_settings(
    tmp_path: Path, workdir: Path, webhook_env: dict[str, str], missing: str
) -> None:
    env = cli_env(tmp_path, TELEGRAM_BOT_TOKEN="123456:TEST-TOKEN", **webhook_env)
    result = jeugdstem("run", "--webhook", cwd=workdir, env=env)
    assert result.returncode == 2
    assert missing in result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--help",), ("run", "chat")),
        (("run", "--help"), ("--webhook",)),
        (("chat", "--help"), ("--user",)),
    ],
)
def test_help(
    tmp_path: Path, workdir: Path, args: tuple[str, ...], expected: tuple[str, ...]
) -> None:
    result = jeugdstem(*args, cwd=workdir, env=cli_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
    for word in expected:
        assert word in result.stdout


def test_installed_jeugdstem_script(tmp_path: Path, workdir: Path) -> None:
    script = Path(sys.executable).parent / "jeugdstem"
    assert script.exists(), "pip install -e . should install the jeugdstem command"
    result = subprocess.run(
        [str(script), "--help"],
        cwd=workdir,
        env=cli_env(tmp_path),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=CLI_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "chat" in result.stdout


def console_script(survey: Survey) -> tuple[list[str], dict[str, tuple[str | None, str | None]]]:
    """Console input that consents and answers the questions up to the first open one.

    Returns the lines to type and, per question id, the expected (text, button_value).
    """
    lines = ["1"]  # the consent button comes first
    expected: dict[str, tuple[str | None, str | None]] = {}
    for question in survey.questions:
        if question.type == "age_band":
            band = next(
                b
                for b in survey.age_bands
                if b.min_age is not None and b.min_age >= survey.privacy.minimum_age
            )
            lines.append(str(survey.age_bands.index(band) + 1))
            expected[question.id] = (None, band.id)
        elif question.type == "single_choice":
            lines.append("1")
            expected[question.id] = (None, question.options[0].id)
        elif question.type == "multi_choice":
            lines += ["1", str(len(question.options) + 1)]  # tick the first option, then Done
            expected[question.id] = (None, question.options[0].id)
        else:
            answer = "Ik heb geen fiets en de bus rijdt niet 's avonds"
            lines.append(answer)
            expected[question.id] = (answer, None)
            break
    return lines, expected


def test_chat_stores_answers_in_sqlite(survey: Survey, tmp_path: Path, workdir: Path) -> None:
    lines, expected = console_script(survey)
    result = jeugdstem("chat", cwd=workdir, env=cli_env(tmp_path), stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert survey.messages["welcome"]["nl"] in result.stdout

    database = tmp_path / "jeugdstem.db"
    assert database.is_file()
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute(
            "SELECT question_id, text, button_value, skipped FROM answers"
        ).fetchall()
        participants = connection.execute("SELECT pseudonym, language FROM participants").fetchall()
        participations = connection.execute(
            "SELECT language, age_band FROM participations"
        ).fetchall()
    finally:
        connection.close()

    answers = {question_id: (text, button, skipped) for question_id, text, button, skipped in rows}
    assert set(answers) == set(expected)
    for question_id, (text, button) in expected.items():
        stored_text, stored_button, skipped = answers[question_id]
        assert not skipped, question_id
        if text is not None:
            assert stored_text == text
        if button is not None:
            assert stored_button is not None
            assert button in stored_button.split(","), question_id

    pseudonym = Pseudonymizer(CLI_SECRET.encode()).console("console")
    assert participants == [(pseudonym, "nl")]
    age_question = next(q for q in survey.questions if q.type == "age_band")
    assert participations == [("nl", expected[age_question.id][1])]
    # A fixed JEUGDSTEM_SECRET means no secret file is written.
    assert not (tmp_path / "jeugdstem.secret").exists()


def test_chat_with_empty_input_exits_cleanly(tmp_path: Path, workdir: Path) -> None:
    result = jeugdstem("chat", cwd=workdir, env=cli_env(tmp_path), stdin="")
    assert result.returncode == 0, result.stderr
    assert "Jeugdstem" in result.stdout
    database = tmp_path / "jeugdstem.db"
    assert database.is_file()
    connection = sqlite3.connect(database)
    try:
        (count,) = connection.execute("SELECT count(*) FROM answers").fetchone()
    finally:
        connection.close()
    assert count == 0


def test_chat_without_a_secret_creates_one_beside_the_database(
    tmp_path: Path, workdir: Path
) -> None:
    env = cli_env(tmp_path)
    del env["JEUGDSTEM_SECRET"]
    first = jeugdstem("chat", cwd=workdir, env=env, stdin="1\n")
    assert first.returncode == 0, first.stderr
    secret_file = tmp_path / "jeugdstem.secret"
    assert secret_file.is_file()
    assert secret_file.stat().st_mode & 0o777 == 0o600
    secret = secret_file.read_bytes().strip()
    assert len(secret) >= 32

    second = jeugdstem("chat", cwd=workdir, env=env, stdin="")
    assert second.returncode == 0, second.stderr
    assert secret_file.read_bytes().strip() == secret
    connection = sqlite3.connect(tmp_path / "jeugdstem.db")
    try:
        pseudonyms = [row[0] for row in connection.execute("SELECT pseudonym FROM participants")]
    finally:
        connection.close()
    assert pseudonyms == [Pseudonymizer(secret).console("console")]
