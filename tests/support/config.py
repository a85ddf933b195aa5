"""A copy of config.yml whose NLU paths point into a test's own folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.support.paths import REPO


def write_test_config(folder: Path, **nlu: Any) -> Path:
    """config.yml with models in ``folder/models`` and the repo's Rasa pipeline and install.

    ``nlu`` overrides keys of the nlu section (``rasa={...}`` replaces the rasa keys given).
    """
    data = yaml.safe_load((REPO / "config.yml").read_text(encoding="utf-8"))
    section = data.setdefault("nlu", {})
    rasa = section.setdefault("rasa", {})
    rasa["pipeline"] = str(REPO / rasa.get("pipeline", "nlu/rasa/config.yml"))
    rasa["executable"] = str(REPO / rasa.get("executable", ".venv-rasa/bin/rasa"))
    rasa.update(nlu.pop("rasa", {}))
    section["model_dir"] = str(folder / "models")
    section.update(nlu)
    path = folder / "config.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
