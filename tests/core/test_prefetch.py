"""Read-ahead in the decoders: the same results as without it, for good, broken and vanished files."""

from __future__ import annotations

from pathlib import Path

import pytest

from dupeview.core import decode, prefetch, workers
from tests.images import photo, save


def files(folder: Path) -> list[str]:
    paths = []
    for k in range(6):
        save(photo(k, (96, 64)), folder / f"{k}.jpg")
        paths.append(str(folder / f"{k}.jpg"))
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really")
    return [*paths, str(folder / "broken.jpg"), str(folder / "gone.jpg")]


def test_read_ahead_changes_nothing_but_the_waiting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = files(tmp_path)
    plain = decode.analyse_many(paths)
    monkeypatch.setenv(prefetch.ENV, "3")
    reads = prefetch.ahead(paths)
    assert reads is not None and len(reads) == len(paths)
    for read in reads:
        read.result()  # every file read once (a missing one quietly)
    assert prefetch.analyse_batch(paths) == plain
    assert workers.analyse_task(1, paths) == plain  # the decoders' task, as the pool runs it


def test_the_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(prefetch.ENV, "4")
    assert prefetch.default_readers() == 4
    monkeypatch.setenv(prefetch.ENV, "lots")
    assert prefetch.default_readers() == 0 and prefetch.ahead(["a", "b"]) is None
    monkeypatch.delenv(prefetch.ENV)
    assert prefetch.default_readers() == 0
