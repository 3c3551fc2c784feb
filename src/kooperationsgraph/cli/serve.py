"""``serve``: the web app and /sparql with waitress."""

from __future__ import annotations

import argparse

from .. import __version__
from ..config import Settings
from .common import Command


def _cfg_serve(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--threads", type=int, default=8, help="WSGI worker threads (concurrent readers)")
    p.add_argument("--write-token", help="enable SPARQL Update / Graph Store writes with this Bearer token "
                                         "(or set KG_WRITE_TOKEN)")
    p.add_argument("--contribute-token", action="append", default=[],
                   help="a token of the contribute role (may submit change sets; repeatable; or KG_CONTRIBUTE_TOKENS)")
    p.add_argument("--review-token", action="append", default=[],
                   help="a token of the review role (may accept/reject; repeatable; or KG_REVIEW_TOKENS)")
    p.add_argument("--auto-accept", action="store_true",
                   help="apply a write that passes the guard at once when its token has the review role")
    p.add_argument("--endpoint", help="serve from a remote SPARQL endpoint instead of the embedded store")
    p.add_argument("--update-endpoint", help="SPARQL Update endpoint of the remote server")
    p.add_argument("--timeout", type=float, help="query timeout in seconds (default 30)")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import waitress

    from ..web import create_app

    changes: dict[str, object] = {}
    if args.write_token:
        changes["write_token"] = args.write_token
    if args.contribute_token:
        changes["contribute_tokens"] = tuple(args.contribute_token)
    if args.review_token:
        changes["review_tokens"] = tuple(args.review_token)
    if args.auto_accept:
        changes["auto_accept"] = True
    if args.endpoint:
        changes.update(backend="remote", endpoint=args.endpoint, update_endpoint=args.update_endpoint)
    if args.timeout:
        changes["query_timeout"] = args.timeout
    app = create_app(settings.with_(**changes) if changes else settings)
    print(f"kooperationsgraph {__version__} serving on http://{args.host}:{args.port}/", flush=True)
    waitress.serve(app, host=args.host, port=args.port, threads=args.threads, ident="kooperationsgraph",
                   max_request_body_size=max(settings.max_upload_bytes, settings.max_query_length) * 2)
    return 0


COMMANDS = [
    Command("serve", "serve the web app and /sparql with a production WSGI server (waitress)", _cfg_serve, cmd_serve),
]
