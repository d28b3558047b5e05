"""One file, one small transaction: re-verify it and its kept copy, log the intent, act, check the kept
copy survived (else put the file back at once), log the result."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Sequence

from dupeview.core.actions import aliases, reasons
from dupeview.core.actions.facts import Facts, Seen, listed, same_file_sign, verify
from dupeview.core.actions.log import ActionLog, Outcome
from dupeview.core.actions.operations import Done, Operation, Refused

_logger = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True, slots=True)
class Step:
    """Where one file of a batch stands in the log."""

    log: ActionLog | None
    batch: str
    seq: int


def choose_keeper(target: Seen, keepers: Sequence[Facts], alias_store: str | os.PathLike[str] | None
                  ) -> Seen | str:
    """The first kept copy that is still exactly as scanned and is not the target under another name;
    else the reason none is. Kept copies are tried in order (the group's keeper first)."""
    if not keepers:
        return reasons.KEPT_GONE
    first_reason: str | None = None
    remembered = aliases.known(alias_store)
    target_path = os.path.abspath(target.facts.path)
    for facts in keepers:
        seen = verify(facts, missing=reasons.KEPT_GONE, changed=reasons.KEPT_CHANGED)
        if isinstance(seen, str):
            if seen == reasons.NOT_REGULAR:
                seen = reasons.KEPT_CHANGED
            first_reason = first_reason or seen
            continue
        pair = tuple(sorted((target_path, os.path.abspath(facts.path)), key=os.fsencode))
        if same_file_sign(target, seen) or pair in remembered:
            if (seen.st.st_dev, seen.st.st_ino) != (target.st.st_dev, target.st.st_ino):
                # Not a hard link: a mount seen twice. Remember it, so grouping never pairs them again.
                aliases.remember(target_path, facts.path, alias_store)
            first_reason = first_reason or reasons.KEPT_SAME_FILE
            continue
        return seen
    return first_reason or reasons.KEPT_GONE


def survived(keeper: Seen, target: Seen, operation: Operation) -> bool:
    """The kept copy is still listed in its folder and still holds the same content."""
    facts = keeper.facts
    if operation.name == "hardlink":
        # The new link adds a name to the kept file, which moves its ctime: everything else must hold.
        facts = dataclasses.replace(facts, ctime_ns=None)
    facts = dataclasses.replace(facts, digest=keeper.digest)
    # Across devices a stat may be answered from a stale cache (an overlay keeps answering for a lower
    # file that was moved away); a fresh listing of the folder is not. On one device, two inode numbers
    # are two files, and the listing (which costs a folder read per file) is not needed.
    if keeper.st.st_dev != target.st.st_dev and not listed(facts.path):
        return False
    return isinstance(verify(facts), Seen)


def run(operation: Operation, target: Facts, keepers: Sequence[Facts], step: Step, *,
        dest: str | None = None, alias_store: str | os.PathLike[str] | None = None) -> Outcome:
    """Do `operation` on one file, safely; never raises OSError for the file (the reason says why)."""
    path = target.path
    seen = verify(target)
    if isinstance(seen, str):
        return Outcome(path, False, seen)
    keeper: Seen | None = None
    if operation.removes:
        chosen = choose_keeper(seen, keepers, alias_store)
        if isinstance(chosen, str):
            return Outcome(path, False, chosen)
        keeper = chosen
    # The intent carries what was verified: recovery after a crash checks against exactly this.
    verified = dataclasses.replace(seen.facts, size=seen.st.st_size, mtime_ns=seen.st.st_mtime_ns,
                                   ctime_ns=seen.st.st_ctime_ns, dev=seen.st.st_dev, ino=seen.st.st_ino,
                                   digest=seen.digest)
    kept = [dataclasses.replace(keeper.facts, digest=keeper.digest)] if keeper is not None else []
    if step.log is not None:
        step.log.intend(step.batch, step.seq, operation.name, verified, keepers=kept, dest=dest)
    outcome = _act(operation, seen, keeper, dest, alias_store)
    if step.log is not None:
        try:
            step.log.result(step.batch, step.seq, operation.name, outcome, sync=False)
        except OSError as exc:
            # The file has moved already; losing the outcome would be worse than losing the log line.
            _logger.warning("could not write the action log %s: %s", step.log.path, exc)
    return outcome


def _act(operation: Operation, seen: Seen, keeper: Seen | None, dest: str | None,
         alias_store: str | os.PathLike[str] | None) -> Outcome:
    path = seen.facts.path
    try:
        done = operation.apply(seen, keeper, dest)
    except Refused as exc:
        return Outcome(path, False, str(exc))
    if keeper is not None and not survived(keeper, seen, operation):
        return _put_back(operation, seen, keeper, done, alias_store)
    try:
        operation.finish(done)
    except OSError as exc:
        _logger.warning("finishing %s of %r: %s", operation.name, path, exc)
    return Outcome(path, True, "", done.trash_path, done.info_path, done.dest)


def _put_back(operation: Operation, seen: Seen, keeper: Seen, done: Done,
              alias_store: str | os.PathLike[str] | None) -> Outcome:
    path = seen.facts.path
    aliases.remember(path, keeper.facts.path, alias_store)
    try:
        operation.put_back(seen, done)
    except OSError as exc:
        where = done.trash_path or done.dest or done.aside or "an unknown place"
        _logger.error("could not put %r back after its kept copy vanished: %s", path, exc)
        return Outcome(path, False, reasons.ALIAS_NOT_PUT_BACK.format(where=where), done.trash_path,
                       done.info_path, done.dest)
    return Outcome(path, False, reasons.ALIAS_PUT_BACK)
