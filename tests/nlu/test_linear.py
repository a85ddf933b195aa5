"""The numpy model: scikit-learn's TF-IDF and logistic output, and a file that runs no code."""

from __future__ import annotations

import pickle
import zipfile
from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from nlu.linear import TfidfLinear, Vocabulary, load_model, save_model

TEXTS = ["te duur", "te ver weg", "geen geld", "de bus rijdt niet", "duur duur duur", "ver"]
LABELS = [1, 0, 1, 0, 1, 0]


def _fitted() -> tuple[TfidfVectorizer, TfidfVectorizer, LogisticRegression, TfidfLinear]:
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True)
    words = TfidfVectorizer(sublinear_tf=True)
    matrix = np.hstack([chars.fit_transform(TEXTS).toarray(), words.fit_transform(TEXTS).toarray()])
    regression = LogisticRegression().fit(matrix, LABELS)
    model = TfidfLinear.from_fitted([chars, words], regression.coef_.T, regression.intercept_)
    return chars, words, regression, model


def test_probabilities_are_scikit_learns() -> None:
    chars, words, regression, model = _fitted()
    for text in [*TEXTS, "te duur en te ver", "onbekend", ""]:
        matrix = np.hstack([chars.transform([text]).toarray(), words.transform([text]).toarray()])
        expected = regression.predict_proba(matrix)[0, 1]
        blocks = [chars.build_analyzer()(text), words.build_analyzer()(text)]
        assert model.probabilities(blocks)[0] == pytest.approx(expected, abs=1e-6), text


def test_a_saved_model_loads_and_predicts_the_same(tmp_path: Path) -> None:
    chars, words, _, model = _fitted()
    path = tmp_path / "model.npz"
    save_model(path, model.arrays(), {"version": "v1"})
    arrays, metadata = load_model(path)
    loaded = TfidfLinear.from_arrays(arrays)
    assert metadata == {"version": "v1"}
    blocks = [chars.build_analyzer()("te duur"), words.build_analyzer()("te duur")]
    assert np.array_equal(loaded.probabilities(blocks), model.probabilities(blocks))
    assert [b.terms() for b in loaded.blocks] == [b.terms() for b in model.blocks]


def test_a_file_that_would_run_code_is_refused(tmp_path: Path) -> None:
    """A pickled object in the file is never unpickled: loading fails instead."""
    path = tmp_path / "model.npz"
    with path.open("wb") as file:
        np.savez(file, metadata=np.array('{"version": "x"}'), weights=np.array([object()]))
    with pytest.raises(ValueError, match="pickle"):
        load_model(path)
    path.write_bytes(pickle.dumps({"weights": [1.0]}))
    with pytest.raises((ValueError, zipfile.BadZipFile)):
        load_model(path)


def test_a_file_without_metadata_is_not_a_model(tmp_path: Path) -> None:
    path = tmp_path / "other.npz"
    with path.open("wb") as file:
        np.savez(file, weights=np.zeros(2))
    with pytest.raises(ValueError, match="not a model file"):
        load_model(path)


def test_weights_of_the_wrong_shape_are_refused() -> None:
    _, _, _, model = _fitted()
    with pytest.raises(ValueError, match="weights are"):
        TfidfLinear(model.blocks, model.weights[:-1], model.bias)


def test_the_vocabulary_finds_each_term_and_only_its_terms() -> None:
    terms = ["te", " du", "ë ", "école", "à vélo", "duur"]
    vocabulary = Vocabulary(terms)
    assert len(vocabulary) == 6
    assert vocabulary.terms() == terms
    found = vocabulary.columns(["duur", "onbekend", "école", "duur", "", "à vélo"])
    assert found.tolist() == [5, 3, 5, 4]
    assert Vocabulary([]).columns(["duur"]).tolist() == []


def test_a_vocabulary_read_in_slices_from_a_model_file_array_is_the_same() -> None:
    """A model file's terms come as one numpy array, read a slice at a time."""
    terms = [f"w{number}é" if number % 3 else f"{number} ë" for number in range(5_000)]
    from_file = Vocabulary(np.array(terms, dtype=np.str_))
    assert len(from_file) == 5_000
    assert from_file.terms() == terms
    asked = [terms[4_999], "onbekend", terms[0], terms[2_048], terms[2_047]]
    assert from_file.columns(asked).tolist() == [4_999, 0, 2_048, 2_047]
    assert from_file.columns(asked).tolist() == Vocabulary(terms).columns(asked).tolist()
