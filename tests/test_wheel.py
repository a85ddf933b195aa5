"""The wheel, installed the way a deployment installs it, runs the survey outside the repository.

The editable install of the dev virtualenv reads everything from the source tree, so it never
notices a data file that the wheel leaves out (the default survey, the NLU training data, the
report templates). This test builds the wheel, installs it into a new virtualenv and takes the
first steps of the default survey with `jeugdstem chat`, from a folder that holds nothing of
the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import yaml

from tests.support.paths import CONFIG, REPO

# Building fetches setuptools and installing fetches the pinned dependencies through pip's
# configured index; its cache makes a second run much faster.
BUILD_TIMEOUT = 300
INSTALL_TIMEOUT = 900
CHAT_TIMEOUT = 180

# What the chat cannot start or answer without; the package-data check below covers the rest.
REQUIRED = (
    "survey/default_config.yml",
    "storage/migrations/script.py.mako",
    "nlu/data/train/cost.yml",
    "reports/templates/report.html",
    "reports/templates/report.md",
    "reports/templates/report.css",
)

# The source tree minus what is not the project's: environments, caches, build output, data.
NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv*",
    "__pycache__",
    ".*_cache",
    ".hypothesis",
    "*.egg-info",
    "build",
    "models",
    "*.db",
    "*.db-*",
    "jeugdstem.secret",
)


def _environment(**overrides: str) -> dict[str, str]:
    """This process's environment without anything that could point back at the repository."""
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"}
        and not k.startswith(("TELEGRAM_", "JEUGDSTEM_", "DATABASE_"))
    }
    environment.update(
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PYTHONNOUSERSITE="1",
        PYTHONIOENCODING="utf-8",
        COLUMNS="200",
    )
    environment.update(overrides)
    return environment


def _run(
    command: list[str],
    *,
    cwd: Path,
    timeout: float,
    environment: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a command to the end; its output is in the failure message when it fails."""
    completed = subprocess.run(
        command,
        cwd=cwd,
        env=environment if environment is not None else _environment(),
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
    assert completed.returncode == 0, (
        f"{' '.join(command)} exited with {completed.returncode}\n"
        f"--- stdout\n{completed.stdout}\n--- stderr\n{completed.stderr}"
    )
    return completed


def _package_data(root: Path) -> set[str]:
    """The files under `root` that pyproject.toml's [tool.setuptools.package-data] names."""
    with (root / "pyproject.toml").open("rb") as file:
        declared: dict[str, list[str]] = tomllib.load(file)["tool"]["setuptools"]["package-data"]
    found: set[str] = set()
    for package, patterns in declared.items():
        folder = root / package.replace(".", "/")
        for pattern in patterns:
            # Some globs match nothing yet (no .txt under nlu/data): setuptools allows that.
            found |= {p.relative_to(root).as_posix() for p in folder.glob(pattern) if p.is_file()}
    return found


def _build_wheel(source: Path, out: Path) -> Path:
    """The project's wheel, built from a copy so the shared work tree gets no build/ folder."""
    # The dev virtualenv's setuptools is older than the >=69 that [build-system] asks for and
    # cannot make wheels, so pip builds in an isolated environment with a current setuptools.
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", str(out), str(source)],
        cwd=out,
        timeout=BUILD_TIMEOUT,
    )
    wheels = sorted(out.glob("jeugdstem-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _survey_texts() -> tuple[str, str, str, str]:
    """The welcome, its yes button and the first two questions, in the default language."""
    config: dict[str, Any] = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    language = config["default_language"]
    messages = config["messages"]
    first, second = config["questions"][:2]
    return (
        messages["welcome"][language],
        messages["button_consent_yes"][language],
        first["text"][language],
        second["text"][language],
    )


def test_the_installed_wheel_takes_the_default_survey(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    home = outside / "home"
    home.mkdir(parents=True)
    assert not tmp_path.resolve().is_relative_to(REPO)

    source = tmp_path / "source"
    shutil.copytree(REPO, source, symlinks=True, ignore=NOT_SOURCE)
    dist = tmp_path / "dist"
    dist.mkdir()
    wheel = _build_wheel(source, dist)

    # Everything the package-data globs match in the repository travels in the wheel, and the
    # default survey as a full copy of config.yml, not as the repository's symlink.
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        missing = sorted((set(REQUIRED) | _package_data(REPO)) - names)
        assert not missing, f"{wheel.name} lacks package data: {missing}"
        assert archive.read("survey/default_config.yml") == CONFIG.read_bytes()

    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", str(venv)], cwd=outside, timeout=INSTALL_TIMEOUT)
    python = venv / "bin" / "python"
    constraints = REPO / "constraints.txt"
    _run(
        [str(python), "-m", "pip", "install", "--constraint", str(constraints), str(wheel)],
        cwd=outside,
        timeout=INSTALL_TIMEOUT,
    )

    # Outside the repository, without PYTHONPATH: the modules are the installed ones.
    where = _run(
        [str(python), "-c", "import cli, survey; print(cli.__file__); print(survey.__file__)"],
        cwd=outside,
        timeout=CHAT_TIMEOUT,
    )
    modules = [Path(line).resolve() for line in where.stdout.splitlines()]
    assert modules and all(m.is_relative_to(venv.resolve()) for m in modules), where.stdout

    # Consent, then an age band: the console numbers the buttons of the newest message.
    welcome, yes, first_question, second_question = _survey_texts()
    chat = _run(
        [str(venv / "bin" / "jeugdstem"), "chat"],
        cwd=outside,
        timeout=CHAT_TIMEOUT,
        environment=_environment(HOME=str(home)),
        stdin="1\n3\n",
    )
    assert welcome in chat.stdout, chat.stdout
    assert f"[1] {yes}" in chat.stdout, chat.stdout
    assert first_question in chat.stdout, chat.stdout
    assert second_question in chat.stdout, chat.stdout
    assert chat.stdout.index(welcome) < chat.stdout.index(first_question), chat.stdout
    assert chat.stdout.index(first_question) < chat.stdout.index(second_question), chat.stdout
    assert "Traceback" not in chat.stderr, chat.stderr
    assert not (outside / "config.yml").exists()  # the survey came from the package
    # The trained model goes to the user's cache, never into site-packages.
    saved = {path.name for path in (home / ".cache" / "jeugdstem" / "models").glob("*.npz")}
    assert saved == {"builtin.npz", "distress.npz"}, chat.stderr
    assert not [*venv.rglob("builtin.npz"), *venv.rglob("distress.npz")]
