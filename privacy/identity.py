"""Pseudonyms and signed button data, both keyed by JEUGDSTEM_SECRET."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from storage.database import sqlite_file

SECRET_FILE_NAME = "jeugdstem.secret"
# The part of a pseudonym that logs, exports, alerts and staff commands show: enough
# to tell 20,000 participants apart (48 bits), too short to be the full HMAC.
SHORT_PSEUDONYM_LENGTH = 12


def short_pseudonym(pseudonym: str) -> str:
    """The prefix of a pseudonym that people and logs see."""
    return pseudonym[:SHORT_PSEUDONYM_LENGTH]


def secret_path_for(database_url: str) -> Path:
    """Where a generated secret is kept: beside the SQLite file, else in the working dir."""
    database = sqlite_file(database_url)
    folder = database.parent if database is not None else Path.cwd()
    return folder / SECRET_FILE_NAME


def load_or_create_secret(configured: str | None, database_url: str) -> bytes:
    """JEUGDSTEM_SECRET if set; otherwise a secret generated once and kept on disk (0600)."""
    if configured:
        return configured.encode("utf-8")
    path = secret_path_for(database_url)
    if not path.exists():
        _create_secret_file(path)
    if path.stat().st_mode & 0o077:
        # Anyone who can read it can link pseudonyms back to Telegram ids they know.
        raise ValueError(
            f"{path} can be read by other users: run  chmod 600 {path}  (or set JEUGDSTEM_SECRET)"
        )
    value = path.read_bytes().strip()
    if not value:
        raise ValueError(
            f"{path} is empty: restore it from a backup (pseudonyms depend on it), "
            "or set JEUGDSTEM_SECRET"
        )
    return value


def _create_secret_file(path: Path) -> None:
    """Write a new secret so that no reader ever sees a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(secrets.token_hex(32).encode("ascii") + b"\n")
    try:
        # link() fails if the name exists, so two processes racing agree on one secret.
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


class Pseudonymizer:
    """Turns channel user ids into stable pseudonyms that cannot be reversed without the secret."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def telegram(self, user_id: int) -> str:
        """HMAC-SHA256 of the Telegram user id (the contract in the design doc)."""
        return hmac.new(self._secret, str(user_id).encode("ascii"), hashlib.sha256).hexdigest()

    def console(self, name: str) -> str:
        """Pseudonym for a console user; the prefix keeps it apart from Telegram ids."""
        return hmac.new(self._secret, f"console:{name}".encode(), hashlib.sha256).hexdigest()


class InvalidCallback(ValueError):
    """Button data that we did not sign, or that does not parse."""


class CallbackCodec:
    """Signs button data so a forged callback can never change state.

    Telegram limits callback data to 64 bytes: ``<kind>|<arg>|<arg>|<tag>``
    with an 8-character tag (48 bits of HMAC) fits every button we make.
    """

    MAX_BYTES = 64
    _TAG_CHARS = 8

    def __init__(self, secret: bytes) -> None:
        self._key = hmac.new(secret, b"jeugdstem callback data", hashlib.sha256).digest()
        # Every rendering of a question signs the same few dozen payloads again;
        # remembering them saved a third of the engine's CPU per update.
        self._cached_encode = functools.lru_cache(maxsize=4096)(self._encode)

    def _tag(self, payload: str) -> str:
        digest = hmac.new(self._key, payload.encode("utf-8"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode("ascii")[: self._TAG_CHARS]

    def encode(self, kind: str, *args: str) -> str:
        """Button data for an action; raises ValueError if it would not fit Telegram's limit."""
        return self._cached_encode(kind, *args)

    def _encode(self, kind: str, *args: str) -> str:
        """Button data for an action; raises ValueError if it would not fit Telegram's limit."""
        if any("|" in part for part in (kind, *args)):
            raise ValueError("callback data parts may not contain '|'")
        payload = "|".join((kind, *args))
        data = f"{payload}|{self._tag(payload)}"
        size = len(data.encode("utf-8"))
        if size > self.MAX_BYTES:
            raise ValueError(f"callback data too long ({size} bytes): shorten the ids")
        return data

    def decode(self, data: str) -> tuple[str, tuple[str, ...]]:
        """The action kind and its arguments; InvalidCallback for anything we did not sign."""
        payload, separator, tag = data.rpartition("|")
        try:
            expected = self._tag(payload).encode("ascii")
            genuine = bool(separator) and hmac.compare_digest(tag.encode("utf-8"), expected)
        except UnicodeError:
            genuine = False
        if not genuine:
            raise InvalidCallback("callback data is not signed by this bot")
        kind, *args = payload.split("|")
        return kind, tuple(args)
