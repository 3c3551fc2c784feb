"""Flask app factory: one blueprint per page family; configuration passed in, never read at import time."""

from __future__ import annotations

from flask import Blueprint, Flask

from ..config import Settings
from . import extensions


def blueprints() -> list[Blueprint]:
    """Every blueprint, in registration order; explicit imports, so a missing module fails loudly."""
    from . import ui
    from .pages import (
        browse,
        catalog,
        changes,
        contribute,
        graphstore,
        home,
        lists,
        network,
        ontology_docs,
        queries,
        query_api,
        query_ui,
        resilience,
        search,
        sparql,
        validate,
        void,
    )

    return [m.bp for m in (home, sparql, graphstore, void, catalog, queries, browse, ui, search, lists, network,
                           ontology_docs, query_ui, query_api, validate, resilience, contribute, changes)]


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
    for bp in blueprints():
        app.register_blueprint(bp)
    from .errors import register_error_handlers

    register_error_handlers(app)
    return app
