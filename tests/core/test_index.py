"""The index interface and its default, local implementation: sync, range search, identical
copies, lookups as `dupeview query` makes them, and a pair search plugged into Matcher."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from dupeview.core import pairs
from dupeview.core.cache import FingerprintCache
from dupeview.core.decode import PIPELINE_VERSION, DecodeFailure, ImageFacts
from dupeview.core.fingerprint import ALGORITHMS, N_TRANSFORMS
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions
from dupeview.core.index import FingerprintIndex, LocalIndex, facts_of, library_items, lookup, probe_codes, sync
from dupeview.core.scanner import ImageRecord, Library

ROOT = Path(__file__).resolve().parents[2]


def make_hashes(n: int, seed: int = 0) -> np.ndarray:
    """(n, 4, 8) random fingerprints; items 1..5 are near copies of item 0 (1..5 bits), 6 is
    item 0 rotated (its code is item 0's 90-degree variant), 7 is item 0 again (same code)."""
    rng = np.random.default_rng(seed)
    h = rng.integers(0, 2**64, size=(n, len(ALGORITHMS), N_TRANSFORMS), dtype=np.uint64)
    for k in range(1, 6):
        flips = np.uint64(sum(1 << b for b in range(k)))
        h[k, :, 0] = h[0, :, 0] ^ flips
    h[6, :, 0] = h[0, :, 3]
    h[7] = h[0]
    return h


def make_items(hashes: np.ndarray, flat: tuple[int, ...] = ()) -> list[tuple[str, ImageFacts]]:
    items = []
    for k in range(len(hashes)):
        digest = bytes([k % 256, k // 256]) * 8
        items.append((f"/photos/{k:04d}.jpg", ImageFacts(
            1000 + k, 10**18 + k, 10**18 + k, digest, 64, 48, "JPEG", None, None,
            1.0 if k in flat else 40.0, hashes[k].astype("<u8").tobytes())))
    return items


def make_library(hashes: np.ndarray, flat: tuple[int, ...] = ()) -> Library:
    records = [ImageRecord(path, f.size, f.mtime_ns, f.ctime_ns, 1, k + 1, f.digest, f.width, f.height, f.format,
                           f.taken, f.camera, f.contrast) for k, (path, f) in enumerate(make_items(hashes, flat))]
    return Library(records=records, hashes=hashes.copy())


def test_dupeview_core_imports_no_database_client() -> None:
    code = ("import sys, pkgutil, importlib, dupeview.core as core\n"
            "for m in pkgutil.iter_modules(core.__path__): importlib.import_module('dupeview.core.' + m.name)\n"
            "import dupeview.cli\n"
            "print(sorted(n for n in sys.modules if n.split('.')[0] in ('pymilvus', 'milvus_lite', 'grpc')))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_local_index_is_a_fingerprint_index() -> None:
    with LocalIndex(FingerprintCache(None), source="here") as index:
        assert isinstance(index, FingerprintIndex)
        assert index.pair_search("dhash") is pairs.similar_pairs


def test_sync_writes_only_what_changed_and_removes_what_is_gone() -> None:
    items = make_items(make_hashes(20))
    with LocalIndex(FingerprintCache(None), source="here") as index:
        first = sync(index, items)
        assert (first.added, first.updated, first.removed, first.unchanged) == (20, 0, 0, 0)
        assert len(index) == 20 and index.synced()[items[3][0]] == (1003, 10**18 + 3, 10**18 + 3)

        changed = list(items)
        path, facts = changed[4]
        changed[4] = (path, facts._replace(mtime_ns=facts.mtime_ns + 1))
        changed[5] = (changed[5][0], DecodeFailure("image is truncated (incomplete file)", 1, 1, 1))
        del changed[6]
        report = sync(index, changed)
        assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 2, 17)
        assert set(index.synced()) == {p for p, v in changed if isinstance(v, ImageFacts)}
        assert str(report) == "0 added, 1 updated, 2 removed, 17 unchanged"

        kept = sync(index, items[:3], remove_missing=False)
        assert (kept.added, kept.removed, kept.unchanged) == (0, 0, 3) and len(index) == 18


def test_local_search_is_an_inclusive_range_search() -> None:
    hashes = make_hashes(50)
    with LocalIndex(FingerprintCache(None), source="here") as index:
        sync(index, make_items(hashes, flat=(7,)))
        [near] = index.search(hashes[0, 0, :1], 3)
        # 0 itself, 1..3 bits; item 7 has item 0's code but is flat: not matched by fingerprint.
        assert [(os.path.basename(m.record.path), m.distance) for m in near] == [
            ("0000.jpg", 0), ("0001.jpg", 1), ("0002.jpg", 2), ("0003.jpg", 3)]
        assert all(m.source == "here" and not m.identical for m in near)
        # With all 8 orientations the rotated copy (item 6) is found too.
        [rotated] = index.search(hashes[0, 0][None, :], 0)
        assert [os.path.basename(m.record.path) for m in rotated] == ["0000.jpg", "0006.jpg"]
        assert index.search(np.zeros((0, 8), np.uint64), 5) == []


def test_lookup_reports_identical_copies_first_and_flat_probes_by_bytes_only() -> None:
    hashes = make_hashes(30)
    items = make_items(hashes, flat=(7,))
    with LocalIndex(FingerprintCache(None), source="here") as index:
        sync(index, items)
        probe = items[0][1]
        flat_probe = items[7][1]._replace(contrast=0.5)
        [matches, flat] = lookup(index, [probe, flat_probe], 2, algorithm="phash")
        assert [(os.path.basename(m.record.path), m.distance, m.identical) for m in matches] == [
            ("0000.jpg", 0, True), ("0001.jpg", 1, False), ("0002.jpg", 2, False)]
        assert [os.path.basename(m.record.path) for m in flat] == ["0007.jpg"] and flat[0].identical


def test_probe_codes_and_facts_round_trip() -> None:
    hashes = make_hashes(10)
    library = make_library(hashes)
    facts = facts_of(library, 2)
    assert facts == make_items(hashes)[2][1]
    assert list(library_items(library))[2] == make_items(hashes)[2]
    assert probe_codes(facts, "dhash", True).tolist() == hashes[2, 1].tolist()
    assert probe_codes(facts, "phash", False).tolist() == [int(hashes[2, 0, 0])]
    assert PIPELINE_VERSION >= 1


@pytest.mark.parametrize("rotations", [False, True])
def test_matcher_takes_a_pair_search(rotations: bool) -> None:
    library = make_library(make_hashes(200, seed=3), flat=(9,))
    calls = []

    def spy(codes: np.ndarray, max_distance: int, **kw: object) -> pairs.Pairs:
        calls.append((len(codes), max_distance, kw.get("variants") is not None))
        return pairs.similar_pairs(codes, max_distance, **kw)

    options = MatchOptions("phash", rotations)
    default = Matcher(library, options).groups(GroupOptions(threshold=6))
    plugged = Matcher(library, options, search_pairs=spy).groups(GroupOptions(threshold=6))
    assert calls == [(199, options.max_distance, rotations)]  # the flat image is not searched
    assert list(plugged) == list(default) and len(default) == 1
    assert len(default[0].members) == (8 if rotations else 7)


def test_milvus_helpers_need_no_extra() -> None:
    from dupeview.core import milvus_index as m
    assert m.is_local("fingerprints.db") and m.is_local("/srv/x/fingerprints.db")
    assert not any(m.is_local(u) for u in ("http://nas:19530", "https://x.zillizcloud.com", "tcp://h:1", "unix:/s.sock"))
    assert m.row_id("nas", "/a.jpg") == m.row_id("nas", "/a.jpg") != m.row_id("laptop", "/a.jpg")
    assert m.row_id("nas", os.fsdecode(b"/caf\xe9.jpg")) != m.row_id("nas", "/café.jpg")
    assert m.choose_index(10**6, local=False) == ("BIN_FLAT", {})
    assert m.choose_index(10**8, local=True) == ("BIN_FLAT", {})  # Milvus Lite has nothing else
    assert m.choose_index(4 * 10**6, local=False) == ("BIN_IVF_FLAT", {"nlist": 8000})
