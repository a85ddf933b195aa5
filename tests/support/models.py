"""The shipped models, trained once into the repository's models/ and shared by every bot.

A bot whose config.yml points at an empty model folder trains both models when it
starts: seconds of CPU and 100 MB more memory in a test or a benchmark that is about
something else. Tests and benchmarks that write their own config.yml point it here.
"""

from __future__ import annotations

from pathlib import Path

from nlu.service import builtin_classifier, distress_detector
from survey.config import load_survey
from tests.support.paths import CONFIG, REPO

# config.yml's model_dir, beside it: where `make chat` and the bots on config.yml keep them.
MODELS = REPO / "models"


def shared_models() -> Path:
    """MODELS, with the built-in theme model and the distress model up to date."""
    survey = load_survey(CONFIG)
    builtin_classifier(MODELS, survey.theme_ids, survey.nlu.threshold)
    distress_detector(MODELS)
    return MODELS
