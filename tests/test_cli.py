"""The CLI end to end, as a user runs it: a real subprocess, real files, real cache."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.images import photo, save

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m dupeview ARGS`, as a user runs it."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "dupeview", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=120, errors="replace")


def small_library(lib: Path) -> Path:
    """One photo in three copies (original, byte copy, half size) and one unrelated photo."""
    base = photo(1, (480, 360))
    save(base, lib / "2019" / "IMG_0001.jpg", quality=95)
    save(base.resize((240, 180)), lib / "backup" / "IMG_0001_small.jpg", quality=80)
    shutil.copy(lib / "2019" / "IMG_0001.jpg", lib / "backup" / "IMG_0001.jpg")
    save(photo(2, (480, 360)), lib / "2019" / "IMG_0002.jpg")
    return lib


@pytest.fixture
def library(tmp_path: Path) -> Path:
    lib = small_library(tmp_path / "lib")
    (lib / "2019" / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0garbage")
    save(photo(3, (120, 90)), lib / os.fsdecode(b"caf\xe9.jpg"))
    return lib


def test_scan_json(library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    result = run("scan", str(library), "--format", "json", "--cache", str(cache), "--workers", "2")
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["schema"] == 1 and doc["settings"]["algorithm"] == "phash" and doc["settings"]["threshold"] == 8
    assert doc["summary"]["images"] == 5 and doc["summary"]["groups"] == 1 and doc["summary"]["hashed"] == 6
    [group] = doc["groups"]
    members = {Path(m["path"]).relative_to(library).as_posix(): m for m in group["members"]}
    assert set(members) == {"2019/IMG_0001.jpg", "backup/IMG_0001.jpg", "backup/IMG_0001_small.jpg"}
    assert members["2019/IMG_0001.jpg"]["keep"] and members["2019/IMG_0001.jpg"]["keeper"]
    assert not members["backup/IMG_0001.jpg"]["keep"] and members["backup/IMG_0001.jpg"]["identical"]
    assert group["reclaimable_bytes"] == sum(m["size"] for m in group["members"] if not m["keep"])
    assert [(Path(s["path"]).name, s["reason"]) for s in doc["skipped"]] == [("broken.jpg", "image is truncated (incomplete file)")]
    assert result.stderr == ""  # not a terminal: no progress bar

    again = json.loads(run("scan", str(library), "--format", "json", "--cache", str(cache)).stdout)
    assert again["summary"]["hashed"] == 0 and again["summary"]["from_cache"] == 6
    assert again["groups"] == doc["groups"]


def test_non_utf8_path_is_reported_escaped(library: Path, tmp_path: Path) -> None:
    twin = library / os.fsdecode(b"caf\xe9_copy.jpg")
    shutil.copy(library / os.fsdecode(b"caf\xe9.jpg"), twin)
    doc = json.loads(run("scan", str(library), "--format", "json", "--no-cache").stdout)
    paths = [m for g in doc["groups"] for m in g["members"] if m.get("path_escaped")]
    assert len(paths) == 2 and all("caf\\xe9" in m["path"] for m in paths)
    text = run("scan", str(library), "--no-cache")
    assert text.returncode == 0 and "caf\\xe9_copy.jpg" in text.stdout


def test_scan_csv_and_text(library: Path) -> None:
    out = run("scan", str(library), "--format", "csv", "--no-cache")
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert [r["group"] for r in rows] == ["1", "1", "1", ""]
    assert rows[-1]["reason"] and rows[-1]["path"].endswith("broken.jpg")
    text = run("scan", str(library), "--no-cache").stdout
    assert "Group 1: 3 images" in text and "Skipped 1 file(s)" in text


def test_reference_and_options(library: Path) -> None:
    doc = json.loads(run("scan", str(library), "--reference", str(library / "backup"), "--format", "json", "--no-cache").stdout)
    members = doc["groups"][0]["members"]
    assert all(m["keep"] for m in members if m["reference"])
    assert members[0]["reference"]
    excluded = json.loads(run("scan", str(library), "--exclude", "backup", "--format", "json", "--no-cache").stdout)
    assert excluded["groups"] == []


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = run("scan", str(tmp_path / "nope"))
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr and "Traceback" not in missing.stderr
    bad = run("scan", str(tmp_path), "--threshold", "99")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert run("scan", str(tmp_path), "--algorithm", "nope").returncode == 2


def test_query(library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "c.sqlite3"
    probe = save(photo(1, (480, 360)).resize((300, 225)), tmp_path / "upload.jpg", quality=70)
    stranger = save(photo(9, (200, 150)), tmp_path / "new.jpg")
    found = run("query", str(probe), "--in", str(library), "--format", "json", "--cache", str(cache))
    assert found.returncode == 0, found.stderr
    matches = json.loads(found.stdout)["results"][0]["matches"]
    assert sorted(Path(m["path"]).name for m in matches) == ["IMG_0001.jpg", "IMG_0001.jpg", "IMG_0001_small.jpg"]
    # The cache file alone serves as the library too (the blocklist case).
    from_cache = run("query", str(probe), str(stranger), "--in", str(cache), "--format", "json")
    results = json.loads(from_cache.stdout)["results"]
    assert len(results[0]["matches"]) == 3 and results[1]["matches"] == []
    none = run("query", str(stranger), "--in", str(cache))
    assert none.returncode == 1 and "0 match" in none.stdout
    exact = run("query", str(library / "2019" / "IMG_0001.jpg"), "--in", str(cache), "--format", "json")
    assert sum(m["identical"] for m in json.loads(exact.stdout)["results"][0]["matches"]) == 2
    assert run("query", str(probe), "--in", str(tmp_path / "none")).returncode == 2


def test_text_output_escapes_control_characters(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    save(photo(4, (200, 150)), lib / "line\nbreak.jpg")
    shutil.copy(lib / "line\nbreak.jpg", lib / "evil\u202egpj.exe.jpg")
    out = run("scan", str(lib), "--no-cache")
    assert out.returncode == 0
    assert "line\\nbreak.jpg" in out.stdout and "evil\\u202egpj.exe.jpg" in out.stdout
    assert "\u202e" not in out.stdout
