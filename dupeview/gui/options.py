"""The Session's options from the saved Settings (the one place that translates one into the other)."""

from __future__ import annotations

from dupeview.core.discovery import DiscoveryOptions
from dupeview.core.grouping import DEFAULT_MAX_DISTANCE, FLAT_CONTRAST, MatchOptions
from dupeview.core.keeper import KeepPolicy
from dupeview.core.session import ReviewOptions
from dupeview.settings import Settings


def review_options(s: Settings, workers: int | None) -> ReviewOptions:
    discovery = DiscoveryOptions(exclude_dirs=tuple(s.exclude_dirs), exclude_patterns=tuple(s.exclude_patterns),
                                 min_size=s.min_size, include_hidden=s.include_hidden,
                                 follow_symlinks=s.follow_symlinks, default_excludes=s.default_excludes)
    policy = KeepPolicy(rules=tuple(s.keep_rules), preferred_folders=tuple(s.preferred_folders),
                        formats=tuple(f.upper() for f in s.preferred_formats))
    return ReviewOptions(roots=s.roots, reference_folders=s.reference_folders, discovery=discovery, workers=workers,
                         match=MatchOptions(s.algorithm, s.rotations, DEFAULT_MAX_DISTANCE, FLAT_CONTRAST),
                         threshold=s.threshold, policy=policy, only_with_reference=s.only_with_reference,
                         hide_raw_pairs=s.hide_raw_pairs, permanent=s.permanent_delete, scope=s.scope)
