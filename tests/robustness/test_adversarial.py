"""Nothing lost, nothing crashes: one folder of hostile inputs, scanned by the engine and by the CLI.

Run with -s to see the summary line (inputs tried, crashes, files lost).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dupeview.core.cache import FingerprintCache
from dupeview.core.discovery import DiscoveryOptions
from dupeview.core.scanner import CRASH_REASON, Library, ScanSettings, scan
from tests.robustness.adversarial import NOT_COMPARED, OK, SKIP, WALKED, Built, build, mutate_once
from tests.robustness.helpers import (
    Signature,
    copy_tree,
    json_groups,
    library_groups,
    lost,
    plain_reason_problem,
    run_cli,
    shown,
    snapshot,
)


@dataclass
class Outcome:
    built: Built
    before: dict[str, str]
    after: dict[str, str]
    scans: dict[str, Library] = field(default_factory=dict)
    clis: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)
    docs: dict[str, dict] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)
    baseline: Signature = field(default_factory=set)

    @property
    def root(self) -> Path:
        return self.built.root

    def rel(self, path: str) -> str:
        return os.path.relpath(path, self.root)


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Outcome:
    base = tmp_path_factory.mktemp("adversarial")
    built = build(base / "library")
    root = built.root
    result = Outcome(built, snapshot(root), {})

    def engine(name: str, cache_path: Path | None, **kw: object) -> None:
        options = DiscoveryOptions(follow_symlinks=bool(kw.pop("follow", False)))
        try:
            with FingerprintCache(cache_path) as cache:
                result.scans[name] = scan(ScanSettings((str(root),), options, workers=2, **kw), cache)  # type: ignore[arg-type]
        except Exception as exc:  # noqa: BLE001 - counted, then reported by the tests
            result.crashes.append(f"engine scan {name!r} raised {exc!r}")

    def cli(name: str, *args: str) -> None:
        run = result.clis[name] = run_cli("scan", str(root), "--workers", "2", "--quiet", *args)
        if run.returncode != 0 or "Traceback" in run.stderr:
            result.crashes.append(f"CLI {name!r} exited {run.returncode}: {run.stderr[-500:]}")
        elif "--format" in args and args[args.index("--format") + 1] == "json":
            try:
                result.docs[name] = json.loads(run.stdout)
            except ValueError as exc:
                result.crashes.append(f"CLI {name!r} printed invalid JSON: {exc}")

    # Another program deletes one file and saves over another after discovery listed them and
    # before any worker hashes them (see mutate_once).
    claim = base / "mutation.claim"
    mutation = functools.partial(mutate_once, str(claim), (str(root / built.vanishing),),
                                 ((str(root / built.replaced), built.replacement),),
                                 (str(root / built.swapped),))
    cache_db = base / "engine.sqlite3"
    engine("default", cache_db, worker_setup=mutation)
    assert Path(str(claim) + ".done").exists(), "the mutation never ran"
    engine("rescan", cache_db)
    engine("follow", None, follow=True)
    cli_db = base / "cli.sqlite3"
    cli("json", "--format", "json", "--cache", str(cli_db))
    cli("json-rescan", "--format", "json", "--cache", str(cli_db))
    cli("json-follow", "--format", "json", "--no-cache", "--follow-links")
    cli("text", "--format", "text", "--no-cache")
    cli("csv", "--format", "csv", "--no-cache")
    result.after = snapshot(root)

    # The same good files, at the same relative paths, without any bad one.
    clean = copy_tree(built.good(), root, base / "clean")
    with FingerprintCache(None) as cache:
        result.baseline = library_groups(scan(ScanSettings((str(clean),), workers=2), cache), clean)
    return result


def _expected_skips(built: Built, follow: bool) -> dict[str, tuple[str, ...]]:
    out = {}
    for i in built.inputs:
        if i.expect != SKIP:
            continue
        words = i.follow_words if follow and i.follow_words is not None else i.words
        if words:  # () when followed: a folder link, walked with loop detection, not reported
            out[i.rel] = words
    return out


def test_no_scan_crashes(outcome: Outcome) -> None:
    assert outcome.crashes == []
    assert set(outcome.scans) == {"default", "rescan", "follow"}
    for name, run in outcome.clis.items():
        assert run.stderr == "", f"{name}: {run.stderr[-2000:]}"  # no traceback, no stray warning


@pytest.mark.parametrize("name,follow", [("default", False), ("rescan", False), ("follow", True)])
def test_each_bad_input_is_skipped_with_a_plain_reason(outcome: Outcome, name: str, follow: bool) -> None:
    library = outcome.scans[name]
    reasons = {outcome.rel(s.path): s.reason for s in library.skipped}
    expected = _expected_skips(outcome.built, follow)
    if name != "default":
        expected.pop(outcome.built.vanishing)  # deleted during the first scan: gone for good by now
    assert set(reasons) == set(expected), "skipped files differ from the bad inputs"
    for rel, words in expected.items():
        assert any(w in reasons[rel] for w in words), f"{rel}: {reasons[rel]!r}, expected one of {words}"
    problems = {rel: (r, plain_reason_problem(r)) for rel, r in reasons.items() if plain_reason_problem(r)}
    assert problems == {}
    assert CRASH_REASON not in reasons.values()


@pytest.mark.parametrize("name", ["default", "rescan", "follow"])
def test_each_non_picture_is_listed_by_kind(outcome: Outcome, name: str) -> None:
    expected = {i.rel: i.words[0] for i in outcome.built.inputs if i.expect == NOT_COMPARED}
    listed = {outcome.rel(n.path): n.kind for n in outcome.scans[name].not_compared}
    assert listed == expected
    assert all(plain_reason_problem(n.reason) is None for n in outcome.scans[name].not_compared)
    for doc in (outcome.docs["json"], outcome.docs["json-rescan"]):
        in_json = {n["path"][len(shown(str(outcome.root))) + 1:]: n["kind"] for n in doc["not_compared"]}
        assert {rel: kind for rel, kind in in_json.items() if kind != "unreadable"} == {shown(r): k for r, k in expected.items()}


def test_cli_lists_the_same_skips(outcome: Outcome) -> None:
    for name, follow in (("json", False), ("json-rescan", False), ("json-follow", True)):
        doc = outcome.docs[name]
        expected = {shown(rel) for rel in _expected_skips(outcome.built, follow)} - {outcome.built.vanishing}
        prefix = shown(str(outcome.root)) + os.sep
        listed = {s["path"][len(prefix):] for s in doc["skipped"]}
        assert listed == expected, name
        assert all(plain_reason_problem(s["reason"]) is None for s in doc["skipped"]), doc["skipped"]
        assert doc["summary"]["images"] == len(outcome.built.good())
    assert outcome.docs["json-rescan"]["summary"]["hashed"] == 0
    assert outcome.docs["json-rescan"]["summary"]["from_cache"] == outcome.docs["json"]["summary"]["hashed"]
    assert "Skipped" in outcome.clis["text"].stdout
    assert outcome.clis["csv"].stdout.startswith("group,path,")


@pytest.mark.parametrize("name", ["default", "rescan", "follow"])
def test_every_readable_file_is_fingerprinted(outcome: Outcome, name: str) -> None:
    library = outcome.scans[name]
    paths = [outcome.rel(r.path) for r in library.records]
    assert len(paths) == len(set(paths)), "a file was listed twice (a link loop walked?)"
    assert set(paths) == set(outcome.built.good())
    assert not any(i.rel in paths for i in outcome.built.inputs if i.expect == WALKED)


def test_groups_are_those_of_the_good_files_alone(outcome: Outcome) -> None:
    baseline = outcome.baseline
    a_group = frozenset({"photos/a.jpg", "photos/a_copy.jpg", "photos/a_small.jpg", "odd/huge_exif.jpg",
                         "moving/replaced.jpg"})
    assert a_group in {members for _keeper, members in baseline}
    assert len(baseline) >= 6
    for name in ("default", "rescan", "follow"):
        assert library_groups(outcome.scans[name], outcome.root) == baseline, name
    shown_baseline = {(shown(k), frozenset(shown(m) for m in ms)) for k, ms in baseline}
    for name in ("json", "json-rescan", "json-follow"):
        assert json_groups(outcome.docs[name], outcome.root) == shown_baseline, name


def test_files_changed_during_the_scan(outcome: Outcome) -> None:
    built = outcome.built
    first = outcome.scans["default"]
    reasons = {outcome.rel(s.path): s.reason for s in first.skipped}
    assert reasons[built.vanishing] == "file disappeared during the scan"
    [replaced] = [r for r in first.records if outcome.rel(r.path) == built.replaced]
    assert replaced.digest == hashlib.sha256(built.replacement).digest()[:16]
    assert replaced.size == len(built.replacement)
    # What was cached for it matches the file now on disk: the rescan decodes nothing.
    rescan = outcome.scans["rescan"]
    # All but the vanished file and the one now a FIFO (which discovery skips from now on).
    assert (rescan.hashed, rescan.reused) == (0, first.hashed - 2)


def test_nothing_on_disk_was_changed(outcome: Outcome) -> None:
    built = outcome.built
    on_purpose = {built.vanishing, built.replaced, built.swapped}
    assert lost(outcome.before, outcome.after, on_purpose) == []
    assert set(outcome.after) == set(outcome.before) - {built.vanishing}, "files appeared or vanished"
    assert outcome.after[built.replaced] == "file:" + hashlib.sha256(built.replacement).hexdigest()


def test_summary(outcome: Outcome) -> None:
    built = outcome.built
    inputs = built.adversarial()
    decoder_crashes = [s.path for lib in outcome.scans.values() for s in lib.skipped if s.reason == CRASH_REASON]
    crashes = len(outcome.crashes) + len(decoder_crashes)
    gone = lost(outcome.before, outcome.after, {built.vanishing, built.replaced, built.swapped})
    runs = len(outcome.scans) + len(outcome.clis)
    print(f"\nadversarial: {len(inputs)} inputs, {crashes} crashes, {len(gone)} files lost "
          f"({runs} scans: engine default/rescan/follow-links, CLI json/json-rescan/json-follow/text/csv)")
    assert (crashes, gone) == (0, [])
    assert len([i for i in inputs if i.expect == SKIP]) >= 25 and len([i for i in inputs if i.expect == OK]) >= 20
