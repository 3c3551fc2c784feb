"""The languages of the project and the one fallback order for texts: the wanted language, then German (the
project's first language), then English, then a text without language tag, then any. Pages, labels, the
catalogue and the compliance report all choose their texts with :func:`pick`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

T = TypeVar("T")

LANGS = ("de", "en")
DEFAULT = "de"


def order(lang: str | None) -> tuple[str, ...]:
    """Language tags to try, best first (``""``: no tag).

    >>> order("en"), order("fr"), order(None)
    (('en', 'de', ''), ('fr', 'de', 'en', ''), ('de', 'en', ''))
    """
    seen: list[str] = []
    for tag in (lang or DEFAULT, DEFAULT, "en", ""):
        if tag not in seen:
            seen.append(tag)
    return tuple(seen)


def pick(by_lang: Mapping[str, T], lang: str | None) -> T | None:
    """The text for ``lang`` from a mapping language tag → text, by :func:`order`, else any.

    >>> pick({"en": "supply", "de": "Versorgung"}, "fr"), pick({"": "x"}, "en"), pick({}, "de")
    ('Versorgung', 'x', None)
    """
    for tag in order(lang):
        value = by_lang.get(tag)
        if value:
            return value
    return next(iter(by_lang.values()), None)


def pick_literal(literals: Iterable[T], lang: str | None) -> T | None:
    """The literal (anything with a ``language`` attribute) in the best language, by :func:`order`.

    >>> from rdflib import Literal
    >>> str(pick_literal([Literal("a", lang="en"), Literal("b", lang="de")], "fr"))
    'b'
    """
    by_lang: dict[str, T] = {}
    for lit in literals:
        by_lang.setdefault(getattr(lit, "language", None) or "", lit)
    return pick(by_lang, lang)
