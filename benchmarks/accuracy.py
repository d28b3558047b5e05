"""Pairwise precision/recall of dupeview's groups against a folder's TRUTH.csv, across thresholds.

    python benchmarks/accuracy.py ../shared/corpus [--algorithm phash] [--rotations] [--cache PATH]
    python benchmarks/accuracy.py ../shared/corpus --generated [--keep-set DIR]

The second form builds a harder set from the corpus photos into a temp folder
(benchmarks/generated_set.py: crops, captions, frames, straightened, stickers, letterboxes and
pixel edits as positives; same-template pages, screenshots, flat scenes, bursts and UKBench
viewpoints as negatives) and reports recall per kind and false pairs per negative kind.

Scoring follows the corpus README: true pairs are pairs inside one truth group among
reference/exact/edited/orientation files (plus geometric with --rotations); a predicted pair
across groups or with a distinct file is a false positive; pairs with a `related` member
inside its own group count neither way.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import os
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generated_set
import numpy as np

from dupeview.core import verify
from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import DEFAULT_THRESHOLD, FLAT_CONTRAST, GroupOptions, Matcher, MatchOptions, code_reader
from dupeview.core.scanner import Library, ScanSettings, scan

TRUE_TIERS = {"reference", "exact", "edited", "orientation"}


@dataclass(frozen=True)
class Truth:
    group: dict[str, str]
    tier: dict[str, str]
    kind: dict[str, str]


def read_truth(folder: str) -> Truth:
    group, tier, kind = {}, {}, {}
    with open(os.path.join(folder, "TRUTH.csv"), newline="") as fh:
        for row in csv.DictReader(fh):
            path = os.path.normpath(os.path.join(folder, row["path"]))
            group[path], tier[path] = row["group"], row["tier"]
            kind[path] = row.get("kind") or row["tier"]
    return Truth(group, tier, kind)


def true_pairs(truth: Truth, rotations: bool, present: set[str]) -> dict[frozenset[str], str]:
    """Pairs that should be found -> the tier that makes them hard (for recall per tier)."""
    tiers = TRUE_TIERS | ({"geometric"} if rotations else set())
    members = defaultdict(list)
    for path, g in truth.group.items():
        if g and truth.tier[path] in tiers and path in present:
            members[g].append(path)
    out = {}
    for paths in members.values():
        for a, b in itertools.combinations(sorted(paths), 2):
            hard = [truth.tier[p] for p in (a, b) if truth.tier[p] != "reference"]
            out[frozenset((a, b))] = "exact" if not hard else max(hard, key=["exact", "orientation", "edited", "geometric"].index)
    return out


def classify(pair: frozenset[str], truth: Truth, rotations: bool) -> str:
    """'true', 'false' or 'ignore' for a predicted pair."""
    a, b = tuple(pair)
    ga, gb = truth.group.get(a, ""), truth.group.get(b, "")
    ta, tb = truth.tier.get(a, "distinct"), truth.tier.get(b, "distinct")
    if not ga or not gb or ga != gb:
        return "false"
    if "related" in (ta, tb) or "corrupt" in (ta, tb):
        return "ignore"
    if "geometric" in (ta, tb) and not rotations:
        return "ignore"  # found although not asked for: not a false positive
    return "true"


def score(library: Library, matcher: Matcher, truth: Truth, threshold: int, rotations: bool) -> dict[str, object]:
    present = {os.path.normpath(r.path) for r in library.records}
    expected = true_pairs(truth, rotations, present)
    groups = matcher.groups(GroupOptions(threshold=threshold))
    predicted = set()
    for g in groups:
        paths = sorted(os.path.normpath(library.records[m.index].path) for m in g.members)
        predicted.update(frozenset(p) for p in itertools.combinations(paths, 2))
    tp = fp = 0
    false_pairs = []
    for pair in predicted:
        kind = classify(pair, truth, rotations)
        if kind == "true":
            tp += 1
        elif kind == "false":
            fp += 1
            false_pairs.append(tuple(sorted(pair)))
    found = predicted & set(expected)
    missed = sorted(tuple(sorted(p)) for p in set(expected) - found)
    per_tier = {}
    for tier in ("exact", "orientation", "edited", "geometric"):
        want = [p for p, t in expected.items() if t == tier]
        if want:
            per_tier[tier] = sum(1 for p in want if p in found) / len(want)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = len(found) / len(expected) if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per_kind: dict[str, list[int]] = {}  # kind -> [found, wanted] (positives), from the truth's kind column
    for p in expected:
        kinds = {truth.kind[x] for x in p}
        for kind in kinds:
            entry = per_kind.setdefault(kind, [0, 0])
            entry[0] += p in found
            entry[1] += 1
    fp_kind: dict[str, int] = defaultdict(int)
    for a, b in false_pairs:
        for kind in {truth.kind.get(a, "?"), truth.kind.get(b, "?")}:
            fp_kind[kind] += 1

    # Best copy = the original: groups holding one truth reference whose keeper is that reference.
    keeper_right, keeper_wrong = 0, []
    for g in groups:
        paths = [os.path.normpath(library.records[m.index].path) for m in g.members]
        refs = [p for p in paths if truth.tier.get(p) == "reference"]
        if len(refs) == 1:
            if paths[0] == refs[0]:
                keeper_right += 1
            else:
                keeper_wrong.append((truth.kind.get(refs[0], "?"), paths[0], refs[0]))

    def distinct(m: object) -> bool:
        return truth.tier.get(os.path.normpath(library.records[m.index].path)) == "distinct"
    only_distinct = sum(1 for g in groups if all(distinct(m) for m in g.members))
    return {"threshold": threshold, "precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp,
            "groups": len(groups), "distinct_only_groups": only_distinct, "per_tier": per_tier,
            "per_kind": per_kind, "fp_kind": dict(fp_kind), "false_pairs": sorted(false_pairs), "missed_pairs": missed,
            "keeper_right": keeper_right, "keeper_wrong": sorted(keeper_wrong)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder")
    parser.add_argument("--algorithm", default=None, help="phash, dhash, ahash, whash or all (default: all; phash with --generated)")
    parser.add_argument("--rotations", action="store_true")
    parser.add_argument("--min-contrast", type=float, default=FLAT_CONTRAST)
    parser.add_argument("--cache", default=None, help="cache file (default: a fresh one in a temp folder)")
    parser.add_argument("--show-false", type=int, default=-1, help="list false pairs at this threshold")
    parser.add_argument("--show-missed", type=int, default=-1, help="list missed pairs at this threshold")
    parser.add_argument("--generated", action="store_true", help="build and score the generated set from FOLDER's photos")
    parser.add_argument("--keep-set", default=None, help="with --generated: build the set here and keep it")
    parser.add_argument("--seed", type=int, default=11, help="with --generated: another seed gives another set (11 chose the defaults)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dupeview-accuracy-") as tmp:
        folder = args.folder
        if args.generated:
            folder = args.keep_set or os.path.join(tmp, "set")
            generated_set.build(args.folder, folder, args.seed)
        return run(folder, args, args.cache or os.path.join(tmp, "cache.sqlite3"))


def run(folder: str, args: argparse.Namespace, cache_path: str) -> int:
    truth = read_truth(folder)
    with FingerprintCache(cache_path) as cache:
        library = scan(ScanSettings((folder,)), cache)
    print(f"{len(library)} images, {len(library.skipped)} skipped, rotations={'on' if args.rotations else 'off'}, "
          f"min contrast {args.min_contrast}")
    algorithm = args.algorithm or ("phash" if args.generated else "all")
    algorithms = ("phash", "dhash", "ahash", "whash") if algorithm == "all" else (algorithm,)
    for algorithm in algorithms:
        matcher = Matcher(library, MatchOptions(algorithm, args.rotations, 16, args.min_contrast))
        print(f"\n{algorithm}\n thr  precision  recall    F1     FP  groups  distinct-only  recall per tier")
        kinds_at: dict[int, dict[str, object]] = {}
        for threshold in range(0, 17):
            s = score(library, matcher, truth, threshold, args.rotations)
            kinds_at[threshold] = s
            tiers = " ".join(f"{k}={v:.2f}" for k, v in s["per_tier"].items())
            print(f" {threshold:>3}  {s['precision']:.4f}   {s['recall']:.4f}  {s['f1']:.4f} {s['fp']:>5}  {s['groups']:>6}  "
                  f"{s['distinct_only_groups']:>13}  {tiers}")
            if threshold == args.show_false:
                for a, b in s["false_pairs"]:
                    print(f"      FP {os.path.relpath(a, folder)}  ~  {os.path.relpath(b, folder)}")
            if threshold == args.show_missed:
                for a, b in s["missed_pairs"]:
                    print(f"      missed {os.path.relpath(a, folder)}  ~  {os.path.relpath(b, folder)}")
        s = kinds_at[DEFAULT_THRESHOLD]
        wrong = s["keeper_wrong"]
        print(f" keeper is the original (groups with one reference, threshold {DEFAULT_THRESHOLD}): "
              f"{s['keeper_right']}/{s['keeper_right'] + len(wrong)}")
        for kind, kept, ref in wrong:
            print(f"      kept {os.path.relpath(kept, folder)} over {os.path.relpath(ref, folder)} ({kind})")
        if args.generated:
            print_kinds(kinds_at)
    print_cost(library)
    return 0


def print_cost(library: Library, n_pairs: int = 200_000) -> None:
    """CPU time per pair of the verification checks, on random pairs of this library's files."""
    lay = verify.layout(library.codes("phash")[:, 0], library.views, library.flatness, code_reader(library, "dhash"))
    if lay is None or len(library) < 2:
        return
    rng = np.random.default_rng(0)
    a = rng.integers(0, len(library), n_pairs)
    b = rng.integers(0, len(library), n_pairs)

    def per_pair(run: object) -> float:
        best = float("inf")
        for _ in range(3):  # the best of three: the machine is shared
            start = time.process_time()
            run()  # type: ignore[operator]
            best = min(best, time.process_time() - start)
        return best / n_pairs * 1e6

    fine = per_pair(lambda: verify.confirmed_distance(lay._replace(dhash=None), a, b, 8))
    both = per_pair(lambda: verify.confirmed_distance(lay, a, b, 8))
    second = per_pair(lambda: verify.dhash_distance(lay, a, b))
    turned = per_pair(lambda: verify.rotated_dhash_distance(lay, a, b))
    print(f"\n verification cost, CPU per pair ({n_pairs:,} random pairs): fine check {fine:.2f} us, "
          f"with the second check {both:.2f} us; the second check alone on every pair {second:.2f} us "
          f"(turned: {turned:.2f} us)")


def print_kinds(kinds_at: dict[int, dict[str, object]]) -> None:
    """Found/wanted per positive kind and false pairs per negative kind, one column per threshold."""
    thresholds = sorted(kinds_at)
    print("\n kind          " + "".join(f"{t:>6}" for t in thresholds))
    for kind in generated_set.LAYOUT_KINDS + generated_set.PIXEL_KINDS:
        cells = []
        for t in thresholds:
            found, wanted = kinds_at[t]["per_kind"].get(kind, [0, 0])
            cells.append(f"{found}/{wanted}".rjust(6))
        print(f" {kind:<14}" + "".join(cells))
    print(" false pairs per kind")
    for kind in generated_set.NEGATIVE_KINDS + ("other",) + generated_set.LAYOUT_KINDS + generated_set.PIXEL_KINDS:
        counts = [kinds_at[t]["fp_kind"].get(kind, 0) for t in thresholds]
        if any(counts):
            print(f" {kind:<14}" + "".join(f"{c:>6}" for c in counts))


if __name__ == "__main__":
    sys.exit(main())
