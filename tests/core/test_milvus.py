"""The Milvus index against a real Milvus engine (embedded Milvus Lite in a tmp .db file): range
search semantics, exact pair search, sync between sources, and the CLI end to end.

Skipped where the optional `dupeview[milvus]` extra is not installed."""

from __future__ import annotations

import json
import os
import subprocess
import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # milvus_lite imports the deprecated pkg_resources
    pytest.importorskip("pymilvus", reason="the dupeview[milvus] extra is not installed")
    pytest.importorskip("milvus_lite", reason="the dupeview[milvus] extra is not installed (Milvus Lite)")

from dupeview.core import milvus_index, pairs
from dupeview.core.cache import FingerprintCache
from dupeview.core.decode import PIPELINE_VERSION, ImageFacts
from dupeview.core.fingerprint import ALGORITHMS, N_TRANSFORMS
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions
from dupeview.core.index import FingerprintIndex, IndexUnavailable, LocalIndex, Match, library_items, lookup, sync
from dupeview.core.milvus_index import MilvusIndex, row_id
from tests.core.test_index import make_hashes, make_items, make_library
from tests.images import photo, save

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", autouse=True)
def milvus_logs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Embedded Milvus Lite copies this process's environment: its glog files go here, not to /tmp."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("GLOG_log_dir", str(tmp_path_factory.mktemp("milvus-logs")))
        yield


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, milvus_logs: None) -> Path:
    return tmp_path_factory.mktemp("milvus") / "fingerprints.db"


@pytest.fixture(scope="module")
def shared(db: Path) -> Iterator[MilvusIndex]:
    """One phash collection for the module: 'alpha' holds 3000 planted near-duplicates."""
    with MilvusIndex(str(db), source="alpha", algorithms=("phash",)) as index:
        sync(index, make_items(planted(3000, seed=11)))
        yield index


def planted(n: int, seed: int) -> np.ndarray:
    """(n, 4, 8) random fingerprints where the second half are near copies (1-6 bits) of the first,
    a tenth of them of a rotated orientation, plus a cluster of 80 identical codes (more than
    one pair-search page) and the make_hashes pattern at the start."""
    rng = np.random.default_rng(seed)
    h = make_hashes(n, seed)
    half = n // 2
    source = rng.integers(8, half, size=n - half)
    column = np.where(rng.random(n - half) < 0.1, rng.integers(1, N_TRANSFORMS, size=n - half), 0)
    flips = np.zeros(n - half, dtype=np.uint64)
    for _ in range(6):
        flips |= np.where(rng.random(n - half) < 0.6, np.uint64(1) << rng.integers(0, 64, size=n - half).astype(np.uint64),
                          np.uint64(0))
    h[half:, :, 0] = h[source, :, column] ^ flips[:, None]
    h[100:180, :, 0] = h[99, :, 0]
    return h


def code(facts: ImageFacts) -> int:
    """The phash code as shown."""
    return int(np.frombuffer(facts.hashes[:8], "<u8")[0])


def alphas(results: list[list[Match]]) -> list[list[tuple[str, int, bool]]]:
    """Matches of the module's own source (other tests add their sources to the collection)."""
    return [[(m.record.path, m.distance, m.identical) for m in ms if m.source == "alpha"] for ms in results]


def same_pairs(a: pairs.Pairs, b: pairs.Pairs) -> bool:
    return all(np.array_equal(x, y) for x, y in ((a.i, b.i), (a.j, b.j), (a.distance, b.distance)))


def test_milvus_index_is_a_fingerprint_index(shared: MilvusIndex) -> None:
    assert isinstance(shared, FingerprintIndex)
    assert len(shared) == 3000 and shared.collection("phash") == "dupeview_phash"


def test_range_search_threshold_is_inclusive(db: Path) -> None:
    """Milvus' radius is exclusive and range_filter inclusive; a threshold t is distance <= t."""
    base = np.uint64(0x0123456789ABCDEF)
    hashes = np.zeros((13, len(ALGORITHMS), N_TRANSFORMS), dtype=np.uint64)
    for d in range(13):
        hashes[d, :, 0] = base ^ np.uint64((1 << d) - 1)  # exactly d bits from base
    with MilvusIndex(str(db), source="radius", algorithms=("phash",), prefix="radius") as index:
        sync(index, make_items(hashes))
        for threshold in (0, 1, 4, 10):
            [hits] = index.search(np.array([base]), threshold)
            assert sorted(m.distance for m in hits) == list(range(threshold + 1))
        # The raw Milvus semantics the module relies on: [range_filter, radius).
        [raw] = index._range("radius_phash", [int(base).to_bytes(8, "big")], 4, 100, "", ["code"], low=2)
        assert sorted(int(d) for d in raw.distances) == [2, 3, 4]


