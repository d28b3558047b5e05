"""The command-line front end: `dupeview scan` and `dupeview query` over the same engine as the app."""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import time
from collections.abc import Sequence
from typing import Any, TextIO

import numpy as np

from dupeview import __version__, paths
from dupeview.core import decode, pairs
from dupeview.core.cache import FingerprintCache
from dupeview.core.decode import DecodeFailure
from dupeview.core.discovery import DiscoveryOptions
from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.grouping import (
    DEFAULT_MAX_DISTANCE,
    DEFAULT_THRESHOLDS,
    FLAT_CONTRAST,
    GroupOptions,
    Matcher,
    MatchOptions,
)
from dupeview.core.keeper import RULES, KeepPolicy
from dupeview.core.progress import Cancelled, CancelToken, Progress
from dupeview.core.report import display_path, printable, record_fields, to_csv, to_json, to_text
from dupeview.core.scanner import Library, ScanSettings, load_library, scan

EXIT_OK = 0
EXIT_NO_MATCH = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

log = logging.getLogger("dupeview")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep its message short
        self.print_usage(sys.stderr)
        print(f"dupeview: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _threshold(value: str) -> int:
    n = int(value)
    if not 0 <= n <= DEFAULT_MAX_DISTANCE:
        raise argparse.ArgumentTypeError(f"must be between 0 and {DEFAULT_MAX_DISTANCE}")
    return n


def _rules(value: str) -> tuple[str, ...]:
    rules = tuple(r.strip() for r in value.split(",") if r.strip())
    bad = [r for r in rules if r not in RULES]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown rule {bad[0]!r}; choose from {', '.join(RULES)}")
    return rules


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dupeview", description="Find duplicate and near-duplicate photos.")
    parser.add_argument("--version", action="version", version=f"dupeview {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--threshold", type=_threshold, default=None,
                       help=f"largest fingerprint distance (0-{DEFAULT_MAX_DISTANCE} of 64 bits) that counts as similar; "
                            f"default per algorithm: {', '.join(f'{k} {v}' for k, v in DEFAULT_THRESHOLDS.items())}")
        p.add_argument("--algorithm", choices=ALGORITHMS, default="phash", help="fingerprint to compare; default phash")
        p.add_argument("--rotations", action="store_true", help="also match copies rotated by 90/180/270 degrees or mirrored")
        p.add_argument("--format", choices=("json", "csv", "text"), default="text", help="output format; default text")
        p.add_argument("--cache", metavar="PATH", help=f"fingerprint database (default {paths.cache_db()}; env {paths.CACHE_ENV})")
        p.add_argument("--no-cache", action="store_true", help="keep fingerprints in memory only")
        p.add_argument("--workers", type=int, default=None, help="decoder processes (default: one per core; 0: none)")
        p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")

    s = sub.add_parser("scan", help="find groups of similar images under folders")
    s.add_argument("folders", nargs="+", metavar="DIR")
    common(s)
    s.add_argument("--reference", action="append", default=[], metavar="DIR",
                   help="a folder whose files are never suggested for removal (repeatable)")
    s.add_argument("--only-reference", action="store_true", help="show only groups that contain a reference file")
    s.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                   help="skip files and folders whose name or path matches this glob (repeatable)")
    s.add_argument("--exclude-dir", action="append", default=[], metavar="DIR", help="skip this folder (repeatable)")
    s.add_argument("--no-default-excludes", action="store_true", help="also search trash, .git and thumbnail folders")
    s.add_argument("--min-size", type=int, default=0, metavar="BYTES", help="ignore files smaller than this")
    s.add_argument("--hidden", action="store_true", help="include hidden files and folders")
    s.add_argument("--follow-links", action="store_true", help="follow symbolic links (loops are detected)")
    s.add_argument("--keep", type=_rules, default=RULES, metavar="RULES",
                   help=f"keep rules, best first, comma-separated (default {','.join(RULES)})")
    s.add_argument("--prefer-folder", action="append", default=[], metavar="DIR",
                   help="for the 'folder' keep rule: copies here are preferred (repeatable, best first)")
    s.add_argument("--milvus", metavar="URI", help="group with range searches in this Milvus index "
                   "(server address or local .db file); the scanned fingerprints are added to it first")
    s.add_argument("--source", metavar="NAME", help="with --milvus: the name this machine's entries are "
                   "filed under (default: the host name)")

    q = sub.add_parser("query", help="is this picture, or a near copy, already in a library?")
    q.add_argument("images", nargs="+", metavar="IMAGE")
    q.add_argument("--in", dest="library", metavar="DIR_OR_CACHE",
                   help="a folder to scan (cached) or a dupeview fingerprint database")
    q.add_argument("--milvus", metavar="URI", help="search this shared Milvus index instead of --in "
                   "(server address or local .db file), every source's entries")
    common(q)

    ix = sub.add_parser("index", help="manage a shared fingerprint index (Milvus)")
    ixsub = ix.add_subparsers(dest="index_command", parser_class=_Parser, required=True)
    push = ixsub.add_parser("push", help="sync the cache's fingerprints into a Milvus index (only what changed)")
    push.add_argument("--milvus", metavar="URI", required=True, help="Milvus server address or local .db file")
    push.add_argument("--cache", metavar="PATH", help=f"fingerprint database to push (default {paths.cache_db()})")
    push.add_argument("--source", metavar="NAME", help="the name this cache's entries are filed under "
                      "(default: the host name); entries of other sources are never touched")
    push.add_argument("--algorithm", action="append", choices=ALGORITHMS, default=None,
                      help="fingerprint to push (repeatable; default all)")
    push.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    return parser


