"""The repository tracks source, not build output: no big files, caches or trained models."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from tests.support.paths import REPO

MAX_BYTES = 2 * 1024 * 1024
# Folders and files that tools write: they belong in .gitignore, never in git.
FORBIDDEN = re.compile(
    r"""(^|/)(
        \.rasa/ | __pycache__/ | \.venv[^/]*/ | models/ | [^/]+\.egg-info/
        | \.mypy_cache/ | \.pytest_cache/ | \.ruff_cache/ | \.hypothesis/
        | build/ | dist/
    )
    | \.pyc$ | \.db$ | \.npz$ | \.joblib$
    | (^|/)models?[^/]*\.tar\.gz$ | (^|/)\d{8}-\d{6}[^/]*\.tar\.gz$
    """,
    re.VERBOSE,
)


def problems(files: dict[str, int]) -> list[str]:
    """What is wrong with a set of tracked paths and their sizes in bytes."""
    found = []
    for path, size in sorted(files.items()):
        if FORBIDDEN.search(path):
            found.append(f"{path}: build or cache output")
        if size > MAX_BYTES:
            found.append(f"{path}: {size / 2**20:.1f} MB, over {MAX_BYTES // 2**20} MB")
    return found


def tracked_files() -> dict[str, int]:
    """Every file git tracks, with its size in the working tree (0 if deleted there)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.decode("utf-8")
    sizes = {}
    for path in filter(None, listed.split("\0")):
        file = REPO / path
        sizes[path] = file.stat().st_size if file.is_file() else 0
    return sizes


@pytest.mark.skipif(
    shutil.which("git") is None or not (REPO / ".git").exists(), reason="not a git checkout"
)
def test_no_tracked_file_is_big_or_build_output() -> None:
    assert problems(tracked_files()) == []


def test_the_check_catches_what_it_must() -> None:
    fake = {
        "README.md": 4_000,
        "nlu/data/themes.yml": 90_000,
        "docs/figure.png": 3 * 2**20,
        ".rasa/cache/x.json": 10,
        "bot/__pycache__/engine.cpython-311.pyc": 10,
        "cli/main.pyc": 10,
        ".venv-rasa/bin/rasa": 10,
        "models/20261201-101010-proud-theme.tar.gz": 10,
        "jeugdstem.egg-info/PKG-INFO": 10,
        ".mypy_cache/3.11/x.json": 10,
        ".pytest_cache/v/cache/nodeids": 10,
        ".ruff_cache/content": 10,
        ".hypothesis/examples/x": 10,
        "build/lib/bot.py": 10,
        "dist/jeugdstem-0.1.0.tar.gz": 10,
        "jeugdstem.db": 10,
        "nlu/models/builtin.joblib": 10,
        "nlu/builtin.npz": 10,
    }
    flagged = {line.split(":")[0] for line in problems(fake)}
    assert flagged == set(fake) - {"README.md", "nlu/data/themes.yml"}
