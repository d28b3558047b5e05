"""The one module that knows where dupeview keeps its files (platformdirs, with env overrides)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import platformdirs

from dupeview import APP_NAME

# Tests and portable installs point everything at one folder with DUPEVIEW_HOME;
# DUPEVIEW_CACHE alone moves just the fingerprint database.
HOME_ENV = "DUPEVIEW_HOME"
CACHE_ENV = "DUPEVIEW_CACHE"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value) if value else None


def _dir(name: str, platform_dir: Callable[..., str]) -> Path:
    """DUPEVIEW_HOME/name when set, else the platform's own folder for dupeview."""
    home = _home()
    return home / name if home else Path(platform_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    return _dir("cache", platformdirs.user_cache_dir)


def config_dir() -> Path:
    return _dir("config", platformdirs.user_config_dir)


def data_dir() -> Path:
    return _dir("data", platformdirs.user_data_dir)


def log_dir() -> Path:
    return _dir("logs", platformdirs.user_log_dir)


def cache_db() -> Path:
    """The fingerprint database; DUPEVIEW_CACHE overrides it."""
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else cache_dir() / "fingerprints.sqlite3"


def decisions_db() -> Path:
    """The user's "not duplicates" decisions: user data, so never in the (disposable) cache folder."""
    return data_dir() / "decisions.sqlite3"
