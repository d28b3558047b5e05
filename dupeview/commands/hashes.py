"""`dupeview hash`: each image's fingerprints as imagehash hex strings, the format `query --hashes` reads back."""

from __future__ import annotations

import argparse
import csv
import json
import sys

import numpy as np

from dupeview.commands.common import EXIT_NO_MATCH, EXIT_OK, gather, write
from dupeview.core import decode
from dupeview.core.decode import DecodeFailure
from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.interchange import to_hex
from dupeview.core.report import LineFeedRows, display_path, printable


def run(args: argparse.Namespace) -> int:
    """0 when every image was hashed; 1 when some could not be read (each named on stderr); 2 usage."""
    images = gather(args.images, args.from_file, "images")
    algorithms = list(dict.fromkeys(args.algorithm or ["phash"]))
    rows: list[tuple[str, list[str] | None, str]] = []     # (path, hex per algorithm, reason)
    for image in images:
        facts = decode.analyse(image)
        if isinstance(facts, DecodeFailure):
            print(f"dupeview: {printable(display_path(image)[0])}: cannot read: {facts.reason}", file=sys.stderr)
            rows.append((image, None, facts.reason))
            continue
        table = np.frombuffer(facts.hashes, dtype="<u8").reshape(len(ALGORITHMS), -1)
        rows.append((image, [to_hex(int(table[ALGORITHMS.index(a), 0])) for a in algorithms], ""))
    if args.format == "json":
        doc = {"schema": 1, "format": "imagehash hex, hash_size 8", "images": [
            {"path": display_path(p)[0], **({a: h for a, h in zip(algorithms, hexes, strict=True)} if hexes else {"error": why})}
            for p, hexes, why in rows]}
        write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "csv":
        writer = csv.writer(LineFeedRows(sys.stdout), lineterminator="\r\n")
        writer.writerow(["path", *algorithms, "error"])
        for p, hexes, why in rows:
            writer.writerow([display_path(p)[0], *(hexes or [""] * len(algorithms)), why])
        sys.stdout.flush()
    else:  # like sha256sum: `HASH  PATH`, which `query --hashes` reads back (the path as the label)
        write("".join(f"{' '.join(hexes)}  {printable(display_path(p)[0])}\n" for p, hexes, _ in rows if hexes))
    return EXIT_OK if all(hexes for _, hexes, _ in rows) else EXIT_NO_MATCH
