"""Reads overlapped with decoding: a few I/O threads per decoder process read a batch's files ahead.

On a network share every open and read waits for a round trip, and a decoder that reads one file
at a time spends most of its time waiting. Here, while the decoder works on one file, up to
`readers` threads read the next files of its batch; the bytes land in the operating system's
page cache, so the decoder's own read (decode.analyse, unchanged: same checks, same limits)
is served from memory. Reads release the GIL, so the threads overlap the decoding. The wait for
a file's read-ahead happens inside workers.analyse_task's per-file clock, so a read that never
returns is timed out like any other. Off (0) by default: on a local disk there is nothing to
wait for. `DUPEVIEW_PREFETCH=N` (read by each decoder process) sets it.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
from typing import Final

from dupeview.core import decode
from dupeview.core.decode import DecodeFailure, ImageFacts

ENV: Final = "DUPEVIEW_PREFETCH"
MAX_READERS: Final = 16
_CHUNK = 1 << 20
_LIMIT = 256 << 20  # files bigger than this are left to the decoder (it refuses most of them anyway)

_pool: cf.ThreadPoolExecutor | None = None
_pool_size = 0


def default_readers() -> int:
    """I/O threads per decoder from $DUPEVIEW_PREFETCH (0, the default, when unset or not a number)."""
    try:
        return max(0, min(MAX_READERS, int(os.environ.get(ENV, "0"))))
    except ValueError:
        return 0


def read_ahead(path: str) -> None:
    """Read the file once, discarding the bytes: afterwards they are in the page cache."""
    with contextlib.suppress(OSError), open(path, "rb", buffering=0) as fh:
        buffer = bytearray(_CHUNK)
        done = 0
        while done < _LIMIT:
            n = fh.readinto(buffer)
            if not n:
                break
            done += n


def _readers(count: int) -> cf.ThreadPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != count:  # one pool per decoder process, kept between batches
        _pool, _pool_size = cf.ThreadPoolExecutor(max_workers=count, thread_name_prefix="prefetch"), count
    return _pool


def ahead(paths: list[str]) -> list[cf.Future[None]] | None:
    """Start reading these files ahead (with default_readers() threads); None when off."""
    readers = default_readers()
    if readers <= 0 or len(paths) < 2:
        return None
    pool = _readers(readers)
    return [pool.submit(read_ahead, p) for p in paths]


def wait(reads: list[cf.Future[None]] | None, k: int) -> None:
    """Until the k-th file's read-ahead is done (it never raises: analyse reports a bad file)."""
    if reads is not None:
        reads[k].result()


def analyse_batch(paths: list[str]) -> list[ImageFacts | DecodeFailure]:
    """decode.analyse_many with read-ahead (what workers.analyse_task does, minus the watch)."""
    reads = ahead(paths)
    return decode.analyse_many(paths, lambda k: wait(reads, k))
