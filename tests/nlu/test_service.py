"""The saved built-in model is kept until its data, themes, threshold or recipe change."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlu import builtin
from nlu.service import BUILTIN_MODEL, builtin_classifier
from survey.config import Survey


def test_a_saved_model_is_reused_until_its_recipe_changes(
    survey: Survey, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    themes, threshold = survey.theme_ids, survey.nlu.threshold
    first = builtin_classifier(tmp_path, themes, threshold)
    saved = (tmp_path / BUILTIN_MODEL).stat().st_mtime_ns

    builtin_classifier(tmp_path, themes, threshold)
    assert (tmp_path / BUILTIN_MODEL).stat().st_mtime_ns == saved, "retrained with nothing changed"

    monkeypatch.setattr(builtin, "RECIPE", builtin.RECIPE + "+next")
    retrained = builtin_classifier(tmp_path, themes, threshold)
    assert (tmp_path / BUILTIN_MODEL).stat().st_mtime_ns != saved, "kept a model of another recipe"
    assert retrained.version != first.version
