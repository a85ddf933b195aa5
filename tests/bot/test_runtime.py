"""The checks where survey and nlu meet: helplines serve risk kinds the detector reports."""

from __future__ import annotations

import pytest

from bot.runtime import check_helplines
from nlu.risk import RiskKind
from survey.config import ConfigError, Survey
from survey.helplines import ANY_RISK


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