class ProgressLine:
    """A one-line progress bar on a terminal's stderr; silent when stderr is not a terminal."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled and stream.isatty()
        self.dirty = False

    def __call__(self, p: Progress) -> None:
        if not self.enabled:
            return
        if p.phase == "discover":
            text = "Looking for images…"
        else:
            width = 30
            filled = int(width * p.fraction)
            eta = f", {p.eta:.0f} s left" if p.eta is not None else ""
            text = f"Hashing [{'#' * filled}{'.' * (width - filled)}] {p.done}/{p.total} ({p.rate:.0f}/s{eta})"
        self.stream.write("\r" + text[:120].ljust(80))
        self.stream.flush()
        self.dirty = True

    def close(self) -> None:
        if self.dirty:
            self.stream.write("\r" + " " * 80 + "\r")
            self.stream.flush()


def _open_cache(args: argparse.Namespace) -> FingerprintCache:
    if args.no_cache:
        return FingerprintCache(None)
    return FingerprintCache(args.cache or paths.cache_db())


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    return {"algorithm": args.algorithm, "threshold": args.threshold, "rotations": args.rotations}


def _cmd_scan(args: argparse.Namespace, cancel: CancelToken) -> int:
    missing = [f for f in args.folders + args.reference if not os.path.exists(f)]
    if missing:
        print(f"dupeview: no such file or folder: {display_path(missing[0])[0]}", file=sys.stderr)
        return EXIT_USAGE
    roots = tuple(dict.fromkeys(args.folders + args.reference))  # reference folders are scanned too
    options = DiscoveryOptions(exclude_dirs=tuple(args.exclude_dir), exclude_patterns=tuple(args.exclude),
                               min_size=args.min_size, include_hidden=args.hidden,
                               follow_symlinks=args.follow_links, default_excludes=not args.no_default_excludes)
    start = time.monotonic()
    try:
        shared = _open_milvus(args.milvus, args.source, (args.algorithm,)) if args.milvus else None
    except _UsageError as exc:
        print(f"dupeview: {exc}", file=sys.stderr)
        return EXIT_USAGE
    bar = ProgressLine(sys.stderr, not args.quiet)
    with _open_cache(args) as cache, shared if shared is not None else contextlib.nullcontext():
        try:
            library = scan(ScanSettings(roots, options, args.workers), cache, bar, cancel)
        finally:
            bar.close()
        search_pairs = None
        if shared is not None:
            from dupeview.core.index import library_items, sync
            sync(shared, library_items(library), remove_missing=False)
            search_pairs = shared.pair_search(args.algorithm)
        matcher = Matcher(library, MatchOptions(args.algorithm, args.rotations, DEFAULT_MAX_DISTANCE, FLAT_CONTRAST), cancel,
                          search_pairs=search_pairs)
        groups = matcher.groups(GroupOptions(
            threshold=args.threshold,
            policy=KeepPolicy(rules=args.keep, preferred_folders=tuple(args.prefer_folder)),
            reference_folders=tuple(args.reference), only_with_reference=args.only_reference,
            not_duplicates=frozenset(cache.not_duplicates())))
    seconds = time.monotonic() - start
    if args.format == "json":
        out = to_json({**_settings(args), "folders": [display_path(r)[0] for r in roots]}, library, groups, seconds) + "\n"
    elif args.format == "csv":
        out = to_csv(library, groups)
    else:
        out = to_text(library, groups, seconds)
    sys.stdout.write(out)
    return EXIT_OK


def _query_library(args: argparse.Namespace, cancel: CancelToken) -> Library:
    target = args.library
    if os.path.isdir(target):
        bar = ProgressLine(sys.stderr, not args.quiet)
        with _open_cache(args) as cache:
            try:
                return scan(ScanSettings((target,), DiscoveryOptions(), args.workers), cache, bar, cancel)
            finally:
                bar.close()
    if not os.path.isfile(target):
        raise _UsageError(f"no such folder or fingerprint database: {target}")
    with FingerprintCache(target) as cache:
        if cache.warnings:
            raise _UsageError(f"{target} is not a usable dupeview fingerprint database")
        return load_library(cache)


class _UsageError(Exception):
    pass


def _open_milvus(uri: str, source: str | None, algorithms: Sequence[str]) -> Any:
    """A MilvusIndex (imported only here: the extra is optional), or _UsageError saying why not."""
    from dupeview.core.index import IndexUnavailable
    try:
        from dupeview.core.milvus_index import MilvusIndex
        return MilvusIndex(uri, source=source, algorithms=algorithms)
    except (IndexUnavailable, ValueError) as exc:
        raise _UsageError(str(exc)) from exc


def _cmd_query(args: argparse.Namespace, cancel: CancelToken) -> int:
    missing = [p for p in args.images if not os.path.exists(p)]
    if missing:
        print(f"dupeview: no such file: {display_path(missing[0])[0]}", file=sys.stderr)
        return EXIT_USAGE
    if (args.library is None) == (args.milvus is None):
        print("dupeview: query needs one of --in DIR_OR_CACHE or --milvus URI", file=sys.stderr)
        return EXIT_USAGE
    if args.milvus:
        try:
            return _query_milvus(args)
        except _UsageError as exc:
            print(f"dupeview: {exc}", file=sys.stderr)
            return EXIT_USAGE
    try:
        library = _query_library(args, cancel)
    except _UsageError as exc:
        print(f"dupeview: {exc}", file=sys.stderr)
        return EXIT_USAGE
    codes = library.codes(args.algorithm)
    textured = np.flatnonzero([r.contrast >= FLAT_CONTRAST for r in library.records]) if len(library) else np.zeros(0, np.int64)
    by_digest: dict[bytes, list[int]] = {}
    for k, r in enumerate(library.records):
        by_digest.setdefault(r.digest, []).append(k)

    results = []
    any_match = False
    for image in args.images:
        facts = decode.analyse(image)
        entry: dict[str, Any] = {"query": display_path(os.path.abspath(image))[0], "matches": []}
        if isinstance(facts, DecodeFailure):
            entry["error"] = facts.reason
            results.append(entry)
            continue
        found: dict[int, tuple[int, bool]] = {k: (0, True) for k in by_digest.get(facts.digest, [])}
        if facts.contrast >= FLAT_CONTRAST and len(textured):
            all_codes = np.frombuffer(facts.hashes, dtype="<u8").astype(np.uint64).reshape(len(ALGORITHMS), -1)
            probe = all_codes[ALGORITHMS.index(args.algorithm)]
            probes = probe[None, :] if args.rotations else probe[None, :1]
            for _p, k, d in pairs.query(np.ascontiguousarray(codes[textured, 0]), probes, args.threshold):
                found.setdefault(int(textured[k]), (int(d), False))
        matches = sorted(found.items(), key=lambda kv: (kv[1][0], os.fsencode(library.records[kv[0]].path)))
        for k, (d, identical) in matches:
            entry["matches"].append({**record_fields(library.records[k]), "distance": d, "identical": identical})
        any_match = any_match or bool(matches)
        results.append(entry)
    _write_query(args, results, len(library), library.warnings)
    return EXIT_OK if any_match else EXIT_NO_MATCH


def _query_milvus(args: argparse.Namespace) -> int:
    from dupeview.core.index import IndexUnavailable, lookup
    results = []
    with _open_milvus(args.milvus, None, (args.algorithm,)) as shared:
        try:
            facts = [decode.analyse(image) for image in args.images]
            readable = [f for f in facts if not isinstance(f, DecodeFailure)]
            found = iter(lookup(shared, readable, args.threshold, algorithm=args.algorithm, rotations=args.rotations))
            library_images = len(shared)
        except IndexUnavailable as exc:
            raise _UsageError(str(exc)) from exc
    for image, f in zip(args.images, facts, strict=True):
        entry: dict[str, Any] = {"query": display_path(os.path.abspath(image))[0], "matches": []}
        if isinstance(f, DecodeFailure):
            entry["error"] = f.reason
        else:
            entry["matches"] = [{**record_fields(m.record), "distance": m.distance, "identical": m.identical,
                                 "source": m.source} for m in next(found)]
        results.append(entry)
    _write_query(args, results, library_images, [])
    return EXIT_OK if any(r["matches"] for r in results) else EXIT_NO_MATCH


def _write_query(args: argparse.Namespace, results: list[dict[str, Any]], library_images: int, warnings: list[str]) -> None:
    if args.format == "json":
        sys.stdout.write(json.dumps({"schema": 1, "settings": _settings(args), "library_images": library_images,
                                     "results": results, "warnings": warnings}, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        import csv
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(["query", "path", "distance", "identical", "error"])
        for r in results:
            if "error" in r:
                writer.writerow([r["query"], "", "", "", r["error"]])
            for m in r["matches"]:
                writer.writerow([r["query"], m["path"], m["distance"], m["identical"], ""])
    else:
        for r in results:
            if "error" in r:
                print(f"{r['query']}: cannot read: {r['error']}")
                continue
            print(f"{r['query']}: {len(r['matches'])} match(es)")
            for m in r["matches"]:
                print(f"  d={m['distance']:<2} {'identical ' if m['identical'] else ''}{printable(m['path'])}"
                      + (f"  [{m['source']}]" if "source" in m else ""))


def _cmd_index(args: argparse.Namespace) -> int:
    """`dupeview index push`: this machine's cached fingerprints into a shared Milvus index."""
    from dupeview.core.index import IndexUnavailable, sync
    path = args.cache or str(paths.cache_db())
    if not os.path.isfile(path):
        print(f"dupeview: no fingerprint database at {path} (scan first, or give --cache)", file=sys.stderr)
        return EXIT_USAGE
    with FingerprintCache(path) as cache:
        if cache.warnings:  # a damaged cache reads as empty: pushing it would delete every entry
            print(f"dupeview: {path} is not a usable dupeview fingerprint database", file=sys.stderr)
            return EXIT_USAGE
        try:
            with _open_milvus(args.milvus, args.source, tuple(args.algorithm or ALGORITHMS)) as shared:
                show = not args.quiet and sys.stderr.isatty()

                def progress(done: int, total: int) -> None:
                    if show:
                        sys.stderr.write(f"\rPushing {done}/{total}".ljust(40))
                        sys.stderr.flush()

                start = time.monotonic()
                report = sync(shared, cache.entries(), progress=progress)
                if show:
                    sys.stderr.write("\r" + " " * 40 + "\r")
                print(f"{args.milvus} ({', '.join(shared.collection(a) for a in shared.algorithms)}), "
                      f"source {shared.source}: {report} ({time.monotonic() - start:.1f} s)")
        except (IndexUnavailable, _UsageError) as exc:
            print(f"dupeview: {exc}", file=sys.stderr)
            return EXIT_USAGE
    return EXIT_OK


def _setup_logging() -> str | None:
    try:
        folder = paths.log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        logfile = folder / "dupeview.log"
        handler = logging.FileHandler(logfile, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    return str(logfile)


def run(argv: Sequence[str]) -> int:
    """Run one CLI command; returns the exit code (documented in README)."""
    args = build_parser().parse_args(list(argv))
    if getattr(args, "threshold", 0) is None:
        args.threshold = DEFAULT_THRESHOLDS[args.algorithm]
    if args.command is None:
        build_parser().print_help(sys.stderr)
        return EXIT_USAGE
    logfile = _setup_logging()
    cancel = CancelToken()
    try:
        if args.command == "scan":
            return _cmd_scan(args, cancel)
        if args.command == "index":
            return _cmd_index(args)
        return _cmd_query(args, cancel)
    except (KeyboardInterrupt, Cancelled):
        print("\ndupeview: interrupted; fingerprints hashed so far are kept in the cache", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        log.exception("internal error")
        where = f"; details in {logfile}" if logfile else ""
        print(f"dupeview: internal error: {exc}{where}", file=sys.stderr)
        return EXIT_INTERNAL
