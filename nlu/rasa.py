"""The ``rasa`` backend: a Rasa 3.6 server in its own Python 3.10 environment, over HTTP.

Rasa pins libraries the bot cannot share (SQLAlchemy 1.4, pydantic 1,
TensorFlow 2.12), so it never runs in this process: ``jeugdstem nlu train
--backend rasa`` runs ``rasa train nlu`` in ``.venv-rasa`` and ``jeugdstem nlu
serve`` starts ``rasa run --enable-api`` on 127.0.0.1. The bot only calls
``/model/parse``.

Rasa ranks intents, and a multi-theme answer is an intent such as
``cost+transport``. A theme's score is the summed confidence of every ranked
intent that contains it; a theme counts from ``threshold`` on. Rasa's
confidences are overconfident (high even on wrong labels), so the threshold
is set from the held-out split (``python -m benchmarks.nlu`` prints the
figures for each threshold) instead of trusting 0.5. Figures: docs/nlu.md.

Privacy: Rasa logs every parsed text at debug level, so the server always runs
with ``--quiet`` and ``LOG_LEVEL=WARNING``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import aiohttp
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

from nlu.classifier import NluUnavailable, Prediction
from nlu.data import NOISE, themes_of

# Rasa's own environment, made by scripts/ensure-rasa.sh.
RASA_EXECUTABLE = Path(".venv-rasa/bin/rasa")
MODEL_NAME = "nlu"


def rasa_environment() -> dict[str, str]:
    """The environment every Rasa process runs with: no telemetry, no text in logs."""
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        LOG_LEVEL="WARNING",
        LOG_LEVEL_LIBRARIES="ERROR",
        # TensorFlow's C++ start-up chatter and the libraries' deprecation warnings.
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONWARNINGS="ignore",
    )
    return env


def train_command(
    executable: Path, pipeline: Path, data: Path, out: Path, *, quiet: bool = False
) -> list[str]:
    """``rasa train nlu`` writing ``<out>/nlu.tar.gz``."""
    command = [
        str(executable),
        "train",
        "nlu",
        "--config",
        str(pipeline),
        "--nlu",
        str(data),
        "--out",
        str(out),
        "--fixed-model-name",
        MODEL_NAME,
    ]
    return [*command, "--quiet"] if quiet else command


def serve_command(executable: Path, model: Path, host: str, port: int) -> list[str]:
    """``rasa run --enable-api`` on loopback, logging warnings only."""
    return [
        str(executable),
        "run",
        "--enable-api",
        "--model",
        str(model),
        "--interface",
        host,
        "--port",
        str(port),
        "--quiet",
    ]


def prediction_from_parse(
    parsed: Mapping[str, Any], themes: Sequence[str], threshold: float, version: str
) -> Prediction:
    """Turn Rasa's intent ranking into themes and a score for every configured theme."""
    scores = dict.fromkeys(themes, 0.0)
    noise = 0.0
    ranking = parsed.get("intent_ranking") or ([parsed["intent"]] if parsed.get("intent") else [])
    for intent in ranking:
        name, confidence = str(intent.get("name", "")), float(intent.get("confidence") or 0.0)
        if name == NOISE:
            noise += confidence
            continue
        for theme in themes_of(name):
            if theme in scores:
                scores[theme] = min(1.0, scores[theme] + confidence)
    scores = {theme: round(score, 4) for theme, score in scores.items()}
    if noise >= max(scores.values(), default=0.0):
        return Prediction((), scores, version)
    chosen = sorted((t for t in themes if scores[t] >= threshold), key=lambda t: -scores[t])
    return Prediction(tuple(chosen), scores, version)


class RasaClassifier:
    """Classifies through a running Rasa server; raises NluUnavailable when it cannot."""

    def __init__(
        self,
        url: str,
        themes: Sequence[str],
        threshold: float,
        *,
        attempt_timeout: float = 0.4,
        attempts: int = 2,
    ) -> None:
        self.url = url.rstrip("/")
        self.themes = list(themes)
        self.threshold = threshold
        self._timeout = aiohttp.ClientTimeout(total=attempt_timeout)
        self._attempts = attempts
        self._session: aiohttp.ClientSession | None = None
        self._version: str | None = None

    @property
    def version(self) -> str:
        """``rasa-<model file>``, once the server has told us which model it serves."""
        return self._version or "rasa-unknown"

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def _request(self, method: str, path: str, body: Any = None) -> Any:
        """One call with retries and backoff; NluUnavailable once they are used up."""
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._attempts),
            wait=wait_exponential(multiplier=0.05, max=0.2),
            retry=retry_if_exception_type((aiohttp.ClientError, TimeoutError)),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    async with self._client().request(
                        method, f"{self.url}{path}", json=body
                    ) as response:
                        if response.status >= 500:
                            # 5xx is worth another try; a 4xx will not change.
                            raise aiohttp.ClientResponseError(
                                response.request_info, (), status=response.status
                            )
                        if response.status >= 400:
                            raise NluUnavailable(f"Rasa answered {response.status} on {path}")
                        return await response.json()
        except (aiohttp.ClientError, TimeoutError) as error:
            raise NluUnavailable(
                f"the Rasa server at {self.url} did not answer ({type(error).__name__})"
            ) from error
        raise AssertionError("unreachable")

    async def refresh_version(self) -> str:
        """Ask the server which model it serves."""
        status = await self._request("GET", "/status")
        model = Path(str(status.get("model_file") or "unknown")).name
        self._version = (
            f"rasa-{model.removesuffix('.tar.gz')}-{str(status.get('model_id') or '')[:8]}"
        )
        return self._version

    async def classify(self, text: str) -> Prediction:
        """Parse one answer on the server."""
        if self._version is None:
            await self.refresh_version()
        parsed = await self._request("POST", "/model/parse", {"text": text})
        return prediction_from_parse(parsed, self.themes, self.threshold, self.version)

    async def aclose(self) -> None:
        """Close the HTTP connections."""
        if self._session is not None:
            await self._session.close()


async def wait_until_ready(url: str, seconds: float = 120.0) -> None:
    """Poll the server until it serves a model; raises NluUnavailable after ``seconds``."""
    deadline = asyncio.get_running_loop().time() + seconds
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=2)) as session:
        while True:
            try:
                async with session.get(f"{url.rstrip('/')}/status") as response:
                    if response.status == 200 and (await response.json()).get("model_file"):
                        return
            except (aiohttp.ClientError, TimeoutError):
                pass
            if asyncio.get_running_loop().time() > deadline:
                raise NluUnavailable(f"no Rasa server with a model at {url} after {seconds:.0f} s")
            await asyncio.sleep(0.5)
