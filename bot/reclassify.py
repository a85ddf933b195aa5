"""Catching up on stored answers that have no prediction yet (the NLU was down or slow).

The stored answers come from storage, the predictions from nlu: the two never
import each other, so the loop that joins them lives here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from nlu.classifier import Prediction, ThemeService
from nlu.distress import DistressDetector
from storage import Database
from storage import repository as repo
from storage.database import Session

PredictionRow = tuple[int, list[str], dict[str, float], str, bool]


def _next_batch(
    session: Session, *, after: int, limit: int, stale_version: str | None
) -> list[tuple[int, str]]:
    """(answer id, text) of the next answers to classify."""
    found = repo.answers_to_classify(session, after, limit, stale_version)
    return [(answer.id, answer.text or "") for answer in found]


def _rows(results: list[tuple[int, Prediction, bool]]) -> list[PredictionRow]:
    return [
        (answer_id, list(p.themes), p.scores, p.model_version, distress)
        for answer_id, p, distress in results
    ]


class Reclassifier:
    """Classifies stored answers in batches, one transaction each, oldest first.

    What was classified stays stored when the backend fails halfway
    (``NluUnavailable`` then reaches the caller).
    """

    def __init__(
        self,
        database: Database,
        service: ThemeService,
        detector: DistressDetector,
        *,
        stale: bool = False,
        batch: int = 200,
    ) -> None:
        self.database = database
        self.service = service
        self.detector = detector
        self.batch = batch
        # With --stale, answers classified by another model version count as waiting too.
        self.stale_version = service.version if stale else None

    async def waiting(self) -> int:
        """How many answers wait for a prediction."""
        stale_version = self.stale_version
        return await self.database.run(lambda s: repo.count_to_classify(s, stale_version))

    async def run(self, advanced: Callable[[int], None] | None = None) -> int:
        """Classify every waiting answer; ``advanced`` hears how many each batch stored."""
        done = 0
        last_id = 0
        while True:
            pending = await self.database.run(
                partial(
                    _next_batch, after=last_id, limit=self.batch, stale_version=self.stale_version
                )
            )
            if not pending:
                return done
            results = [
                (answer_id, await self.service.classify(text), bool(self.detector.detect(text)))
                for answer_id, text in pending
            ]
            await self.database.run(partial(repo.store_predictions, rows=_rows(results)))
            done += len(results)
            last_id = pending[-1][0]
            if advanced is not None:
                advanced(len(results))
