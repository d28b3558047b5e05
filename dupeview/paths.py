"""The one module that knows where dupeview keeps its files (platformdirs, with env overrides)."""

from __future__ import annotations

import os
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


def cache_dir() -> Path:
    home = _home()
    return home / "cache" if home else Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    home = _home()
    return home / "logs" if home else Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def cache_db() -> Path:
    """The fingerprint database; DUPEVIEW_CACHE overrides it."""
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else cache_dir() / "fingerprints.sqlite3"
