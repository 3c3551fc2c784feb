"""The one message catalogue of the project: ``i18n/<lang>.json`` holds every word of the web UI and of the
compliance report (keys ``report.*``), so a term is translated once and the CLI letter, the HTML report and
the pages say the same. Rule texts, labels and definitions are data in the graph, not here."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from .lang import DEFAULT, LANGS

I18N_DIR = Path(__file__).with_name("i18n")


@lru_cache(maxsize=len(LANGS))
def messages(lang: str) -> dict[str, str]:
    """All messages of one language (an unknown language gets the default's).

    >>> messages("en")["report.norm"], messages("de")["report.norm"]
    ('Legal basis', 'Rechtsgrundlage')
    """
    name = lang if lang in LANGS else DEFAULT
    return json.loads((I18N_DIR / f"{name}.json").read_text(encoding="utf-8"))
