"""What the converters in tools/ share: where the shared source data lives, CSV reading, a graph with the
project's prefixes, and the one slug rule for IRIs made from names. Each converter stays a script
(``python tools/import_x.py``); this module sits beside them on ``sys.path``."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

from rdflib import Graph, Namespace

REPO = Path(__file__).resolve().parents[1]
FALLBACK_SHARED = Path("/work/shared/data")
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def find_shared(arg: str | None) -> Path:
    """The folder with the source files: the argument, else ``../shared/data`` beside the checkout."""
    if arg:
        return Path(arg)
    candidate = (REPO / ".." / "shared" / "data").resolve()
    return candidate if candidate.is_dir() else FALLBACK_SHARED


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def new_graph(prefixes: dict[str, Namespace]) -> Graph:
    """An empty graph that binds exactly the given prefixes (no rdflib defaults)."""
    g = Graph(bind_namespaces="none")
    for prefix, ns in prefixes.items():
        g.bind(prefix, ns, override=True, replace=True)
    return g


def slug(text: str, limit: int | None = None, empty: str = "") -> str:
    """Lower-case ASCII words joined by hyphens, German umlauts spelled out.

    >>> slug("Stadtwerke München GmbH"), slug("Ärztehaus", 4), slug("§", empty="unbenannt")
    ('stadtwerke-muenchen-gmbh', 'aerz', 'unbenannt')
    """
    s = unicodedata.normalize("NFKD", text.lower().translate(_UMLAUTS)).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return (s[:limit] if limit else s) or empty
