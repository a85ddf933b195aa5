"""New signals: a planted group of answers no theme covers is found, and only that."""

from __future__ import annotations

from reports.findings.signals import SignalAnswer, find_signals
from tests.support.seeding import LIBRARY_TEXTS, NOISE_TEXTS

BACKGROUND = (
    "het lidgeld is te duur",
    "de bus rijdt niet in het weekend",
    "ik ken daar niemand",
    "mijn ouders laten het niet toe",
    "ik heb geen tijd door school",
) * 4


def _candidates() -> list[SignalAnswer]:
    answers = [SignalAnswer(100 + i, i, text) for i, text in enumerate(LIBRARY_TEXTS)]
    answers += [SignalAnswer(200 + i, 50 + i, text) for i, text in enumerate(NOISE_TEXTS)]
    return answers


def test_the_planted_group_is_found_with_its_terms_and_quotes() -> None:
    signals, rest = find_signals(_candidates(), BACKGROUND, min_participants=5)
    assert len(signals) == 1
    signal = signals[0]
    assert signal.participants == signal.answers >= 6
    library_ids = {100 + i for i in range(len(LIBRARY_TEXTS))}
    assert {q.answer_id for q in signal.quotes} <= library_ids
    assert len(signal.quotes) == 3
    assert "bibliotheek" in signal.terms
    assert rest == len(LIBRARY_TEXTS) + len(NOISE_TEXTS) - signal.answers


def test_a_group_of_too_few_young_people_is_not_shown() -> None:
    # Seven answers, but from two young people only.
    answers = [SignalAnswer(100 + i, i % 2, text) for i, text in enumerate(LIBRARY_TEXTS)]
    signals, rest = find_signals(answers, BACKGROUND, min_participants=5)
    assert signals == []
    assert rest == len(LIBRARY_TEXTS)


def test_signals_are_deterministic() -> None:
    first = find_signals(_candidates(), BACKGROUND, min_participants=5)
    again = find_signals(list(reversed(_candidates())), BACKGROUND, min_participants=5)
    assert first == again
