"""The keyword baseline: same interface, keyword hits only, nothing learned."""

from __future__ import annotations

from nlu.data import Example
from nlu.keywords import KEYWORDS, KeywordClassifier
from survey.config import Survey
from survey.text import fold_words


def test_every_configured_theme_has_keywords(survey: Survey) -> None:
    assert set(KEYWORDS) == set(survey.theme_ids)


def test_keyword_hits_score_one_and_the_rest_zero(survey: Survey) -> None:
    model = KeywordClassifier.train([], survey.theme_ids)
    prediction = model.predict("Het lidgeld is te duur en de bus rijdt niet")
    assert set(prediction.themes) == {"cost", "transport"}
    assert prediction.themes[0] == "cost"  # two cost keywords, one transport keyword
    assert list(prediction.scores) == survey.theme_ids
    assert {t for t, s in prediction.scores.items() if s == 1.0} == {"cost", "transport"}
    assert {s for t, s in prediction.scores.items() if t not in prediction.themes} == {0.0}
    assert prediction.model_version == model.version
    assert model.version.startswith("keywords-")


def test_words_prefixes_phrases_accents_and_symbols(survey: Survey) -> None:
    model = KeywordClassifier(survey.theme_ids)
    assert model.predict("ik kan da nie betalen").themes == ("cost",)  # betal*
    assert model.predict("Ma MÈRE veut pas").themes == ("family",)  # accents folded
    assert model.predict("dat kost 50€").themes == ("cost",)
    assert "social" not in model.predict("geen vriendelijke mensen").themes  # vriend, not vriend*
    assert model.predict("niets houdt me tegen").themes == ("none",)  # a phrase
    assert model.predict("hallo 👋").themes == ()


def test_the_training_data_is_ignored(survey: Survey) -> None:
    examples = [Example("zorro", ("cost",))]
    model = KeywordClassifier.train(examples, survey.theme_ids)
    assert model.predict("zorro").themes == ()
    assert model.version == KeywordClassifier(survey.theme_ids).version


def test_keywords_match_on_folded_words() -> None:
    assert fold_words("  Ça coûte  TROP!! ") == "ca coute trop"
    assert fold_words("'k hè gin geld") == "k he gin geld"
