"""The survey as data: the model and loader of ``config.yml``, shared text helpers, the clock.

The bottom layer: it imports nothing of ours, so every other package may use it.
"""

from survey.config import ConfigError, Survey, load_survey

__all__ = ["ConfigError", "Survey", "load_survey"]
