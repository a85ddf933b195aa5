"""Wires settings, survey, database, NLU and engine together for a command."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import structlog

from bot.engine import SurveyEngine
from bot.engine.staff import StaffDesk
from bot.memory import release_freed_memory
from bot.settings import Settings, feedback_path, model_dir, offers_path
from nlu.risk import RiskKind
from nlu.service import Analyser, distress_detector, theme_service
from privacy.identity import CallbackCodec, Pseudonymizer, load_or_create_secret
from storage import Database
from survey.config import ConfigError, Survey, load_survey
from survey.feedback import load_feedback
from survey.helplines import ANY_RISK
from survey.offers import Catalogue, load_catalogue

log = structlog.get_logger("jeugdstem.runtime")


@dataclass
class Runtime:
    """Everything an adapter needs to run the survey."""

    settings: Settings
    survey: Survey
    database: Database
    engine: SurveyEngine
    pseudonymizer: Pseudonymizer
    analyser: Analyser
    # Workers' claims, answers and closures in the staff chat.
    desk: StaffDesk

    async def aclose(self) -> None:
        """Release the NLU's connections and the database pool."""
        await self.analyser.aclose()
        self.database.dispose()


def build_analyser(survey: Survey, settings: Settings) -> Analyser:
    """The configured theme backend plus the distress check (may train the built-in model)."""
    nlu = survey.nlu
    models = model_dir(settings, Path(nlu.model_dir))
    themes = theme_service(
        nlu.backend,
        model_dir=models,
        themes=survey.theme_ids,
        builtin_threshold=nlu.threshold,
        rasa_url=nlu.rasa.url,
        rasa_threshold=nlu.rasa.threshold,
    )
    return Analyser(themes, distress_detector(models), nlu.timeout_seconds)


def check_helplines(survey: Survey, where: object) -> None:
    """Every kind a helpline ``serves`` is one the detector reports (ConfigError if not).

    survey knows nothing of nlu, so the two vocabularies meet here: a typo such as
    "selfharm" would otherwise leave that line out of every reply without a word.
    """
    known = {kind.value for kind in RiskKind} | {ANY_RISK}
    for line in survey.helplines:
        unknown = [kind for kind in line.serves if kind not in known]
        if unknown:
            raise ConfigError(
                f"{where}: helpline {line.id!r} serves unknown risk kind {unknown[0]!r}; "
                f"use {ANY_RISK} or one of {', '.join(sorted(known - {ANY_RISK}))}"
            )


def load_offers(survey: Survey, settings: Settings, *, examples: bool) -> Catalogue:
    """offers.yml beside config.yml; its shipped examples only where ``examples`` is true.

    The examples carry made-up contacts: they show the feature in `jeugdstem chat`, and
    never reach a young person on Telegram, where the start-up warns while any remain.
    Raises ConfigError for a file that is broken, so the bot does not start with it.
    """
    path = offers_path(settings)
    catalogue = load_catalogue(path, survey)
    if catalogue.examples and not examples:
        log.warning(
            "offers_are_examples",
            file=str(path),
            examples=len(catalogue.examples),
            advice="example offers are not shown; replace them with the network's own",
        )
        catalogue = catalogue.without_examples()
    return catalogue


def build_runtime(
    settings: Settings,
    database: Database | None = None,
    survey: Survey | None = None,
    *,
    offer_examples: bool = False,
) -> Runtime:
    """Load (unless given) and check the survey, open the database and build the engine.

    ``offer_examples``: show offers.yml's shipped examples too (the terminal, never Telegram).

    Raises ConfigError for a survey that cannot run.
    """
    survey = survey or load_survey(settings.jeugdstem_config)
    check_helplines(survey, settings.jeugdstem_config)
    catalogue = load_offers(survey, settings, examples=offer_examples)
    # Held feedback goes out when a round ends, as the file says then; a broken file stops here.
    feedback = load_feedback(feedback_path(settings), survey)
    configured = settings.jeugdstem_secret.get_secret_value() if settings.jeugdstem_secret else None
    secret = load_or_create_secret(configured, settings.database_url)
    database = database or Database(settings.database_url)
    analyser = build_analyser(survey, settings)
    engine = SurveyEngine(
        survey,
        database,
        CallbackCodec(secret),
        analyser,
        staff_chat=settings.jeugdstem_staff_chat_id is not None,
        catalogue=catalogue,
        feedback=feedback,
    )
    desk = StaffDesk(survey, database, engine.buttons, engine.handover, engine.clock)
    release_freed_memory()
    return Runtime(settings, survey, database, engine, Pseudonymizer(secret), analyser, desk)
