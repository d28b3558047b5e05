"""`dupeview scan`: groups of similar images under folders, as text, JSON, CSV or a list of the suggested copies."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Sequence

from dupeview.commands.common import EXIT_OK, EXIT_USAGE, UsageError, gather, open_cache, settings_dict, write
from dupeview.commands.milvus import open_milvus, sync_scan
from dupeview.commands.progress_line import ProgressLine
from dupeview.core import pair_memo
from dupeview.core.discovery import DiscoveryOptions
from dupeview.core.grouping import DEFAULT_MAX_DISTANCE, FLAT_CONTRAST, Group, GroupOptions, Matcher, MatchOptions
from dupeview.core.keeper import KeepPolicy
from dupeview.core.progress import CancelToken
from dupeview.core.records import Library
from dupeview.core.report import display_path, to_csv, to_json, to_text
from dupeview.core.scanner import ScanSettings, scan


def suggested_paths(library: Library, groups: Sequence[Group], null: bool) -> bytes:
    """The copies suggested for removal, one per line (or NUL-terminated), as the exact bytes of their names."""
    end = b"\0" if null else b"\n"
    return b"".join(os.fsencode(library.records[m.index].path) + end for g in groups for m in g.members if m.suggested)


def run(args: argparse.Namespace, cancel: CancelToken) -> int:
    folders = gather(args.folders, args.from_file, "folders")
    missing = [f for f in folders + args.reference if not os.path.exists(f)]
    if missing:
        print(f"dupeview: no such file or folder: {display_path(missing[0])[0]}", file=sys.stderr)
        return EXIT_USAGE
    roots = tuple(dict.fromkeys(folders + args.reference))  # reference folders are scanned too
    options = DiscoveryOptions(exclude_dirs=tuple(args.exclude_dir), exclude_patterns=tuple(args.exclude),
                               min_size=args.min_size, include_hidden=args.hidden,
                               follow_symlinks=args.follow_links, default_excludes=not args.no_default_excludes)
    start = time.monotonic()
    shared = open_milvus(args.milvus, args.source, (args.algorithm,)) if args.milvus else None
    bar = ProgressLine(sys.stderr, not args.quiet)
    with open_cache(args) as cache, shared if shared is not None else contextlib.nullcontext():
        try:
            # Only the algorithm compared by (and pHash, which similarity uses) is read from the packs.
            library = scan(ScanSettings(roots, options, args.workers, algorithms=(args.algorithm, "phash")),
                           cache, bar, cancel)
        finally:
            bar.close()
        from dupeview.core.index import IndexUnavailable
        try:
            search_pairs = sync_scan(shared, library, cache, args.algorithm) if shared is not None else None
            # Pairs searched to the threshold only (the CLI has no slider to move further).
            matcher = Matcher(library, MatchOptions(args.algorithm, args.rotations, DEFAULT_MAX_DISTANCE, FLAT_CONTRAST),
                              cancel, search_pairs=search_pairs, search_distance=args.threshold,
                              memo=pair_memo.beside(cache.path, roots))
            groups = matcher.groups(GroupOptions(
                threshold=args.threshold,
                policy=KeepPolicy(rules=args.keep, preferred_folders=tuple(args.prefer_folder)),
                reference_folders=tuple(args.reference), only_with_reference=args.only_reference,
                not_duplicates=frozenset(cache.not_duplicates()), hide_raw_pairs=args.hide_raw_pairs))
        except IndexUnavailable as exc:  # the scan itself is saved in the cache; only Milvus failed
            raise UsageError(str(exc)) from exc
    seconds = time.monotonic() - start
    if args.paths_only or args.null:
        write(suggested_paths(library, groups, args.null))
    elif args.format == "json":
        write(to_json({**settings_dict(args), "folders": [display_path(r)[0] for r in roots]}, library, groups, seconds) + "\n")
    elif args.format == "csv":
        write(to_csv(library, groups))
    else:
        write(to_text(library, groups, seconds))
    return EXIT_OK
