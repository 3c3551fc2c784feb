"""Build the embedded store from ontology/ + data/: one named graph per file, derived triples (rules in
``ontology/rules/*.rq``) and inferred triples (OWL reasoner) each in their own named graph. The store is
rebuilt only when an input changed, and built aside then swapped in, so a failed build loses nothing."""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox

from .. import __version__
from ..config import Settings
from ..errors import RDFSyntaxError
from ..namespaces import INFERRED_GRAPH, KG, META_GRAPH, graph_iri_for
from ..rdfio import format_for_path, parse_quads, rdf_syntax_error
from .derive import derive, load_rules
from .embedded import VERSION_FILE, forget_store

BUILD_INFO = "BUILD.json"


@dataclass(frozen=True)
class InputFile:
    path: Path
    relative: str
    graph: str


@dataclass
class BuildReport:
    rebuilt: bool
    fingerprint: str
    triples: int = 0
    graphs: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    inferred: int = 0
    derived: int = 0
    notes: list[str] = field(default_factory=list)
    #: file → {earlier file that already holds the triple: count} (each triple is kept in one graph only)
    repeats: dict[str, dict[str, int]] = field(default_factory=dict)
    #: seconds per phase (load, derive, reason, write), for the bench and the build report
    phases: dict[str, float] = field(default_factory=dict)


def input_files(settings: Settings) -> list[InputFile]:
    """RDF files of ontology/ and data/ (not data/examples/: fictional cases never mix with the facts)."""
    root = settings.root
    found: list[InputFile] = []
    for base in (settings.ontology_dir, settings.data_dir):
        for p in sorted(base.rglob("*")):
            if not p.is_file() or format_for_path(p) is None:
                continue
            rel = p.relative_to(root).as_posix()
            if rel.startswith("data/examples/"):
                continue
            found.append(InputFile(p, rel, graph_iri_for(rel)))
    return found


def rule_files(settings: Settings) -> list[Path]:
    return sorted((settings.ontology_dir / "rules").glob("*.rq"))


def fingerprint(files: list[InputFile], rules: list[Path], reason: bool) -> str:
    h = hashlib.sha256(f"kooperationsgraph {__version__} reason={reason}\n".encode())
    for f in files:
        h.update(f.relative.encode() + b"\0" + f.path.read_bytes() + b"\0")
    for r in rules:
        h.update(r.name.encode() + b"\0" + r.read_bytes() + b"\0")
    return h.hexdigest()


def is_current(settings: Settings, fp: str) -> bool:
    info = settings.store_dir / BUILD_INFO
    if not info.exists() or not (settings.store_dir / VERSION_FILE).exists():
        return False
    try:
        return json.loads(info.read_text()).get("fingerprint") == fp
    except (OSError, ValueError):
        return False


#: Triples held by two graphs (after every file is loaded): the later files' copies are removed.
REPEATED = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } GRAPH ?h { ?s ?p ?o } FILTER(?g != ?h) }"
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
#: Inputs up to this size (bytes) are built in memory and written to disk in one bulk write (about 1.8 GiB of
#: memory for 1.8 M quads); larger inputs are loaded, deduplicated and derived in the on-disk store itself.
MEMORY_BUILD_MAX_BYTES = 150_000_000


def load_files(store: ox.Store, files: list[InputFile],
               repeats: dict[str, dict[str, int]] | None = None) -> dict[str, int]:
    """Load every file into its graph with the store's bulk loader (trusted inputs of the build: the store is
    built aside, so a syntax error, raised as RDFSyntaxError with file:line:col, leaves nothing behind).

    Each asserted triple is kept in one graph only, the first file's (in path order), so the union default
    graph of ``/sparql`` is a set and ``COUNT(*)`` counts each triple once; ``repeats`` records, per file,
    how many of its triples an earlier file already holds (file → {earlier file: count}, in the build report).
    Blank nodes are per file (the bulk loader names them afresh), so a triple with a blank node never repeats."""
    rank: dict[str, int] = {}
    owner_file: dict[str, str] = {}
    for i, f in enumerate(files):
        fmt = format_for_path(f.path)
        assert fmt is not None
        graphs = [f.graph]
        if fmt.quads:  # named graphs inside TriG / N-Quads keep their names; their default graph is the file's
            quads = parse_quads(None, fmt, f.relative, path=f.path, graph=f.graph)
            graphs += sorted({q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)})
            store.extend(quads)
        else:
            try:
                store.bulk_load(path=str(f.path), format=fmt.ox_format, to_graph=ox.NamedNode(f.graph))
            except SyntaxError as exc:
                raise rdf_syntax_error(f.relative, exc) from None
            except ValueError as exc:  # e.g. invalid IRI or encoding
                raise RDFSyntaxError(f.relative, str(exc)) from None
        for g in graphs:
            rank.setdefault(g, i)
            owner_file.setdefault(g, f.relative)
    held: dict[tuple[object, object, object], set[str]] = {}
    for sol in store.query(REPEATED):  # type: ignore[union-attr]
        held.setdefault((sol["s"], sol["p"], sol["o"]), set()).add(sol["g"].value)
    for (s, p, o), graphs in held.items():
        first, *later = sorted(graphs, key=lambda g: (rank.get(g, len(files)), g))
        for g in later:
            store.remove(ox.Quad(s, p, o, ox.NamedNode(g)))  # type: ignore[arg-type]
            if repeats is not None:
                mine = repeats.setdefault(owner_file.get(g, g), {})
                mine[owner_file.get(first, first)] = mine.get(owner_file.get(first, first), 0) + 1
    sizes = {sol["g"].value: int(sol["n"].value) for sol in store.query(GRAPH_SIZES)}  # type: ignore[union-attr]
    return {f.graph: sizes.get(f.graph, 0) for f in files}


