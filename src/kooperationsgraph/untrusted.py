"""The one parse gate: RDF text from outside (uploads, Graph Store writes, ``validate FILE``, imports) is parsed
here and nowhere else.

* The size is capped before anything is parsed (``Settings.max_upload_bytes``).
* RDF/XML with a document type declaration is refused: DTDs bring entity definitions ("billion laughs") and
  external entities; RDF needs neither.
* The parser runs in a child process with an address-space cap (``Settings.parse_memory_mb``) and a time cap
  (``Settings.parse_timeout``); a parser that blows up takes down only that child.
* pyoxigraph's parsers are used (they keep lexical forms as written, fetch no remote JSON-LD context and
  follow no ``owl:imports``); the child hands back N-Quads, which the parent reads with the linear N-Quads
  parser.
* Errors name the source, line and column where the parser gives them.

Other files from outside (contributed spreadsheets) are read by :func:`read_untrusted`: the same size cap, the
reader (a module-level function of the caller, e.g. :mod:`.sheets.reader`) in a child process with the same
memory and time caps, plain values handed back.
"""

from __future__ import annotations

import multiprocessing as mp
import re
from dataclasses import dataclass

import pyoxigraph as ox

from .errors import KooperationsgraphError, RDFSyntaxError
from .limits import die_with_parent, limit_memory
from .rdfio import RdfFormatInfo, rdf_syntax_error


class UploadTooLarge(KooperationsgraphError):
    """An upload is larger than the configured cap (HTTP 413)."""


@dataclass(frozen=True)
class ParseLimits:
    max_bytes: int = 5_000_000
    memory_mb: int = 1024
    timeout: float = 30.0

    @classmethod
    def from_settings(cls, settings: object) -> ParseLimits:
        """Limits for uploads to the server."""
        return cls(getattr(settings, "max_upload_bytes", cls.max_bytes),
                   getattr(settings, "parse_memory_mb", cls.memory_mb),
                   getattr(settings, "parse_timeout", cls.timeout))

    @classmethod
    def for_files(cls, settings: object) -> ParseLimits:
        """Limits for local files named on the command line: no size cap, a larger memory cap, ten minutes."""
        return cls(1 << 40, max(8192, getattr(settings, "parse_memory_mb", cls.memory_mb)), 600.0)


_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)


def _position(data: bytes, offset: int) -> tuple[int, int]:
    line = data.count(b"\n", 0, offset) + 1
    return line, offset - (data.rfind(b"\n", 0, offset) + 1) + 1


def precheck(data: bytes, fmt: RdfFormatInfo, source: str, limits: ParseLimits) -> None:
    if len(data) > limits.max_bytes:
        raise UploadTooLarge(f"{source}: {len(data):,} bytes; this server parses at most {limits.max_bytes:,} bytes")
    if fmt.name == "rdfxml":
        m = _DOCTYPE.search(data)
        if m:
            line, col = _position(data, m.start())
            raise RDFSyntaxError(source, "RDF/XML with a document type declaration (DTD, <!ENTITY …>) is refused: "
                                 "entities are not needed for RDF and can blow up or read files; write the IRIs "
                                 "out in full", line, col)


def _child(conn: object, data: bytes, fmt_name: str, base_iri: str | None, memory_mb: int) -> None:  # pragma: no cover
    try:
        die_with_parent()
        limit_memory(memory_mb)
        fmt = getattr(ox.RdfFormat, fmt_name)
        # streamed from the parser to the writer (triples become default-graph quads), without a store or a
        # list of Python objects: lexical forms stay exactly as written
        nquads = ox.serialize(ox.parse(data, fmt, base_iri=base_iri), format=ox.RdfFormat.N_QUADS)
        conn.send(("ok", nquads, None, None))  # type: ignore[attr-defined]
    except SyntaxError as exc:
        conn.send(("syntax", getattr(exc, "msg", None) or str(exc), getattr(exc, "lineno", None),  # type: ignore[attr-defined]
                   getattr(exc, "offset", None)))
    except MemoryError:
        conn.send(("memory", "", None, None))  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - any parser error goes back as a message
        conn.send(("error", f"{exc}", None, None))  # type: ignore[attr-defined]


def parse_untrusted(data: bytes | str, fmt: RdfFormatInfo, source: str, *, limits: ParseLimits | None = None,
                    base_iri: str | None = None, graph: str | None = None) -> list[ox.Quad]:
    """Parse RDF from outside in a limited child process; triples go into ``graph`` (default graph if None)."""
    nquads = _parse_in_child(data, fmt, source, limits, base_iri)
    target = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    out: list[ox.Quad] = []
    for q in ox.parse(nquads, ox.RdfFormat.N_QUADS):
        g = q.graph_name if fmt.quads and not isinstance(q.graph_name, ox.DefaultGraph) else target
        out.append(ox.Quad(q.subject, q.predicate, q.object, g))
    return out


