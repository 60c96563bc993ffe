"""caseflow: workflow and case management for an international relations office."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from caseflow import (
    activity,
    api,
    bodies,
    catalog,
    cli,
    database,
    models,  # noqa: F401  (every table)
    routing,
    security_headers,
    web,
)
from caseflow.accounts import auth, language
from caseflow.config import build_config
from caseflow.extensions import csrf, db, limiter, mail, migrate

ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    """Build the application: configuration, extensions, workflows, blueprints, CLI."""
    app = Flask(__name__, template_folder=str(ROOT / "templates"), instance_relative_config=True)
    app.config.update(build_config(app.instance_path, config))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    db.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    bodies.init_app(app)  # before the CSRF check, which reads the form
    csrf.init_app(app)
    limiter.init_app(app)
    if app.config["CASEFLOW_PROXY_HOPS"]:
        hops = app.config["CASEFLOW_PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    language.init_app(app)
    mail.init_app(app)
    auth.init_app(app)
    catalog.init_app(app)
    routing.init_app(app)
    security_headers.init_app(app)
    web.init_app(app)
    api.init_app(app)
    cli.init_app(app)
    activity.init_app(app)
    return app
