"""The one writer of cache files (cachefile.py): whole files only, best effort."""

from __future__ import annotations

from pathlib import Path

from kooperationsgraph import cachefile


def test_a_cache_file_is_replaced_whole_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "c.json"
    assert cachefile.write_json(target, {"a": 1})
    assert cachefile.write_json(target, {"b": [1, 2]})
    assert cachefile.read_json(target) == {"b": [1, 2]}
    assert [p.name for p in target.parent.iterdir()] == ["c.json"]
    assert cachefile.write(tmp_path / "p.bin", b"\x00\x01") and (tmp_path / "p.bin").read_bytes() == b"\x00\x01"


def test_an_unwritable_or_broken_cache_is_just_not_used(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert not cachefile.write_json(blocker / "c.json", {"a": 1})  # its directory is a file
    (tmp_path / "bad.json").write_text("{not json")
    assert cachefile.read_json(tmp_path / "bad.json") is None
    assert cachefile.read_json(tmp_path / "missing.json") is None


def test_a_pickled_value_is_kept_for_its_key_only(tmp_path: Path) -> None:
    path, built = tmp_path / "v.pickle", []

    def build(value: str):  # noqa: ANN202
        return lambda: built.append(value) or value

    assert cachefile.pickled(path, "k1", build("one")) == "one"
    assert cachefile.pickled(path, "k1", build("again")) == "one" and built == ["one"]  # from the file
    assert cachefile.pickled(path, "k2", build("two")) == "two" and built == ["one", "two"]  # another key
    path.write_bytes(b"not a pickle")
    assert cachefile.pickled(path, "k2", build("three")) == "three"
