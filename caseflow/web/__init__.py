"""The pages: their blueprints (``urls``), error pages (``errors``) and template helpers (``filters``).

One module per family of pages; each view parses its input, calls one
operation or query, and renders.
"""

from __future__ import annotations

from flask import Flask

from caseflow.web import errors, filters, urls


def init_app(app: Flask) -> None:
    for blueprint in urls.blueprints():
        app.register_blueprint(blueprint)
    errors.init_app(app)
    filters.init_app(app)
