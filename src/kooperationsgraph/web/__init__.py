"""Flask app factory: one blueprint per page family; configuration passed in, never read at import time."""

from __future__ import annotations

import importlib

from flask import Flask

from ..config import Settings
from . import extensions

#: Blueprint modules, registered in this order when importable (each module exposes ``bp``).
BLUEPRINTS = (
    "kooperationsgraph.web.home",
    "kooperationsgraph.web.sparql",
    "kooperationsgraph.web.graphstore",
    "kooperationsgraph.web.void",
    "kooperationsgraph.web.queries",
    "kooperationsgraph.web.validate",
    "kooperationsgraph.web.browse",
    "kooperationsgraph.web.ui",
    "kooperationsgraph.web.search",
    "kooperationsgraph.web.lists",
    "kooperationsgraph.web.network",
    "kooperationsgraph.web.ontology_docs",
    "kooperationsgraph.web.query_ui",
    "kooperationsgraph.web.validate_ui",
)


def create_app(settings: Settings | None = None, test_config: dict[str, object] | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        KG_SETTINGS=settings,
        MAX_CONTENT_LENGTH=max(settings.max_upload_bytes, settings.max_query_length) + 64 * 1024,
        JSON_AS_ASCII=False,
    )
    if test_config:
        app.config.update(test_config)
    extensions.init_app(app)
    for name in BLUEPRINTS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        app.register_blueprint(module.bp)
    from .errors import register_error_handlers

    register_error_handlers(app)
    return app
