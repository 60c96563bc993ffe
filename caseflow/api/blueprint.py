"""The API blueprint, alone in its module so view modules can import it without a cycle."""

from flask import Blueprint

bp = Blueprint("api", __name__)
