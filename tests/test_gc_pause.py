"""The import's larger garbage-collection threshold (sheets/gc_pause.py): raised while any import runs, the
process's own thresholds back when the last one ends, also after an error."""

from __future__ import annotations

import gc

import pytest

from kooperationsgraph.sheets.gc_pause import THRESHOLDS, fewer_collections


def test_thresholds_are_raised_while_imports_run_and_restored_after_the_last() -> None:
    before = gc.get_threshold()
    assert before != THRESHOLDS
    with fewer_collections():
        assert gc.get_threshold() == THRESHOLDS
        with fewer_collections():  # a second import at the same time
            assert gc.get_threshold() == THRESHOLDS
        assert gc.get_threshold() == THRESHOLDS  # the first one still runs
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), fewer_collections():
        raise RuntimeError("an import that fails")
    assert gc.get_threshold() == before
