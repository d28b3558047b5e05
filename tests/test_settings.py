"""Settings: typed round trip, atomic writes, and a damaged or odd file never stops the app."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from dupeview.core.keeper import RULES
from dupeview.settings import SETTINGS_VERSION, Folder, Settings, SettingsStore, default_path, from_dict, to_dict


def test_defaults_when_there_is_no_file(tmp_path: Path):
    store = SettingsStore(tmp_path / "settings.json")
    assert store.load() == Settings()
    assert store.problem is None


def test_round_trip(tmp_path: Path):
    store = SettingsStore(tmp_path / "nested" / "settings.json")
    s = Settings(folders=[Folder("/photos"), Folder("/archive", reference=True)], exclude_patterns=["*.gif"],
                 exclude_dirs=["/photos/tmp"], min_size=5000, include_hidden=True, threshold=4, algorithm="dhash",
                 rotations=True, keep_rules=list(reversed(RULES)), permanent_delete=True, theme="dark",
                 window_geometry="AAAA", window_state="BBBB")
    store.save(s)
    assert store.load() == s
    assert store.problem is None
    data = json.loads(store.path.read_text())
    assert data["version"] == SETTINGS_VERSION
    assert s.reference_folders == ("/archive",)
    assert [p.name for p in store.path.parent.iterdir()] == ["settings.json"]  # no temp file left behind


def test_default_path_is_under_the_config_dir():
    assert default_path().parent.name == "config"  # DUPEVIEW_HOME/config in tests
    assert str(default_path()).startswith(os.environ["DUPEVIEW_HOME"])


def test_damaged_file_falls_back_to_defaults_and_keeps_a_backup(tmp_path: Path):
    path = tmp_path / "settings.json"
    path.write_text('{"folders": [ {"path": "/a"}, ')   # cut off mid-write by some other program
    store = SettingsStore(path)
    assert store.load() == Settings()
    assert "damaged" in store.problem
    backups = [p for p in tmp_path.iterdir() if p.name.startswith("settings.json.damaged-")]
    assert len(backups) == 1 and backups[0].read_text() == path.read_text()
    store.save(Settings(threshold=3))
    assert store.load().threshold == 3


def test_binary_garbage_and_wrong_shapes(tmp_path: Path):
    path = tmp_path / "settings.json"
    path.write_bytes(b"\x00\xff\xfe garbage")
    assert SettingsStore(path).load() == Settings()
    path.write_text("[1, 2, 3]")
    store = SettingsStore(path)
    assert store.load() == Settings() and store.problem


def test_invalid_values_are_reset_one_by_one(tmp_path: Path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({
        "version": 1, "threshold": 99, "algorithm": "md5", "rotations": "yes", "min_size": -1,
        "folders": [{"path": "/ok", "reference": True}, {"nope": 1}, "/plain", {"path": "/ok"}],
        "keep_rules": ["size", "bogus", "resolution"], "unknown_future_key": {"x": 1}, "theme": "purple"}))
    store = SettingsStore(path)
    s = store.load()
    assert s.threshold == Settings().threshold and s.algorithm == "phash" and s.rotations is False
    assert s.min_size == 0 and s.theme == "system"
    assert s.folders == [Folder("/ok", True), Folder("/plain", False)]
    # The rules it names keep their order; the missing ones take their default places ("raw" first).
    assert s.keep_rules[0] == "raw" and sorted(s.keep_rules) == sorted(RULES)
    assert [r for r in s.keep_rules if r in ("size", "resolution")] == ["size", "resolution"]
    assert "threshold" in store.problem


def test_settings_saved_before_the_raw_rule_get_it_first(tmp_path: Path):
    path = tmp_path / "settings.json"
    old_default = ["resolution", "size", "oldest", "folder", "format", "path"]
    path.write_text(json.dumps({"version": 1, "keep_rules": list(reversed(old_default))}))
    loaded = SettingsStore(path).load().keep_rules
    assert loaded[0] == "raw" and [r for r in loaded if r in old_default] == list(reversed(old_default))
    assert sorted(loaded) == sorted(RULES)  # the measured "original" rules too, at their default places
    moved = ["resolution", "raw", *old_default[1:]]
    path.write_text(json.dumps({"version": 1, "keep_rules": moved}))
    loaded = SettingsStore(path).load().keep_rules
    assert [r for r in loaded if r in moved] == moved   # a place the user chose is kept


def test_newer_version_keeps_what_it_understands_and_a_copy(tmp_path: Path):
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"version": SETTINGS_VERSION + 1, "threshold": 2, "new_thing": True}))
    store = SettingsStore(path)
    assert store.load().threshold == 2
    assert "newer" in store.problem
    assert any(p.name.startswith(f"settings.json.v{SETTINGS_VERSION + 1}-") for p in tmp_path.iterdir())


def test_a_failed_write_leaves_the_old_file(tmp_path: Path, monkeypatch):
    store = SettingsStore(tmp_path / "settings.json")
    store.save(Settings(threshold=5))

    def boom(*_a: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with contextlib.suppress(OSError):
        store.save(Settings(threshold=6))
    monkeypatch.undo()
    assert store.load().threshold == 5
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


names = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)


@hsettings(max_examples=60, deadline=None)
@given(folders=st.lists(st.tuples(names, st.booleans()), max_size=5, unique_by=lambda t: t[0]),
       patterns=st.lists(names, max_size=4), threshold=st.integers(0, 12), rules=st.permutations(RULES))
def test_any_valid_settings_survive_json(folders, patterns, threshold, rules):
    s = Settings(folders=[Folder(p, r) for p, r in folders], exclude_patterns=patterns, threshold=threshold,
                 keep_rules=list(rules))
    back, problems = from_dict(json.loads(json.dumps(to_dict(s))))
    assert back == s and problems == []
