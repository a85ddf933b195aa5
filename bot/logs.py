"""Structured JSON logs of events: ids, steps and timings, never what anyone wrote.

Nothing here receives message text. Third-party loggers are held at WARNING
because some of them log request URLs (which carry the bot token) or payloads.
"""

from __future__ import annotations

import logging
import sys

import structlog
import structlog.tracebacks

# Loggers that would print URLs with the bot token, or message payloads, below WARNING.
_QUIET = ("httpx", "httpcore", "telegram", "apscheduler", "tornado", "aiosqlite", "asyncio")


class _CurrentStderr:
    """Whatever ``sys.stderr`` is at the moment of writing.

    Binding the stream object at configuration time breaks when it is swapped
    later (Typer's test runner, a supervisor): logs would go to a closed file.
    """

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(level: str = "INFO") -> None:
    """JSON lines on stderr for our events; third-party libraries at WARNING."""
    numeric = logging.getLevelName(level.upper())
    if not isinstance(numeric, int):
        numeric = logging.INFO
    logging.basicConfig(
        stream=_CurrentStderr(),
        level=max(numeric, logging.WARNING),
        format="%(levelname)s %(name)s %(message)s",
    )
    for name in _QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            # Tracebacks without local variables: those would hold young people's words.
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
            ),
            structlog.processors.JSONRenderer(),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(_CurrentStderr()),  # type: ignore[arg-type]
        cache_logger_on_first_use=True,
    )
