"""The Milvus index against a real Milvus server process on 127.0.0.1 (Milvus Lite's server binary
on a TCP port, the gRPC protocol of a Milvus standalone server), through the real CLI: push, query,
scan and stale-entry removal with two sources, and a server that is unreachable, restarts mid-push
or refuses a request.

Skipped where the optional `dupeview[milvus]` extra is not installed."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # milvus_lite imports the deprecated pkg_resources
    pytest.importorskip("pymilvus", reason="the dupeview[milvus] extra is not installed")
    pytest.importorskip("milvus_lite", reason="the dupeview[milvus] extra is not installed (Milvus Lite)")

from dupeview.core.cache import FingerprintCache
from dupeview.core.index import IndexUnavailable, sync
from dupeview.core.milvus_index import MilvusIndex, import_pymilvus
from tests.core.test_index import make_hashes, make_items
from tests.images import photo, save
from tests.milvus_server import MilvusServer, free_port
from tests.test_cli import ROOT, run, small_library

# A Milvus standalone or distributed server to run these tests against instead (see docs/milvus.md);
# unset, each test module starts Milvus Lite's server binary itself.
EXTERNAL = os.environ.get("DUPEVIEW_TEST_MILVUS_URI", "")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MilvusServer]:
    if EXTERNAL:
        external = MilvusServer(tmp_path_factory.mktemp("milvus-external"))
        external.uri = EXTERNAL
        yield external
        return
    with MilvusServer(tmp_path_factory.mktemp("milvus-server")) as running:
        yield running


def own_server(folder: Path) -> contextlib.AbstractContextManager[MilvusServer]:
    """A fresh server for a test that needs an empty one (or to stop it)."""
    if EXTERNAL:
        pytest.skip("starts its own Milvus Lite server; DUPEVIEW_TEST_MILVUS_URI is set")
    return MilvusServer(folder)


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run(*args, cwd=cwd)


def entries(cache: Path) -> list[tuple[str, object]]:
    with FingerprintCache(cache) as c:
        return list(c.entries())


def held(uri: str, source: str, prefix: str = "dupeview") -> set[str]:
    with MilvusIndex(uri, source=source, algorithms=("phash",), prefix=prefix) as index:
        return set(index.synced())


def test_two_sources_push_query_scan_and_forget_stale_entries(server: MilvusServer, tmp_path: Path) -> None:
    uri = server.uri
    nas, laptop = small_library(tmp_path / "nas"), tmp_path / "laptop"
    save(photo(1, (480, 360)).resize((320, 240)), laptop / "copy-of-1.jpg")
    save(photo(7, (480, 360)), laptop / "other.jpg")
    nas_cache, laptop_cache = tmp_path / "nas.sqlite3", tmp_path / "laptop.sqlite3"

    # nas: scan with --milvus (writes its entries and groups with Milvus' pair search).
    local = cli("scan", str(nas), "--cache", str(nas_cache), "--format", "json", "--workers", "0", "--no-cache",
                cwd=tmp_path)
    remote = cli("scan", str(nas), "--cache", str(nas_cache), "--format", "json", "--milvus", uri, "--source", "nas",
                 cwd=tmp_path)
    assert remote.returncode == 0 and remote.stderr == "", remote.stderr
    assert json.loads(remote.stdout)["groups"] == json.loads(local.stdout)["groups"]
    assert len(held(uri, "nas")) == 4

    # laptop: scan locally, then push its cache.
    assert cli("scan", str(laptop), "--cache", str(laptop_cache), cwd=tmp_path).returncode == 0
    push = cli("index", "push", "--milvus", uri, "--cache", str(laptop_cache), "--source", "laptop", cwd=tmp_path)
    assert push.returncode == 0, push.stderr
    assert "source laptop: 2 added, 0 updated, 0 removed, 0 unchanged" in push.stdout

    # A query sees both sources.
    query = cli("query", str(nas / "2019" / "IMG_0001.jpg"), "--milvus", uri, "--format", "json", cwd=tmp_path)
    assert query.returncode == 0, query.stderr
    [result] = json.loads(query.stdout)["results"]
    assert sorted((m["source"], Path(m["path"]).name) for m in result["matches"]) == [
        ("laptop", "copy-of-1.jpg"), ("nas", "IMG_0001.jpg"), ("nas", "IMG_0001.jpg"), ("nas", "IMG_0001_small.jpg")]

    # A file deleted outside dupeview: the next `scan --milvus` forgets it in the cache and in
    # Milvus, and leaves the other source alone.
    gone = nas / "backup" / "IMG_0001.jpg"
    gone.unlink()
    again = cli("scan", str(nas), "--cache", str(nas_cache), "--milvus", uri, "--source", "nas", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert str(gone) not in held(uri, "nas") and len(held(uri, "nas")) == 3
    assert str(gone) not in dict(entries(nas_cache))
    assert len(held(uri, "laptop")) == 2

    # Deleted on the laptop: a local scan forgets it in the cache, `index push` then in Milvus.
    (laptop / "other.jpg").unlink()
    assert cli("scan", str(laptop), "--cache", str(laptop_cache), cwd=tmp_path).returncode == 0
    push = cli("index", "push", "--milvus", uri, "--cache", str(laptop_cache), "--source", "laptop", cwd=tmp_path)
    assert "source laptop: 0 added, 0 updated, 1 removed, 1 unchanged" in push.stdout, push.stdout + push.stderr
    assert held(uri, "laptop") == {str(laptop / "copy-of-1.jpg")}
    query = cli("query", str(laptop / "copy-of-1.jpg"), "--milvus", uri, "--format", "json", cwd=tmp_path)
    assert "other.jpg" not in query.stdout

    # A scan of a subfolder only checks that subfolder: the rest of nas's entries stay.
    assert cli("scan", str(nas / "2019"), "--cache", str(nas_cache), "--milvus", uri, "--source", "nas",
               cwd=tmp_path).returncode == 0
    assert len(held(uri, "nas")) == 3


def big_cache(path: Path, n: int) -> list[tuple[str, object]]:
    with FingerprintCache(path) as cache:
        cache.store(make_items(make_hashes(n, seed=3)))
    return entries(path)


def one_plain_message(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("dupeview: "), result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    return lines[0]


def test_an_unreachable_server_is_one_plain_message(tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    before = big_cache(cache, 50)
    nowhere = f"http://127.0.0.1:{free_port()}"
    message = one_plain_message(cli("index", "push", "--milvus", nowhere, "--cache", str(cache), cwd=tmp_path))
    assert nowhere in message and "reachable" in message
    lib = small_library(tmp_path / "lib")
    message = one_plain_message(cli("scan", str(lib), "--cache", str(cache), "--milvus", nowhere, cwd=tmp_path))
    assert nowhere in message
    assert entries(cache) == before


def test_a_server_restart_mid_push_stops_it_plainly_and_the_next_push_resumes(server: MilvusServer,
                                                                             tmp_path: Path) -> None:
    if EXTERNAL:
        pytest.skip("stops and starts the server; DUPEVIEW_TEST_MILVUS_URI is set")
    cache = tmp_path / "cache.sqlite3"
    before = big_cache(cache, 40_000)
    args = [sys.executable, "-m", "dupeview", "index", "push", "--milvus", server.uri, "--cache", str(cache),
            "--source", "restart", "--algorithm", "phash", "--algorithm", "dhash"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    push = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
    try:
        # Stop the server as soon as the first batch has landed, keep it down until the push gives up.
        pymilvus = import_pymilvus()
        watcher = pymilvus.MilvusClient(server.uri)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and push.poll() is None:
            if watcher.has_collection("dupeview_dhash"):
                rows = watcher.query("dupeview_dhash", filter='source == "restart"', output_fields=["count(*)"])
                if rows and rows[0]["count(*)"] > 0:
                    break
            time.sleep(0.05)
        watcher.close()
        assert push.poll() is None, "the push ended before the server could be stopped"
        server.stop()
        out, err = push.communicate(timeout=180)
    finally:
        if push.poll() is None:
            push.kill()
        if not server.running:
            server.start()
    message = one_plain_message(subprocess.CompletedProcess(args, push.returncode, out, err))
    assert "Milvus" in message
    assert entries(cache) == before  # the local cache is untouched

    resumed = cli(*args[3:], cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    report = resumed.stdout.split("source restart: ")[1]
    added, updated, removed, unchanged = (int(w) for w in report.split()[0:8:2])
    assert unchanged >= 5000 and added + updated + unchanged == 40_000 and removed == 0, report
    assert len(held(server.uri, "restart")) == 40_000


def test_a_refused_request_is_one_plain_message(tmp_path: Path) -> None:
    with own_server(tmp_path / "server") as server:
        # A collection named like dupeview's, with its fields, but paths limited to 8 characters:
        # the server refuses the upsert of longer paths.
        pymilvus = import_pymilvus()
        client = pymilvus.MilvusClient(server.uri)
        dt = pymilvus.DataType
        schema = client.create_schema(auto_id=False)
        schema.add_field("id", dt.INT64, is_primary=True)
        schema.add_field("fingerprint", dt.BINARY_VECTOR, dim=64)
        for field in ("code", "size", "mtime_ns", "ctime_ns"):
            schema.add_field(field, dt.INT64)
        for field in ("source", "path", "path_bytes", "digest", "format", "taken", "camera"):
            schema.add_field(field, dt.VARCHAR, max_length=8 if field == "path" else 512)
        for field in ("width", "height", "pipeline"):
            schema.add_field(field, dt.INT32)
        schema.add_field("contrast", dt.FLOAT)
        params = client.prepare_index_params()
        params.add_index("fingerprint", index_type="BIN_FLAT", metric_type="HAMMING")
        client.create_collection("dupeview_whash", schema=schema, index_params=params)
        client.close()

        cache = tmp_path / "cache.sqlite3"
        before = big_cache(cache, 20)
        message = one_plain_message(cli("index", "push", "--milvus", server.uri, "--cache", str(cache),
                                        "--algorithm", "whash", cwd=tmp_path))
        assert "upsert failed" in message
        assert entries(cache) == before
        lib = small_library(tmp_path / "lib")
        message = one_plain_message(cli("scan", str(lib), "--cache", str(cache), "--milvus", server.uri,
                                        "--algorithm", "whash", cwd=tmp_path))
        assert "upsert failed" in message


def test_the_ivf_index_needs_a_standalone_server(server: MilvusServer) -> None:
    """BIN_IVF_FLAT (chosen by "auto" from IVF_MIN_ROWS rows) exists on Milvus standalone and
    distributed only: Milvus Lite's server refuses it, plainly."""
    items = make_items(make_hashes(3000, seed=9))
    with MilvusIndex(server.uri, source="ivf", algorithms=("phash",), prefix="ivf", index_type="BIN_IVF_FLAT") as index:
        if not EXTERNAL:
            with pytest.raises(IndexUnavailable, match="only support BIN_FLAT"):
                sync(index, items)
            return
        index.drop()
        sync(index, items)
        assert index._call("describe_index", "ivf_phash", index_name="fingerprint")["index_type"] == "BIN_IVF_FLAT"
        [hits] = index.search(make_hashes(3000, seed=9)[:1, 0, 0], 0)
        assert items[0][0] in {m.record.path for m in hits}
        index.drop()
