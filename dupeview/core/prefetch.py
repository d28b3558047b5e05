"""Reads overlapped with decoding: a few I/O threads per decoder process read a batch's files ahead.

On a network share every open and read waits for a round trip, and a decoder that reads one file
at a time spends most of its time waiting. Here, while the decoder works on one file, up to
`readers` threads read the next files of its batch; the bytes land in the operating system's
page cache, so the decoder's own read (decode.analyse, unchanged: same checks, same limits)
is served from memory. Reads release the GIL, so the threads overlap the decoding. The wait for
a file's read-ahead happens inside workers.analyse_task's per-file clock, so a read that never
returns is timed out like any other. By default a batch whose first file is on a network
filesystem (NFS, SMB, sshfs, …; core/mounts.py) gets NETWORK_READERS threads and any other none:
on a local disk there is nothing to wait for. `DUPEVIEW_PREFETCH=N` (read by each decoder
process) sets N for every batch, 0 turning it off.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import os
from typing import Final

from dupeview.core import decode, mounts
from dupeview.core.decode import DecodeFailure, ImageFacts

ENV: Final = "DUPEVIEW_PREFETCH"
MAX_READERS: Final = 16
# Measured on a FUSE share with 20 ms a round trip (benchmarks/slowfs.py): 4 readers doubled files/s.
NETWORK_READERS: Final = 4
_CHUNK = 1 << 20
_LIMIT = 256 << 20  # files bigger than this are left to the decoder (it refuses most of them anyway)

_pool: cf.ThreadPoolExecutor | None = None
_pool_size = 0


def default_readers(first: str | None = None) -> int:
    """I/O threads per decoder: $DUPEVIEW_PREFETCH when set to a number, else NETWORK_READERS when
    `first` (a batch's first file) is on a network filesystem, else 0."""
    try:
        return max(0, min(MAX_READERS, int(os.environ[ENV])))
    except (KeyError, ValueError):
        pass
    if first is None:
        return 0
    try:
        device = os.stat(first).st_dev
    except OSError:
        return 0   # the decoder reports the file
    return NETWORK_READERS if mounts.on_network(device) else 0


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
    if len(paths) < 2:
        return None
    readers = default_readers(paths[0])
    if readers <= 0:
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
