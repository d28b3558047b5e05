"""What the subcommands share: exit codes, usage errors, the cache, path lists from stdin or a file, and output."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from dupeview import paths
from dupeview.core.cache import FingerprintCache

EXIT_OK = 0
EXIT_NO_MATCH = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """Bad arguments or an unusable input: one line on stderr, exit 2."""


def open_cache(args: argparse.Namespace) -> FingerprintCache:
    if args.no_cache:
        return FingerprintCache(None)
    return FingerprintCache(args.cache or paths.cache_db())


def settings_dict(args: argparse.Namespace) -> dict[str, Any]:
    return {"algorithm": args.algorithm, "threshold": args.threshold, "rotations": args.rotations}


def split_list(data: bytes) -> list[str]:
    """Paths from a list: NUL-separated when it has a NUL (find -print0), else one per line. Bytes kept exactly."""
    items = data.split(b"\0") if b"\0" in data else data.split(b"\n")
    return [os.fsdecode(item) for item in items if item]


def _read(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read()
    try:
        with open(source, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise UsageError(f"cannot read the list {source}: {exc.strerror or exc}") from exc


def gather(positional: Sequence[str], from_file: str | None, what: str) -> list[str]:
    """The paths given as arguments, where `-` reads a list from stdin, plus those listed in --from-file."""
    out: list[str] = []
    for arg in positional:
        out.extend(split_list(_read("-")) if arg == "-" else [arg])
    if from_file is not None:
        out.extend(split_list(_read(from_file)))
    if not out:
        raise UsageError(f"no {what} given (as arguments, `-` for a list on stdin, or --from-file FILE)")
    return out


class OutputError(Exception):
    """The result could not be written (a full disk, /dev/full): one line on stderr, exit 2."""


def write(text: str | bytes) -> None:
    """Write the result to stdout (bytes as they are: paths that are not UTF-8 stay exact)."""
    try:
        if isinstance(text, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write the result: {exc.strerror or exc}") from exc