@pytest.mark.parametrize("rotations", [False, True])
def test_pair_search_equals_the_local_search(shared: MilvusIndex, rotations: bool) -> None:
    hashes = planted(3000, seed=11)
    codes = hashes[:, 0, 0]
    variants = hashes[:, 0, 1:] if rotations else None
    for max_distance in (0, 6, 10):
        mine = shared.pair_search("phash")(codes, max_distance, variants=variants)
        assert same_pairs(mine, pairs.similar_pairs(codes, max_distance, variants=variants))
    assert len(mine) > 1500 + 80 * 79 // 2


def test_pair_search_is_exact_for_codes_milvus_does_not_hold(shared: MilvusIndex) -> None:
    hashes = planted(3000, seed=11)
    rng = np.random.default_rng(5)
    strangers = rng.integers(0, 2**64, size=40, dtype=np.uint64)
    codes = np.concatenate([hashes[::3, 0, 0], strangers, strangers[:10] ^ np.uint64(6), hashes[:20, 0, 0] ^ np.uint64(1 << 40)])
    mine = shared.pair_search("phash")(codes, 8)
    assert same_pairs(mine, pairs.similar_pairs(codes, 8))
    # Nothing of this source in Milvus at all: answered in memory, still exact.
    with MilvusIndex(shared.uri, source="nobody", algorithms=("phash",)) as empty:
        assert same_pairs(empty.pair_search()(codes, 8), pairs.similar_pairs(codes, 8))


def test_pair_search_is_cancellable(shared: MilvusIndex) -> None:
    with pytest.raises(pairs.SearchCancelled):
        shared.pair_search()(planted(3000, seed=11)[:, 0, 0], 8, should_stop=lambda: True)


def test_matcher_groups_the_same_with_milvus_pairs(db: Path) -> None:
    library = make_library(planted(1200, seed=4), flat=(3, 4))
    with MilvusIndex(str(db), source="matcher", algorithms=("phash",)) as index:
        sync(index, library_items(library))
        for rotations in (False, True):
            options = MatchOptions("phash", rotations)
            local = Matcher(library, options).groups(GroupOptions(threshold=8))
            remote = Matcher(library, options, search_pairs=index.pair_search("phash")).groups(GroupOptions(threshold=8))
            assert list(remote) == list(local) and len(local) > 100


def test_search_and_lookup_agree_with_the_local_index(shared: MilvusIndex) -> None:
    hashes = planted(3000, seed=11)
    items = make_items(hashes)
    with LocalIndex(FingerprintCache(None), source="alpha") as local:
        sync(local, items)
        probes = hashes[[0, 6, 99, 1600, 2999], 0, :]
        for k in (1, 8):
            theirs = local.search(probes[:, :k], 10)
            mine = shared.search(probes[:, :k], 10)
            assert alphas(mine) == alphas(theirs)
        assert len(alphas(mine)[2]) == 81  # the identical cluster: more than one page of hits is fine
        facts = [items[0][1], items[1500][1]]
        assert alphas(lookup(shared, facts, 6, rotations=True)) == alphas(lookup(local, facts, 6, rotations=True))
    record, facts = mine[0][0].record, items[0][1]
    assert (record.path, record.size, record.mtime_ns, record.digest, record.width, record.format, record.taken) == \
        (items[0][0], facts.size, facts.mtime_ns, facts.digest, facts.width, facts.format, None)


def test_search_returns_more_matches_than_a_page(db: Path) -> None:
    hashes = np.repeat(make_hashes(10, seed=2)[:1], 300, axis=0)
    with MilvusIndex(str(db), source="crowd", algorithms=("phash",), prefix="crowd") as index:
        sync(index, make_items(hashes))
        [hits] = index.search(hashes[:1, 0, 0], 0)
        assert len(hits) == 300 and len({m.record.path for m in hits}) == 300


