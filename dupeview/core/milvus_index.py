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

import hashlib
import itertools
import logging
import math
import os
import re
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlparse

import numpy as np
from numpy.typing import NDArray

from dupeview.core import pairs
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

log = logging.getLogger(__name__)

SCHEMA_VERSION: Final = 1
DIM: Final = 64
MAX_TOPK: Final = 16384          # Milvus' limit on results per probe (and on probes per request)
IVF_MIN_ROWS: Final = 2_000_000  # "auto": BIN_FLAT (exact) below, BIN_IVF_FLAT (approximate) from here
SERVER_SCHEMES: Final = ("http", "https", "tcp", "grpc", "unix")
TOKEN_ENV: Final = "DUPEVIEW_MILVUS_TOKEN"  # "user:password" or an API key, for servers that need one

# Probes per search request: big enough to amortise a round trip, small enough that one request
# against a million rows stays a few seconds (cancellation, retries).
_VECTORS_PER_REQUEST = 4096
# Results asked for per probe on a first pass: near-duplicate clusters are small. A probe that
# fills it is answered again with the full top-k (search) or exactly in memory (pair search).
_QUERY_LIMIT = 256
_PAIR_LIMIT = 64
_WRITE_BATCH = 5000
_READ_BATCH = 10000
_SOURCE_RE = re.compile(r"^[\w.@:/+ -]{1,255}$")
_PREFIX_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,200}$")
_LITE_NAME_RE = re.compile(r"^[a-zA-Z0-9.\-_]{1,36}$")  # what Milvus Lite accepts as a file name

_TEXT_LIMITS: Final = {"source": 256, "path": 65535, "path_bytes": 65535, "digest": 64, "format": 32,
                       "taken": 64, "camera": 512}
_RECORD_FIELDS: Final = ["source", "path", "path_bytes", "size", "mtime_ns", "ctime_ns", "digest", "width",
                         "height", "format", "taken", "camera", "contrast"]


# Open MilvusIndex objects per Milvus Lite file: this process's embedded server for a file is
# shared by all of them and stopped when the last one closes.
_lite_users: dict[str, int] = {}
_aliases = itertools.count(1)


def is_local(uri: str) -> bool:
    """True when the URI names a Milvus Lite file rather than a server."""
    return urlparse(uri).scheme.lower() not in SERVER_SCHEMES


def row_id(source: str, path: str) -> int:
    """The primary key of (source, path): stable, and the same on every machine."""
    raw = hashlib.blake2b(source.encode("utf-8") + b"\0" + os.fsencode(path), digest_size=8).digest()
    return int.from_bytes(raw, "little", signed=True)


def choose_index(rows: int, local: bool) -> tuple[str, dict[str, int]]:
    """("BIN_FLAT", {}) or ("BIN_IVF_FLAT", {"nlist": n}) for a collection of this many rows."""
    if local or rows < IVF_MIN_ROWS:
        return "BIN_FLAT", {}
    return "BIN_IVF_FLAT", {"nlist": int(min(65536, max(1024, 4 * math.sqrt(rows))))}


