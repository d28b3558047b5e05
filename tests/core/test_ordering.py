"""sorted_in_runs gives exactly sorted()'s order, for any keys and any length around the run size."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dupeview.core import ordering


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 3 * ordering.RUN + 5), st.integers(0, 2**32), st.integers(1, 50))
def test_the_same_order_as_sorted(n: int, seed: int, spread: int) -> None:
    import random

    rng = random.Random(seed)
    # Few distinct keys: many ties, which must fall in the items' own (ascending) order, as sorted() keeps them.
    keys = {x: (rng.randrange(spread) == 0, rng.randrange(spread), bytes([rng.randrange(spread)])) for x in range(n)}
    items = list(range(n))
    assert ordering.sorted_in_runs(items, keys.__getitem__) == sorted(items, key=keys.__getitem__)
