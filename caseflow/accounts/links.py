"""The links the service mails to let a person choose a password: finishing a sign-up, resetting a password.

A link is a signed, timed token (itsdangerous, with the app's secret key and
a salt per purpose), so nothing is stored for it.  A sign-up link carries the
address and the name asked for; the account is created only when the owner
of that mailbox opens it and chooses a password.  A reset link carries the
account and a fingerprint of its current password hash: choosing a new
password changes the hash, so the link works once.
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadData, URLSafeTimedSerializer

SIGNUP, RESET = "caseflow.signup", "caseflow.password-reset"
LIFETIME_SECONDS = {SIGNUP: 48 * 3600, RESET: 3600}  # a sign-up waits for a weekend; a reset is urgent


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=purpose)


def fingerprint(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:24]


def make(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def read(purpose: str, token: str) -> dict | None:
    """The payload of a link made for ``purpose`` that has not expired; None for any other."""
    try:
        payload = _serializer(purpose).loads(token, max_age=LIFETIME_SECONDS[purpose])
    except BadData:
        return None
    return payload if isinstance(payload, dict) else None


def lifetime_hours(purpose: str) -> int:
    return LIFETIME_SECONDS[purpose] // 3600
