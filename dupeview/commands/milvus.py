"""Opening the optional shared Milvus index for the CLI (imported only when asked for: the extra is optional)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dupeview.commands.common import UsageError
from dupeview.core.cache import FingerprintCache
from dupeview.core.decode import DecodeFailure
from dupeview.core.records import Library


def open_milvus(uri: str, source: str | None, algorithms: Sequence[str]) -> Any:
    """A MilvusIndex, or UsageError saying why not."""
    from dupeview.core.index import IndexUnavailable
    try:
        from dupeview.core.milvus_index import MilvusIndex
        return MilvusIndex(uri, source=source, algorithms=algorithms)
    except (IndexUnavailable, ValueError) as exc:
        raise UsageError(str(exc)) from exc


def sync_scan(shared: Any, library: Library, cache: FingerprintCache, algorithm: str) -> Any:
    """After `scan --milvus`: this scan's fingerprints into Milvus, and stale entries out of it
    (inside the folders this scan saw whole, files it did not find and the cache has no
    fingerprint for); returns Milvus' pair search. Raises IndexUnavailable."""
    from dupeview.core.index import library_items, sync

    def stale(missing: list[str]) -> list[str]:
        inside = [p for p in missing if library.fully_seen.covers(p)]
        known = cache.load(inside)
        return [p for p in inside if p not in known or isinstance(known[p][1], DecodeFailure)]

    sync(shared, library_items(library), remove_missing=stale)
    return shared.pair_search(algorithm)