def load_untrusted(store: ox.Store, data: bytes | str, fmt: RdfFormatInfo, source: str, *,
                   limits: ParseLimits | None = None, base_iri: str | None = None, graph: str | None = None) -> None:
    """Like :func:`parse_untrusted`, but the child's N-Quads go straight into ``store`` (read in Rust, no list
    of Python quads): the same quads, for a store that takes all of them (validating a file)."""
    nquads = _parse_in_child(data, fmt, source, limits, base_iri)
    # named graphs (quad formats) stay; default-graph quads (all of a triple format's) go into ``graph``
    if graph:
        store.load(nquads, ox.RdfFormat.N_QUADS, to_graph=ox.NamedNode(graph))
    else:
        store.load(nquads, ox.RdfFormat.N_QUADS)


def _parse_in_child(data: bytes | str, fmt: RdfFormatInfo, source: str, limits: ParseLimits | None,
                    base_iri: str | None) -> bytes:
    """The parse gate proper: caps, the child process, errors with source, line and column; returns N-Quads."""
    limits = limits or ParseLimits()
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    precheck(raw, fmt, source, limits)
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, raw, _format_name(fmt), base_iri, limits.memory_mb),
                       daemon=True, name="kg-parse")
    proc.start()
    child.close()
    try:
        if not parent.poll(limits.timeout):
            raise RDFSyntaxError(source, f"parsing took longer than {limits.timeout:g} s and was stopped")
        try:
            status, message, line, col = parent.recv()
        except (EOFError, OSError):
            raise RDFSyntaxError(source, f"the parser stopped on this input (it needed more than "
                                 f"{limits.memory_mb} MB or crashed); nothing was stored") from None
    finally:
        proc.kill()
        proc.join(5)
        parent.close()
    if status == "syntax":
        if line is None:
            return _raise_syntax(source, message)
        raise RDFSyntaxError(source, message, line, col)
    if status == "memory":
        raise RDFSyntaxError(source, f"parsing needed more than {limits.memory_mb} MB; nothing was stored")
    if status != "ok":
        raise RDFSyntaxError(source, message)
    return message


def _raise_syntax(source: str, message: str) -> list[ox.Quad]:
    raise rdf_syntax_error(source, SyntaxError(message))


def _format_name(fmt: RdfFormatInfo) -> str:
    for name in ("TURTLE", "N_TRIPLES", "N_QUADS", "TRIG", "RDF_XML", "JSON_LD", "N3"):
        if getattr(ox.RdfFormat, name) == fmt.ox_format:
            return name
    raise ValueError(f"no pyoxigraph format for {fmt.name}")


# ------------------------------------------------------------------------------------------ other formats
class UntrustedInputError(KooperationsgraphError):
    """A file from outside (e.g. a spreadsheet) that cannot be read safely; the message says why."""


def _run_child(conn: object, target: object, payload: bytes, memory_mb: int) -> None:  # pragma: no cover
    try:
        die_with_parent()
        limit_memory(memory_mb)
        conn.send(("ok", target(payload)))  # type: ignore[attr-defined,operator]
    except MemoryError:
        conn.send(("memory", ""))  # type: ignore[attr-defined]
    except UntrustedInputError as exc:
        conn.send(("error", str(exc)))  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - any reader error goes back as a message
        conn.send(("error", f"{type(exc).__name__}: {exc}"))  # type: ignore[attr-defined]


def read_untrusted(payload: bytes, target: object, source: str, *, limits: ParseLimits | None = None) -> object:
    """Run ``target(payload)`` (a module-level function that reads a non-RDF file from outside, e.g. a
    spreadsheet, and returns plain picklable data) in a child process with the memory and time caps of
    ``limits``, after the size cap. A reader that blows up (a zip bomb, a crash) takes down only the child."""
    limits = limits or ParseLimits()
    if len(payload) > limits.max_bytes:
        raise UploadTooLarge(f"{source}: {len(payload):,} bytes; at most {limits.max_bytes:,} bytes are read")
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_run_child, args=(child, target, payload, limits.memory_mb), daemon=True,
                       name="kg-read")
    proc.start()
    child.close()
    try:
        if not parent.poll(limits.timeout):
            raise UntrustedInputError(f"{source}: reading took longer than {limits.timeout:g} s and was stopped")
        try:
            status, result = parent.recv()
        except (EOFError, OSError):
            raise UntrustedInputError(f"{source}: the reader stopped on this file (it needed more than "
                                      f"{limits.memory_mb} MB or crashed); nothing was imported") from None
    finally:
        proc.kill()
        proc.join(5)
        parent.close()
    if status == "memory":
        raise UntrustedInputError(f"{source}: reading needed more than {limits.memory_mb} MB; nothing was imported")
    if status != "ok":
        raise UntrustedInputError(f"{source}: {result}")
    return result
