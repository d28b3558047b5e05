""""Not duplicates" decisions: their own store, copied once from an old cache, safe from the cache's recovery."""

from __future__ import annotations

from pathlib import Path

from dupeview.core import decisions
from dupeview.core.cache import FingerprintCache
from dupeview.core.decisions import DecisionStore


def test_pairs_round_trip_in_either_order(tmp_path: Path):
    path = tmp_path / "data" / "decisions.sqlite3"
    with DecisionStore(path) as store:
        store.add({("/p/b.jpg", "/p/a.jpg"), ("/p/a.jpg", "/p/b.jpg"), ("/p/\udcff.jpg", "/p/c.jpg")})
    with DecisionStore(path) as store:
        # One spelling per pair, in string order (an undecodable byte, \udcff, sorts after ASCII).
        assert store.pairs() == {("/p/a.jpg", "/p/b.jpg"), ("/p/c.jpg", "/p/\udcff.jpg")}
        store.remove({("/p/b.jpg", "/p/a.jpg")})
        assert store.pairs() == {("/p/c.jpg", "/p/\udcff.jpg")}


def test_decisions_in_an_old_cache_are_copied_once(tmp_path: Path):
    cache_path = tmp_path / "cache" / "fingerprints.sqlite3"
    with FingerprintCache(cache_path) as cache:
        cache.add_not_duplicates({("/p/a.jpg", "/p/b.jpg")})
    store_path = tmp_path / "data" / "decisions.sqlite3"
    assert decisions.load(store_path, cache_path) == {("/p/a.jpg", "/p/b.jpg")}
    # Removed by the user later: the old cache must not bring it back on the next start.
    with DecisionStore(store_path) as store:
        store.remove({("/p/a.jpg", "/p/b.jpg")})
    assert decisions.load(store_path, cache_path) == frozenset()


def test_a_damaged_or_missing_cache_just_has_nothing_to_copy(tmp_path: Path):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database" * 100)
    assert decisions.load(tmp_path / "d1.sqlite3", broken) == frozenset()
    assert decisions.load(tmp_path / "d2.sqlite3", tmp_path / "absent.sqlite3") == frozenset()
    assert broken.read_bytes() == b"this is not a database" * 100   # read-only: never touched


def test_decisions_outlive_the_cache_being_moved_aside(tmp_path: Path):
    cache_path = tmp_path / "fingerprints.sqlite3"
    with FingerprintCache(cache_path):
        pass
    store_path = tmp_path / "decisions.sqlite3"
    decisions.load(store_path, cache_path)
    with DecisionStore(store_path) as store:
        store.add({("/p/a.jpg", "/p/b.jpg")})
    cache_path.unlink()
    assert decisions.load(store_path, cache_path) == {("/p/a.jpg", "/p/b.jpg")}
