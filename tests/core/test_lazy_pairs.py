"""Pairs searched only as far as asked: a Matcher started at a short distance grows its search on
demand and then groups exactly like one that searched to the maximum at once."""

from __future__ import annotations

import numpy as np
import pytest

from dupeview.core import pairs
from dupeview.core.grouping import GroupOptions, Matcher, MatchOptions
from tests.core.test_index import make_library
from tests.core.test_milvus import planted


@pytest.mark.parametrize("rotations", [False, True])
def test_a_short_search_grows_on_demand_and_groups_like_a_full_one(rotations: bool) -> None:
    library = make_library(planted(2000, seed=21), flat=(3, 4))
    options = MatchOptions("phash", rotations, max_distance=12)
    calls: list[int] = []

    def counting(codes: np.ndarray, max_distance: int, **kw: object) -> pairs.Pairs:
        calls.append(max_distance)
        return pairs.similar_pairs(codes, max_distance, **kw)  # type: ignore[arg-type]

    full = Matcher(library, options)
    lazy = Matcher(library, options, search_pairs=counting, search_distance=4)
    assert calls == [4] and lazy.searched == 4
    assert lazy.edge_count(4) == full.edge_count(4) < full.edge_count(12)
    for threshold in (0, 2, 4, 3):  # within the searched distance: no new search
        assert list(lazy.groups(GroupOptions(threshold=threshold))) == list(full.groups(GroupOptions(threshold=threshold)))
    assert calls == [4]
    for threshold in (8, 6, 12, 10):  # further: searched once per new maximum, never beyond what is asked
        assert list(lazy.groups(GroupOptions(threshold=threshold))) == list(full.groups(GroupOptions(threshold=threshold)))
    assert calls == [4, 8, 12]
    assert np.array_equal(lazy.distance, full.distance) and lazy.searched == 12
    with pytest.raises(ValueError, match="above the maximum"):
        lazy.groups(GroupOptions(threshold=13))



def test_a_smaller_matcher_still_grows_its_search() -> None:
    library = make_library(planted(1500, seed=5))
    options = MatchOptions("phash", False, max_distance=12)
    lazy = Matcher(library, options, search_distance=4).without({0, 7})
    full = Matcher(library, options).without({0, 7})
    assert lazy.searched == 4
    assert list(lazy.groups(GroupOptions(threshold=10))) == list(full.groups(GroupOptions(threshold=10)))
    assert lazy.searched == 10
