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
# The XDG base-directory spec: a variable that is set but empty counts as unset. Left in place, an
# empty XDG_DATA_HOME makes send2trash trash into ./Trash under the current folder.
XDG_VARS = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME", "XDG_RUNTIME_DIR",
            "XDG_DATA_DIRS", "XDG_CONFIG_DIRS")


def unset_empty_xdg() -> list[str]:
    """Remove XDG variables that are set but empty (or blank) from the environment; returns their names."""
    empty = [name for name in XDG_VARS if name in os.environ and not os.environ[name].strip()]
    for name in empty:
        del os.environ[name]
    return empty


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value) if value else None


def _dir(name: str, platform_dir: Callable[..., str]) -> Path:
    """DUPEVIEW_HOME/name when set, else the platform's own folder for dupeview."""
    home = _home()
    unset_empty_xdg()
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


def thumbnail_dirs() -> tuple[Path, ...]:
    """The desktop's shared thumbnail caches (freedesktop thumbnail spec): $XDG_CACHE_HOME/thumbnails, and the
    legacy ~/.thumbnails. Their files are pictures of pictures: never searched for duplicates."""
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()  # set but empty counts as unset (XDG spec)
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "thumbnails", Path.home() / ".thumbnails"
