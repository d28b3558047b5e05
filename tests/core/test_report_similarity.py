"""The JSON's per-member similarity is measured on the group's rows alone, exactly as on the whole library."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dupeview.core import verify
from dupeview.core.cache import FingerprintCache
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions
from dupeview.core.records import Library
from dupeview.core.report import similarities
from dupeview.core.scanner import ScanSettings, scan
from tests.images import make_photos


def _whole_library(library: Library, members: list[int]) -> list[int]:
    lay = verify.layout(library.codes("phash")[:, 0], library.views, library.flatness)
    idx = np.array(members, dtype=np.int64)
    return verify.similarity(lay, library.codes("phash")[:, 0], np.full(len(idx), members[0]), idx).tolist()


def test_similarities_of_each_group_equal_the_whole_library_measure(tmp_path: Path) -> None:
    make_photos(tmp_path / "lib", n_groups=3)
    with FingerprintCache(None) as cache:
        library = scan(ScanSettings((str(tmp_path / "lib"),), workers=0), cache)
    groups = Matcher(library, MatchOptions(max_distance=12)).groups(GroupOptions(threshold=12))
    assert len(groups) >= 3 and library.has_views()
    seen = set()
    for g in groups:
        members = [m.index for m in g.members]
        expected = [100 if m.identical else s for m, s in zip(g.members, _whole_library(library, members), strict=True)]
        got = similarities(library, g)
        assert got == expected
        seen.update(got)
    assert len(seen) > 2  # not all 100: the measure is really compared
    bare = Library(records=list(library.records), hashes=library.hashes)  # no views: the 64-bit measure
    for g in groups:
        d = [int(np.bitwise_count(bare.codes("phash")[g.keeper.index, 0] ^ bare.codes("phash")[m.index, 0]))
             for m in g.members]
        assert similarities(bare, g) == [100 if m.identical else int(np.clip(round(100 * (1 - x / 32)), 0, 100))
                                         for m, x in zip(g.members, d, strict=True)]
