"""`dupeview apply` and `dupeview undo`: act on a scan's suggestions from the command line (a NAS over SSH),
through the same per-file checks, write-ahead log and undo as the app."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dupeview import paths
from dupeview.core import actions, pair_memo
from dupeview.core.actions import ActionLog, Facts, Outcome, Removal
from dupeview.core.actions.facts import Seen, verify
from dupeview.core.actions.transaction import choose_keeper
from dupeview.core.report import display_path, human_bytes, printable
from dupeview.core.review_apply import looks_like_review, review_targets
from dupeview.core.review_store import ReviewFileError, read_review_file

EXIT_OK = 0        # every file asked for was done (or, with --dry-run, would be)
EXIT_PARTLY = 1    # some files were refused or failed (each listed with its reason); undo: nothing to undo
EXIT_USAGE = 2     # bad arguments, or the input is missing, damaged, or neither a scan result nor a review
_MAX_RESULT_BYTES = 512 * 1024 * 1024

log = logging.getLogger(__name__)

NO_DIGEST = "the result has no content digest for it (made by an older dupeview); scan again"
# action -> (line verb, dry-run line verb, summary noun phrase)
_VERBS = {"trash": ("trashed", "would trash", "trashed"), "move": ("moved", "would move", "moved"),
          "copy": ("copied", "would copy", "copied"),
          "hardlink": ("replaced by a hard link", "would replace by a hard link", "replaced by hard links"),
          "symlink": ("replaced by a symbolic link", "would replace by a symbolic link", "replaced by symbolic links")}


class UsageError(Exception):
    """The input cannot be used at all: one plain line, exit 2, nothing touched."""


@dataclass
class Plan:
    """What to act on, read from one input: the files to act on, their groups, the scan's roots, and files
    refused while reading (path -> reason)."""

    targets: list[Removal] = field(default_factory=list)
    groups: list[list[Facts]] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)


_EPILOG = """\
examples:
  dupeview scan /photos /backup --format json > result.json
  dupeview apply --trash --dry-run result.json    say what would happen, per file and per folder
  dupeview apply --move /backup/dupes result.json
  dupeview apply --trash photos.dupeview-review   the files marked in a review saved by the app
  dupeview undo                                   put the last batch back

exit status:
  0  every file was done (with --dry-run: would be); undo: every file restored
  1  some files were refused or failed, each listed with its reason; undo: nothing to undo
  2  bad arguments, or the input is missing, damaged, or neither a scan result nor a review
  3  internal error (details in the log file named on stderr)
