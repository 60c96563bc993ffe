"""Every setting in one place, with its default and why it exists.

Order of precedence: the defaults below, then ``CASEFLOW_<KEY>`` environment
variables, then the mapping passed to ``create_app`` (tests).  An unknown key
in that mapping, or an unknown ``CASEFLOW_*`` variable, is an error: a typo in
a setting must not silently fall back to a default.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

from limits import parse_many

DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"

# Each entry: key -> (default, parser, one-line comment).  The comment is the
# documentation; the README's configuration table is generated from the same
# words.
_SETTINGS: dict[str, tuple[object, object, str]] = {
    "ENV": ("development", str, "development or production; production refuses the dev secret key and "
                                "sends HSTS"),
    "SECRET_KEY": (DEV_SECRET_KEY, str, "signs sessions and CSRF tokens"),
    "DATABASE_URL": (None, str, "SQLAlchemy URL; default: SQLite file caseflow.sqlite3 in the instance folder"),
    "WORKFLOWS_DIR": (None, str, "folder of workflow TOML files; default: workflows/ beside the package"),
    "TIMEZONE": ("Asia/Bishkek", str, "the office's time zone; the database stores UTC"),
    "CSRF_TIME_LIMIT_HOURS": (12, int, "how long a form stays valid; a long application form outlives 1 hour"),
    "SESSION_HOURS": (12, int, "how long a login session lasts"),
    "SQLITE_BUSY_TIMEOUT_MS": (5000, int, "how long an SQLite writer waits for the lock"),
    "API_PAGE_SIZE": (50, int, "default page size of API lists"),
    "API_MAX_PAGE_SIZE": (200, int, "largest page size a client may ask for"),
    "PASSWORD_HASH_METHOD": ("scrypt", str, "werkzeug password hash method; tests use a cheap one"),
    "DEFAULT_LOCALE": ("ru", str, "the language of a reader who chose none and whose browser asks for none "
                                  "we speak (ru, ky or en)"),
    "BASE_URL": ("http://127.0.0.1:5000", str, "the address people open; links in e-mails start with it"),
    "MAIL_SERVER": ("127.0.0.1", str, "SMTP server; `make run` starts a catcher on 127.0.0.1:8025"),
    "MAIL_PORT": (8025, int, "SMTP port"),
    "MAIL_USE_TLS": (False, bool, "STARTTLS after connecting"),
    "MAIL_USE_SSL": (False, bool, "SMTP over TLS from the start (port 465)"),
    "MAIL_USERNAME": (None, str, "SMTP login, if the server asks for one"),
    "MAIL_PASSWORD": (None, str, "SMTP password"),
    "MAIL_DEFAULT_SENDER": ("International Office <intoffice@localhost>", str, "the From of every e-mail"),
    "MAIL_TIMEOUT_SECONDS": (20, int, "give up on an SMTP server that does not answer within this time"),
    "MAIL_BATCH_SIZE": (50, int, "messages sent over one SMTP connection per delivery round"),
    "MAIL_MAX_ATTEMPTS": (8, int, "after this many refusals a message is marked failed for an admin to see"),
    "STORAGE": ("local", str, "where documents' bytes live: local (a folder) or database (shared by several "
                              "web hosts on one PostgreSQL)"),
    "STORAGE_DIR": (None, str, "the folder of the local storage; default: documents/ in the instance folder, "
                               "never a web-served folder"),
    "MAX_UPLOAD_MB": (10, int, "the largest document a person may upload, in megabytes"),
    "LOGIN_LIMIT_ACCOUNT": ("10 per 15 minutes", str, "failed logins to one account before logging in to it "
                                                       "pauses (Flask-Limiter's notation, e.g. 5/minute;20/hour)"),
    "LOGIN_LIMIT_ADDRESS": ("50 per 15 minutes", str, "failed logins from one address, whichever accounts they "
                                                       "try (an office's network shares one address)"),
    "MAIL_LINK_LIMIT_ACCOUNT": ("3 per hour", str, "sign-up or password-reset mails to one e-mail address"),
    "MAIL_LINK_LIMIT_ADDRESS": ("30 per hour", str, "sign-ups and password-reset requests from one address"),
    "RATELIMIT_STORAGE_URI": ("memory://", str, "where the limits count: memory (each worker process counts "
                                                "alone) or redis://host:6379 (one count for every worker and host)"),
    "PROXY_HOPS": (0, int, "how many reverse proxies (nginx) stand before the app; their X-Forwarded-For gives "
                           "the client's address the limits count by (0: none, trust no such header)"),
    "ESCALATION_TO": ("", str, "who hears of an overdue stage (the head of the office; comma-separated); "
                              "default: every active admin"),
}


def _parse_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def build_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Return the Flask config mapping from defaults, environment and overrides."""
    values: dict[str, object] = {key: default for key, (default, _, _) in _SETTINGS.items()}
    for name, raw in os.environ.items():
        if not name.startswith("CASEFLOW_") or name.startswith(_TOOLING_PREFIXES):
            continue
        key = name.removeprefix("CASEFLOW_")
        if key not in _SETTINGS:
            raise ValueError(f"unknown setting {name}; known: {', '.join(sorted(_SETTINGS))}")
        parser = _SETTINGS[key][1]
        values[key] = _parse_bool(raw) if parser is bool else parser(raw)
    flask_passthrough = {}
    for key, value in (overrides or {}).items():
        if key in _SETTINGS:
            values[key] = value
        elif key in _FLASK_KEYS:
            flask_passthrough[key] = value
        else:
            raise ValueError(f"unknown setting {key!r}")

    if values["ENV"] == "production" and values["SECRET_KEY"] == DEV_SECRET_KEY:
        raise RuntimeError(
            "CASEFLOW_ENV=production needs CASEFLOW_SECRET_KEY: the development key is public"
        )
    database_url = values["DATABASE_URL"] or "sqlite:///" + str(
        Path(instance_path) / "caseflow.sqlite3"
    )
    for key in ("LOGIN_LIMIT_ACCOUNT", "LOGIN_LIMIT_ADDRESS", "MAIL_LINK_LIMIT_ACCOUNT", "MAIL_LINK_LIMIT_ADDRESS"):
        try:
            parse_many(str(values[key]))
        except ValueError:
            raise ValueError(f"CASEFLOW_{key} is not a rate limit such as '10 per 15 minutes': "
                             f"{values[key]!r}") from None
    if values["STORAGE"] not in ("local", "database"):
        raise ValueError(f"CASEFLOW_STORAGE must be local or database, not {values['STORAGE']!r}")
    storage_dir = values["STORAGE_DIR"] or str(Path(instance_path) / "documents")
    workflows_dir = values["WORKFLOWS_DIR"] or str(Path(__file__).resolve().parent.parent / "workflows")
    config = {f"CASEFLOW_{key}": value for key, value in values.items()}
    config.update(
        SECRET_KEY=values["SECRET_KEY"],
        SQLALCHEMY_DATABASE_URI=database_url,
        # A connection the database closed (a restart, a killed backend, a proxy's idle timeout) is noticed
        # when the pool hands it out and replaced, instead of failing the request that gets it.
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        CASEFLOW_DATABASE_URL=database_url,
        CASEFLOW_WORKFLOWS_DIR=workflows_dir,
        CASEFLOW_STORAGE_DIR=storage_dir,
        # A request a little larger than the largest document (the form around it) is still read, so
        # the upload check can say how large the file is; a larger one is cut off with a 413.
        MAX_CONTENT_LENGTH=(int(values["MAX_UPLOAD_MB"]) + 1) * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=int(values["CSRF_TIME_LIMIT_HOURS"]) * 3600,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=int(values["SESSION_HOURS"])),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=values["ENV"] == "production",
        REMEMBER_COOKIE_SECURE=values["ENV"] == "production",
        RATELIMIT_STORAGE_URI=values["RATELIMIT_STORAGE_URI"],
        RATELIMIT_KEY_PREFIX="caseflow",
        # No X-RateLimit-* and Retry-After on every answer of a limited page: the 429 alone says when
        # (web.errors adds its Retry-After).
        RATELIMIT_HEADERS_ENABLED=False,
        # A shared store that is down must not stop logins: count in memory meanwhile, log, and go on.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_SWALLOW_ERRORS=True,
        BABEL_DEFAULT_LOCALE=values["DEFAULT_LOCALE"],
        BABEL_DEFAULT_TIMEZONE=values["TIMEZONE"],
        # Flask-Mail reads its settings under these names.
        **{f"MAIL_{key}": values[f"MAIL_{key}"] for key in (
            "SERVER", "PORT", "USE_TLS", "USE_SSL", "USERNAME", "PASSWORD", "DEFAULT_SENDER")},
    )
    config.update(flask_passthrough)
    return config


def describe_settings() -> list[tuple[str, object, str]]:
    """List (variable, default, comment) for every setting, for docs and --help."""
    return [(f"CASEFLOW_{key}", default, comment) for key, (default, _, comment) in _SETTINGS.items()]


# Variables that share the prefix but are read by the tests, CI and benchmarks, not the app.
_TOOLING_PREFIXES = ("CASEFLOW_TEST_", "CASEFLOW_BENCH_", "CASEFLOW_REQUIRE_")
# Plain Flask keys a test may set directly.
_FLASK_KEYS = {"TESTING", "WTF_CSRF_ENABLED", "SERVER_NAME", "PROPAGATE_EXCEPTIONS", "BABEL_TRANSLATION_DIRECTORIES",
               "SQLALCHEMY_ENGINE_OPTIONS"}
