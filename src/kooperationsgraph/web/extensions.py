"""Per-app resources (like flaskr's db.py): the store backend, opened once per app and shared by threads."""

from __future__ import annotations

from flask import Flask, current_app

from ..config import Settings
from ..store import Backend, open_store


def init_app(app: Flask) -> None:
    app.extensions["kg_backend"] = None


def settings() -> Settings:
    return current_app.config["KG_SETTINGS"]


def get_backend() -> Backend:
    backend = current_app.extensions.get("kg_backend")
    if backend is None:
        backend = open_store(settings())
        current_app.extensions["kg_backend"] = backend
    return backend
