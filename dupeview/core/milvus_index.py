"""A shared fingerprint index on Milvus: 64-bit binary vectors searched by Hamming distance.

Optional (`pip install 'dupeview[milvus]'`): pymilvus is imported here only, and only when a
`MilvusIndex` is opened, so `import dupeview.core` never needs it. The URI is a Milvus server
(`http://host:19530`, `https://...`, `tcp://...`, `unix:/path.sock`) or a local `*.db` file,
which runs embedded Milvus Lite.

Schema: one collection per fingerprint algorithm, `<prefix>_<algorithm>` (`dupeview_phash`, ...),
with one row per (source, path):

    id           INT64  primary key: the first 8 bytes of blake2b(source NUL path-bytes)
    fingerprint  BINARY_VECTOR(64), metric HAMMING; the code as shown (big-endian, the bit order
                 of imagehash's hex strings); rotated/mirrored copies are found by probing with
                 the query's 8 orientations, so only this one is stored
    code         INT64  the same 64 bits as a signed integer (searches return it; Milvus Lite
                 cannot return vector fields from a search)
    source       VARCHAR  machine or library name (INVERTED index): sources never clobber each other
    path         VARCHAR  the path as text (non-UTF-8 bytes shown as \\xNN escapes)
    path_bytes   VARCHAR  hex of the path's bytes when it is not valid UTF-8, else ""
    size, mtime_ns, ctime_ns  INT64   the file's facts when it was fingerprinted
    digest       VARCHAR  the first 16 bytes of the SHA-256 of the file's bytes, hex (INVERTED index): identical copies
    width, height INT32; format, taken, camera VARCHAR ("" for unknown); contrast FLOAT
    pipeline     INT32  decode.PIPELINE_VERSION: fingerprints of another version never match

The vector index is BIN_FLAT (exact) up to IVF_MIN_ROWS rows and BIN_IVF_FLAT (approximate,
nlist ~ 4 sqrt(rows)) above, on a server; Milvus Lite only has BIN_FLAT.

Range search semantics, as measured on Milvus Lite 2.5.1: `radius` is an exclusive upper bound
(distance < radius) and `range_filter` an inclusive lower bound (distance >= range_filter), so a
threshold t is searched with radius t + 1. At most 16384 results per probe (Milvus' top-k limit).
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from dupeview.core import milvus_pairs, pairs
from dupeview.core.cache import CacheKey
from dupeview.core.decode import PIPELINE_VERSION, ImageFacts
from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.grouping import DEFAULT_ALGORITHM, FLAT_CONTRAST
from dupeview.core.index import (
    IndexUnavailable,
    Match,
    PairSearch,
    as_probes,
    check_algorithm,
    codes_of,
    default_source,
    record_of,
)
from dupeview.core.milvus_pairs import VECTORS_PER_REQUEST
from dupeview.core.milvus_rows import (
    DIM,
    IVF_MIN_ROWS,
    MAX_TOPK,
    RECORD_FIELDS,
    SCHEMA_VERSION,
    TEXT_LIMITS,
    TOKEN_ENV,
    choose_index,
    facts_of_row,
    import_pymilvus,
    is_local,
    path_fields,
    path_of,
    reason,
    row_id,
    text,
    vectors,
)

__all__ = ["DIM", "IVF_MIN_ROWS", "MAX_TOPK", "SCHEMA_VERSION", "TOKEN_ENV", "MilvusIndex", "choose_index",
           "is_local", "row_id"]

log = logging.getLogger(__name__)

# Results asked for per probe on a first pass: near-duplicate clusters are small. A probe that
# fills it is answered again with the full top-k.
_QUERY_LIMIT = 256
_WRITE_BATCH = 5000
_READ_BATCH = 10000
_SOURCE_RE = re.compile(r"^[\w.@:/+ -]{1,255}$")
_PREFIX_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,200}$")
_LITE_NAME_RE = re.compile(r"^[a-zA-Z0-9.\-_]{1,36}$")  # what Milvus Lite accepts as a file name
_import_pymilvus = import_pymilvus  # the name tests and older callers use

# Open MilvusIndex objects per Milvus Lite file: this process's embedded server for a file is
# shared by all of them and stopped when the last one closes.
_lite_users: dict[str, int] = {}
_aliases = itertools.count(1)


class MilvusIndex:
    """Fingerprints of one or more sources in Milvus; implements index.FingerprintIndex.

    uri: a Milvus server address or a local `.db` file (Milvus Lite; one process at a time).
    source: whose entries `add`/`remove`/`synced` touch (default: this machine's host name).
    algorithms: the fingerprint algorithms kept, one collection each (default: all four).
    index_type: "auto" (by size), "BIN_FLAT" or "BIN_IVF_FLAT" (server only; nprobe for searches).
    token: for servers with authentication ("user:password" or an API key); default $DUPEVIEW_MILVUS_TOKEN.
    """

    def __init__(self, uri: str, *, source: str | None = None, algorithms: Sequence[str] = ALGORITHMS,
                 prefix: str = "dupeview", index_type: str = "auto", nprobe: int = 64, token: str = "",
                 retries: int = 3) -> None:
        self.uri = str(uri)
        self.source = source if source is not None else default_source()
        if not _SOURCE_RE.match(self.source):
            raise ValueError(f"source name {self.source!r}: use letters, digits, spaces and . _ - @ : / + (up to 255)")
        if not _PREFIX_RE.match(prefix):
            raise ValueError(f"collection prefix {prefix!r}: use letters, digits and _ (not first a digit)")
        if not algorithms:
            raise ValueError("at least one algorithm is needed")
        for a in algorithms:
            check_algorithm(a)
        if index_type not in ("auto", "BIN_FLAT", "BIN_IVF_FLAT"):
            raise ValueError(f"index_type {index_type!r}: choose auto, BIN_FLAT or BIN_IVF_FLAT")
        self.algorithms = tuple(dict.fromkeys(algorithms))
        self.prefix = prefix
        self.index_type = index_type
        self.nprobe = nprobe
        self.retries = retries
        self.local = is_local(self.uri)
        self._pymilvus = import_pymilvus()
        self._lite_path: str | None = None
        self._alias = f"dupeview-{os.getpid()}-{next(_aliases)}"
        self._client = self._connect(token or os.environ.get(TOKEN_ENV, ""))
        self._ready: set[str] = set()
        self._writers: dict[str, Any] = {}

    # -- connection ----------------------------------------------------------------------
    def _connect(self, token: str) -> Any:
        uri = self.uri
        if self.local:
            path = Path(uri).expanduser().absolute()
            if path.suffix != ".db" or not _LITE_NAME_RE.match(path.name):
                raise IndexUnavailable(
                    f"{uri}: a Milvus Lite file must be named like 'name.db' (letters, digits, . _ -; "
                    f"at most 36 characters), or give a server address such as http://host:19530")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise IndexUnavailable(f"cannot create the folder for {uri}: {exc.strerror or exc}") from exc
            uri = str(path)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # milvus_lite imports pkg_resources (hence setuptools<81)
                # An alias of its own: pymilvus shares one connection per URI otherwise, and
                # closing any client would close it for all.
                client = self._pymilvus.MilvusClient(uri=uri, token=token, alias=self._alias)
            if self.local:
                self._lite_path = uri
                _lite_users[uri] = _lite_users.get(uri, 0) + 1
            return client
        except Exception as exc:
            hint = "is it open in another dupeview or Milvus Lite process?" if self.local else "is the server running and reachable?"
            raise IndexUnavailable(f"cannot open Milvus at {self.uri} ({reason(exc)}); {hint}") from exc

    def close(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.close()
        finally:
            path, self._lite_path = self._lite_path, None
            if path is not None:
                _lite_users[path] -= 1
                if not _lite_users[path]:
                    # The embedded server lives until released (else until this process exits),
                    # and holds a lock on the file that keeps other processes out.
                    del _lite_users[path]
                    from milvus_lite.server_manager import server_manager_instance
                    server_manager_instance.release_server(path)

    def __enter__(self) -> MilvusIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if self._client is None:
            raise IndexUnavailable("the Milvus index is closed")
        try:
            return getattr(self._client, method)(*args, retry_times=self.retries, **kwargs)
        except self._pymilvus.MilvusException as exc:
            raise IndexUnavailable(f"Milvus {method} failed: {reason(exc)}") from exc

    # -- collections ---------------------------------------------------------------------
    def collection(self, algorithm: str) -> str:
        return f"{self.prefix}_{algorithm}"

    def _exists(self, algorithm: str) -> bool:
        name = self.collection(algorithm)
        if name in self._ready:
            return True
        if not self._call("has_collection", name):
            return False
        self._check_schema(name)
        self._call("load_collection", name)
        self._ready.add(name)
        return True

    def _ensure(self, algorithm: str, expected_rows: int = 0) -> str:
        name = self.collection(algorithm)
        if self._exists(algorithm):
            return name
        dt = self._pymilvus.DataType
        schema = self._pymilvus.MilvusClient.create_schema(
            auto_id=False, enable_dynamic_field=False,
            description=f"dupeview fingerprints ({algorithm}), schema {SCHEMA_VERSION}")
        schema.add_field("id", dt.INT64, is_primary=True)
        schema.add_field("fingerprint", dt.BINARY_VECTOR, dim=DIM)
        schema.add_field("code", dt.INT64)
        for field in ("source", "path", "path_bytes", "digest"):
            schema.add_field(field, dt.VARCHAR, max_length=TEXT_LIMITS[field])
        for field in ("size", "mtime_ns", "ctime_ns"):
            schema.add_field(field, dt.INT64)
        schema.add_field("width", dt.INT32)
        schema.add_field("height", dt.INT32)
        for field in ("format", "taken", "camera"):
            schema.add_field(field, dt.VARCHAR, max_length=TEXT_LIMITS[field])
        schema.add_field("contrast", dt.FLOAT)
        schema.add_field("pipeline", dt.INT32)
        params = self._pymilvus.MilvusClient.prepare_index_params()
        kind, extra = self._index_for(expected_rows)
        params.add_index("fingerprint", index_type=kind, metric_type="HAMMING", params=extra)
        params.add_index("source", index_type="INVERTED")
        params.add_index("digest", index_type="INVERTED")
        # Strong: a scan writes its new fingerprints and searches them at once.
        self._call("create_collection", name, schema=schema, index_params=params, consistency_level="Strong")
        self._call("load_collection", name)
        self._ready.add(name)
        log.info("created Milvus collection %s (%s)", name, kind)
        return name

    def _index_for(self, rows: int) -> tuple[str, dict[str, int]]:
        if self.index_type == "auto":
            return choose_index(rows, self.local)
        if self.index_type == "BIN_IVF_FLAT":
            return "BIN_IVF_FLAT", choose_index(max(rows, IVF_MIN_ROWS), False)[1]
        return "BIN_FLAT", {}

    def _check_schema(self, name: str) -> None:
        info = self._call("describe_collection", name)
        fields = {f["name"]: f for f in info.get("fields", [])}
        vector = fields.get("fingerprint")
        wanted = {"id", "code", "pipeline", *RECORD_FIELDS}
        if vector is None or not wanted <= fields.keys() or int(vector.get("params", {}).get("dim", 0)) != DIM:
            raise IndexUnavailable(f"the Milvus collection {name} exists but is not a dupeview fingerprint "
                                   f"collection (schema {SCHEMA_VERSION}); choose another prefix")

    def _reindex_if_grown(self, algorithm: str) -> None:
        """Switch a server collection from BIN_FLAT to BIN_IVF_FLAT once it is big enough ("auto")."""
        if self.local or self.index_type != "auto":
            return
        name = self.collection(algorithm)
        rows = self._count(name)
        kind, extra = choose_index(rows, False)
        if kind == "BIN_FLAT":
            return  # only ever switched up: a collection that shrinks keeps its IVF index
        current = self._call("describe_index", name, index_name="fingerprint") or {}
        if current.get("index_type") == kind:
            return
        # The collection cannot be searched while its index is rebuilt (minutes for millions of rows).
        log.info("re-indexing %s as %s (%d rows)", name, kind, rows)
        self._call("release_collection", name)
        self._call("drop_index", name, index_name="fingerprint")
        params = self._pymilvus.MilvusClient.prepare_index_params()
        params.add_index("fingerprint", index_type=kind, metric_type="HAMMING", params=extra)
        self._call("create_index", name, params)
        self._call("load_collection", name)

    def _count(self, name: str) -> int:
        rows = self._call("query", name, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0

    def __len__(self) -> int:
        algorithm = self.algorithms[0]
        return self._count(self.collection(algorithm)) if self._exists(algorithm) else 0

    # -- writing --------------------------------------------------------------------------
    def add(self, items: Iterable[tuple[str, ImageFacts]]) -> int:
        items = [(path, facts) for path, facts in items if isinstance(facts, ImageFacts)]
        for start in range(0, len(items), _WRITE_BATCH):
            self._add_batch(items[start:start + _WRITE_BATCH])
        for algorithm in self.algorithms if items else ():
            self._reindex_if_grown(algorithm)
        return len(items)

    def _add_batch(self, items: list[tuple[str, ImageFacts]]) -> None:
        # Columns, written with the ORM's column-based upsert: pymilvus converts row dicts field
        # by field in Python, which made row upserts six times slower.
        shown, raw = zip(*(path_fields(path) for path, _ in items), strict=True)
        facts = [f for _, f in items]
        m = len(items)
        columns: dict[str, list[Any]] = {
            "id": [row_id(self.source, path) for path, _ in items], "source": [self.source] * m,
            "path": [text(p, "path") for p in shown], "path_bytes": list(raw),
            "size": [f.size for f in facts], "mtime_ns": [f.mtime_ns for f in facts],
            "ctime_ns": [f.ctime_ns for f in facts], "digest": [f.digest.hex() for f in facts],
            "width": [f.width for f in facts], "height": [f.height for f in facts],
            "format": [text(f.format, "format") for f in facts], "taken": [text(f.taken, "taken") for f in facts],
            "camera": [text(f.camera, "camera") for f in facts], "contrast": [float(f.contrast) for f in facts],
            "pipeline": [PIPELINE_VERSION] * m}
        codes = np.stack([codes_of(f)[:, 0] for f in facts])  # (rows, algorithms)
        for algorithm in self.algorithms:
            name = self._ensure(algorithm, expected_rows=m)
            column = codes[:, ALGORITHMS.index(algorithm)]
            columns["fingerprint"] = vectors(column)
            columns["code"] = column.view(np.int64).tolist()
            writer = self._writer(name)
            try:
                writer.upsert([columns[f.name] for f in writer.schema.fields], retry_times=self.retries)
            except self._pymilvus.MilvusException as exc:
                raise IndexUnavailable(f"Milvus upsert failed: {reason(exc)}") from exc

    def _writer(self, name: str) -> Any:
        writer = self._writers.get(name)
        if writer is None:
            try:
                writer = self._writers[name] = self._pymilvus.Collection(name, using=self._alias)
            except self._pymilvus.MilvusException as exc:
                raise IndexUnavailable(f"Milvus cannot open {name}: {reason(exc)}") from exc
        return writer

    def remove(self, paths: Iterable[str]) -> int:
        ids = [row_id(self.source, p) for p in paths]
        for algorithm in self.algorithms:
            if not self._exists(algorithm):
                continue
            for start in range(0, len(ids), _WRITE_BATCH):
                self._call("delete", self.collection(algorithm), ids=ids[start:start + _WRITE_BATCH])
        return len(ids)

    def drop(self) -> None:
        """Delete the collections (every source's entries). For tests and benchmarks."""
        for algorithm in self.algorithms:
            name = self.collection(algorithm)
            if self._call("has_collection", name):
                self._call("drop_collection", name)
            self._ready.discard(name)
            self._writers.pop(name, None)

    # -- reading --------------------------------------------------------------------------
    def _source_filter(self) -> str:
        return f'source == "{self.source}"'

    def _iterate(self, name: str, filter: str, fields: list[str]) -> Iterable[dict[str, Any]]:
        if self._client is None:
            raise IndexUnavailable("the Milvus index is closed")
        try:
            iterator = self._client.query_iterator(name, batch_size=_READ_BATCH, filter=filter, output_fields=fields)
            try:
                while batch := iterator.next():
                    yield from batch
            finally:
                iterator.close()
        except self._pymilvus.MilvusException as exc:
            raise IndexUnavailable(f"Milvus query failed: {reason(exc)}") from exc

    def synced(self) -> dict[str, CacheKey | None]:
        merged: dict[str, CacheKey | None] = {}
        seen_in: dict[str, int] = {}
        collections = [a for a in self.algorithms if self._exists(a)]
        fields = ["path", "path_bytes", "size", "mtime_ns", "ctime_ns", "pipeline"]
        for algorithm in collections:
            for row in self._iterate(self.collection(algorithm), self._source_filter(), fields):
                path = path_of(row)
                key = (row["size"], row["mtime_ns"], row["ctime_ns"]) if row["pipeline"] == PIPELINE_VERSION else None
                if path in merged and merged[path] != key:
                    key = None
                merged[path] = key
                seen_in[path] = seen_in.get(path, 0) + 1
        complete = len(self.algorithms)
        return {path: (key if seen_in[path] == complete else None) for path, key in merged.items()}

    def _range(self, name: str, vectors: list[bytes], threshold: int, limit: int, filter: str,
               output: list[str], low: int | None = None) -> Any:
        params: dict[str, Any] = {"radius": threshold + 1, "nprobe": self.nprobe}
        if low is not None:
            params["range_filter"] = low
        return self._call("search", name, data=vectors, anns_field="fingerprint", limit=limit, filter=filter,
                          output_fields=output, search_params={"metric_type": "HAMMING", "params": params})

    def _content_filter(self, min_contrast: float) -> str:
        return f"pipeline == {PIPELINE_VERSION} and contrast >= {float(min_contrast)!r}"

    def search(self, probes: NDArray[np.uint64], threshold: int, *, algorithm: str = DEFAULT_ALGORITHM,
               min_contrast: float = FLAT_CONTRAST) -> list[list[Match]]:
        check_algorithm(algorithm)
        probes = as_probes(probes)
        threshold = max(0, min(int(threshold), DIM))
        count, k = probes.shape
        results: list[list[Match]] = [[] for _ in range(count)]
        if count == 0 or k == 0:
            return results
        if not self._exists(algorithm):
            raise IndexUnavailable(f"Milvus at {self.uri} has no collection {self.collection(algorithm)}; "
                                   f"add fingerprints with: dupeview index push --milvus {self.uri}")
        name = self.collection(algorithm)
        filter = self._content_filter(min_contrast)
        output = [*RECORD_FIELDS]
        probe_vectors = vectors(probes.reshape(-1))
        best: list[dict[int, tuple[int, dict[str, Any]]]] = [{} for _ in range(count)]

        def take(v: int, hits: Any) -> None:
            found = best[v // k]
            for hit in hits:
                d = int(round(hit["distance"]))
                if hit["id"] not in found or d < found[hit["id"]][0]:
                    found[hit["id"]] = (d, hit["entity"])

        full: list[int] = []
        per_request = max(1, VECTORS_PER_REQUEST // 16)  # these results carry all record fields
        for start in range(0, len(probe_vectors), per_request):
            answer = self._range(name, probe_vectors[start:start + per_request], threshold, _QUERY_LIMIT, filter, output)
            for offset, hits in enumerate(answer):
                take(start + offset, hits)
                if len(hits) >= _QUERY_LIMIT:
                    full.append(start + offset)
        for v in full:  # rare: a probe with more than _QUERY_LIMIT matches
            hits = self._range(name, [probe_vectors[v]], threshold, MAX_TOPK, filter, output)[0]
            if len(hits) < MAX_TOPK:
                take(v, hits)
                continue
            for d in range(threshold + 1):  # one distance at a time, each up to the top-k limit
                hits = self._range(name, [probe_vectors[v]], d, MAX_TOPK, filter, output, low=d)[0]
                take(v, hits)
                if len(hits) >= MAX_TOPK:
                    log.warning("more than %d entries at distance %d from one probe; only %d are reported",
                                MAX_TOPK, d, MAX_TOPK)
        for p, found in enumerate(best):
            matches = [Match(p, d, False, row["source"], record_of(path_of(row), facts_of_row(row), -(n + 1)))
                       for n, (d, row) in enumerate(found.values())]
            matches.sort(key=lambda m: (m.distance, m.source, os.fsencode(m.record.path)))
            results[p] = matches
        return results

    def identical(self, digests: Sequence[bytes]) -> list[list[Match]]:
        results: list[list[Match]] = [[] for _ in digests]
        algorithm = self.algorithms[0]
        if not digests or not self._exists(algorithm):
            return results
        wanted: dict[str, list[int]] = {}
        for p, d in enumerate(digests):
            wanted.setdefault(d.hex(), []).append(p)
        keys = list(wanted)
        n = 0
        for start in range(0, len(keys), 1000):
            listed = ", ".join(f'"{h}"' for h in keys[start:start + 1000])
            for row in self._iterate(self.collection(algorithm), f"digest in [{listed}]", RECORD_FIELDS):
                n += 1
                record = record_of(path_of(row), facts_of_row(row), -n)
                for p in wanted[row["digest"]]:
                    results[p].append(Match(p, 0, True, row["source"], record))
        for matches in results:
            matches.sort(key=lambda m: (m.source, os.fsencode(m.record.path)))
        return results

    # -- all similar pairs -------------------------------------------------------------------
    def pair_search(self, algorithm: str = DEFAULT_ALGORITHM, min_contrast: float = FLAT_CONTRAST) -> PairSearch:
        """A `pairs.similar_pairs` equivalent whose candidates come from Milvus range searches
        among this source's entries.

        Exact whatever the index holds: hits are matched to the given codes by value, every
        candidate's distance is recomputed from the codes (and variants), and codes Milvus does not
        hold (or probes whose result filled the limit) are searched in memory instead. So the codes
        should have been added first (`sync`), or the work simply stays local.
        """
        check_algorithm(algorithm)

        def search(codes: NDArray[np.uint64], max_distance: int, *, variants: NDArray[np.uint64] | None = None,
                   should_stop: Any = None, workers: int | None = None) -> pairs.Pairs:
            range_search = None
            if self._exists(algorithm):
                name = self.collection(algorithm)
                filter = f"{self._source_filter()} and {self._content_filter(min_contrast)}"

                def range_search(probes: list[bytes], max_distance: int, limit: int) -> Any:
                    return self._range(name, probes, max_distance, limit, filter, ["code"])

            return milvus_pairs.similar_pairs(range_search, codes, max_distance, variants, should_stop)

        return search
