"""A word index over the search keys of the label index: every distinct word of every normalised label (and of
its transliterated form) with the entries it occurs in, built once with the label index.

Search (:meth:`.labels.LabelIndex.search`) matches a label when every query word is a substring of the label;
a query word has no non-word characters, so it can only occur inside one word of the label. The entries whose
words contain every query word are therefore a superset of the matches, found by scanning the vocabulary (tens
of thousands of words, one C-level ``str.find`` per hit) instead of every entry in Python.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence

#: A word of a normalised label (also :func:`.labels.words`).
WORD = re.compile(r"[^\W_]+")


class WordIndex:
    """Words → sorted entry positions. ``candidates`` gives the positions (ascending, as in the entry list) of the
    entries whose key or alternative key has, for every query word, a word containing it."""

    def __init__(self, keys: Iterable[tuple[str, str]]) -> None:
        postings: dict[str, list[int]] = {}
        n = 0
        for i, (key, alt) in enumerate(keys):
            n = i + 1
            ws = set(WORD.findall(key))
            if alt:
                ws.update(WORD.findall(alt))
            for w in ws:
                postings.setdefault(w, []).append(i)
        self.size = n
        self.vocab: list[str] = sorted(postings)
        self.postings: list[list[int]] = [postings[w] for w in self.vocab]
        self.starts: list[int] = []
        pos = 0
        for w in self.vocab:
            self.starts.append(pos)
            pos += len(w) + 1
        self.blob = "\n".join(self.vocab)  # words never contain "\n": a hit lies inside one word

    def words_containing(self, x: str) -> list[int]:
        """Positions in ``vocab`` of the words that contain ``x``, each once."""
        out: list[int] = []
        if not x:
            return out
        find, starts = self.blob.find, self.starts
        pos = find(x)
        while pos >= 0:
            wid = bisect_right(starts, pos) - 1
            out.append(wid)
            if wid + 1 >= len(starts):
                break
            pos = find(x, starts[wid + 1])
        return out

    def entries_containing(self, x: str) -> set[int]:
        found: set[int] = set()
        for wid in self.words_containing(x):
            found.update(self.postings[wid])
        return found

    def candidates(self, qwords: Sequence[str]) -> list[int]:
        """Entry positions, ascending, whose words contain every query word (a superset of the matches)."""
        if not qwords:
            return []
        sets = sorted((self.entries_containing(x) for x in set(qwords)), key=len)
        found = sets[0]
        for s in sets[1:]:
            found = found & s
            if not found:
                break
        return sorted(found)
