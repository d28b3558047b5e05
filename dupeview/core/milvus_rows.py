"""Milvus rows for dupeview: the schema constants, row ids, field conversions and pymilvus' import.

Shared by `milvus_index` (reads and writes) and `milvus_pairs` (pair search); imports pymilvus only
inside `import_pymilvus`, so `import dupeview.core` never needs it.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import warnings
from typing import Any, Final
from urllib.parse import urlparse

import numpy as np
from numpy.typing import NDArray

from dupeview.core.decode import ImageFacts
from dupeview.core.index import IndexUnavailable

SCHEMA_VERSION: Final = 1
DIM: Final = 64
MAX_TOPK: Final = 16384          # Milvus' limit on results per probe (and on probes per request)
IVF_MIN_ROWS: Final = 2_000_000  # "auto": BIN_FLAT (exact) below, BIN_IVF_FLAT (approximate) from here
SERVER_SCHEMES: Final = ("http", "https", "tcp", "grpc", "unix")
TOKEN_ENV: Final = "DUPEVIEW_MILVUS_TOKEN"  # "user:password" or an API key, for servers that need one

TEXT_LIMITS: Final = {"source": 256, "path": 65535, "path_bytes": 65535, "digest": 64, "format": 32,
                      "taken": 64, "camera": 512}
RECORD_FIELDS: Final = ["source", "path", "path_bytes", "size", "mtime_ns", "ctime_ns", "digest", "width",
                        "height", "format", "taken", "camera", "contrast"]


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


def import_pymilvus() -> Any:
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


def text(value: str | None, field: str) -> str:
    """A str protobuf accepts (valid UTF-8) and the field's limit allows."""
    if not value:
        return ""
    raw = value.encode("utf-8", "backslashreplace")
    limit = TEXT_LIMITS[field]
    if len(raw) > limit:
        raw = raw[:limit]
    return raw.decode("utf-8", "ignore")


def path_fields(path: str) -> tuple[str, str]:
    raw = os.fsencode(path)
    try:
        return raw.decode("utf-8"), ""
    except UnicodeDecodeError:
        return raw.decode("utf-8", "backslashreplace"), raw.hex()


def path_of(row: dict[str, Any]) -> str:
    return os.fsdecode(bytes.fromhex(row["path_bytes"])) if row.get("path_bytes") else row["path"]


def vectors(codes: NDArray[np.uint64]) -> list[bytes]:
    raw = np.ascontiguousarray(codes, dtype=np.uint64).astype(">u8").tobytes()
    return [raw[k:k + 8] for k in range(0, len(raw), 8)]


def facts_of_row(row: dict[str, Any]) -> ImageFacts:
    return ImageFacts(int(row["size"]), int(row["mtime_ns"]), int(row["ctime_ns"]), bytes.fromhex(row["digest"]),
                      int(row["width"]), int(row["height"]), row["format"], row["taken"] or None,
                      row["camera"] or None, float(row["contrast"]), b"")


def reason(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return " ".join(str(message).split())[:300]
