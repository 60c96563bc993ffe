"""Case pages: apply, my cases, status page, staff queues, actions."""

from flask import Blueprint

bp = Blueprint("cases", __name__)
