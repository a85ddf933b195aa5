"""Settings from the environment: one pydantic-settings object for the whole program."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

import survey

# The default survey as package data: in the repository a link to the top-level config.yml
# (resolved, so messages and relative paths name that file), in a wheel a copy of it.
PACKAGED_CONFIG = (Path(survey.__file__).parent / "default_config.yml").resolve()


def _default_config_path() -> Path:
    # A config.yml in the working directory wins, so a deployment can keep its own.
    local = Path("config.yml")
    return local if local.exists() else PACKAGED_CONFIG


class Settings(BaseSettings):
    """Environment variables (see ../shared/design/architecture.md for the contract)."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", case_sensitive=False)

    telegram_bot_token: SecretStr | None = None
    telegram_api_url: str = "https://api.telegram.org"
    database_url: str = "sqlite:///jeugdstem.db"
    jeugdstem_secret: SecretStr | None = None
    jeugdstem_config: Path = Field(default_factory=_default_config_path)
    jeugdstem_log_level: str = "INFO"

    # Webhook mode (`jeugdstem run --webhook`).
    jeugdstem_webhook_url: str | None = None
    jeugdstem_webhook_secret: SecretStr | None = None
    jeugdstem_webhook_listen: str = "127.0.0.1"
    jeugdstem_webhook_port: int = 8443

    # A staff Telegram chat that gets an alert (pseudonym and redacted text) on distress.
    jeugdstem_staff_chat_id: int | None = None


def config_dir(settings: Settings) -> Path:
    """Paths in config.yml (models, the Rasa pipeline) are relative to its folder."""
    return settings.jeugdstem_config.resolve().parent


def offers_path(settings: Settings) -> Path:
    """The network's offers catalogue: offers.yml beside config.yml (absent: no offers)."""
    return config_dir(settings) / "offers.yml"


def feedback_path(settings: Settings) -> Path:
    """Staff's "jullie zeiden, wij deden" per theme: feedback.yml beside config.yml."""
    return config_dir(settings) / "feedback.yml"


def model_dir(settings: Settings, configured: Path) -> Path:
    """Where trained models go: beside config.yml, or a user cache for the packaged one.

    An installed wheel's config.yml sits in site-packages, which may not be writable
    and is not the place for files that change.
    """
    if configured.is_absolute():
        return configured
    installed = (
        settings.jeugdstem_config.resolve() == PACKAGED_CONFIG
        and not (PACKAGED_CONFIG.parent.parent / "pyproject.toml").exists()
    )
    if installed:
        return Path.home() / ".cache" / "jeugdstem" / configured
    return config_dir(settings) / configured
