"""Which language a person reads: chosen in this order, for pages, the API and the mails.

1. ``?lang=`` on the address (a link that opens a page in a language);
2. the person's saved choice (the switch on every page saves it);
3. for a visitor without an account, the switch's choice kept in the session;
4. the browser's ``Accept-Language`` (for the API, before the saved choice: a client says what it reads);
5. ``CASEFLOW_DEFAULT_LOCALE``.
"""

from __future__ import annotations

from flask import Flask, has_request_context, request, session
from flask_babel import Babel
from flask_login import current_user

from caseflow.errors import is_api_request
from caseflow.extensions import db
from caseflow.i18n import LANGUAGES, locale_or_default

SESSION_KEY = "locale"


def init_app(app: Flask) -> None:
    if app.config["CASEFLOW_DEFAULT_LOCALE"] not in LANGUAGES:
        raise ValueError(f"CASEFLOW_DEFAULT_LOCALE must be one of {', '.join(LANGUAGES)}, "
                         f"not {app.config['CASEFLOW_DEFAULT_LOCALE']!r}")
    # One Babel per app, not one shared: Flask-Babel caches the loaded catalogues on its instance by
    # language only, so two apps of one process (tests, a pseudo-locale) would read each other's.
    Babel(app, locale_selector=choose_locale)
    app.before_request(_remember_lang_of_the_address)


def _remember_lang_of_the_address() -> None:
    """A page opened with ``?lang=`` keeps its language for what follows (its form's answer), as the switch does,
    without changing an account's saved choice."""
    asked = request.args.get("lang")
    if asked in LANGUAGES and not is_api_request():
        session[SESSION_KEY] = asked


def choose_locale() -> str:
    """The language of the current request (Flask-Babel's locale selector)."""
    if has_request_context():
        asked = request.args.get("lang")
        if asked in LANGUAGES:
            return asked
        browser = request.accept_languages.best_match(LANGUAGES) if request.accept_languages else None
        if is_api_request() and browser:
            return browser
        saved = getattr(current_user, "locale", None)
        if saved in LANGUAGES:
            return saved
        if session.get(SESSION_KEY) in LANGUAGES:
            return session[SESSION_KEY]
        if browser:
            return browser
    return locale_or_default(None)


def remember(locale: str) -> None:
    """Keep the switch's choice: in the session, and on the account of whoever is logged in."""
    session[SESSION_KEY] = locale
    if current_user.is_authenticated and current_user.locale != locale:
        current_user.locale = locale
        db.session.commit()
