"""The JSON API, version 1 (its contract is described by openapi.py)."""

from flask import Blueprint

bp = Blueprint("api", __name__)
