"""Settings for Board, read from ``BOARD_*`` environment variables.

``config_for(name)`` picks the class for ``BOARD_ENV`` (development, testing or
production). Production refuses to start without ``BOARD_SECRET_KEY``.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent
INSTANCE = ROOT / "instance"


def env_flag(name: str, default: bool) -> bool:
    """Read a boolean environment variable (``true``/``false``, ``1``/``0``, ``yes``/``no``)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    value = value.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    """Read an integer environment variable."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


class Config:
    """Defaults shared by every environment."""

    ENV_NAME = "development"
    SECRET_KEY = os.environ.get("BOARD_SECRET_KEY") or secrets.token_hex(32)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "BOARD_DATABASE_URL", f"sqlite:///{INSTANCE / 'board.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("BOARD_REDIS_URL") or None
    RATELIMIT_ENABLED = env_flag("BOARD_RATELIMIT_ENABLED", True)
    # Thread-read cache (board/cache.py): in Redis when REDIS_URL is set, else in process.
    CACHE_ENABLED = env_flag("BOARD_CACHE_ENABLED", True)
    # Entries expire after this many seconds even if nothing invalidates them (a safety net).
    CACHE_TTL = env_int("BOARD_CACHE_TTL", 300)
    # Bound of the in-process cache, in bytes of stored entries.
    CACHE_MAX_BYTES = env_int("BOARD_CACHE_MAX_BYTES", 16 * 1024 * 1024)
    CACHE_REDIS_URL = os.environ.get("BOARD_CACHE_REDIS_URL") or REDIS_URL
    # Prefix of the Redis keys (several deployments or test runs may share one Redis).
    CACHE_KEY_PREFIX = os.environ.get("BOARD_CACHE_KEY_PREFIX", "board")
    # Worker processes serving this app (set by gunicorn.conf.py): more than one refuses the
    # in-process cache, which could not be invalidated across processes.
    WORKER_PROCESSES = env_int("BOARD_WORKER_PROCESSES", 1)
    # Seconds between retries of a cache version write that failed (Redis down or stalled).
    CACHE_RETRY_SECONDS = env_int("BOARD_CACHE_RETRY_SECONDS", 1)
    REGISTRATION_OPEN = env_flag("BOARD_REGISTRATION_OPEN", True)
    # Reverse proxies (load balancers) in front of Board whose X-Forwarded-* headers to trust:
    # rate limits then count the client, not the balancer. 0 when clients connect directly.
    PROXY_COUNT = env_int("BOARD_PROXY_COUNT", 0)
    # How long a worker keeps the policy and word lists before reading them again.
    SETTINGS_CACHE_SECONDS = env_int("BOARD_SETTINGS_CACHE_SECONDS", 5)

    # Requests larger than this are refused with 413 before any parsing.
    MAX_CONTENT_LENGTH = env_int("BOARD_MAX_CONTENT_LENGTH", 256 * 1024)
    # Longest comment body accepted, in characters.
    COMMENT_MAX_LENGTH = env_int("BOARD_COMMENT_MAX_LENGTH", 20_000)
    # Seconds a request may run before it answers 503 (0: no deadline); below gunicorn's
    # timeout (BOARD_TIMEOUT, 30), so that the request answers before its worker is killed.
    REQUEST_TIMEOUT = env_int("BOARD_REQUEST_TIMEOUT", 20)
    # The version of the comment terms that members consent to; stored with each comment.
    TERMS_VERSION = os.environ.get("BOARD_TERMS_VERSION", "2026-01")
    # Lifetime of API tokens, in seconds.
    TOKEN_LIFETIME = env_int("BOARD_TOKEN_LIFETIME", 30 * 24 * 3600)
    # Lifetime of the short-lived tokens the embed's sign-in popup hands to the iframe.
    EMBED_TOKEN_LIFETIME = env_int("BOARD_EMBED_TOKEN_LIFETIME", 3600)

    # Rate limits, in the notation of the ``limits`` library.
    RATELIMIT_SIGNIN = os.environ.get("BOARD_RATELIMIT_SIGNIN", "10 per minute; 50 per hour")
    RATELIMIT_TOKENS = os.environ.get("BOARD_RATELIMIT_TOKENS", "10 per minute; 50 per hour")
    RATELIMIT_REGISTER = os.environ.get("BOARD_RATELIMIT_REGISTER", "5 per minute; 20 per hour")
    RATELIMIT_COMMENTS = os.environ.get("BOARD_RATELIMIT_COMMENTS", "6 per minute; 60 per hour")
    RATELIMIT_REPORTS = os.environ.get("BOARD_RATELIMIT_REPORTS", "10 per minute; 50 per hour")
    RATELIMIT_AUTO_THREADS = os.environ.get("BOARD_RATELIMIT_AUTO_THREADS", "10 per minute; 30 per hour")
    # Threads created by anonymous embeds per site, whoever loads them.
    RATELIMIT_AUTO_THREADS_SITE = os.environ.get("BOARD_RATELIMIT_AUTO_THREADS_SITE",
                                                 "60 per hour; 500 per day")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Keep me signed in" lasts this many days; every sign-in gets a new cookie, and signing
    # out (or a password change or reset) ends them all on the server.
    REMEMBER_COOKIE_DURATION = timedelta(days=env_int("BOARD_REMEMBER_DAYS", 30))
    # Strict-Transport-Security max-age in seconds (0: not sent). Production sends it.
    HSTS_SECONDS = env_int("BOARD_HSTS_SECONDS", 0)
    HSTS_INCLUDE_SUBDOMAINS = env_flag("BOARD_HSTS_INCLUDE_SUBDOMAINS", False)
    WTF_CSRF_TIME_LIMIT = None


class DevelopmentConfig(Config):
    """Local use: SQLite under ``instance/``, secret key random per run unless set."""


class TestingConfig(Config):
    """The test suite: an explicit database is always passed in by the fixtures."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_ENABLED = False
    # Each test app gets its own in-process cache: a shared Redis would mix test databases.
    CACHE_REDIS_URL = None
    # Cheap hashing keeps the suite fast; every other environment uses scrypt.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


class ProductionConfig(Config):
    """Production: a secret key is required and cookies are Secure."""

    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("BOARD_SECRET_KEY", "")
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS_SECONDS = env_int("BOARD_HSTS_SECONDS", 365 * 24 * 3600)


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    """Return the settings class for ``name`` (default: ``BOARD_ENV``, else development)."""
    name = (name or os.environ.get("BOARD_ENV") or "development").strip().lower()
    try:
        return CONFIGS[name]
    except KeyError:
        raise ValueError(
            f"BOARD_ENV must be one of {', '.join(CONFIGS)}, not {name!r}"
        ) from None
