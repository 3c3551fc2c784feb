"""The workbook's shape, read from the spreadsheet profile (``profile.ttl``, SHACL node and property shapes) and
the ontology: one :class:`Sheet` per kind, one :class:`Column` per property with its German and English label,
definition, datatype or range, pick-list and whether it is required. Nothing here repeats a label or a code
list in Python: it all comes from the Turtle files."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SH, SKOS
from rdflib.term import Node

from ..config import Settings
from ..namespaces import PREFIXES, SHAPES

PROFILE = Path(__file__).with_name("profile.ttl")
KGV = "https://w3id.org/kooperationsgraph/vorlage#"
DATE_TYPES = (str(XSD.date), str(XSD.gYearMonth), str(XSD.gYear))


@dataclass(frozen=True)
class Choice:
    """One entry of a pick-list: the term and its labels (the German label is what the cell shows)."""

    term: URIRef
    de: str
    en: str
    notation: str = ""


@dataclass
class Column:
    key: str  # stable machine key in header row 3, e.g. "rdfs:label@de", "kg:sektor"
    path: URIRef
    lang: str | None
    label_de: str
    label_en: str
    definition_de: str
    definition_en: str
    required: bool
    rule: str | None
    multi: bool
    kind: str  # text | iri | literal | ref | type | source
    datatypes: tuple[str, ...] = ()
    range: URIRef | None = None
    choices: list[Choice] = field(default_factory=list)

    @property
    def listed(self) -> bool:
        """True when the cell must be one of the pick-list entries (a closed code list)."""
        return bool(self.choices)


@dataclass
class Sheet:
    name: str
    name_en: str
    cls: URIRef
    slug: str
    fixed_type: URIRef | None
    columns: list[Column]

    def column(self, key: str) -> Column | None:
        by_key = self.__dict__.get("_by_key")
        if by_key is None or len(by_key) != len(self.columns):
            by_key = self.__dict__["_by_key"] = {}
            for c in self.columns:
                by_key.setdefault(c.key, c)
        return by_key.get(key)


@dataclass
class Profile:
    sheets: list[Sheet]
    context: Graph  # ontology + vocabularies (labels of classes and concepts)

    def sheet(self, name: str) -> Sheet | None:
        for s in self.sheets:
            if s.name.casefold() == name.casefold() or s.name_en.casefold() == name.casefold():
                return s
        return None


def compact(iri: str) -> str:
    for prefix, ns in (("rdf", str(RDF)), ("rdfs", str(RDFS)), ("foaf", "http://xmlns.com/foaf/0.1/"),
                       *PREFIXES.items()):
        if iri.startswith(ns) and iri[len(ns):] and "/" not in iri[len(ns):] and "#" not in iri[len(ns):]:
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _lang(g: Graph, s: Node, p: URIRef, lang: str) -> str:
    fallback = ""
    for o in g.objects(s, p):
        if isinstance(o, Literal):
            if o.language == lang:
                return str(o)
            if not fallback and (o.language in (None, "de")):
                fallback = str(o)
    return fallback


def _subclasses(g: Graph, cls: URIRef) -> list[URIRef]:
    found = {c for c in g.transitive_subjects(RDFS.subClassOf, cls) if isinstance(c, URIRef)}
    return sorted(found, key=str)


def _choices(g: Graph, terms: list[URIRef]) -> list[Choice]:
    out = [Choice(t, _lang(g, t, RDFS.label, "de") or _lang(g, t, SKOS.prefLabel, "de") or compact(str(t)),
                  _lang(g, t, RDFS.label, "en") or _lang(g, t, SKOS.prefLabel, "en"),
                  str(g.value(t, SKOS.notation) or "")) for t in terms]
    return sorted(out, key=lambda c: c.de.casefold())


def _kind_and_types(g: Graph, shape: Node, path: URIRef) -> tuple[str, tuple[str, ...], URIRef | None]:
    if path == RDF.type:
        return "type", (), None
    if path == DCTERMS.source:
        return "source", (), None
    if g.value(shape, SH.nodeKind) == SH.IRI:
        return "iri", (), None
    cls = g.value(shape, SH["class"])
    if isinstance(cls, URIRef):
        return "ref", (), cls
    dt = g.value(shape, SH.datatype)
    if isinstance(dt, URIRef):
        return ("text" if dt == XSD.string else "literal"), (str(dt),), None
    rng = g.value(path, RDFS.range)
    if isinstance(rng, URIRef) and str(rng).startswith(str(XSD)):
        return ("text" if rng == XSD.string else "literal"), (str(rng),), None
    expected = [str(o) for o in g.objects(path, SHAPES.erwarteterDatentyp)]
    if expected:
        return "literal", tuple(t for t in DATE_TYPES if t in expected) or tuple(sorted(expected)), None
    if isinstance(rng, URIRef) and (path, RDF.type, OWL.ObjectProperty) in g:
        return "ref", (), rng
    return "text", (), None


def build_profile(profile: Graph, context: Graph) -> Profile:
    g = profile + context
    sheets: list[Sheet] = []
    node_shapes = sorted(profile.subjects(RDF.type, SH.NodeShape), key=lambda s: int(profile.value(s, SH.order) or 0))
    for ns in node_shapes:
        cls = profile.value(ns, SH.targetClass)
        assert isinstance(cls, URIRef)
        columns: list[Column] = []
        props = sorted(profile.objects(ns, SH.property), key=lambda p: int(profile.value(p, SH.order) or 0))
        for ps in props:
            path = profile.value(ps, SH.path)
            assert isinstance(path, URIRef)
            langs = profile.value(ps, SH.languageIn)
            lang = str(next(iter(Collection(profile, langs)))) if langs is not None else None
            kind, types, rng = _kind_and_types(g, ps, path)
            if lang:
                kind = "text"
            key = compact(str(path)) + (f"@{lang}" if lang else "")
            rule = profile.value(ps, URIRef(KGV + "rule"))
            label_de = _lang(profile, ps, SH.name, "de") or _lang(g, path, RDFS.label, "de") or compact(str(path))
            label_en = _lang(profile, ps, SH.name, "en") or _lang(g, path, RDFS.label, "en") or label_de
            col = Column(
                key=key, path=path, lang=lang, label_de=label_de, label_en=label_en,
                definition_de=_lang(profile, ps, SH.description, "de") or _lang(g, path, SKOS.definition, "de"),
                definition_en=_lang(profile, ps, SH.description, "en") or _lang(g, path, SKOS.definition, "en"),
                required=int(profile.value(ps, SH.minCount) or 0) >= 1,
                rule=str(g.value(rule, DCTERMS.identifier) or compact(str(rule))) if rule is not None else None,
                multi=bool(profile.value(ps, URIRef(KGV + "multi"))),
                kind=kind, datatypes=types, range=rng,
            )
            if kind == "type":
                col.choices = _choices(g, [c for c in _subclasses(g, cls) if c != cls] or [cls])
            elif kind == "ref" and rng is not None:
                classes = {rng, *_subclasses(g, rng)}
                members = sorted({s for c in classes for s in g.subjects(RDF.type, c) if isinstance(s, URIRef)}, key=str)
                if members and rng not in _OPEN_RANGES:
                    col.choices = _choices(g, members)
            elif kind == "literal" and types == (str(XSD.boolean),):
                col.choices = [Choice(URIRef(str(XSD.boolean) + "#true"), "ja", "yes"),
                               Choice(URIRef(str(XSD.boolean) + "#false"), "nein", "no")]
            columns.append(col)
        fixed = profile.value(ns, URIRef(KGV + "fixedType"))
        sheets.append(Sheet(_lang(profile, ns, RDFS.label, "de"), _lang(profile, ns, RDFS.label, "en"), cls,
                            str(profile.value(ns, URIRef(KGV + "slug"))),
                            fixed if isinstance(fixed, URIRef) else None, columns))
    return Profile(sheets, context)


#: Ranges whose members are entities of the store (matched by IRI, label or ARS), not a closed code list.
_OPEN_RANGES = {URIRef(PREFIXES["kg"] + n) for n in ("Akteur", "Kooperation", "Vereinbarung", "Verwaltungseinheit",
                                                     "Versorgungskrise")}


def context_files(settings: Settings) -> list[Path]:
    files = sorted(settings.ontology_dir.glob("*.ttl")) + sorted((settings.data_dir / "vokabular").glob("*.ttl"))
    files += [settings.ontology_dir / "shapes" / "structure.ttl"]
    return [f for f in files if f.is_file()]


@lru_cache(maxsize=4)
def _cached(stamp: tuple[tuple[str, float], ...]) -> Profile:
    profile = Graph().parse(PROFILE, format="turtle")
    context = Graph()
    for path, _ in stamp[1:]:
        context.parse(path, format="turtle")
    return build_profile(profile, context)


def load_profile(settings: Settings) -> Profile:
    """The profile, cached per process until a file changes, and between processes in ``var/cache``
    (:mod:`.profile_cache`; parsing the Turtle files is half a second of every import)."""
    from .profile_cache import cached_profile

    files = [PROFILE, *context_files(settings)]
    stamp = tuple((str(f), f.stat().st_mtime) for f in files)
    return cached_profile(settings.var_dir / "cache", stamp, _cached, code=Path(__file__))
