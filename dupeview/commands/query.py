"""`dupeview query`: is this picture, or a near copy, in a library, a shared Milvus index or a list of imagehash hashes?"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from typing import Any

import numpy as np

from dupeview.commands.common import EXIT_NO_MATCH, EXIT_OK, UsageError, gather, open_cache, settings_dict, write
from dupeview.commands.milvus import open_milvus
from dupeview.commands.progress_line import ProgressLine
from dupeview.core import pairs
from dupeview.core.cache import FingerprintCache
from dupeview.core.decode import DecodeFailure, ImageFacts
from dupeview.core.discovery import DiscoveryOptions
from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.grouping import FLAT_CONTRAST
from dupeview.core.records import Library
from dupeview.core.report import LineFeedRows, display_path, printable, record_fields
from dupeview.core.scanner import ScanSettings, analyse_safely, load_library, scan


def probe_codes(facts: ImageFacts, algorithm: str, rotations: bool) -> np.ndarray:
    """The query image's fingerprints to look up: as shown, or in all 8 orientations."""
    all_codes = np.frombuffer(facts.hashes, dtype="<u8").astype(np.uint64).reshape(len(ALGORITHMS), -1)
    probe = all_codes[ALGORITHMS.index(algorithm)]
    return probe[None, :] if rotations else probe[None, :1]


def _library(args: argparse.Namespace, cancel: Any) -> Library:
    target = args.library
    if os.path.isdir(target):
        bar = ProgressLine(sys.stderr, not args.quiet)
        with open_cache(args) as cache:
            try:
                return scan(ScanSettings((target,), DiscoveryOptions(), args.workers), cache, bar, cancel)
            finally:
                bar.close()
    if not os.path.isfile(target):
        raise UsageError(f"no such folder or fingerprint database: {target}")
    with FingerprintCache(target) as cache:
        if cache.warnings:
            raise UsageError(f"{target} is not a usable dupeview fingerprint database")
        return load_library(cache)


def _entry(image: str) -> dict[str, Any]:
    return {"query": display_path(os.path.abspath(image))[0], "matches": []}


def run(args: argparse.Namespace, cancel: Any) -> int:
    images = gather(args.images, args.from_file, "images")
    missing = [p for p in images if not os.path.exists(p)]
    if missing:
        raise UsageError(f"no such file: {display_path(missing[0])[0]}")
    if sum(x is not None for x in (args.library, args.milvus, args.hashes)) != 1:
        raise UsageError("query needs one of --in DIR_OR_CACHE, --milvus URI or --hashes FILE")
    if args.milvus:
        return _query_milvus(args, images)
    if args.hashes:
        return _query_hashes(args, images)
    library = _library(args, cancel)
    codes = library.codes(args.algorithm)
    textured = np.flatnonzero([r.contrast >= FLAT_CONTRAST for r in library.records]) if len(library) else np.zeros(0, np.int64)
    by_digest: dict[bytes, list[int]] = {}
    for k, r in enumerate(library.records):
        by_digest.setdefault(r.digest, []).append(k)

    results = []
    for image in images:
        facts = analyse_safely(image)
        entry = _entry(image)
        if isinstance(facts, DecodeFailure):
            entry["error"] = facts.reason
            results.append(entry)
            continue
        found: dict[int, tuple[int, bool]] = {k: (0, True) for k in by_digest.get(facts.digest, [])}
        if facts.contrast >= FLAT_CONTRAST and len(textured):
            probes = probe_codes(facts, args.algorithm, args.rotations)
            for _p, k, d in pairs.query(np.ascontiguousarray(codes[textured, 0]), probes, args.threshold):
                found.setdefault(int(textured[k]), (int(d), False))
        matches = sorted(found.items(), key=lambda kv: (kv[1][0], os.fsencode(library.records[kv[0]].path)))
        for k, (d, identical) in matches:
            entry["matches"].append({**record_fields(library.records[k]), "distance": d, "identical": identical})
        results.append(entry)
    return _finish(args, results, len(library), library.warnings)


