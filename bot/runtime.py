"""Wires settings, survey, database and engine together for a command."""

from __future__ import annotations

from dataclasses import dataclass

from bot.engine import SurveyEngine
from bot.identity import CallbackCodec, Pseudonymizer, load_or_create_secret
from bot.settings import Settings
from bot.survey import Survey, load_survey
from storage import Database


@dataclass
class Runtime:
    """Everything an adapter needs to run the survey."""

    settings: Settings
    survey: Survey
    database: Database
    engine: SurveyEngine
    pseudonymizer: Pseudonymizer


def build_runtime(settings: Settings) -> Runtime:
    """Load and check the survey, open the database and build the engine (raises ConfigError)."""
    survey = load_survey(settings.jeugdstem_config)
    configured = settings.jeugdstem_secret.get_secret_value() if settings.jeugdstem_secret else None
    secret = load_or_create_secret(configured, settings.database_url)
    database = Database(settings.database_url)
    engine = SurveyEngine(survey, database, CallbackCodec(secret))
    return Runtime(settings, survey, database, engine, Pseudonymizer(secret))
