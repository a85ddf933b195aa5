"""Saved models (built-in themes, distress) are kept until their data or recipe change."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import nlu.distress
from nlu import builtin
from nlu.distress import DistressDetector
from nlu.service import (
    BUILTIN_MODEL,
    DISTRESS_MODEL,
    _parsed_digest,
    builtin_classifier,
    distress_detector,
    labelled_count,
)
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


def test_a_model_stamped_before_the_data_was_hashed_as_bytes_is_kept_with_its_labels(
    survey: Survey, tmp_path: Path
) -> None:
    themes, threshold = survey.theme_ids, survey.nlu.threshold
    builtin_classifier(tmp_path, themes, threshold)
    model, stamp = tmp_path / BUILTIN_MODEL, (tmp_path / BUILTIN_MODEL).with_suffix(".digest")
    saved = model.stat().st_mtime_ns
    current = json.loads(stamp.read_text(encoding="utf-8"))["shipped"]
    # What an older bot wrote: the digest of the parsed examples, and staff labels in it.
    old = {"shipped": _parsed_digest(themes, threshold), "labelled": 7}
    assert old["shipped"] != current
    stamp.write_text(json.dumps(old), encoding="utf-8")

    builtin_classifier(tmp_path, themes, threshold)
    assert model.stat().st_mtime_ns == saved, "traded a labelled model for a fresh one"
    assert json.loads(stamp.read_text(encoding="utf-8")) == {"shipped": current, "labelled": 7}
    assert labelled_count(tmp_path) == 7

    # Any other stamp is another model: trained afresh, without the labels it never had.
    stamp.write_text(json.dumps({"shipped": "0" * 64, "labelled": 7}), encoding="utf-8")
    builtin_classifier(tmp_path, themes, threshold)
    assert model.stat().st_mtime_ns != saved
    assert labelled_count(tmp_path) == 0


def test_the_distress_model_is_saved_and_used_again_until_its_data_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = distress_detector(tmp_path)
    saved = tmp_path / DISTRESS_MODEL
    assert saved.exists()
    stamp = saved.stat().st_mtime_ns
    again = distress_detector(tmp_path)
    assert saved.stat().st_mtime_ns == stamp  # loaded, not trained again
    assert again.version == first.version
    for text in ("ik wil niet meer leven", "de bus rijdt nie meer na 8u"):
        assert again.detect(text) == first.detect(text)

    # Other training data (or another RECIPE) is another version: trained afresh.
    monkeypatch.setattr(nlu.distress, "RECIPE", nlu.distress.RECIPE + "-changed")
    changed = distress_detector(tmp_path)
    assert changed.version != first.version
    assert DistressDetector.load(saved).version == changed.version


def test_an_unreadable_distress_model_is_trained_again(tmp_path: Path) -> None:
    (tmp_path / DISTRESS_MODEL).write_bytes(b"not a model")
    assert distress_detector(tmp_path).detect("ik wil niet meer leven")
