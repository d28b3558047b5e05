"""Cache trouble, through the CLI: damaged, newer, read-only, full disk, and two scans at once.

Whatever happens to the cache, the scan runs (rebuilding the cache, or uncached with a warning),
its groups are right, and a cache that is fine is never moved aside or lost.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from dupeview.core.cache import APPLICATION_ID, SCHEMA_VERSION, FingerprintCache
from tests.cachefiles import damaged_cache
from tests.images import photo, save
from tests.robustness import race
from tests.robustness.helpers import (
    assert_clean_stderr,
    cli_args,
    cli_env,
    fill,
    immutable,
    json_groups,
    read_only_view,
    scan_json,
    snapshot,
    tmpfs,
)


def make_library(root: Path, count: int, size: tuple[int, int] = (48, 36)) -> Path:
    """count distinct photos plus a resized copy of every tenth: count // 10 real groups."""
    for k in range(count):
        save(photo(k, size), root / f"{k:03d}.jpg")
        if k % 10 == 0:
            save(photo(k, size).resize((size[0] * 3 // 4, size[1] * 3 // 4)), root / f"{k:03d}_small.png")
    return root


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set]:
    """A library and its groups from an uncached scan: what every troubled scan must still find."""
    root = make_library(tmp_path_factory.mktemp("cache-trouble") / "lib", 60)
    _, doc = scan_json(root, "--no-cache")
    groups = json_groups(doc, root)
    assert len(groups) == 6
    return root, groups


def _cache_rows(db: Path) -> int:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn, conn:
        return int(conn.execute("SELECT count(*) FROM files").fetchone()[0])


def _asides(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".corrupt-" in p.name or ".newer-" in p.name)


def test_damaged_cache(library: tuple[Path, set], tmp_path: Path) -> None:
    root, groups = library
    db = tmp_path / "c.sqlite3"
    damaged = damaged_cache(db)
    _, doc = scan_json(root, "--cache", str(db))
    assert json_groups(doc, root) == groups
    [warning] = doc["warnings"]
    assert "damaged" in warning and "moved aside" in warning
    [aside] = _asides(tmp_path)
    assert (tmp_path / aside).read_bytes() == damaged               # kept, for whoever wants to look
    _, again = scan_json(root, "--cache", str(db))                  # the new cache works
    assert again["warnings"] == [] and again["summary"]["hashed"] == 0
    assert json_groups(again, root) == groups


@pytest.mark.parametrize("command", ["scan", "query", "index"])
def test_a_photo_given_as_the_cache_is_refused_untouched(library: tuple[Path, set], tmp_path: Path,
                                                         command: str) -> None:
    root, _ = library
    cache = tmp_path / "photo.jpg"
    data = (root / "000.jpg").read_bytes()
    cache.write_bytes(data)
    args = {"scan": ["scan", str(root), "--cache", str(cache)],
            "query": ["query", str(root / "001.jpg"), "--in", str(cache)],
            "index": ["index", "push", "--milvus", str(tmp_path / "m.db"), "--cache", str(cache)]}[command]
    done = subprocess.run(cli_args(*args), capture_output=True, text=True, env=cli_env(), timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and "not a dupeview fingerprint database" in done.stderr
    assert cache.read_bytes() == data and sorted(p.name for p in tmp_path.iterdir()) == ["photo.jpg"]


def test_cache_from_a_newer_dupeview(library: tuple[Path, set], tmp_path: Path) -> None:
    root, groups = library
    db = tmp_path / "c.sqlite3"
    with closing(sqlite3.connect(db)) as conn, conn:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.execute("CREATE TABLE future (x)")
    conn.close()
    _, doc = scan_json(root, "--cache", str(db))
    assert json_groups(doc, root) == groups
    [warning] = doc["warnings"]
    assert "newer" in warning and "moved aside" in warning
    [aside] = _asides(tmp_path)
    with closing(sqlite3.connect(tmp_path / aside)) as conn, conn:                  # the newer file is intact
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    conn.close()
    _, again = scan_json(root, "--cache", str(db))
    assert again["warnings"] == [] and again["summary"]["hashed"] == 0


def _read_only(kind: str, folder: Path, mount_point: Path):
    if kind == "ro-mount":
        return read_only_view(folder, mount_point)
    return immutable(folder / "c.sqlite3", folder)


@pytest.mark.parametrize("kind", ["ro-mount", "immutable"])
def test_read_only_cache(library: tuple[Path, set], tmp_path: Path, kind: str) -> None:
    """A cache that cannot be written: the scan runs, right, and the cache is left exactly as it was."""
    root, groups = library
    folder = tmp_path / "cache"
    folder.mkdir()
    scan_json(root, "--cache", str(folder / "c.sqlite3"))          # a good, complete cache
    extra = save(photo(500, (48, 36)), root / "new.jpg")            # and a file it does not know yet
    before = snapshot(folder)
    try:
        with _read_only(kind, folder, tmp_path / "view") as view:
            where = (view if kind == "ro-mount" else folder)
            _, doc = scan_json(root, "--cache", str(where / "c.sqlite3"))
            _, fresh_db = scan_json(root, "--cache", str(where / "other.sqlite3"))
    except OSError as exc:
        pytest.skip(f"cannot make a read-only cache here ({kind}): {exc}")
    finally:
        extra.unlink()
    assert json_groups(doc, root) == groups
    assert json_groups(fresh_db, root) == groups
    for d in (doc, fresh_db):
        assert d["summary"]["images"] == 67
        [warning] = d["warnings"]
        assert "damaged" not in warning, warning                  # it is not: it is read-only
    assert snapshot(folder) == before                              # not moved, not touched


def test_full_disk_while_the_cache_grows(library: tuple[Path, set], tmp_path: Path) -> None:
    """The disk fills up in the middle of a scan: the rest runs uncached, nothing committed is lost."""
    root = make_library(tmp_path / "big", 400)
    _, baseline = scan_json(root, "--no-cache")
    try:
        with tmpfs(tmp_path / "small", "320k") as disk:
            db = disk / "c.sqlite3"
            _, doc = scan_json(root, "--cache", str(db))
            assert json_groups(doc, root) == json_groups(baseline, root)
            [warning] = doc["warnings"]
            assert "cannot write to the cache" in warning and "full" in warning
            kept = _cache_rows(db)
            assert 0 < kept < doc["summary"]["images"]
            _, again = scan_json(root, "--cache", str(db))           # still full: reuses what it has
            assert again["summary"]["from_cache"] == kept
            assert json_groups(again, root) == json_groups(baseline, root)
            assert _asides(disk) == []
    except OSError as exc:
        pytest.skip(str(exc))


def test_full_disk_does_not_throw_a_good_cache_away(library: tuple[Path, set], tmp_path: Path) -> None:
    """A good cache on a disk that is now full must be kept for later, not moved aside as 'damaged'."""
    root, groups = library
    try:
        with tmpfs(tmp_path / "small", "400k") as disk:
            db = disk / "c.sqlite3"
            _, first = scan_json(root, "--cache", str(db))
            cached = first["summary"]["hashed"]
            filler = fill(disk)
            _, doc = scan_json(root, "--cache", str(db))
            assert json_groups(doc, root) == groups
            assert all("damaged" not in w for w in doc["warnings"]), doc["warnings"]
            assert _asides(disk) == []
            filler.unlink()                                          # space again: all still there
            _, later = scan_json(root, "--cache", str(db))
            assert later["warnings"] == [] and later["summary"]["from_cache"] == cached
    except OSError as exc:
        pytest.skip(str(exc))


def test_two_cli_scans_at_once(tmp_path: Path) -> None:
    """Two scans of one folder with one cache, started together: both fine, no entry lost."""
    root = make_library(tmp_path / "lib", 250)
    db = tmp_path / "c.sqlite3"
    for round_ in range(2):
        if round_ == 1:  # second round: an existing cache, and new files for both to add
            for k in range(250, 330):
                save(photo(k, (48, 36)), root / f"{k:03d}.jpg")
        args = cli_args("scan", str(root), "--cache", str(db), "--workers", "2", "--quiet", "--format", "json")
        procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=cli_env())
                 for _ in range(2)]
        outs = [p.communicate(timeout=120) for p in procs]
        docs = []
        for p, (out, err) in zip(procs, outs, strict=False):
            assert p.returncode == 0, err
            assert "locked" not in out + err
            assert_clean_stderr(err)
            docs.append(json.loads(out))
        for d in docs:
            assert d["warnings"] == []
            assert d["summary"]["images"] == len(list(root.iterdir()))
        assert json_groups(docs[0], root) == json_groups(docs[1], root)
        with FingerprintCache(db) as cache:
            assert not cache.warnings
            assert set(p for p, _ in cache.entries()) == {str(p) for p in root.iterdir()}
    assert _asides(tmp_path) == []


@pytest.mark.parametrize("damaged", [False, True], ids=["new-cache", "damaged-cache"])
def test_processes_opening_one_cache_at_the_same_instant(tmp_path: Path, damaged: bool) -> None:
    """Released together by a barrier, so their opens really collide: no warning, no entry lost.

    (CLI starts are tens of milliseconds apart; this is the worst case they approach.)
    """
    trials, procs, rows = (60, 4, 40) if not damaged else (25, 3, 40)
    failures = race.run(tmp_path, trials, procs, rows, damaged)
    assert failures == [], f"{len(failures)} of {trials} trials went wrong, e.g. {failures[:2]}"
