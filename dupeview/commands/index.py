"""`dupeview index push`: this machine's cached fingerprints into a shared Milvus index."""

from __future__ import annotations

import argparse
import os
import sys
import time

from dupeview import paths
from dupeview.commands.common import EXIT_OK, UsageError, write
from dupeview.commands.milvus import open_milvus
from dupeview.commands.progress_line import ProgressLine
from dupeview.core.cache import FingerprintCache
from dupeview.core.fingerprint import ALGORITHMS


def run(args: argparse.Namespace) -> int:
    from dupeview.core.index import IndexUnavailable, sync
    path = args.cache or str(paths.cache_db())
    if not os.path.isfile(path):
        raise UsageError(f"no fingerprint database at {path} (scan first, or give --cache)")
    with FingerprintCache(path) as cache:
        if cache.warnings:  # a damaged cache reads as empty: pushing it would delete every entry
            raise UsageError(f"{path} is not a usable dupeview fingerprint database")
        try:
            with open_milvus(args.milvus, args.source, tuple(args.algorithm or ALGORITHMS)) as shared:
                bar = ProgressLine(sys.stderr, not args.quiet)
                start = time.monotonic()
                try:
                    report = sync(shared, cache.entries(), progress=lambda done, total: bar.show(f"Pushing {done}/{total}"))
                finally:
                    bar.close()
                write(f"{args.milvus} ({', '.join(shared.collection(a) for a in shared.algorithms)}), "
                      f"source {shared.source}: {report} ({time.monotonic() - start:.1f} s)\n")
        except IndexUnavailable as exc:
            raise UsageError(str(exc)) from exc
    return EXIT_OK
