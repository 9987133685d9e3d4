"""Reading the platform's configuration from the environment.

Settings come from environment variables so one build runs as a laptop demo (SQLite, no services) and in
production (PostgreSQL, Redis, SMTP) without code changes.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def home_dir() -> Path:
    """Where the SQLite file, uploads, indexes and the task queue live (TECHBRIDGE_HOME)."""
    default = Path.cwd() / "var"
    path = Path(os.environ.get("TECHBRIDGE_HOME", default)).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def email_settings(url: str) -> dict[str, object]:
    """Translate an EMAIL_URL (smtp://user:pass@host:port?tls=1, console://, locmem://, file:///dir) into settings."""
    if not url:
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "locmem":
        return {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if scheme == "file":
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parsed.path),
        }
    if scheme in {"smtp", "smtps", "submission"}:
        query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port
            or (465 if scheme == "smtps" else 587 if scheme == "submission" else 25),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": scheme == "submission" or query.get("tls") in {"1", "true"},
            "EMAIL_TIMEOUT": 20,
        }
    raise ValueError(
        f"EMAIL_URL scheme {scheme!r} is not supported (smtp, smtps, submission, console, locmem, file)"
    )
