"""The command-line front end: the parser (options, examples, exit codes) and `run`, which dispatches to dupeview.commands."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from dupeview import __version__, paths
from dupeview.commands import apply as apply_command
from dupeview.commands.common import EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_NO_MATCH, EXIT_OK, EXIT_USAGE, OutputError, UsageError
from dupeview.core.cache import NotACacheError
from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.grouping import DEFAULT_MAX_DISTANCE, DEFAULT_THRESHOLDS
from dupeview.core.keeper import RULES
from dupeview.core.progress import Cancelled, CancelToken

__all__ = ["EXIT_INTERNAL", "EXIT_INTERRUPTED", "EXIT_NO_MATCH", "EXIT_OK", "EXIT_USAGE", "build_parser", "run"]

log = logging.getLogger("dupeview")

EXAMPLES = """\
examples:
  dupeview ~/Pictures /media/backup            open the app on these folders
  dupeview scan ~/Pictures /media/backup       groups of similar photos, as text
  dupeview scan ~/Pictures --reference ~/Pictures/originals --format json > groups.json
  dupeview scan ~/Pictures -0 | xargs -0 gio trash     trash the suggested copies (review first!)
  find /photos -name '*.jpg' -print0 | dupeview scan --from-file - ...   (or: dupeview query - --in DIR)
  dupeview query upload.jpg --in ~/Pictures    is this picture, or a near copy, in my library?
  dupeview hash *.jpg > blocklist.txt          imagehash hex strings, one per image
  dupeview query upload.jpg --hashes blocklist.txt   match against such a list, made by dupeview or imagehash

exit status:
  0  done (scan: whether or not it found duplicates; query: at least one match; hash: every image hashed)
  1  query: no match; hash: some images could not be read
  2  bad arguments, a missing folder, an unusable library or cache, or stdout closed
  3  internal error (details in the log file named on stderr)
  130  interrupted (Ctrl+C); fingerprints hashed so far stay in the cache
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 too, after the whole usage; one line is enough
        print(f"{self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _threshold(value: str) -> int:
    n = _int(value)
    if not 0 <= n <= DEFAULT_MAX_DISTANCE:
        raise argparse.ArgumentTypeError(f"must be between 0 and {DEFAULT_MAX_DISTANCE}")
    return n


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None


def _non_negative(value: str) -> int:
    n = _int(value)
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, not {n}")
    return n


def _rules(value: str) -> tuple[str, ...]:
    rules = tuple(r.strip() for r in value.split(",") if r.strip())
    bad = [r for r in rules if r not in RULES]
    if bad:
        raise argparse.ArgumentTypeError(f"unknown rule {bad[0]!r}; choose from {', '.join(RULES)}")
    return rules


def _sub(sub: argparse._SubParsersAction[_Parser], name: str, help: str, description: str) -> _Parser:
    return sub.add_parser(name, help=help, description=description, epilog=EXAMPLES,
                          formatter_class=argparse.RawDescriptionHelpFormatter)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--threshold", type=_threshold, default=None, metavar="N",
                   help=f"largest fingerprint distance (0-{DEFAULT_MAX_DISTANCE} of 64 bits) that counts as similar; "
                        f"default per algorithm: {', '.join(f'{k} {v}' for k, v in DEFAULT_THRESHOLDS.items())}")
    p.add_argument("--algorithm", choices=ALGORITHMS, default="phash", help="fingerprint to compare; default phash")
    p.add_argument("--rotations", action="store_true", help="also match copies rotated by 90/180/270 degrees or mirrored")
    p.add_argument("--format", choices=("json", "csv", "text"), default="text", help="output format; default text")
    p.add_argument("--cache", metavar="PATH", help=f"fingerprint database (default {paths.cache_db()}; env {paths.CACHE_ENV})")
    p.add_argument("--no-cache", action="store_true", help="keep fingerprints in memory only")
    p.add_argument("--workers", type=_non_negative, default=None, metavar="N", help="decoder processes (default: one per core; 0: none)")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")


