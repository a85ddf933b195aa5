"""Wiring checks: helplines serve risk kinds the detector reports; which offers a channel shows."""

from __future__ import annotations

import pytest

from bot.runtime import check_helplines, load_offers
from bot.settings import Settings
from nlu.risk import RiskKind
from survey.config import ConfigError, Survey
from survey.helplines import ANY_RISK
from tests.support.paths import REPO


def test_the_shipped_helplines_serve_only_known_risk_kinds(survey: Survey) -> None:
    check_helplines(survey, "config.yml")
    served = {kind for line in survey.helplines for kind in line.serves}
    assert served <= {kind.value for kind in RiskKind} | {ANY_RISK}
    # Every kind the detector reports has a line for that very risk, not only general ones.
    unserved = [kind for kind in RiskKind if kind.value not in served]
    assert unserved == []


def test_a_misspelt_risk_kind_is_refused_by_name(survey: Survey) -> None:
    awel, *rest = survey.helplines
    typo = awel.model_copy(update={"serves": ("selfharm",)})
    broken = survey.model_copy(update={"helplines": (typo, *rest)})
    with pytest.raises(ConfigError, match="helpline 'awel' serves unknown risk kind 'selfharm'"):
        check_helplines(broken, "config.yml")


def test_the_shipped_example_offers_are_for_the_terminal_only(survey: Survey) -> None:
    """`jeugdstem chat` shows offers.yml's examples; `jeugdstem run` leaves them out."""
    settings = Settings(jeugdstem_config=REPO / "config.yml")
    shipped = load_offers(survey, settings, examples=True)
    assert shipped.offers and shipped.examples == list(shipped.offers)
    assert load_offers(survey, settings, examples=False).offers == ()
