"""Shared page machinery of the web UI: language choice (cookie), the message catalogue (i18n/*.json),
template helpers for labels and links, and the Content-Security-Policy header.

Links are made only for http(s) IRIs; IRIs in the project namespace map to this host's own paths, so
``https://w3id.org/kooperationsgraph/id/kooperation/trianel`` is served at ``/id/kooperation/trianel``.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from flask import Blueprint, Response, g, redirect, request
from rdflib import RDF
from rdflib.namespace import DCTERMS
from rdflib.term import Node, URIRef

from ..lang import LANGS
from ..namespaces import BASE, PREFIXES
from ..texts import messages
from .extensions import get_backend
from .labels import label_index

bp = Blueprint("ui", __name__)

COOKIE = "kg_lang"

#: CSP: everything from this origin only. 'unsafe-inline' for styles only, because YASGUI/CodeMirror,
#: Cytoscape and Mermaid set element styles and inject <style> at run time; no inline scripts, no eval.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; "
       "form-action 'self'; frame-ancestors 'none'")


def current_lang() -> str:
    """?lang= wins (and is stored by the after-request hook), then the cookie, then German."""
    if "kg_lang" in g:
        return g.kg_lang
    lang = request.args.get("lang") or request.cookies.get(COOKIE) or "de"
    g.kg_lang = lang if lang in LANGS else "de"
    return g.kg_lang


def t(key: str, **values: object) -> str:
    text = messages(current_lang()).get(key) or messages("de").get(key) or key
    return text.format(**values) if values else text


def count(n: object, noun: str) -> str:
    """A number with its noun in the right number: "1 Kooperation", "2 Kooperationen" (keys count.<noun>.one/many)."""
    try:
        one = int(str(n)) == 1
    except ValueError:
        one = False
    return t(f"count.{noun}.{'one' if one else 'many'}", n=n)


def severity(name: object, n: object | None = None) -> str:
    """A SHACL severity (Violation, Warning, Info) in the page language; with ``n`` singular or plural."""
    key = f"severity.{str(name).rsplit('#', 1)[-1]}"
    if n is not None and str(n) != "1":
        key += ".many"
    text = t(key)
    return str(name) if text == key else text


def script_json(data: object) -> str:
    """JSON safe inside <script type="application/json">: no <, > or & survive as characters."""
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def local_path(iri: str) -> str | None:
    """This host's path for a project IRI (``BASE`` → ``/``), else None."""
    return "/" + iri[len(BASE):] if iri.startswith(BASE) else None


def href(iri: object) -> str | None:
    """Where a link to ``iri`` should go: local path for project IRIs, the IRI itself for other http(s)
    IRIs, None for anything else (javascript:, mailto:, urn:, blank nodes, literals)."""
    if iri is None:
        return None
    text = str(iri)
    local = local_path(text)
    if local is not None:
        return local
    scheme = urlsplit(text).scheme.lower()
    return text if scheme in {"http", "https"} else None


def compact_iri(iri: str) -> str:
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(best) and ":" not in prefix:
            best = ns
            name = f"{prefix}:{iri[len(ns):]}"
    return name if best else iri


def label(node: Node | str | None) -> str:
    """Display label of a term in the current language (fallback German, English, prefixed name)."""
    if node is None:
        return ""
    if isinstance(node, URIRef) or (isinstance(node, str) and "://" in node):
        return label_index(get_backend()).label(str(node), current_lang()) or compact_iri(str(node))
    return str(node)


def definition(iri: str) -> str:
    return label_index(get_backend()).definition(iri, current_lang()) or ""


def lang_url(lang: str) -> str:
    return f"/lang/{lang}?next=" + (request.full_path.rstrip("?") if request else "/")


@bp.app_context_processor
def inject() -> dict[str, object]:
    lang = current_lang()
    other = "en" if lang == "de" else "de"
    return {"t": t, "lang": lang, "other_lang": other, "lang_switch_url": lang_url(other), "href": href,
            "label": label, "compact": compact_iri, "definition": definition, "count": count, "severity": severity,
            "rdf_type": RDF.type, "dcterms_source": DCTERMS.source}


@bp.get("/lang/<code>")
def switch_language(code: str) -> Response:
    nxt = request.args.get("next", "/")
    if not nxt.startswith("/") or nxt.startswith("//"):
        nxt = "/"
    resp = redirect(nxt, code=303)
    if code in LANGS:
        resp.set_cookie(COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax")
    return resp


@bp.after_app_request
def security_headers(resp: Response) -> Response:
    resp.headers.setdefault("Content-Security-Policy", CSP)
    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    resp.headers.setdefault("Referrer-Policy", "same-origin")
    lang = request.args.get("lang")
    if lang in LANGS and request.cookies.get(COOKIE) != lang:
        resp.set_cookie(COOKIE, lang, max_age=365 * 24 * 3600, samesite="Lax")
    return resp
