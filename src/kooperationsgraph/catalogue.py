"""The query catalogue: ``queries/*.rq`` files with a ``#+ key: value`` header. One module loads them for the
CLI, the web UI and the tests. Parameters are bound by a ``VALUES`` block inserted into the outermost
``WHERE`` group, from values that were validated and serialised as RDF terms — never by string formatting."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from .errors import InvalidParameter, QueryNotFound
from .namespaces import PREFIXES
from .sparql.terms import bind_values, is_iri

VIEWS = {"table", "bar", "network", "map"}
PARAM_TYPES = {"iri", "string", "integer", "date"}
_PNAME = re.compile(r"^([A-Za-z][\w-]*):([\w.-]*)$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    label: str


@dataclass(frozen=True)
class CatalogueQuery:
    id: str
    title: dict[str, str]
    description: dict[str, str]
    tags: tuple[str, ...]
    view: str
    params: tuple[Param, ...]
    text: str
    path: Path = field(compare=False)

    def term(self, param: Param, raw: str) -> Node:
        """Validate one value and return it as an RDF term."""
        if param.type == "iri":
            m = _PNAME.match(raw)
            if m and m.group(1) in PREFIXES:
                raw = PREFIXES[m.group(1)] + m.group(2)
            if not is_iri(raw):
                raise InvalidParameter(f"parameter {param.name!r} must be an IRI, got {raw[:200]!r}")
            return URIRef(raw)
        if param.type == "integer":
            if not re.fullmatch(r"-?\d{1,12}", raw):
                raise InvalidParameter(f"parameter {param.name!r} must be an integer, got {raw[:200]!r}")
            return Literal(int(raw))
        if param.type == "date":
            try:
                return Literal(date.fromisoformat(raw).isoformat(), datatype=XSD.date)
            except ValueError:
                raise InvalidParameter(f"parameter {param.name!r} must be a date YYYY-MM-DD, got {raw[:200]!r}") from None
        if len(raw) > 500:
            raise InvalidParameter(f"parameter {param.name!r} is too long")
        return Literal(raw)

    def bindings(self, values: dict[str, str] | None = None) -> dict[str, Node]:
        """Every parameter as a term (given value or default), for the store seam to bind."""
        values = dict(values or {})
        unknown = set(values) - {p.name for p in self.params}
        if unknown:
            raise InvalidParameter(f"unknown parameter(s) for {self.id}: {', '.join(sorted(unknown))}")
        out: dict[str, Node] = {}
        for p in self.params:
            raw = values.get(p.name) or p.default
            if raw is None:
                raise InvalidParameter(f"parameter {p.name!r} of {self.id} is required")
            out[p.name] = self.term(p, raw)
        return out

    def render(self, values: dict[str, str] | None = None) -> str:
        """The query text with every parameter bound by a VALUES block (for showing and copying a query;
        the application itself sends :attr:`text` with :meth:`bindings`)."""
        return bind_values(self.text, self.bindings(values))

    def as_json(self) -> dict[str, object]:
        return {"id": self.id, "title": self.title, "description": self.description, "tags": list(self.tags),
                "view": self.view, "query": self.text,
                "params": [{"name": p.name, "type": p.type, "default": p.default, "label": p.label}
                           for p in self.params]}


#: The application's own queries (pages, statistics, resilience): the same headers as the catalogue's.
APP_QUERIES = Path(__file__).resolve().parents[2] / "queries" / "app"


@cache
def app_query(name: str) -> str:
    """The text of one of the application's own queries, ``queries/app/<name>.rq`` (header checked)."""
    return parse_header(APP_QUERIES / f"{name}.rq").text


def parse_header(path: Path) -> CatalogueQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Param] = []
    for line in text.splitlines():
        if not line.startswith("#+"):
            continue
        key, _, value = line[2:].strip().partition(":")
        key, value = key.strip(), value.strip()
        if key == "param":
            # name type default label...
            parts = value.split(None, 3)
            if len(parts) < 2 or parts[1] not in PARAM_TYPES:
                raise ValueError(f"{path.name}: bad param line {value!r}")
            default = parts[2] if len(parts) > 2 and parts[2] != "-" else None
            params.append(Param(parts[0], parts[1], default, parts[3] if len(parts) > 3 else parts[0]))
        else:
            meta[key] = value
    missing = [k for k in ("id", "title_de", "title_en", "description_de", "description_en", "view") if k not in meta]
    if missing:
        raise ValueError(f"{path.name}: header lacks {', '.join(missing)}")
    if meta["view"] not in VIEWS:
        raise ValueError(f"{path.name}: view must be one of {sorted(VIEWS)}")
    return CatalogueQuery(
        id=meta["id"], title={"de": meta["title_de"], "en": meta["title_en"]},
        description={"de": meta["description_de"], "en": meta["description_en"]},
        tags=tuple(t.strip() for t in meta.get("tags", "").split(",") if t.strip()),
        view=meta["view"], params=tuple(params), text=text, path=path)


@dataclass
class Catalogue:
    queries: dict[str, CatalogueQuery]

    @classmethod
    def load(cls, directory: Path) -> Catalogue:
        qs = [parse_header(p) for p in sorted(Path(directory).glob("*.rq"))]
        return cls({q.id: q for q in qs})

    def get(self, query_id: str) -> CatalogueQuery:
        try:
            return self.queries[query_id]
        except KeyError:
            raise QueryNotFound(f"no catalogue query {query_id!r}; see `GET /queries`") from None

    def __iter__(self):
        return iter(self.queries.values())

    def __len__(self) -> int:
        return len(self.queries)
