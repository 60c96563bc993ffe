"""Login, logout, sign-up and the admin's account pages."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
