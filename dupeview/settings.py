"""The app's settings: one typed, versioned JSON file, written atomically, tolerant of damage."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Final

from dupeview import paths
from dupeview.core import safeio
from dupeview.core.fingerprint import ALGORITHMS
from dupeview.core.grouping import DEFAULT_MAX_DISTANCE, DEFAULT_THRESHOLD
from dupeview.core.keeper import DEFAULT_FORMATS, RULES
from dupeview.core.result_view import SORTS
from dupeview.core.scope import SCOPES

log = logging.getLogger(__name__)

SETTINGS_VERSION: Final = 1
FILE_NAME: Final = "settings.json"
THEMES: Final = ("system", "light", "dark")


@dataclass
class Folder:
    """A folder to search; a reference folder's files are never marked or trashed."""

    path: str
    reference: bool = False


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    folders: list[Folder] = field(default_factory=list)
    exclude_patterns: list[str] = field(default_factory=list)
    exclude_dirs: list[str] = field(default_factory=list)
    min_size: int = 0
    include_hidden: bool = False
    follow_symlinks: bool = False
    default_excludes: bool = True
    threshold: int = DEFAULT_THRESHOLD
    algorithm: str = "phash"
    rotations: bool = False
    keep_rules: list[str] = field(default_factory=lambda: list(RULES))
    preferred_folders: list[str] = field(default_factory=list)   # the "folder" keep rule, best first
    preferred_formats: list[str] = field(default_factory=lambda: list(DEFAULT_FORMATS))  # the "format" rule
    only_with_reference: bool = False   # show only groups that hold a file from a reference folder
    hide_raw_pairs: bool = False        # a camera's RAW + JPEG side by side in one folder are not duplicates
    permanent_delete: bool = False
    theme: str = "system"       # "system", "light" or "dark"
    group_sort: str = "reclaimable"   # the results list's order: a key of core/result_view.SORTS
    scope: str = "all"                # which pairs count: a key of core/scope.SCOPES
    hide_unremovable: bool = False    # hide groups where every copy is a reference file or a hard link
    window_geometry: str = ""   # base64 of QWidget.saveGeometry()
    window_state: str = ""      # base64 of the main splitter's saveState()

    @property
    def roots(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.folders)

    @property
    def reference_folders(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.folders if f.reference)


def default_path() -> Path:
    return paths.config_dir() / FILE_NAME


def to_dict(settings: Settings) -> dict[str, Any]:
    data = asdict(settings)
    data["version"] = SETTINGS_VERSION
    return data


def _str_list(value: object) -> list[str] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _folders(value: object) -> list[Folder] | None:
    if not isinstance(value, list):
        return None
    out: list[Folder] = []
    seen: set[str] = set()
    for item in value:
        if isinstance(item, str):
            item = {"path": item}
        if not isinstance(item, dict) or not isinstance(item.get("path"), str) or not item["path"]:
            continue
        if item["path"] in seen:
            continue
        seen.add(item["path"])
        out.append(Folder(item["path"], bool(item.get("reference", False))))
    return out


def _rules(value: object) -> list[str] | None:
    names = _str_list(value)
    if names is None:
        return None
    known = [n for n in dict.fromkeys(names) if n in RULES]
    # Rules added in later versions (or dropped from a hand-edited file) take their default
    # place: "raw" (new) first, as for a new user; an unknown one at its default position.
    for position, rule in enumerate(RULES):
        if rule not in known:
            known.insert(min(position, len(known)), rule)
    return known


def from_dict(data: dict[str, Any]) -> tuple[Settings, list[str]]:
    """Settings from parsed JSON; a field of the wrong type or out of range falls back to its default."""
    settings = Settings()
    problems: list[str] = []
    for f in fields(Settings):
        if f.name == "version" or f.name not in data:
            continue
        value = data[f.name]
        default = getattr(settings, f.name)
        parsed: object
        if f.name == "folders":
            parsed = _folders(value)
        elif f.name in ("exclude_patterns", "exclude_dirs", "preferred_folders", "preferred_formats"):
            parsed = _str_list(value)
        elif f.name == "keep_rules":
            parsed = _rules(value)
        elif f.name == "threshold":
            parsed = value if isinstance(value, int) and not isinstance(value, bool) \
                and 0 <= value <= DEFAULT_MAX_DISTANCE else None
        elif f.name == "min_size":
            parsed = value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None
        elif f.name == "algorithm":
            parsed = value if value in ALGORITHMS else None
        elif f.name == "theme":
            parsed = value if value in THEMES else None
        elif f.name in ("group_sort", "scope"):
            parsed = value if value in (SORTS if f.name == "group_sort" else SCOPES) else None
        elif isinstance(default, bool):
            parsed = value if isinstance(value, bool) else None
        elif isinstance(default, str):
            parsed = value if isinstance(value, str) else None
        else:  # pragma: no cover - every field is handled above
            parsed = None
        if parsed is None:
            problems.append(f"ignored an invalid value for {f.name!r}")
            continue
        setattr(settings, f.name, parsed)
    return settings, problems


class SettingsStore:
    """Loads and saves the settings file; `problem` says in words what was wrong with it, if anything."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.problem: str | None = None

    def load(self) -> Settings:
        self.problem = None
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return Settings()
        except (OSError, UnicodeDecodeError) as exc:
            return self._damaged(f"the settings file could not be read ({exc})")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            return self._damaged(f"the settings file is damaged ({exc.msg} at line {exc.lineno})")
        if not isinstance(data, dict):
            return self._damaged("the settings file is damaged (not a settings object)")
        version = data.get("version")
        if isinstance(version, int) and version > SETTINGS_VERSION:
            backup = self._backup(f"v{version}")
            self.problem = (f"the settings were written by a newer dupeview (version {version}); "
                            f"the settings this version understands were kept, the file was copied to {backup}")
        settings, problems = from_dict(data)
        if problems and self.problem is None:
            self.problem = "some settings were invalid and were reset: " + "; ".join(problems)
        if self.problem:
            log.warning("%s", self.problem)
        return settings

    def save(self, settings: Settings) -> None:
        """Write to a temporary file beside the real one, then rename it over: never half a file."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(to_dict(settings), indent=2, ensure_ascii=False) + "\n"
        safeio.write_atomically(self.path, text.encode("utf-8"))

    def _damaged(self, why: str) -> Settings:
        backup = self._backup("damaged")
        where = f"; it was kept as {backup}" if backup else ""
        self.problem = f"{why}{where}. Default settings are used."
        log.warning("%s", self.problem)
        return Settings()

    def _backup(self, tag: str) -> Path | None:
        target = self.path.with_name(f"{self.path.name}.{tag}-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            shutil.copy2(self.path, target)
        except OSError:
            return None
        return target


def load(path: str | os.PathLike[str] | None = None) -> Settings:
    return SettingsStore(path).load()


def save(settings: Settings, path: str | os.PathLike[str] | None = None) -> None:
    SettingsStore(path).save(settings)