def _from_file(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--from-file", metavar="FILE",
                   help=f"also read {what} from FILE (`-`: stdin), one per line, or NUL-separated as find -print0 writes")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dupeview", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EXAMPLES,
                     description="Find duplicate and near-duplicate photos. Without a command (or with folders) "
                                 "dupeview opens the desktop app.")
    parser.add_argument("--version", action="version", version=f"dupeview {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="{scan,query,hash,index}")

    s = _sub(sub, "scan", "find groups of similar images under folders",
             "Find groups of similar images under the folders; the best copy of each group is kept, the others are "
             "suggested for removal (nothing is removed by this command).")
    s.add_argument("folders", nargs="*", metavar="DIR", help="folders to search (`-`: a list on stdin)")
    _from_file(s, "folders")
    _common(s)
    s.add_argument("--paths-only", action="store_true",
                   help="print only the copies suggested for removal, one path per line (names exactly as on disk)")
    s.add_argument("-0", "--null", action="store_true",
                   help="like --paths-only, each path ended by a NUL byte (for xargs -0; safe for any file name)")
    # An option named like a negative number makes argparse read every negative number as an option, so
    # `--workers -1` would say "expected one argument". "-0" itself is still matched first, as an option.
    s._has_negative_number_optionals.clear()
    s.add_argument("--reference", action="append", default=[], metavar="DIR",
                   help="a folder whose files are never suggested for removal (repeatable)")
    s.add_argument("--only-reference", action="store_true", help="show only groups that contain a reference file")
    s.add_argument("--hide-raw-pairs", action="store_true",
                   help="do not group a camera's RAW with the JPEG (or HEIF) of the same name beside it")
    s.add_argument("--exclude", action="append", default=[], metavar="PATTERN",
                   help="skip files and folders whose name or path matches this glob (repeatable)")
    s.add_argument("--exclude-dir", action="append", default=[], metavar="DIR", help="skip this folder (repeatable)")
    s.add_argument("--no-default-excludes", action="store_true",
                   help="also search trash and .git folders (the desktop's thumbnail cache is never searched)")
    s.add_argument("--min-size", type=_non_negative, default=0, metavar="BYTES", help="ignore files smaller than this")
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

    q = _sub(sub, "query", "is this picture, or a near copy, already in a library?",
             "Look the images up in a library (a folder or a dupeview fingerprint database), a shared Milvus index, "
             "or a list of imagehash hex strings.")
    q.add_argument("images", nargs="*", metavar="IMAGE", help="images to look up (`-`: a list on stdin)")
    _from_file(q, "images")
    q.add_argument("--in", dest="library", metavar="DIR_OR_CACHE",
                   help="a folder to scan (cached) or a dupeview fingerprint database")
    q.add_argument("--milvus", metavar="URI", help="search this shared Milvus index instead of --in "
                   "(server address or local .db file), every source's entries")
    q.add_argument("--hashes", metavar="FILE", help="match against this list of imagehash hex strings (16 hex digits "
                   "per line, then optionally a name), as `dupeview hash` or str(imagehash.phash(img)) write them")
    _common(q)

    h = _sub(sub, "hash", "print the images' fingerprints as imagehash hex strings",
             "Print each image's fingerprint as imagehash prints it (str(imagehash.phash(img)), 16 hex digits), "
             "then the path: the format `dupeview query --hashes` and imagehash.hex_to_hash read.")
    h.add_argument("images", nargs="*", metavar="IMAGE", help="images to hash (`-`: a list on stdin)")
    _from_file(h, "images")
    h.add_argument("--algorithm", action="append", choices=ALGORITHMS, default=None,
                   help="fingerprint to print (repeatable, in that order; default phash)")
    h.add_argument("--format", choices=("json", "csv", "text"), default="text", help="output format; default text")

    ix = _sub(sub, "index", "manage a shared fingerprint index (Milvus)",
              "Manage a shared fingerprint index in Milvus (needs the milvus extra).")
    ixsub = ix.add_subparsers(dest="index_command", parser_class=_Parser, required=True)
    push = ixsub.add_parser("push", help="sync the cache's fingerprints into a Milvus index (only what changed)")
    push.add_argument("--milvus", metavar="URI", required=True, help="Milvus server address or local .db file")
    push.add_argument("--cache", metavar="PATH", help=f"fingerprint database to push (default {paths.cache_db()})")
    push.add_argument("--source", metavar="NAME", help="the name this cache's entries are filed under "
                      "(default: the host name); entries of other sources are never touched")
    push.add_argument("--algorithm", action="append", choices=ALGORITHMS, default=None,
                      help="fingerprint to push (repeatable; default all)")
    push.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")
    apply_command.add_parsers(sub)
    return parser


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


def _stdout_closed() -> bool:
    if sys.stdout is None:  # `dupeview scan DIR >&-`: Python starts without a stdout
        return True
    try:
        os.fstat(sys.stdout.fileno())
    except (OSError, ValueError):
        return True
    return False


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that Python's final flush of unwritable output does not print a second error."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _dispatch(args: argparse.Namespace, cancel: CancelToken) -> int:
    if hasattr(args, "handler"):  # apply, undo: dupeview/commands/apply.py
        return int(args.handler(args))
    if args.command == "scan":
        from dupeview.commands import scan
        return scan.run(args, cancel)
    if args.command == "query":
        from dupeview.commands import query
        return query.run(args, cancel)
    if args.command == "hash":
        from dupeview.commands import hashes
        return hashes.run(args)
    from dupeview.commands import index
    return index.run(args)


def run(argv: Sequence[str]) -> int:
    """Run one CLI command; returns the exit code (documented in --help and the README)."""
    if _stdout_closed():
        print("dupeview: standard output is closed; nowhere to write the result", file=sys.stderr)
        return EXIT_USAGE
    args = build_parser().parse_args(list(argv))
    if getattr(args, "threshold", 0) is None:
        args.threshold = DEFAULT_THRESHOLDS[args.algorithm]
    if args.command is None:
        build_parser().print_help(sys.stderr)
        return EXIT_USAGE
    logfile = _setup_logging()
    cancel = CancelToken()
    try:
        apply_command.startup()  # an interrupted batch of an earlier run is finished or rolled back first
        return _dispatch(args, cancel)
    except UsageError as exc:
        print(f"dupeview: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OutputError as exc:
        print(f"dupeview: {exc}", file=sys.stderr)
        _discard_stdout()  # what could not be written stays buffered: Python's final flush would fail again (exit 120)
        return EXIT_USAGE
    except (KeyboardInterrupt, Cancelled):
        print("\ndupeview: interrupted; fingerprints hashed so far are kept in the cache", file=sys.stderr)
        return EXIT_INTERRUPTED
    except NotACacheError as exc:
        print(f"dupeview: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        # `dupeview scan DIR | head`: the reader has what it wanted.
        _discard_stdout()
        return EXIT_OK
    except Exception as exc:
        log.exception("internal error")
        where = f"; details in {logfile}" if logfile else ""
        print(f"dupeview: internal error: {exc}{where}", file=sys.stderr)
        return EXIT_INTERNAL
