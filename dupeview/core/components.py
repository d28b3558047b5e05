"""Connected components of an undirected edge list, as arrays (the union-find grouping runs on)."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


def connected_components(n: int, i: NDArray[np.int64], j: NDArray[np.int64]) -> NDArray[np.int64]:
    """A component label per node (its smallest member) for an undirected edge list.

    Union-find in array form: hook each edge's larger root under its smaller one, then
    jump pointers until every node points at its root; repeat until no edge spans two
    roots. A few rounds for real graphs, and no scipy (45 MB in the app bundle) for it.
    """
    parent = np.arange(n, dtype=np.int64)
    while True:
        ri, rj = parent[i], parent[j]
        spanning = ri != rj
        if not spanning.any():
            return parent
        lo, hi = np.minimum(ri[spanning], rj[spanning]), np.maximum(ri[spanning], rj[spanning])
        np.minimum.at(parent, hi, lo)
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped
