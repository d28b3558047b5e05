"""Grouping: edits group with their original, distinct and flat images do not, keepers follow the rules."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageFilter

from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions
from dupeview.core.keeper import KeepPolicy
from dupeview.core.scanner import ImageRecord, Library, ScanSettings, scan
from tests.images import photo, save, with_orientation


def scan_dir(*roots: Path) -> Library:
    with FingerprintCache(None) as cache:
        return scan(ScanSettings(tuple(str(r) for r in roots), workers=0), cache)


def named_groups(library: Library, groups: list) -> list[list[str]]:
    return [[os.path.basename(library.records[m.index].path) for m in g.members] for g in groups]


def make_library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    base = photo(1, (640, 480))
    save(base, lib / "original.jpg", quality=95)
    save(base.resize((320, 240)), lib / "small.jpg", quality=85)
    save(base.filter(ImageFilter.GaussianBlur(1)), lib / "blurred.png")
    with_orientation(base, 6, lib / "rotated_exif.jpg")
    save(base.transpose(Image.Transpose.ROTATE_90), lib / "rotated_pixels.jpg", quality=95)
    shutil.copy(lib / "original.jpg", lib / "copy_of_original.jpg")
    for k in range(2, 8):
        save(photo(k, (640, 480)), lib / f"other{k}.jpg", quality=90)
    return lib


def test_near_duplicates_group_and_distinct_do_not(tmp_path: Path) -> None:
    library = scan_dir(make_library(tmp_path))
    groups = Matcher(library).groups(GroupOptions(threshold=8))
    assert len(groups) == 1
    assert sorted(named_groups(library, groups)[0]) == sorted(
        ["original.jpg", "copy_of_original.jpg", "small.jpg", "blurred.png", "rotated_exif.jpg"])
    g = groups[0]
    assert not g.keeper.suggested and all(m.suggested for m in g.members[1:])
    assert g.reclaimable == sum(library.records[m.index].size for m in g.members[1:])


def test_identical_copies_are_flagged(tmp_path: Path) -> None:
    base = photo(9, (400, 300))
    save(base, tmp_path / "a.jpg", quality=95)
    shutil.copy(tmp_path / "a.jpg", tmp_path / "b.jpg")
    save(base, tmp_path / "c.jpg", quality=50)
    library = scan_dir(tmp_path)
    [group] = Matcher(library).groups(GroupOptions())
    assert named_groups(library, [group]) == [["a.jpg", "b.jpg", "c.jpg"]]  # keeper: largest, then path
    assert [m.identical for m in group.members] == [True, True, False]
    assert group.members[1].distance == 0


def test_rotation_matching(tmp_path: Path) -> None:
    library = scan_dir(make_library(tmp_path))
    groups = Matcher(library, MatchOptions(rotations=True)).groups(GroupOptions(threshold=8))
    assert "rotated_pixels.jpg" in named_groups(library, groups)[0]


def test_keeper_rules_and_reference_folder(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    ref = tmp_path / "ref"
    base = photo(3, (800, 600))
    save(base, lib / "big.jpg", quality=95)
    save(base.resize((400, 300)), lib / "half.jpg", quality=95)
    save(base.resize((200, 150)), ref / "tiny.jpg", quality=95)
    os.utime(lib / "half.jpg", (1_000_000_000, 1_000_000_000))  # the oldest file, by mtime (no EXIF date)
    library = scan_dir(lib, ref)
    matcher = Matcher(library)
    by_resolution = matcher.groups(GroupOptions(threshold=8))[0]
    assert os.path.basename(library.records[by_resolution.keeper.index].path) == "big.jpg"
    oldest_first = matcher.groups(GroupOptions(threshold=8, policy=KeepPolicy(rules=("oldest", "resolution"))))[0]
    assert os.path.basename(library.records[oldest_first.keeper.index].path) == "half.jpg"
    with_ref = matcher.groups(GroupOptions(threshold=8, reference_folders=(str(ref),)))[0]
    keeper = with_ref.keeper
    assert keeper.reference and os.path.basename(library.records[keeper.index].path) == "tiny.jpg"
    assert not any(m.suggested for m in with_ref.members if m.reference)
    assert matcher.groups(GroupOptions(threshold=8, only_with_reference=True, reference_folders=(str(tmp_path / "nothing"),))) == []


def test_preferred_folder_rule(tmp_path: Path) -> None:
    base = photo(4, (300, 200))
    save(base, tmp_path / "a" / "x.jpg", quality=90)
    save(base, tmp_path / "b" / "x.jpg", quality=90)
    library = scan_dir(tmp_path)
    policy = KeepPolicy(rules=("folder",), preferred_folders=(str(tmp_path / "b"),))
    group = Matcher(library).groups(GroupOptions(policy=policy))[0]
    assert library.records[group.keeper.index].path == str(tmp_path / "b" / "x.jpg")


def test_hard_links_are_never_offered(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    save(photo(5, (300, 200)), lib / "a.jpg")
    os.link(lib / "a.jpg", lib / "a_link.jpg")
    library = scan_dir(lib)
    assert Matcher(library).groups(GroupOptions()) == []  # one file under two names: nothing to reclaim
    save(photo(5, (300, 200)), lib / "b.jpg", quality=60)
    library = scan_dir(lib)
    [group] = Matcher(library).groups(GroupOptions())
    linked = [m for m in group.members if m.hardlink]
    assert len(linked) == 2 and not any(m.suggested for m in linked)


def test_flat_images_only_group_when_identical(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    rng = np.random.default_rng(0)
    for k in range(4):  # four different nearly black frames, and one white page
        frame = rng.integers(0, 4, (240, 320), dtype=np.uint8) + k
        save(Image.fromarray(frame), lib / f"black{k}.png")
    save(Image.new("L", (320, 240), 250), lib / "page.png")
    shutil.copy(lib / "black0.png", lib / "black0_copy.png")
    library = scan_dir(lib)
    groups = Matcher(library).groups(GroupOptions(threshold=12))
    assert [sorted(g) for g in named_groups(library, groups)] == [["black0.png", "black0_copy.png"]]


def test_not_duplicates_are_never_shown_again(tmp_path: Path) -> None:
    library = scan_dir(make_library(tmp_path))
    matcher = Matcher(library)
    group = matcher.groups(GroupOptions())[0]
    paths = [library.records[m.index].path for m in group.members]
    dismissed = frozenset((a, b) for a in paths for b in paths if a < b)
    assert matcher.groups(GroupOptions(not_duplicates=dismissed)) == []
    small = next(p for p in paths if p.endswith("small.jpg"))
    one_member = frozenset((small, p) for p in paths if p != small)
    remaining = named_groups(library, matcher.groups(GroupOptions(not_duplicates=one_member)))
    assert len(remaining) == 1 and "small.jpg" not in remaining[0]


# -- properties on synthetic libraries -------------------------------------------------

def synthetic(codes: list[int], order: list[int] | None = None) -> Library:
    order = order if order is not None else list(range(len(codes)))
    records, rows = [], []
    for k in order:
        records.append(ImageRecord(f"/lib/{k:04d}.jpg", 1000 + k, 0, 0, 1, k + 1, k.to_bytes(4, "big"),
                                   100, 100, "JPEG", None, None, 50.0))
        row = np.zeros((4, 8), dtype=np.uint64)
        row[:, :] = np.uint64(codes[k])
        rows.append(row)
    hashes = np.stack(rows) if rows else np.zeros((0, 4, 8), np.uint64)
    return Library(records=records, hashes=hashes)


def as_path_sets(library: Library, groups: list) -> set[frozenset[str]]:
    return {frozenset(library.records[m.index].path for m in g.members) for g in groups}


def clustered_codes() -> st.SearchStrategy[list[int]]:
    centre = st.integers(0, 2**64 - 1)
    flips = st.lists(st.integers(0, 63), max_size=6)
    member = st.tuples(centre, flips)
    return st.lists(st.sampled_from([0, 0x0F0F0F0F0F0F0F0F, 2**64 - 1, 0x123456789ABCDEF0]).flatmap(
        lambda c: st.lists(st.integers(0, 63), max_size=7).map(lambda fs: c ^ sum(1 << f for f in set(fs))))
        | member.map(lambda t: t[0]), min_size=0, max_size=40)


@settings(max_examples=60, deadline=None)
@given(codes=clustered_codes(), data=st.data())
def test_grouping_properties(codes: list[int], data: st.DataObject) -> None:
    library = synthetic(codes)
    matcher = Matcher(library)
    previous: set[frozenset[str]] | None = None
    for threshold in range(0, 13):
        groups = matcher.groups(GroupOptions(threshold=threshold))
        sets = as_path_sets(library, groups)
        members = [m.index for g in groups for m in g.members]
        assert len(members) == len(set(members))                 # a file is in at most one group
        for g in groups:
            assert g.keeper in g.members and not g.keeper.suggested  # keeper is a member, never removed
            assert any(not m.suggested for m in g.members)
        if previous is not None:                                   # raising the threshold never splits a group
            for old in previous:
                assert any(old <= new for new in sets)
        previous = sets
    order = data.draw(st.permutations(range(len(codes))))
    shuffled = synthetic(codes, list(order))
    for threshold in (0, 4, 8, 12):                                # deterministic under input order
        a = [[library.records[m.index].path for m in g.members] for g in matcher.groups(GroupOptions(threshold=threshold))]
        b = [[shuffled.records[m.index].path for m in g.members] for g in Matcher(shuffled).groups(GroupOptions(threshold=threshold))]
        assert a == b


@settings(max_examples=80, deadline=None)
@given(n=st.integers(1, 60), data=st.data())
def test_connected_components_match_a_plain_union_find(n: int, data: st.DataObject) -> None:
    from dupeview.core.grouping import connected_components

    edges = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=80))
    parent = list(range(n))

    def root(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x
    for a, b in edges:
        parent[root(a)] = root(b)
    i = np.array([a for a, _ in edges], dtype=np.int64)
    j = np.array([b for _, b in edges], dtype=np.int64)
    labels = connected_components(n, i, j).tolist()
    for x in range(n):
        for y in range(n):
            assert (labels[x] == labels[y]) == (root(x) == root(y))
        assert labels[x] == min(z for z in range(n) if root(z) == root(x))  # the smallest member


def named(library: Library, groups) -> list[list[str]]:
    return [[library.records[m.index].path for m in g.members] for g in groups]


@settings(max_examples=60, deadline=None)
@given(codes=clustered_codes(), data=st.data())
def test_a_matcher_without_some_files_groups_as_a_new_search_would(codes: list[int], data: st.DataObject) -> None:
    library = synthetic(codes)
    matcher = Matcher(library)
    gone = data.draw(st.sets(st.integers(0, max(0, len(codes) - 1)), max_size=len(codes))) if codes else set()
    smaller = matcher.without(gone)
    fresh = Matcher(library.rows([k for k in range(len(codes)) if k not in gone]))
    for threshold in (0, 4, 8, 12):
        options = GroupOptions(threshold=threshold)
        assert named(smaller.library, smaller.groups(options)) == named(fresh.library, fresh.groups(options))


@settings(max_examples=40, deadline=None)
@given(codes=clustered_codes(), data=st.data())
def test_marks_count_the_bytes_as_a_walk_over_every_group_would(codes: list[int], data: st.DataObject) -> None:
    from dupeview.core.marks import Marks

    library = synthetic(codes)
    groups = Matcher(library).groups(GroupOptions(threshold=8))
    marks = Marks()
    marks.attach(library, groups)
    for g in groups:
        for m in g.members:
            if data.draw(st.booleans()):
                marks.set(m, True)
    # The plain definition: per group, the distinct inodes of marked files no kept file shares.
    expected = 0
    for g in groups:
        rs = [library.records[m.index] for m in g.members]
        kept = {(r.dev, r.ino) for r in rs if r.path not in marks}
        expected += sum(r.size for r in {(r.dev, r.ino): r for r in rs if r.path in marks and (r.dev, r.ino) not in kept}.values())
    assert marks.total_bytes() == expected
    for row, g in enumerate(groups):
        assert marks.marked_in(row) < len(g.members)
