"""The one SPARQL lexer of the project: a token stream in which strings, comments and IRIs are single tokens,
so a keyword inside a literal or an IRI is never mistaken for one. The screen (:mod:`.screen`), the binding
helper for remote servers (:mod:`.terms`) and the endpoint's form detection all read this stream."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w.:%-]|\\[^\s])*)
  | (?P<word>[^\W\d][\w-]*)
  | (?P<open>[{(\[])
  | (?P<close>[})\]])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
UNICODE_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int

    @property
    def keyword(self) -> str:
        return self.text.upper() if self.kind == "word" else ""


def tokens(text: str) -> Iterator[Token]:
    """SPARQL tokens without whitespace and comments.

    >>> [t.text for t in tokens('ASK { <a#b> ?p "x # y" } # c')]
    ['ASK', '{', '<a#b>', '?p', '"x # y"', '}']
    """
    pos, n = 0, len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        assert m is not None  # the "other" alternative matches any character
        kind = m.lastgroup or "other"
        if kind not in {"ws", "comment"}:
            yield Token(kind, m.group(), pos)
        pos = m.end()


def decode_escapes(text: str) -> str:
    r"""Decode SPARQL codepoint escapes (``\u0053`` → ``S``).

    >>> decode_escapes(r"\u0053ERVICE")
    'SERVICE'
    """

    def repl(m: re.Match[str]) -> str:
        code = int(m.group(1) or m.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else m.group()

    return UNICODE_ESCAPE.sub(repl, text)


def mask(text: str) -> str:
    """The text with IRIs, strings and comments blanked out, same length, so positions stay valid and a
    keyword inside a literal is never seen: IRIs keep their brackets (``<xxx>``), strings and comments become
    spaces.

    >>> mask('SELECT * FROM <http://g> { ?s ?p "FROM x" } # FROM')
    'SELECT * FROM <xxxxxxxx> { ?s ?p          }       '
    """
    out, pos, n = [], 0, len(text)
    while pos < n:
        m = _TOKEN.match(text, pos)
        assert m is not None
        kind, t = m.lastgroup, m.group()
        if kind == "iri":
            out.append("<" + "x" * (len(t) - 2) + ">")
        elif kind in {"string", "comment"}:
            out.append(" " * len(t))
        else:
            out.append(t)
        pos = m.end()
    return "".join(out)
