"""Opening the optional shared Milvus index for the CLI (imported only when asked for: the extra is optional)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dupeview.commands.common import UsageError


def open_milvus(uri: str, source: str | None, algorithms: Sequence[str]) -> Any:
    """A MilvusIndex, or UsageError saying why not."""
    from dupeview.core.index import IndexUnavailable
    try:
        from dupeview.core.milvus_index import MilvusIndex
        return MilvusIndex(uri, source=source, algorithms=algorithms)
    except (IndexUnavailable, ValueError) as exc:
        raise UsageError(str(exc)) from exc
