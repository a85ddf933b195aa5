"""nlu.ngrams makes exactly the n-grams scikit-learn's vectorisers make."""

from __future__ import annotations

import json

import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from nlu.data import TRAIN_DIR, barrier_answers
from nlu.distress import TRAIN_PATH, load_labelled
from nlu.ngrams import WORD_TOKEN, char_wb_ngrams, strip_accents, word_ngrams
from tests.support.paths import REPO


def _texts() -> list[str]:
    """Every training text of both models, and strings chosen to break text handling."""
    nasty = json.loads((REPO / "tests" / "data" / "nasty_strings.json").read_text("utf-8"))
    return [
        *barrier_answers(TRAIN_DIR),
        *(e.text for e in load_labelled(TRAIN_PATH)),
        *(entry["text"] for entry in nasty["strings"]),
        "",
        " ",
        "a",
        "ab  cd\t\tef\n",
        "Ça coûte ÉÉN euro",
        "ﬁne ﬂow",  # ligatures: NFKD splits them
        "ǅemal",  # title-case digraph
    ]


TEXTS = _texts()


@pytest.mark.parametrize(("low", "high"), [(2, 5), (1, 3), (3, 3)])
def test_character_ngrams_match(low: int, high: int) -> None:
    analyse = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(low, high), strip_accents="unicode"
    ).build_analyzer()
    for text in TEXTS:
        assert char_wb_ngrams(strip_accents(text.lower()), low, high) == analyse(text), text


@pytest.mark.parametrize(("low", "high"), [(1, 2), (2, 3), (1, 1)])
def test_word_ngrams_match(low: int, high: int) -> None:
    analyse = TfidfVectorizer(
        analyzer="word",
        ngram_range=(low, high),
        token_pattern=WORD_TOKEN.pattern,
        strip_accents="unicode",
    ).build_analyzer()
    for text in TEXTS:
        tokens = WORD_TOKEN.findall(strip_accents(text.lower()))
        assert word_ngrams(tokens, low, high) == analyse(text), text


def test_the_corpus_is_the_real_one() -> None:
    """The comparison above runs over thousands of texts, not an empty list."""
    assert len(TEXTS) > 3000