"""


def add_parsers(subparsers: Any) -> None:
    """Add `apply` and `undo` to the CLI's subparsers; each sets args.handler."""
    a = subparsers.add_parser("apply", help="act on a scan's suggestions or a saved review's marks",
                              description="Act on the files a scan suggested for removal (keep: false members of "
                                          "a JSON result), or on the files marked in a review saved by the app "
                                          "(File > Save review...). Each file and the copy kept in its group are "
                                          "checked to be exactly as scanned (identity and content) just before; "
                                          "anything changed, moved or gone is refused.",
                              epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = a.add_mutually_exclusive_group(required=True)
    mode.add_argument("--trash", action="store_const", dest="action", const="trash", help="move them to the trash")
    mode.add_argument("--move", metavar="DIR", help="move them under DIR, keeping their paths below the scanned folder")
    mode.add_argument("--copy", metavar="DIR", help="copy them under DIR (nothing is removed)")
    mode.add_argument("--hardlink", action="store_const", dest="action", const="hardlink",
                      help="replace each with a hard link to the kept copy (same filesystem only)")
    mode.add_argument("--symlink", action="store_const", dest="action", const="symlink",
                      help="replace each with a symbolic link to the kept copy")
    a.add_argument("--dry-run", "-n", action="store_true", help="check and say what would happen; change nothing")
    a.add_argument("--quiet", "-q", action="store_true", help="only the summary and refusals")
    a.add_argument("result", metavar="RESULT.json|REVIEW",
                   help="the output of `dupeview scan --format json`, or a review file saved by the app")
    a.set_defaults(handler=cmd_apply)
    u = subparsers.add_parser("undo", help="undo the last apply, trash or move (from the action log)",
                              description="Put back the files of the last batch (apply, or the app's Trash), "
                                          "each only if it is still exactly the file that was moved.",
                              epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    u.set_defaults(handler=cmd_undo)


def startup() -> None:
    """Finish or roll back a batch an earlier run left half-done (kill -9, power loss); never fails."""
    try:
        actions.recover()
    except Exception:
        log.exception("could not recover the action log")


# --- reading the input -------------------------------------------------------------------------------

def load_plan(path: str) -> Plan:
    """The one place inputs are read: a scan's JSON result, or a review saved by the app (File → Save review…).
    Raises UsageError for an input that cannot be used at all; files that cannot be trusted go in plan.refused."""
    if looks_like_review(path):
        return _plan_from_review(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(_MAX_RESULT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {display_path(path)[0]}: {exc.strerror or exc}") from exc
    if len(data) > _MAX_RESULT_BYTES:
        raise UsageError(f"{display_path(path)[0]} is too large to be a dupeview result")
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise UsageError(f"{display_path(path)[0]} is not a dupeview scan result (not valid JSON)") from exc
    if not isinstance(doc, dict) or doc.get("schema") != 1 or not isinstance(doc.get("groups"), list):
        raise UsageError(f"{display_path(path)[0]} is not a dupeview scan result (schema 1 JSON from `dupeview scan`)")
    try:
        return _plan_from_result(doc)
    except (KeyError, TypeError, ValueError) as exc:
        raise UsageError(f"{display_path(path)[0]} is a damaged dupeview scan result ({exc})") from exc


def _member_path(m: dict[str, Any]) -> str:
    raw = m.get("path_hex")
    if isinstance(raw, str):
        return os.fsdecode(bytes.fromhex(raw))
    path = m["path"]
    if not isinstance(path, str):
        raise TypeError("a member's path is not text")
    return path


def _int(m: dict[str, Any], key: str) -> int | None:
    v = m.get(key)
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def _plan_from_result(doc: dict[str, Any]) -> Plan:
    plan = Plan()
    settings = doc.get("settings")
    if not isinstance(settings, dict):
        settings = {}
    plan.roots = [os.path.abspath(f) for f in settings.get("folders", []) if isinstance(f, str)]
    for g in doc["groups"]:
        members = g["members"]
        if not isinstance(members, list):
            raise TypeError("a group's members are not a list")
        facts: list[tuple[Facts, bool, bool]] = []
        for m in members:
            digest = m.get("digest")
            facts.append((Facts(os.path.abspath(_member_path(m)), _int(m, "size"), _int(m, "mtime_ns"),
                                _int(m, "ctime_ns"), _int(m, "device"), _int(m, "inode"),
                                bytes.fromhex(digest) if isinstance(digest, str) else None),
                          m.get("keep") is False, m.get("keeper") is True))
        # The group's keeper first: it is the copy a link points to and the first one checked.
        facts.sort(key=lambda t: not t[2])
        plan.groups.append([f for f, _, _ in facts])
        for f, remove, _ in facts:
            if not remove:
                continue
            if f.digest is None or f.size is None or f.mtime_ns is None:
                plan.refused[f.path] = NO_DIGEST
                continue
            plan.targets.append(Removal(f.path, f.size, f.mtime_ns, f.ctime_ns, f.dev, f.ino, f.digest))
    return plan


def _plan_from_review(path: str) -> Plan:
    """The review's marks (not the scan's suggestions) and its groups, each file checked against the disk."""
    try:
        state = read_review_file(path)
        # The app's remembered pairs (beside its cache) give the review's groups without a search.
        found = review_targets(state, pair_memo.beside(paths.cache_db(), state.roots))
    except ReviewFileError as exc:
        raise UsageError(str(exc)) from exc
    except ValueError as exc:   # options this version can't read: nothing was touched
        raise UsageError(f"{display_path(path)[0]} is a review this dupeview can't use ({exc})") from exc
    if found.foreign is not None:
        print(f"dupeview: this review was saved on {printable(found.foreign)}: none of its files exist here, "
              "so each is refused", file=sys.stderr)
    return Plan(targets=[Removal.of(r) for r in found.targets], groups=[[Facts.of(r) for r in g] for g in found.groups],
                roots=list(found.roots), refused=dict(found.refused))


# --- apply -------------------------------------------------------------------------------------------

def _shown(path: str) -> str:
    return printable(display_path(path)[0])


def _dry_run(action: str, plan: Plan, dest_root: str | None) -> list[Outcome]:
    """What apply would do, file by file, from the same checks (nothing is changed)."""
    marked = {r.path for r in plan.targets}
    group_of = {f.path: g for g in plan.groups for f in g}
    refused = actions.refusals(plan.groups, list(marked)) if action != "copy" else {}
    outcomes = []
    for r in plan.targets:
        if r.path in refused:
            outcomes.append(Outcome(r.path, False, refused[r.path]))
            continue
        seen = verify(Facts.of(r))
        if isinstance(seen, str):
            outcomes.append(Outcome(r.path, False, seen))
            continue
        dest = actions.destination(r.path, dest_root, plan.roots) if dest_root else None
        if action != "copy":
            keepers = [f for f in group_of.get(r.path, []) if f.path not in marked]
            keeper = choose_keeper(seen, keepers, None)
            if isinstance(keeper, str):
                outcomes.append(Outcome(r.path, False, keeper))
                continue
            if action == "hardlink" and isinstance(keeper, Seen) and keeper.st.st_dev != seen.st.st_dev:
                outcomes.append(Outcome(r.path, False, actions.OTHER_DISK))
                continue
        outcomes.append(Outcome(r.path, True, dest=dest))
    return outcomes


def _report(action: str, outcomes: Sequence[Outcome], sizes: dict[str, int], dry_run: bool, quiet: bool) -> None:
    done_word, would_word, summary_word = _VERBS[action]
    verb = would_word if dry_run else done_word
    per_folder: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in outcomes:
        if o.ok:
            if not quiet:
                where = f" -> {_shown(o.dest)}" if o.dest and action in ("move", "copy") else ""
                print(f"{verb}: {_shown(o.path)}{where}")
            folder = per_folder[os.path.dirname(o.path)]
            folder[0] += 1
            folder[1] += sizes.get(o.path, 0)
        else:
            print(f"refused: {_shown(o.path)}: {o.reason}")
    if per_folder and not quiet:
        print("by folder:")
        for where, (count, size) in sorted(per_folder.items()):
            print(f"  {_shown(where)}: {count} file{'s' if count != 1 else ''}, {human_bytes(size)}")
    ok = [o for o in outcomes if o.ok]
    total = sum(sizes.get(o.path, 0) for o in ok)
    refused = len(outcomes) - len(ok)
    files = f"{len(ok)} file{'s' if len(ok) != 1 else ''}"
    if dry_run:
        print(f"{files} would be {summary_word} ({human_bytes(total)}), {refused} refused; nothing was changed")
    else:
        print(f"{files} {summary_word} ({human_bytes(total)}), {refused} refused")


def cmd_apply(args: argparse.Namespace) -> int:
    action = args.action or ("move" if args.move else "copy")
    dest_root = args.move or args.copy
    try:
        plan = load_plan(args.result)
        if dest_root is not None:
            dest_root = os.path.abspath(dest_root)
            if os.path.exists(dest_root) and not os.path.isdir(dest_root):
                raise UsageError(f"{_shown(dest_root)} exists and is not a folder")
    except UsageError as exc:
        print(f"dupeview: {exc}", file=sys.stderr)
        return EXIT_USAGE
    sizes = {r.path: r.size for r in plan.targets}
    early = [Outcome(p, False, why) for p, why in plan.refused.items()]
    if not plan.targets and not early:
        print("nothing to do: no file is suggested or marked for removal")
        return EXIT_OK
    if args.dry_run:
        outcomes = early + _dry_run(action, plan, dest_root)
    else:
        outcomes = early + actions.apply(action, plan.targets, groups=plan.groups, log=ActionLog(),
                                         dest_root=dest_root, roots=plan.roots)
    _report(action, outcomes, sizes, args.dry_run, args.quiet)
    if not args.dry_run and any(o.ok for o in outcomes):
        print("undo with: dupeview undo")
    return EXIT_OK if all(o.ok for o in outcomes) else EXIT_PARTLY


def cmd_undo(args: argparse.Namespace) -> int:
    outcomes = actions.undo_last(ActionLog())
    if not outcomes:
        print("nothing to undo")
        return EXIT_PARTLY
    for o in outcomes:
        print(f"restored: {_shown(o.path)}" if o.ok else f"not restored: {_shown(o.path)}: {o.reason}")
    ok = sum(o.ok for o in outcomes)
    print(f"{ok} of {len(outcomes)} file{'s' if len(outcomes) != 1 else ''} restored")
    return EXIT_OK if ok == len(outcomes) else EXIT_PARTLY