def test_sources_share_a_collection_without_clobbering(db: Path) -> None:
    items = make_items(make_hashes(50, seed=8))
    odd = os.fsdecode(b"/photos/caf\xe9.jpg")
    items.append((odd, items[10][1]._replace(size=77)))
    uri = str(db)
    with MilvusIndex(uri, source="nas", algorithms=("phash", "dhash"), prefix="shared") as nas, \
            MilvusIndex(uri, source="laptop", algorithms=("phash", "dhash"), prefix="shared") as laptop:
        assert (sync(nas, items).added, sync(laptop, items[:20]).added) == (51, 20)
        assert len(nas) == 71 and nas.synced()[odd] == (77, items[10][1].mtime_ns, items[10][1].ctime_ns)

        changed = items[:30] + [(items[30][0], items[30][1]._replace(ctime_ns=1))] + items[40:]
        report = sync(nas, changed)
        assert (report.added, report.updated, report.removed, report.unchanged) == (0, 1, 9, 41)
        assert len(nas) == 62 and len(laptop.synced()) == 20 and len(nas.synced()) == 42

        hits = nas.search(np.array([code(items[5][1])], dtype=np.uint64), 0)[0]
        assert sorted(m.source for m in hits) == ["laptop", "nas"]
        [same] = nas.identical([items[10][1].digest])
        assert sorted((m.source, m.record.path) for m in same) == [
            ("laptop", items[10][0]), ("nas", items[10][0]), ("nas", odd)]
        assert odd in {m.record.path for m in nas.search(np.array([code(items[10][1])], dtype=np.uint64), 0)[0]}

        # An entry written by another fingerprint pipeline is out of date, and never matched.
        row = nas._call("query", "shared_phash", ids=[row_id("nas", items[0][0])], output_fields=["*"])[0]
        row.update(pipeline=PIPELINE_VERSION - 1, fingerprint=row["fingerprint"][0])  # a query gives [bytes]
        nas._call("upsert", "shared_phash", [row])
        assert nas.synced()[items[0][0]] is None
        found = {(m.source, m.record.path) for m in nas.search(np.array([row["code"]]).view(np.uint64), 0)[0]}
        assert ("laptop", items[0][0]) in found and ("nas", items[0][0]) not in found
        assert sync(nas, changed).updated == 1


def test_unusable_uris_and_collections_say_why(db: Path, tmp_path: Path) -> None:
    with pytest.raises(IndexUnavailable, match="name.db"):
        MilvusIndex(str(tmp_path / "fingerprints.sqlite3"))
    with pytest.raises(ValueError, match="source name"):
        MilvusIndex(str(db), source='x" or source != "')
    with MilvusIndex(str(db), source="alpha", algorithms=("whash",), prefix="absent") as index:
        with pytest.raises(IndexUnavailable, match="no collection absent_whash"):
            index.search(np.array([1], dtype=np.uint64), 4, algorithm="whash")
        client = index._client
        schema = client.create_schema(auto_id=False)
        schema.add_field("id", milvus_index._import_pymilvus().DataType.INT64, is_primary=True)
        schema.add_field("v", milvus_index._import_pymilvus().DataType.FLOAT_VECTOR, dim=4)
        client.create_collection("absent_whash", schema=schema)
        with pytest.raises(IndexUnavailable, match="not a dupeview fingerprint collection"):
            index.search(np.array([1], dtype=np.uint64), 4, algorithm="whash")


# --------------------------------------------------------------------------- the CLI


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    from tests.test_cli import run

    return run(*args, cwd=cwd)


def test_cli_scan_push_and_query(tmp_path: Path) -> None:
    from tests.test_cli import small_library

    lib = small_library(tmp_path / "lib")
    save(photo(1, (480, 360)).resize((300, 225)), tmp_path / "upload.jpg")
    cache, uri = str(tmp_path / "cache.sqlite3"), str(tmp_path / "shared.db")

    local = cli("scan", str(lib), "--cache", cache, "--format", "json", "--workers", "0", cwd=tmp_path)
    remote = cli("scan", str(lib), "--cache", cache, "--format", "json", "--milvus", uri, "--source", "box", cwd=tmp_path)
    assert remote.returncode == 0, remote.stderr
    assert remote.stderr == ""
    assert json.loads(remote.stdout)["groups"] == json.loads(local.stdout)["groups"]
    assert len(json.loads(local.stdout)["groups"]) == 1

    (lib / "2019" / "IMG_0002.jpg").unlink()
    with FingerprintCache(cache) as c:
        c.forget([str(lib / "2019" / "IMG_0002.jpg")])
    push = cli("index", "push", "--milvus", uri, "--cache", cache, "--source", "box", "--algorithm", "phash", cwd=tmp_path)
    assert push.returncode == 0, push.stderr
    assert "source box: 0 added, 0 updated, 1 removed, 3 unchanged" in push.stdout

    query = cli("query", str(tmp_path / "upload.jpg"), str(lib / "2019" / "IMG_0001.jpg"), "--milvus", uri,
                "--format", "json", cwd=tmp_path)
    assert query.returncode == 0, query.stderr
    doc = json.loads(query.stdout)
    assert doc["library_images"] == 3
    upload, original = doc["results"]
    assert sorted(Path(m["path"]).name for m in upload["matches"]) == ["IMG_0001.jpg", "IMG_0001.jpg", "IMG_0001_small.jpg"]
    assert all(m["source"] == "box" and not m["identical"] for m in upload["matches"])
    assert [m["identical"] for m in original["matches"]] == [True, True, False]

    assert cli("query", str(tmp_path / "upload.jpg"), "--milvus", uri, "--in", cache, cwd=tmp_path).returncode == 2
    missing = cli("index", "push", "--milvus", uri, "--cache", str(tmp_path / "nope.sqlite3"), cwd=tmp_path)
    assert missing.returncode == 2 and "no fingerprint database" in missing.stderr
