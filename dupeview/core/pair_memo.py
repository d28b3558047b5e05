"""Similar pairs remembered between scans: a rescan of an unchanged library (or of part of it) reuses the edges instead of searching again.

An edge depends only on its two files' fingerprints and the match settings, so edges are kept
by file content: each row's content key is its SHA-256 digest (same bytes, same decode), checked
against its pHashes, layout views and flags. A library whose every content key was in the last
search gets that search's edges among its rows, in the order and with the distances a new search
gives. Anything else (a new or changed file, other settings) searches again and remembers anew.
At a million files the search with layout views costs 20-40 CPU seconds; the reuse about 0.1 s.

One memo is kept per library (its set of roots), settings and search distance, so libraries scanned
in turn with one cache keep theirs; a memo searched further answers a shorter search when cutting its
edges at the shorter distance gives exactly that search's edges (exact_cut: for the layout views, up to
verify.LAYOUT_MAX_DISTANCE, as their candidates stop there); the most recently used few are kept, within a total size (KEEP_FILES,
KEEP_BYTES). A library with no memo of its own yet tries the one of the same settings whose library
shares the most roots with it (then the newest): its content keys say which rows it answers (a
subfolder of a library scanned before: all of them).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
from numpy.typing import NDArray

from dupeview.core import verify
from dupeview.core.decode import PIPELINE_VERSION
from dupeview.core.safeio import write_atomically

if TYPE_CHECKING:
    from dupeview.core.records import Library

MEMO_VERSION: Final = 3
# Memo files kept per folder, the most recently used first: one per library and set of match
# settings (rotations on/off) and search distance. A memo is about 17 bytes a file (1M files: 17 MB),
# plus 17 bytes an edge; the newest is always kept, the others while the total is under KEEP_BYTES.
KEEP_FILES: Final = 10
KEEP_BYTES: Final = 256 * 1024 * 1024

Edges = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.uint8]]


def _mix(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """splitmix64's finaliser, in place: every input bit moves about half the output bits."""
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def _lookup(keys: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """One word per content key, from both of its words: what the memo is sorted and searched by."""
    return _mix(keys[:, 0] ^ _mix(keys[:, 1].copy()))


def content_keys(digest: NDArray[np.uint8], columns: list[NDArray[np.uint64]]) -> NDArray[np.uint64] | None:
    """(N, 2) uint64 per row: its digest's first 8 bytes, and its last 8 mixed with every word of
    `columns` ((N,) or (N, k) arrays the edges are computed from). None without a 16-byte digest per row."""
    if digest.ndim != 2 or digest.shape[1] != 16 or digest.dtype != np.uint8:
        return None
    words = np.ascontiguousarray(digest).view("<u8").astype(np.uint64)
    check = words[:, 1].copy()
    for column in columns:
        for k in range(1 if column.ndim == 1 else column.shape[1]):
            check ^= column if column.ndim == 1 else column[:, k]
            _mix(check)
    return np.stack([words[:, 0], check], axis=1)


def library_of(roots: Iterable[str]) -> str:
    """The name of a library for its memo: its roots, absolute and sorted (their order does not matter)."""
    return "\n".join(sorted({os.path.normpath(os.path.abspath(r)) for r in roots}))


def _library_in(path: Path) -> list[str]:
    """The roots of the library a memo file is of (only that small member is read); none if unreadable."""
    try:
        # zipfile closes the file on any failure (np.load leaves a damaged archive's file open).
        with zipfile.ZipFile(path) as archive, archive.open("library.npy") as member:
            return [r for r in str(np.lib.format.read_array(member, allow_pickle=False)).split("\n") if r]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        return []


def _shared_roots(mine: list[str], theirs: list[str]) -> int:
    """How many of these roots are one of theirs, inside one or around one."""
    def near(a: str, b: str) -> bool:
        return a == b or a.startswith(os.path.join(b, "")) or b.startswith(os.path.join(a, ""))
    return sum(any(near(a, b) for b in theirs) for a in mine)


def _name(text: str, length: int) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()[:length]


class PairMemo:
    """The edges of the last search for each library and set of settings, in one folder (e.g. beside the cache)."""

    def __init__(self, folder: str | os.PathLike[str], library: str = "") -> None:
        """library: which library's memo to keep (library_of its roots)."""
        self.folder = Path(folder)
        self.library = library
        self.answered_by: Path | None = None  # the memo file the last recall came from

    def _settings_part(self, settings: str) -> str:
        return f"pairs-{_name(f'v{MEMO_VERSION} {settings}', 16)}-"

    def _file(self, settings: str, distance: int | None = None) -> Path:
        tail = "" if distance is None else f"-d{distance}"
        return self.folder / f"{self._settings_part(settings)}{_name(self.library, 10)}{tail}.npz"

    def own(self, settings: str) -> bool:
        """Whether the last recall came from this library's own memo (of any search distance)."""
        return self.answered_by is not None and self.answered_by.name.startswith(
            f"{self._settings_part(settings)}{_name(self.library, 10)}")

    def recall(self, settings: str, keys: NDArray[np.uint64], distance: int | None = None,
               exact_cut: int = -1) -> tuple[Edges, NDArray[np.bool_]] | None:
        """The remembered edges among the rows whose content this library's last search with these
        settings saw (sorted by (i, j), i < j), and which rows those are; without a memo of its own,
        the nearest memo of these settings (another library's, see _others). None without one (or if unreadable).

        distance: how far the search goes (None: settings alone say). A memo searched further answers
        it too, its edges cut at `distance`, when distance <= exact_cut (the caller's promise that the
        cut is exactly the shorter search); the nearest such distance is read first."""
        self.answered_by = None
        own = self._usable(self._all_files(settings, own_only=True), distance, exact_cut)
        candidates = own or self._others(settings, self._usable(self._all_files(settings, own_only=False),
                                                                distance, exact_cut))
        for path, further in candidates:
            found = self._read(path, settings, keys, further, distance)
            if found is not None:
                self.answered_by = path
                with contextlib.suppress(OSError):
                    os.utime(path)  # recently used: kept longest
                return found
        return None

    def _all_files(self, settings: str, own_only: bool) -> list[Path]:
        pattern = f"{self._settings_part(settings)}{_name(self.library, 10) if own_only else ''}*.npz"
        try:
            return list(self.folder.glob(pattern))
        except OSError:
            return []

    @staticmethod
    def _usable(files: list[Path], distance: int | None, exact_cut: int) -> list[tuple[Path, bool]]:
        """The memo files that answer a search to `distance`, the exact one first, then the nearest
        further ones (flagged: their edges must be cut)."""
        found: list[tuple[int, Path, bool]] = []
        for path in files:
            searched = _distance_in(path)
            if searched == distance:
                found.append((-1, path, False))
            elif distance is not None and searched is not None and searched > distance and distance <= exact_cut:
                found.append((searched, path, True))
        return [(path, further) for _, path, further in sorted(found, key=lambda f: (f[0], f[1].name))]

    def _others(self, settings: str, files: list[tuple[Path, bool]]) -> list[tuple[Path, bool]]:
        """Without a memo of this library's own: the other memo of these settings whose library shares
        the most roots with this one (the same, inside or around), the newest of those."""
        if not files:
            return []
        mine = [r for r in self.library.split("\n") if r]
        dated: list[tuple[int, Path, bool]] = []
        for path, further in files:
            with contextlib.suppress(OSError):
                dated.append((path.stat().st_mtime_ns, path, further))
        if not dated:
            return []
        best = max(dated, key=lambda f: (_shared_roots(mine, _library_in(f[1])), not f[2], f[0]))
        return [(best[1], best[2])]

    def _read(self, path: Path, settings: str, keys: NDArray[np.uint64], further: bool = False,
              distance: int | None = None) -> tuple[Edges, NDArray[np.bool_]] | None:
        try:
            # Read whole first: np.load leaves its file open when the archive is damaged.
            raw = path.read_bytes()
            with np.load(io.BytesIO(raw), allow_pickle=False) as data:
                if str(data["settings"]) != settings or int(data["distance"]) != _or_none(_distance_in(path)):
                    return None
                known, a, b, d, linked = data["keys"], data["a"], data["b"], data["d"], data["linked"]
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, TypeError):
            return None  # none yet, or damaged: search again
        if not _well_formed(known, a, b, d) or linked.shape != (len(known),) or linked.dtype != np.bool_:
            return None
        if further and distance is not None:
            near = d <= distance   # an edge is one pair of contents at one distance: cut as the search would
            a, b, d = a[near], b[near], d[near]
        return _expand(known, a.astype(np.int64), b.astype(np.int64), d, linked, keys)

    def remember(self, settings: str, keys: NDArray[np.uint64], i: NDArray[np.int64], j: NDArray[np.int64],
                 d: NDArray[np.uint8], linked: NDArray[np.int64] | None = None, distance: int | None = None) -> None:
        """Keep the edges (i, j, d between rows with these content keys) for the next scan. Best effort:
        a memo that cannot be written costs only a search next time.

        linked: rows whose copies (same content) are an edge at distance 0 (the searched ones): so
        a copy added next time is known to pair with them, even when this search saw only one.
        distance: how far the search went (recall's)."""
        memo = _by_content(keys, i, j, d, linked)
        if memo is None:
            return
        known, a, b, dist, copies = memo
        buffer = io.BytesIO()
        np.savez(buffer, settings=np.array(settings), library=np.array(self.library), keys=known, a=a, b=b,
                 d=dist, linked=copies, distance=np.array(_or_none(distance)))
        with contextlib.suppress(OSError):
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self._file(settings, distance), buffer.getvalue(), sync=False)
            self._prune()

    def _prune(self) -> None:
        """Delete all but the most recently used memos, by number and total size (always keep the newest)."""
        files: list[tuple[int, int, Path]] = []
        for path in self.folder.glob("pairs-*.npz"):
            with contextlib.suppress(OSError):
                st = path.stat()
                files.append((st.st_mtime_ns, st.st_size, path))
        files.sort(reverse=True)
        total = 0
        for k, (_, size, path) in enumerate(files):
            total += size
            if k and (k >= KEEP_FILES or total > KEEP_BYTES):
                with contextlib.suppress(OSError):
                    path.unlink()


