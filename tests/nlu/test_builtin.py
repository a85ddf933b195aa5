"""The built-in classifier follows the interface and learns the shipped data."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.survey import Survey
from nlu.builtin import BuiltinClassifier
from nlu.data import TEST_DIR, TRAIN_DIR, load_dir


@pytest.fixture(scope="module")
def classifier(survey: Survey) -> BuiltinClassifier:
    themes = [str(t["id"]) for t in survey.themes]
    return BuiltinClassifier.train(load_dir(TRAIN_DIR, themes), themes)


def test_prediction_follows_the_contract(classifier: BuiltinClassifier, survey: Survey) -> None:
    themes = [str(t["id"]) for t in survey.themes]
    prediction = classifier.predict("het lidgeld is 180 euro, da ga nie")
    assert list(prediction.scores) == themes
    assert all(0.0 <= p <= 1.0 for p in prediction.scores.values())
    assert set(prediction.themes) <= set(themes)
    assert prediction.model_version == classifier.version
    assert prediction.model_version.startswith("builtin-")
    assert max(prediction.scores, key=lambda t: prediction.scores[t]) == "cost"


def test_the_same_data_gives_the_same_version(
    classifier: BuiltinClassifier, survey: Survey
) -> None:
    themes = [str(t["id"]) for t in survey.themes]
    again = BuiltinClassifier.train(load_dir(TRAIN_DIR, themes), themes)
    assert again.version == classifier.version
    fewer = BuiltinClassifier.train(load_dir(TRAIN_DIR, themes)[1:], themes)
    assert fewer.version != classifier.version


def test_save_and_load_predict_the_same(classifier: BuiltinClassifier, tmp_path: Path) -> None:
    path = tmp_path / "models" / "builtin.joblib"
    classifier.save(path)
    loaded = BuiltinClassifier.load(path)
    texts = ["te ver en gin bus", "ik ken daar niemand", "hallo"]
    assert loaded.predict_many(texts) == classifier.predict_many(texts)


def test_held_out_quality_does_not_regress(classifier: BuiltinClassifier, survey: Survey) -> None:
    """A floor under the figures in nlu/builtin.py, so a data or model change that
    makes things worse is noticed; the targets themselves live in the benchmark."""
    themes = [str(t["id"]) for t in survey.themes]
    test = load_dir(TEST_DIR, themes)
    predictions = classifier.predict_many([e.text for e in test])
    labelled = [(e, p) for e, p in zip(test, predictions, strict=True) if e.themes]
    top3 = sum(
        any(t in sorted(p.scores, key=lambda k: -p.scores[k])[:3] for t in e.themes)
        for e, p in labelled
    ) / len(labelled)
    assert top3 >= 0.9