def _import_pymilvus() -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pkg_resources deprecation, protobuf version notes
            import pymilvus
    except ImportError as exc:
        raise IndexUnavailable("Milvus support is not installed; install it with: "
                               "python3 -m pip install 'dupeview[milvus]'") from exc
    # pymilvus prints its log records to stderr with handlers of its own; send them to ours
    # (the CLI's log file) instead, so a query's output stays clean.
    for name in ("pymilvus", "pymilvus.milvus_client", "pymilvus.bulk_writer"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # Said on every query_iterator against Milvus Lite, which has no MVCC timestamps: harmless.
    iterator_log = logging.getLogger("pymilvus.orm.iterator")
    if not any(isinstance(f, _NoMvccNotice) for f in iterator_log.filters):
        iterator_log.addFilter(_NoMvccNotice())
    return pymilvus


class _NoMvccNotice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "mvccTs" not in record.getMessage()


def _text(value: str | None, field: str) -> str:
    """A str protobuf accepts (valid UTF-8) and the field's limit allows."""
    if not value:
        return ""
    raw = value.encode("utf-8", "backslashreplace")
    limit = _TEXT_LIMITS[field]
    if len(raw) > limit:
        raw = raw[:limit]
    return raw.decode("utf-8", "ignore")


def _path_fields(path: str) -> tuple[str, str]:
    raw = os.fsencode(path)
    try:
        return raw.decode("utf-8"), ""
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace"), raw.hex()


def _path_of(row: dict[str, Any]) -> str:
    return os.fsdecode(bytes.fromhex(row["path_bytes"])) if row.get("path_bytes") else row["path"]


def _vectors(codes: NDArray[np.uint64]) -> list[bytes]:
    raw = np.ascontiguousarray(codes, dtype=np.uint64).astype(">u8").tobytes()
    return [raw[k:k + 8] for k in range(0, len(raw), 8)]


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
        self._pymilvus = _import_pymilvus()
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
        except Exception as exc:  # noqa: BLE001 - pymilvus raises several kinds; all mean "cannot use it"
            hint = "is it open in another dupeview or Milvus Lite process?" if self.local else "is the server running and reachable?"
            raise IndexUnavailable(f"cannot open Milvus at {self.uri} ({_reason(exc)}); {hint}") from exc

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
            raise IndexUnavailable(f"Milvus {method} failed: {_reason(exc)}") from exc

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
            schema.add_field(field, dt.VARCHAR, max_length=_TEXT_LIMITS[field])
        for field in ("size", "mtime_ns", "ctime_ns"):
            schema.add_field(field, dt.INT64)
        schema.add_field("width", dt.INT32)
        schema.add_field("height", dt.INT32)
        for field in ("format", "taken", "camera"):
            schema.add_field(field, dt.VARCHAR, max_length=_TEXT_LIMITS[field])
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
        wanted = {"id", "code", "pipeline", *_RECORD_FIELDS}
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
        shown, raw = zip(*(_path_fields(path) for path, _ in items), strict=True)
        facts = [f for _, f in items]
        m = len(items)
        columns: dict[str, list[Any]] = {
            "id": [row_id(self.source, path) for path, _ in items], "source": [self.source] * m,
            "path": [_text(p, "path") for p in shown], "path_bytes": list(raw),
            "size": [f.size for f in facts], "mtime_ns": [f.mtime_ns for f in facts],
            "ctime_ns": [f.ctime_ns for f in facts], "digest": [f.digest.hex() for f in facts],
            "width": [f.width for f in facts], "height": [f.height for f in facts],
            "format": [_text(f.format, "format") for f in facts], "taken": [_text(f.taken, "taken") for f in facts],
            "camera": [_text(f.camera, "camera") for f in facts], "contrast": [float(f.contrast) for f in facts],
            "pipeline": [PIPELINE_VERSION] * m}
        codes = np.stack([codes_of(f)[:, 0] for f in facts])  # (rows, algorithms)
        for algorithm in self.algorithms:
            name = self._ensure(algorithm, expected_rows=m)
            column = codes[:, ALGORITHMS.index(algorithm)]
            columns["fingerprint"] = _vectors(column)
            columns["code"] = column.view(np.int64).tolist()
            writer = self._writer(name)
            try:
                writer.upsert([columns[f.name] for f in writer.schema.fields])
            except self._pymilvus.MilvusException as exc:
                raise IndexUnavailable(f"Milvus upsert failed: {_reason(exc)}") from exc

    def _writer(self, name: str) -> Any:
        writer = self._writers.get(name)
        if writer is None:
            try:
                writer = self._writers[name] = self._pymilvus.Collection(name, using=self._alias)
            except self._pymilvus.MilvusException as exc:
                raise IndexUnavailable(f"Milvus cannot open {name}: {_reason(exc)}") from exc
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
            raise IndexUnavailable(f"Milvus query failed: {_reason(exc)}") from exc

    def synced(self) -> dict[str, CacheKey | None]:
        merged: dict[str, CacheKey | None] = {}
        seen_in: dict[str, int] = {}
        collections = [a for a in self.algorithms if self._exists(a)]
        fields = ["path", "path_bytes", "size", "mtime_ns", "ctime_ns", "pipeline"]
        for algorithm in collections:
            for row in self._iterate(self.collection(algorithm), self._source_filter(), fields):
                path = _path_of(row)
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
        output = [*_RECORD_FIELDS]
        vectors = _vectors(probes.reshape(-1))
        best: list[dict[int, tuple[int, dict[str, Any]]]] = [{} for _ in range(count)]

        def take(v: int, hits: Any) -> None:
            found = best[v // k]
            for hit in hits:
                d = int(round(hit["distance"]))
                if hit["id"] not in found or d < found[hit["id"]][0]:
                    found[hit["id"]] = (d, hit["entity"])

        full: list[int] = []
        per_request = max(1, _VECTORS_PER_REQUEST // 16)  # these results carry all record fields
        for start in range(0, len(vectors), per_request):
            answer = self._range(name, vectors[start:start + per_request], threshold, _QUERY_LIMIT, filter, output)
            for offset, hits in enumerate(answer):
                take(start + offset, hits)
                if len(hits) >= _QUERY_LIMIT:
                    full.append(start + offset)
        for v in full:  # rare: a probe with more than _QUERY_LIMIT matches
            hits = self._range(name, [vectors[v]], threshold, MAX_TOPK, filter, output)[0]
            if len(hits) < MAX_TOPK:
                take(v, hits)
                continue
            for d in range(threshold + 1):  # one distance at a time, each up to the top-k limit
                hits = self._range(name, [vectors[v]], d, MAX_TOPK, filter, output, low=d)[0]
                take(v, hits)
                if len(hits) >= MAX_TOPK:
                    log.warning("more than %d entries at distance %d from one probe; only %d are reported",
                                MAX_TOPK, d, MAX_TOPK)
        for p, found in enumerate(best):
            matches = [Match(p, d, False, row["source"], record_of(_path_of(row), _facts_of_row(row), -(n + 1)))
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
            for row in self._iterate(self.collection(algorithm), f"digest in [{listed}]", _RECORD_FIELDS):
                n += 1
                record = record_of(_path_of(row), _facts_of_row(row), -n)
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
            return self._similar_pairs(algorithm, min_contrast, codes, max_distance, variants, should_stop)

        return search

    def _similar_pairs(self, algorithm: str, min_contrast: float, codes: NDArray[np.uint64], max_distance: int,
                       variants: NDArray[np.uint64] | None, should_stop: Any) -> pairs.Pairs:
        codes = np.ascontiguousarray(np.asarray(codes).astype(np.uint64, copy=False))
        max_distance = max(0, min(int(max_distance), DIM))
        n = codes.shape[0]
        if variants is not None:
            variants = np.ascontiguousarray(np.asarray(variants).astype(np.uint64, copy=False))
            if variants.ndim != 2 or variants.shape[0] != n:
                raise ValueError(f"variants must be (N, K) for {n} codes, got {variants.shape}")
            if variants.shape[1] == 0:
                variants = None
        if n < 2:
            return _pairs(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.uint8), n)
        probes = codes[:, None] if variants is None else np.hstack([codes[:, None], variants])
        rows, row_of = np.unique(probes, axis=0, return_inverse=True)  # one search per distinct probe row
        row_of = row_of.reshape(-1)
        values, value_of = np.unique(codes, return_inverse=True)
        value_of = value_of.reshape(-1)
        k = rows.shape[1]

        cand_row: list[int] = []
        cand_value: list[int] = []
        held = np.zeros(len(rows), dtype=bool)      # Milvus holds the row's own code
        overflow = np.zeros(len(rows), dtype=bool)  # a probe of the row filled the limit
        if self._exists(algorithm):
            name = self.collection(algorithm)
            filter = f"{self._source_filter()} and {self._content_filter(min_contrast)}"
            per_request = max(1, _VECTORS_PER_REQUEST // k)
            for start in range(0, len(rows), per_request):
                if should_stop is not None and should_stop():
                    raise pairs.SearchCancelled()
                block = rows[start:start + per_request]
                answer = self._range(name, _vectors(block.reshape(-1)), max_distance, _PAIR_LIMIT, filter, ["code"])
                for v, hits in enumerate(answer):
                    row = start + v // k
                    if len(hits) >= _PAIR_LIMIT:
                        overflow[row] = True
                    if v % k == 0 and len(hits) and hits.distances[0] == 0:
                        held[row] = True  # hits at distance 0 all carry the row's own code
                    for hit in hits:
                        cand_row.append(row)
                        cand_value.append(hit["entity"]["code"])
        # Hits -> (row, index into values); codes Milvus holds but not given here are dropped.
        hit_codes = np.array(cand_value, dtype=np.int64).view(np.uint64)
        where = np.searchsorted(values, hit_codes)
        where = np.minimum(where, len(values) - 1)
        known = values[where] == hit_codes
        cand_row_a = np.array(cand_row, dtype=np.int64)[known]
        cand_val_a = where[known].astype(np.int64)
        cand_row_a, cand_val_a = cand_row_a[~overflow[cand_row_a]], cand_val_a[~overflow[cand_row_a]]

        positions_of_row = _groups(row_of, len(rows))
        positions_of_value = _groups(value_of, len(values))
        i, j = _expand(cand_row_a, cand_val_a, positions_of_row, positions_of_value)

        # Exact, in memory: probes that overflowed, and codes Milvus does not hold (nothing else
        # would find a pair of two of those).
        local_rows = np.flatnonzero(overflow | ~held)
        if len(local_rows):
            if should_stop is not None and should_stop():
                raise pairs.SearchCancelled()
            li, lj = self._local_pairs(codes, variants, probes, row_of, overflow, held, max_distance)
            i, j = np.concatenate([i, li]), np.concatenate([j, lj])
            log.info("pair search: %d of %d distinct probes answered in memory (%d not held by Milvus)",
                     len(local_rows), len(rows), int((~held).sum()))

        keep = i != j
        i, j = i[keep], j[keep]
        a, b = np.minimum(i, j), np.maximum(i, j)
        d = _distance(codes, variants, a, b)
        within = d <= max_distance
        return _pairs(a[within], b[within], d[within], n)

    @staticmethod
    def _local_pairs(codes: NDArray[np.uint64], variants: NDArray[np.uint64] | None, probes: NDArray[np.uint64],
                     row_of: NDArray[np.intp], overflow: NDArray[np.bool_], held: NDArray[np.bool_],
                     max_distance: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        n = len(codes)
        out_i: list[NDArray[np.int64]] = [np.zeros(0, np.int64)]
        out_j: list[NDArray[np.int64]] = [np.zeros(0, np.int64)]
        # 1. Probes that filled the limit: all their matches among the codes.
        over = np.flatnonzero(overflow[row_of])
        # 2. Codes Milvus does not hold: every probe against them (both directions of a pair).
        missing = np.flatnonzero(~held[row_of])
        if len(missing) * n * probes.shape[1] > 4 * 10**9:
            # Most codes are not in Milvus: the in-memory multi-index search is the cheaper way.
            found = pairs.similar_pairs(codes, max_distance, variants=variants)
            return found.i.astype(np.int64), found.j.astype(np.int64)
        if len(over):
            found = np.array(pairs.query(codes, probes[over], max_distance), dtype=np.int64).reshape(-1, 3)
            out_i.append(over[found[:, 0]])
            out_j.append(found[:, 1])
        if len(missing):
            found = np.array(pairs.query(codes[missing], probes, max_distance), dtype=np.int64).reshape(-1, 3)
            out_i.append(found[:, 0])
            out_j.append(missing[found[:, 1]])
        return np.concatenate(out_i).astype(np.int64), np.concatenate(out_j).astype(np.int64)


def _groups(labels: NDArray[np.intp], count: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(order, starts): the positions with label x are order[starts[x]:starts[x + 1]]."""
    order = np.argsort(labels, kind="stable").astype(np.int64)
    starts = np.zeros(count + 1, dtype=np.int64)
    np.cumsum(np.bincount(labels, minlength=count), out=starts[1:])
    return order, starts


def _expand(a: NDArray[np.int64], b: NDArray[np.int64], groups_a: tuple[NDArray[np.int64], NDArray[np.int64]],
            groups_b: tuple[NDArray[np.int64], NDArray[np.int64]]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Every (position of group a[t], position of group b[t]) for every t."""
    order_a, starts_a = groups_a
    order_b, starts_b = groups_b
    size_a = starts_a[a + 1] - starts_a[a]
    size_b = starts_b[b + 1] - starts_b[b]
    count = size_a * size_b
    total = int(count.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    t = np.repeat(np.arange(len(a)), count)
    offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
    return order_a[starts_a[a][t] + offset // size_b[t]], order_b[starts_b[b][t] + offset % size_b[t]]


def _distance(codes: NDArray[np.uint64], variants: NDArray[np.uint64] | None, a: NDArray[np.int64],
              b: NDArray[np.int64]) -> NDArray[np.uint8]:
    """pairs.similar_pairs' distance: min over the codes and each side's variants against the other."""
    d = np.bitwise_count(codes[a] ^ codes[b])
    if variants is not None and len(a):
        d = np.minimum(d, np.bitwise_count(variants[a] ^ codes[b][:, None]).min(axis=1))
        d = np.minimum(d, np.bitwise_count(variants[b] ^ codes[a][:, None]).min(axis=1))
    return d.astype(np.uint8)


def _pairs(i: NDArray[np.int64], j: NDArray[np.int64], d: NDArray[np.uint8], n: int) -> pairs.Pairs:
    """Unique (i < j) pairs sorted by (distance, i, j), typed like pairs.similar_pairs' result."""
    if len(i):
        # Distances are exact per pair, so duplicates agree: keep one of each.
        order = np.lexsort((j, i))
        i, j, d = i[order], j[order], d[order]
        single = np.r_[True, (i[1:] != i[:-1]) | (j[1:] != j[:-1])]
        i, j, d = i[single], j[single], d[single]
        order = np.lexsort((j, i, d))
        i, j, d = i[order], j[order], d[order]
    kind = np.int32 if n < 2**31 else np.int64
    return pairs.Pairs(i=i.astype(kind), j=j.astype(kind), distance=d.astype(np.uint8))


def _facts_of_row(row: dict[str, Any]) -> ImageFacts:
    return ImageFacts(int(row["size"]), int(row["mtime_ns"]), int(row["ctime_ns"]), bytes.fromhex(row["digest"]),
                      int(row["width"]), int(row["height"]), row["format"], row["taken"] or None,
                      row["camera"] or None, float(row["contrast"]), b"")


def _reason(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return " ".join(str(message).split())[:300]