def _distance_in(path: Path) -> int | None:
    """The search distance in a memo file's name (None: a memo of settings alone)."""
    _, _, tail = path.stem.rpartition("-d")
    return int(tail) if tail.isdigit() and path.stem.count("-") == 3 else None


def _or_none(distance: int | None) -> int:
    return -1 if distance is None else distance


def _well_formed(known: np.ndarray, a: np.ndarray, b: np.ndarray, d: np.ndarray) -> bool:
    if known.dtype != np.uint64 or known.ndim != 2 or known.shape[1] != 2:
        return False
    if not (a.shape == b.shape == d.shape and a.ndim == 1 and d.dtype == np.uint8 and a.dtype.kind in "iu"
            and b.dtype.kind in "iu"):
        return False
    order = _lookup(known)
    if len(known) > 1 and not bool(np.all(order[1:] > order[:-1])):
        return False  # sorted by unique lookup words: what _expand searches
    return not len(a) or bool(a.min() >= 0 and b.max() < len(known) and np.all(a < b))


def _by_content(keys: NDArray[np.uint64], i: NDArray[np.int64], j: NDArray[np.int64], d: NDArray[np.uint8],
                linked: NDArray[np.int64] | None) -> tuple[NDArray[np.uint64], NDArray[np.int64], NDArray[np.int64],
                                                           NDArray[np.uint8], NDArray[np.bool_]] | None:
    """Edges between content classes (one row per unordered pair of two classes), and which classes'
    copies pair with each other (at distance 0); None if two contents share a lookup word (a
    64-bit chance: then nothing is remembered)."""
    lookup = _lookup(keys)
    _, first_row, inverse = np.unique(lookup, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    known = keys[first_row]
    if not np.array_equal(known[inverse], keys):
        return None
    copies = np.zeros(len(known), dtype=bool)
    if linked is not None:
        copies[inverse[linked]] = True
    ca, cb = inverse[i], inverse[j]
    lo, hi = np.minimum(ca, cb), np.maximum(ca, cb)
    copies[lo[lo == hi]] = True
    # Every row pair of two classes is an edge of the same distance: keep one per class pair.
    other = lo != hi
    _, first = np.unique(lo[other] * len(known) + hi[other], return_index=True)
    return (known, lo[other][first].astype(np.int64), hi[other][first].astype(np.int64),
            d[other][first].astype(np.uint8), copies)


def _expand(known: NDArray[np.uint64], a: NDArray[np.int64], b: NDArray[np.int64], d: NDArray[np.uint8],
            linked: NDArray[np.bool_], keys: NDArray[np.uint64]) -> tuple[Edges, NDArray[np.bool_]]:
    """Row edges from class edges: every row of class a with every row of class b, and the rows of
    one linked class with each other (distance 0), for the rows whose content is known; and which rows those are."""
    if len(known) == 0:
        empty = np.zeros(0, np.int64)
        return (empty, empty, np.zeros(0, np.uint8)), np.zeros(len(keys), dtype=bool)
    # Looked up in the order of their lookup words: a search of sorted needles streams.
    # (The order of one class's rows does not matter: the edges are sorted by (i, j) at the end.)
    look = _lookup(keys)
    by_look = np.argsort(look)
    where = np.minimum(np.searchsorted(_lookup(known), look[by_look]), len(known) - 1)
    # Both words compared column by column: np.all(axis=1) over pairs of words is 4x slower.
    found = known[:, 0].take(where) == keys[:, 0].take(by_look)
    found &= known[:, 1].take(where) == keys[:, 1].take(by_look)
    where = np.where(found, where, len(known))  # an unknown row is in no class
    seen = np.empty(len(keys), dtype=bool)
    seen[by_look] = found
    # Rows grouped by class: class c's rows are rows[start[c]:start[c] + count[c]]. The needles were
    # sorted as the classes are, so the found ones are in class order already: no second sort.
    rows = np.concatenate([by_look[found], by_look[~found]])
    count = np.bincount(where, minlength=len(known) + 1)[: len(known)]
    start = np.cumsum(count) - count
    # Only the classes present now: a row pair needs both classes' rows.
    present = (count[a] > 0) & (count[b] > 0)
    copies = np.flatnonzero(linked & (count > 1))
    a, b = np.concatenate([a[present], copies]), np.concatenate([b[present], copies])
    d = np.concatenate([d[present], np.zeros(len(copies), np.uint8)])
    same = a == b
    per = np.where(same, count[a] * (count[a] - 1) // 2, count[a] * count[b])
    total = int(per.sum())
    edge = np.repeat(np.arange(len(a)), per)
    k = np.arange(total) - np.repeat(np.cumsum(per) - per, per)
    ea, eb = a[edge], b[edge]
    # Cross-class pairs: k = x * count[b] + y. Within one class: the k-th pair (x < y) of its rows.
    x = k // np.maximum(count[eb], 1)
    y = k % np.maximum(count[eb], 1)
    within = np.flatnonzero(same[edge])
    if len(within):
        x[within], y[within] = _triangle(k[within], count[ea[within]])
    ri, rj = rows[start[ea] + x], rows[start[eb] + y]
    i, j = np.minimum(ri, rj), np.maximum(ri, rj)
    order = np.lexsort((j, i))
    return (i[order].astype(np.int64), j[order].astype(np.int64), d[edge][order]), seen


def _triangle(k: NDArray[np.int64], m: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The k-th pair (x, y), x < y < m, in row-major order of the upper triangle, without a loop."""
    # Pairs before row x: x * (2m - x - 1) / 2. Solve for x, then fix rounding by one step either way.
    mf = m.astype(np.float64)
    x = np.floor(((2 * mf - 1) - np.sqrt((2 * mf - 1) ** 2 - 8 * k)) / 2).astype(np.int64)
    x = np.clip(x, 0, m - 2)
    before = x * (2 * m - x - 1) // 2
    low = before > k
    x[low] -= 1
    before = x * (2 * m - x - 1) // 2
    high = k - before >= m - x - 1
    x[high] += 1
    before = x * (2 * m - x - 1) // 2
    return x, x + 1 + (k - before)


class Recall:
    """One search's memo lookup: the remembered edges among the files it saw, the rest searched."""

    # Search only the new files while they are at most this share of the library: each of their
    # searches runs both ways, so past about half of it the whole search is cheaper.
    DELTA_SHARE: Final = 0.25

    def __init__(self, memo: PairMemo, settings: str, keys: NDArray[np.uint64], searched: NDArray[np.int64],
                 distance: int | None = None, exact_cut: int = -1) -> None:
        """distance, exact_cut: PairMemo.recall's (the search's distance, and up to where a memo
        searched further, cut at it, is exactly this search)."""
        self.memo, self.settings, self.keys, self.searched = memo, settings, keys, searched
        self.distance = distance
        self.found = memo.recall(settings, keys, distance, exact_cut)
        self.how = "search"  # then "memo" (nothing searched) or "memo+new" (only the new files searched)

    def edges(self, search_all: Callable[[], Edges], search_new: Callable[[NDArray[np.bool_]], Edges]) -> Edges:
        """All edges: remembered, remembered plus those of the new files, or searched anew (then remembered)."""
        if self.found is not None:
            (i, j, d), seen = self.found
            new = ~seen
            if not new.any():
                self.how = "memo"
                if not self.memo.own(self.settings):  # another library's: this one gets its own
                    self.memo.remember(self.settings, self.keys, i, j, d, self.searched, self.distance)
                return i, j, d
            if new.sum() <= self.DELTA_SHARE * len(new):
                self.how = "memo+new"
                ni, nj, nd = search_new(new)
                i, j, d = np.concatenate([i, ni]), np.concatenate([j, nj]), np.concatenate([d, nd])
                order = np.lexsort((j, i))
                i, j, d = i[order], j[order], d[order]
            else:
                i, j, d = search_all()
        else:
            i, j, d = search_all()
        self.memo.remember(self.settings, self.keys, i, j, d, self.searched, self.distance)
        return i, j, d


def for_search(memo: PairMemo | None, library: Library, settings: tuple[str, bool, float], codes: NDArray[np.uint64],
               textured: NDArray[np.int64], layout: verify.Layout | None, max_distance: int) -> Recall | None:
    """The memo lookup for a Matcher's search (None without a memo or without digests).

    settings: the match options' algorithm, rotations and min_contrast."""
    algorithm, rotations, min_contrast = settings
    if memo is None:
        return None
    n = len(library)
    flags = np.zeros(n, dtype=np.uint64)
    flags[textured] = 1
    columns = [codes if rotations else codes[:, 0]]
    if layout is not None:
        flags |= layout.page.astype(np.uint64) << np.uint64(1)
        columns.append(layout.h64[:, 1:])
    digest = library.table.digest
    keys = content_keys(digest, [flags, *columns]) if isinstance(digest, np.ndarray) else None
    if keys is None:
        return None
    described = (f"{algorithm} rotations={rotations} contrast={min_contrast!r} "
                 f"layout={layout is not None} checks={verify.RULES} pipeline={PIPELINE_VERSION}")
    # Cut at a shorter distance t, the edges of a search further are exactly those of a search to t:
    # whole-image pairs are all pairs within the distance (pairs.similar_pairs), and an edge's
    # distance is the smallest over view combinations that pass their checks within it
    # (verify.confirmed_distance). Layout candidates stop at LAYOUT_MAX_DISTANCE, so up to there
    # every combination within t was a candidate of both searches; past it, a pair found further
    # only by its whole images could have a view combination within t that a search to t never
    # looks at (tests/core/test_pair_memo_cut.py).
    exact_cut = verify.LAYOUT_MAX_DISTANCE if layout is not None else 64
    return Recall(memo, described, keys, textured, max_distance, exact_cut)


def beside(cache_path: str | os.PathLike[str] | None, roots: Iterable[str] = ()) -> PairMemo | None:
    """The memo of the library under these roots, kept next to a fingerprint cache file (none for an in-memory cache)."""
    if cache_path is None or str(cache_path) == ":memory:":
        return None
    return PairMemo(f"{os.fspath(cache_path)}.pairs", library_of(roots))