def _query_hashes(args: argparse.Namespace, images: list[str]) -> int:
    """Against a list of imagehash hex strings made elsewhere (a shared blocklist): Hamming distance <= threshold."""
    from dupeview.core.interchange import HashList, to_hex

    try:
        with open(args.hashes, encoding="utf-8", errors="replace") as fh:
            listed = HashList.parse(fh.read(), args.hashes)
    except OSError as exc:
        raise UsageError(f"cannot read {args.hashes}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    results = []
    for image in images:
        facts = analyse_safely(image)
        entry = _entry(image)
        if isinstance(facts, DecodeFailure):
            entry["error"] = facts.reason
        elif len(listed):
            best: dict[int, int] = {}
            for _p, k, d in pairs.query(listed.codes, probe_codes(facts, args.algorithm, args.rotations), args.threshold):
                best[int(k)] = min(int(d), best.get(int(k), 64))
            entry["matches"] = [{"hash": to_hex(int(listed.codes[k])), "label": listed.labels[k], "line": listed.lines[k],
                                 "distance": d, "identical": False}
                                for k, d in sorted(best.items(), key=lambda kv: (kv[1], kv[0]))]
        results.append(entry)
    return _finish(args, results, len(listed), [])


def _query_milvus(args: argparse.Namespace, images: list[str]) -> int:
    from dupeview.core.index import IndexUnavailable, lookup
    results = []
    with open_milvus(args.milvus, None, (args.algorithm,)) as shared:
        try:
            facts = [analyse_safely(image) for image in images]
            readable = [f for f in facts if not isinstance(f, DecodeFailure)]
            found = iter(lookup(shared, readable, args.threshold, algorithm=args.algorithm, rotations=args.rotations))
            library_images = len(shared)
        except IndexUnavailable as exc:
            raise UsageError(str(exc)) from exc
    for image, f in zip(images, facts, strict=True):
        entry = _entry(image)
        if isinstance(f, DecodeFailure):
            entry["error"] = f.reason
        else:
            entry["matches"] = [{**record_fields(m.record), "distance": m.distance, "identical": m.identical,
                                 "source": m.source} for m in next(found)]
        results.append(entry)
    return _finish(args, results, library_images, [])


def _name(match: dict[str, Any]) -> str:
    """What a match is called: its path, or for a hash list the label (else the hash itself)."""
    return str(match["path"]) if "path" in match else str(match["label"] or match["hash"])


def _finish(args: argparse.Namespace, results: list[dict[str, Any]], library_images: int, warnings: list[str]) -> int:
    if args.format == "json":
        write(json.dumps({"schema": 1, "settings": settings_dict(args), "library_images": library_images,
                          "results": results, "warnings": warnings}, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        writer = csv.writer(LineFeedRows(sys.stdout), lineterminator="\r\n")
        writer.writerow(["query", "path", "distance", "identical", "error"])
        for r in results:
            if "error" in r:
                writer.writerow([r["query"], "", "", "", r["error"]])
            for m in r["matches"]:
                writer.writerow([r["query"], _name(m), m["distance"], m["identical"], ""])
        sys.stdout.flush()
    else:
        lines = []
        for r in results:
            if "error" in r:
                lines.append(f"{printable(r['query'])}: cannot read: {r['error']}")
                continue
            lines.append(f"{printable(r['query'])}: {len(r['matches'])} match(es)")
            for m in r["matches"]:
                lines.append(f"  d={m['distance']:<2} {'identical ' if m['identical'] else ''}{printable(_name(m))}"
                             + (f"  [{m['source']}]" if "source" in m else ""))
        write("".join(line + "\n" for line in lines))
    return EXIT_OK if any(r["matches"] for r in results) else EXIT_NO_MATCH
