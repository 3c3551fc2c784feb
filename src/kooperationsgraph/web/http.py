"""HTTP helpers shared by the endpoints: CORS headers and the write-token check."""

from __future__ import annotations

import hmac

from flask import Response, abort, request

from .errors import error_response
from .extensions import settings

ROLES = ("contribute", "review")


def bearer_token() -> str:
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return auth[7:].strip()
    return (request.form.get("token") or "").strip() if request.method == "POST" and request.mimetype in {
        "application/x-www-form-urlencoded", "multipart/form-data"} else ""


def token_role(token: str) -> tuple[set[str], str]:
    """The roles a token carries and the name its changes are recorded under (never the token itself)."""
    s = settings()
    given = token.encode()
    if not given:
        return set(), ""
    if s.write_token and hmac.compare_digest(given, s.write_token.encode()):
        return {"contribute", "review"}, "write-token"
    for i, t in enumerate(s.review_tokens, 1):
        if hmac.compare_digest(given, t.encode()):
            return {"contribute", "review"}, f"reviewer-{i}"
    for i, t in enumerate(s.contribute_tokens, 1):
        if hmac.compare_digest(given, t.encode()):
            return {"contribute"}, f"contributor-{i}"
    return set(), ""


def authorised(role: str, what: str) -> tuple[Response | None, str]:
    """(None, who) when the request's token carries ``role``; otherwise (the 403 to send, "")."""
    s = settings()
    if not (s.write_token or s.contribute_tokens or s.review_tokens):
        return error_response(403, "read-only", f"{what} is disabled: this server is read-only. Start it with "
                              "--write-token TOKEN (or KG_WRITE_TOKEN, KG_CONTRIBUTE_TOKENS, KG_REVIEW_TOKENS) and "
                              "send 'Authorization: Bearer TOKEN'"), ""
    roles, who = token_role(bearer_token())
    if role not in roles:
        return error_response(403, "forbidden", f"{what} needs a token with the {role} role as "
                              "'Authorization: Bearer <token>'; the request has none or a wrong one"), ""
    return None, who


def authorised_write(what: str) -> Response | None:
    """None when the request carries the write token; otherwise the 403 to send."""
    token = settings().write_token
    if not token:
        return error_response(403, "read-only", f"{what} is disabled: this server is read-only. Start it with "
                              "--write-token TOKEN (or KG_WRITE_TOKEN) and send 'Authorization: Bearer TOKEN'")
    auth = request.headers.get("Authorization", "")
    if not auth.startswith("Bearer ") or not hmac.compare_digest(auth[7:].strip().encode(), token.encode()):
        return error_response(403, "forbidden", f"{what} needs the server's write token as "
                              "'Authorization: Bearer <token>'; the request has none or a wrong one")
    return None



def cors(resp: Response) -> Response:
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    resp.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept, Authorization, If-None-Match"
    resp.headers["Access-Control-Expose-Headers"] = "ETag, Server-Timing"
    resp.headers["Access-Control-Max-Age"] = "86400"
    return resp


#: RDF renderings by name → (media type, rdflib serializer); the first matching Accept entry wins.
RDF_RENDERINGS: dict[str, tuple[str, str]] = {
    "turtle": ("text/turtle", "turtle"),
    "ntriples": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdfxml": ("application/rdf+xml", "xml"),
}
FORMAT_ALIASES = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld", "json": "jsonld", "html": "html",
                  "rdf": "rdfxml", "xml": "rdfxml"}


def negotiate_rdf() -> str:
    """'html' or a key of RDF_RENDERINGS, from ?format= first, then Accept (HTML wins ties: browsers)."""
    fmt = request.args.get("format")
    if fmt:
        fmt = FORMAT_ALIASES.get(fmt.lower(), fmt.lower())
        if fmt == "html" or fmt in RDF_RENDERINGS:
            return fmt
        abort(406, f"unknown format {fmt!r}; use html, turtle, ntriples, jsonld or rdfxml")
    offers = ["text/html", *(m for m, _ in RDF_RENDERINGS.values())]
    best = request.accept_mimetypes.best_match(offers, default="text/html")
    for name, (media, _) in RDF_RENDERINGS.items():
        if best == media:
            return name
    return "html"