def fresh_quads(store: ox.Store, quads: list[ox.Quad]) -> list[ox.Quad]:
    """The quads whose triple no graph of the store holds yet (inferred triples that repeat asserted ones
    are left out, for the same reason as in :func:`load_files`)."""
    seen: set[tuple[object, object, object]] = set()
    out = []
    for q in quads:
        key = (q.subject, q.predicate, q.object)
        if key in seen or next(iter(store.quads_for_pattern(*key, None)), None) is not None:
            continue
        seen.add(key)
        out.append(q)
    return out


def apply_rules(store: ox.Store, rules: list[Path], *, bulk: bool = False) -> int:
    """Run each CONSTRUCT rule over the union of all graphs; insert into the derived graph what no graph holds
    yet (to a fixpoint, semi-naively: :mod:`.derive`). So the derived graph never repeats an asserted triple,
    and the union default graph of ``/sparql`` stays a set: ``COUNT(*)`` counts each triple once."""
    return derive(store, load_rules(rules), bulk=bulk)


def write_meta(store: ox.Store, fp: str, counts: dict[str, int]) -> None:
    g = ox.NamedNode(META_GRAPH)
    s = ox.NamedNode(META_GRAPH + "#build")
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    store.extend([
        ox.Quad(s, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                ox.NamedNode("http://www.w3.org/ns/prov#Activity"), g),
        ox.Quad(s, ox.NamedNode(str(KG) + "fingerprint"), ox.Literal(fp), g),
        ox.Quad(s, ox.NamedNode("http://www.w3.org/ns/prov#endedAtTime"),
                ox.Literal(now, datatype=ox.NamedNode(xsd + "dateTime")), g),
        ox.Quad(s, ox.NamedNode(str(KG) + "softwareVersion"), ox.Literal(__version__), g),
    ])


def build(settings: Settings, *, force: bool = False, reason: bool | None = None,
          reasoner: Callable[[Settings, ox.Store], tuple[list[ox.Quad], list[str]]] | None = None,
          in_memory: bool | None = None) -> BuildReport:
    """Build (or keep) the embedded store. Returns what was done. ``in_memory``: load and derive in memory,
    then write the store in one bulk write (default: when the inputs are at most MEMORY_BUILD_MAX_BYTES)."""
    t0 = time.perf_counter()
    reason = settings.reason_on_build if reason is None else reason
    files, rules = input_files(settings), rule_files(settings)
    fp = fingerprint(files, rules, reason)
    if not force and is_current(settings, fp):
        return BuildReport(rebuilt=False, fingerprint=fp)
    target = settings.store_dir
    tmp = target.with_name(target.name + ".new")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    report = BuildReport(rebuilt=True, fingerprint=fp)
    load_rules(rules)  # parsed (and cached) before the store is opened: see derive.analyse
    if in_memory is None:
        in_memory = sum(f.path.stat().st_size for f in files) <= MEMORY_BUILD_MAX_BYTES
    phases = report.phases

    def phase(name: str, since: float) -> float:
        now = time.perf_counter()
        phases[name] = round(now - since, 3)
        return now

    try:
        # A store nobody reads yet: bulk writes throughout. Queries over an in-memory store are several times
        # faster than over RocksDB files just bulk-written, so the rules run in memory when the input fits.
        store = ox.Store() if in_memory else ox.Store(str(tmp))
        t = time.perf_counter()
        report.graphs = load_files(store, files, report.repeats)
        t = phase("load", t)
        report.derived = apply_rules(store, rules, bulk=True)
        t = phase("derive", t)
        if reason:
            if reasoner is None:
                from ..reasoning import infer_into_quads

                reasoner = infer_into_quads
            quads, notes = reasoner(settings, store)
            quads = fresh_quads(store, [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(INFERRED_GRAPH))
                                        for q in quads])
            store.extend(quads)
            report.inferred = len(quads)
            report.notes.extend(notes)
            t = phase("reason", t)
        write_meta(store, fp, report.graphs)
        if in_memory:
            disk = ox.Store(str(tmp))
            disk.bulk_extend(store)
            del store
            store = disk
        store.flush()
        report.triples = len(store)
        phase("write", t)
        del store
    except (RDFSyntaxError, Exception):
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    (tmp / VERSION_FILE).write_text(fp[:16] + "+0\n")
    (tmp / BUILD_INFO).write_text(json.dumps({"fingerprint": fp, "triples": report.triples,
                                              "graphs": report.graphs, "repeats": report.repeats,
                                              "phases": report.phases}, indent=1))
    forget_store(target)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    report.seconds = time.perf_counter() - t0
    return report
