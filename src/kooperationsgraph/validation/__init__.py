"""Compliance checking with SHACL: DSGVO, Vergaberecht, Kartellrecht and data-quality rules
(``ontology/shapes/``), reports people can act on, report history and the ``validate`` command."""

from __future__ import annotations

from .engine import Options, validate, validate_files, validate_store
from .report import Finding, NormRef, Report

__all__ = ["Finding", "NormRef", "Options", "Report", "validate", "validate_files", "validate_store"]
