"""The built-in classifier follows the interface and learns the shipped data."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.preprocessing import MultiLabelBinarizer

from nlu.builtin import BuiltinClassifier, build_pipeline, features, linear_model
from nlu.data import TEST_DIR, TRAIN_DIR, Example, load_dir
from nlu.evaluation import evaluate
from survey.config import Survey


@pytest.fixture(scope="module")
def classifier(survey: Survey) -> BuiltinClassifier:
    themes = survey.theme_ids
    return BuiltinClassifier.train(load_dir(TRAIN_DIR, themes), themes)


def test_prediction_follows_the_contract(classifier: BuiltinClassifier, survey: Survey) -> None:
    themes = survey.theme_ids
    prediction = classifier.predict("het lidgeld is 180 euro, da ga nie")
    assert list(prediction.scores) == themes
    assert all(0.0 <= p <= 1.0 for p in prediction.scores.values())
    assert set(prediction.themes) <= set(themes)
    assert prediction.model_version == classifier.version
    assert prediction.model_version.startswith("builtin-")
    assert max(prediction.scores, key=lambda t: prediction.scores[t]) == "cost"


def test_themes_come_most_likely_first_and_noise_gets_none(
    classifier: BuiltinClassifier,
) -> None:
    both = classifier.predict("te duur en de bus rijdt nie 's avonds")
    assert set(both.themes) == {"cost", "transport"}
    assert [both.scores[t] for t in both.themes] == sorted(
        (both.scores[t] for t in both.themes), reverse=True
    )
    assert all(both.scores[t] >= classifier.threshold for t in both.themes)
    assert classifier.predict("hallo").themes == ()


def test_the_same_data_gives_the_same_version(
    classifier: BuiltinClassifier, survey: Survey
) -> None:
    themes = survey.theme_ids
    again = BuiltinClassifier.train(load_dir(TRAIN_DIR, themes), themes)
    assert again.version == classifier.version
    fewer = BuiltinClassifier.train(load_dir(TRAIN_DIR, themes)[1:], themes)
    assert fewer.version != classifier.version


def test_save_and_load_predict_the_same(classifier: BuiltinClassifier, tmp_path: Path) -> None:
    path = tmp_path / "models" / "builtin.npz"
    classifier.save(path)
    loaded = BuiltinClassifier.load(path)
    texts = ["te ver en gin bus", "ik ken daar niemand", "hallo", "", "🔥"]
    assert loaded.predict_many(texts) == classifier.predict_many(texts)
    assert (loaded.labels, loaded.version) == (classifier.labels, classifier.version)


def test_the_numpy_path_computes_what_scikit_learn_computes(survey: Survey) -> None:
    """The bot's predictions (nlu.linear, float32) equal the fitted pipeline's own output."""
    examples = load_dir(TRAIN_DIR, survey.theme_ids)[::3]
    binarizer = MultiLabelBinarizer()
    targets = binarizer.fit_transform([e.themes for e in examples])
    pipeline = build_pipeline().fit([e.text for e in examples], targets)
    model = linear_model(pipeline)
    texts = [
        "te ver en gin bus",
        "mijn ma wil nie",
        "c'est trop cher, j'ai pas les moyens",
        "ÉÉN  keer   per week?? Ça coûte 💸💸",
        "",
        "🔥",
        "x",
        *(e.text for e in load_dir(TEST_DIR, survey.theme_ids)[:200]),
    ]
    expected = pipeline.predict_proba(texts)
    ours = np.vstack([model.probabilities(features(text)) for text in texts])
    assert np.allclose(ours, expected, rtol=0, atol=2e-5)


@pytest.mark.filterwarnings("ignore:Label 0 is present in all training examples")
def test_a_label_every_example_carries_still_predicts(survey: Survey) -> None:
    """scikit-learn fits no regression for it (a constant predictor): it still scores 1."""
    examples = [
        Example("te duur", ("cost",)),
        Example("te duur en te ver", ("cost", "transport")),
        Example("geen geld", ("cost",)),
    ]
    model = BuiltinClassifier.train(examples, survey.theme_ids)
    prediction = model.predict("duur")
    assert prediction.scores["cost"] == 1.0
    assert prediction.themes[0] == "cost"
    assert prediction.scores["family"] == 0.0
    assert 0.0 < prediction.scores["transport"] < 1.0


def test_held_out_quality_does_not_regress(classifier: BuiltinClassifier, survey: Survey) -> None:
    """Floors a little under the figures in nlu/builtin.py (macro-F1 0.84, top-3 0.98,
    Brier 0.017), so a data or model change that makes things worse fails CI; the
    targets themselves live in the benchmark."""
    themes = survey.theme_ids
    test = load_dir(TEST_DIR, themes)
    predictions = classifier.predict_many([e.text for e in test])
    report = evaluate(test, predictions, themes)
    assert report.macro_f1 >= 0.80
    assert report.top3_recall >= 0.95
    binarizer = MultiLabelBinarizer(classes=themes)
    truth = binarizer.fit_transform([e.themes for e in test])
    scores = np.array([[p.scores[t] for t in themes] for p in predictions])
    assert float(np.mean((scores - truth) ** 2)) <= 0.025  # Brier score: calibrated enough
