"""Representative quotes: central first, then different, whole and deterministic."""

from __future__ import annotations

from reports.findings.quotes import MAX_QUOTE_CHARACTERS, Quote, representative

COST = (
    "het lidgeld van de voetbal is te duur voor ons",
    "het lidgeld is te duur, mijn ouders kunnen dat niet betalen",
    "te duur, het lidgeld en de kledij kosten te veel",
    "het lidgeld voor de club is echt te duur",
)
OTHER_ANGLES = (
    "op kamp gaan kost driehonderd euro, dat hebben we niet",
    "voor de muziekschool moet je zelf een instrument kopen",
)


def _quotes(texts: tuple[str, ...], first_id: int = 1) -> list[Quote]:
    return [Quote(first_id + index, text) for index, text in enumerate(texts)]


def test_the_most_central_comes_first_then_different_ones() -> None:
    candidates = _quotes(COST + OTHER_ANGLES)
    chosen = representative(candidates, 3)
    assert chosen[0].text in COST  # what most say
    # By centrality alone all three would be about the fee; the others are about money too.
    assert {q.text for q in chosen} & set(OTHER_ANGLES)


def test_the_same_candidates_in_any_order_give_the_same_quotes() -> None:
    candidates = _quotes(COST + OTHER_ANGLES)
    assert representative(candidates, 3) == representative(list(reversed(candidates)), 3)


def test_quotes_are_whole_unique_and_keep_their_answer_id() -> None:
    long_text = "het is te duur " * (MAX_QUOTE_CHARACTERS // 10)
    candidates = [
        Quote(7, "Het lidgeld is te duur"),
        Quote(3, "het lidgeld  is te duur"),  # the same wording, said earlier
        Quote(9, long_text),
        Quote(11, "duur"),  # too short to say anything
        *_quotes(OTHER_ANGLES, 20),
    ]
    chosen = representative(candidates, 5)
    assert {q.answer_id for q in chosen} == {3, 20, 21}
    by_id = {q.answer_id: q.text for q in candidates}
    assert all(by_id[q.answer_id] == q.text for q in chosen)  # verbatim, never shortened
