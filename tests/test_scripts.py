"""The set-up scripts a new machine runs (scripts/test, scripts/system.sh, scripts/lowest.py, .ci/run), with stub
commands on PATH standing in for id, sudo, apt-get and the virtual environment's python."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.skipif(os.name == "nt" or shutil.which("bash") is None, reason="the set-up scripts are bash")
BASH = shutil.which("bash") or "bash"


def _stub(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(f"#!{BASH}\n{body}\n", encoding="utf-8")
    path.chmod(0o755)


def _stubs(tmp_path: Path, uid: int, sudo: bool) -> Path:
    """A PATH holding only stubs: `id -u` prints uid; sudo and apt-get append their arguments to calls.log."""
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "calls.log"
    _stub(folder, "id", f"echo {uid}")
    _stub(folder, "apt-get", f'echo "apt-get $*" >> "{log}"')
    _stub(folder, "env", 'while [[ "$1" == *=* ]]; do export "$1"; shift; done; exec "$@"')
    if sudo:
        _stub(folder, "sudo", f'echo "sudo $*" >> "{log}"; exec "$@"')
    return folder


def _install(tmp_path: Path, uid: int, sudo: bool) -> tuple[subprocess.CompletedProcess, str]:
    path = _stubs(tmp_path, uid, sudo)
    done = subprocess.run([BASH, "-c", ". scripts/system.sh && system_install chromium fonts-noto-cjk"], cwd=REPO, env={"PATH": str(path)}, capture_output=True, text=True, timeout=60)
    log = tmp_path / "calls.log"
    return done, log.read_text(encoding="utf-8") if log.exists() else ""


def test_as_root_apt_get_runs_directly(tmp_path):
    done, calls = _install(tmp_path, 0, sudo=False)
    assert done.returncode == 0, done.stderr
    assert calls.splitlines() == ["apt-get update -qq", "apt-get install -y -qq chromium fonts-noto-cjk"]


def test_not_root_uses_sudo(tmp_path):
    done, calls = _install(tmp_path, 1000, sudo=True)
    assert done.returncode == 0, done.stderr
    assert "sudo apt-get update -qq" in calls and "sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk" in calls
    assert "apt-get install -y -qq chromium fonts-noto-cjk" in calls


def test_neither_root_nor_sudo_says_what_to_install(tmp_path):
    done, calls = _install(tmp_path, 1000, sudo=False)
    assert done.returncode == 2 and calls == ""
    assert "apt-get install -y chromium fonts-noto-cjk" in done.stderr and "no sudo" in done.stderr


def test_scripts_test_fails_when_pytest_collects_nothing(tmp_path):
    """pytest's exit 5 (no test ran) must fail the test command, and so CI."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "scripts", root / "scripts")
    shutil.copy(REPO / "pyproject.toml", root)
    venv_bin = root / ".venv" / "bin"
    venv_bin.mkdir(parents=True)
    _stub(venv_bin, "python", 'if [ "$2" = pytest ]; then echo "no tests ran"; exit 5; fi; exit 0')
    path = _stubs(tmp_path, 0, sudo=False)  # in front of the real PATH: any missing system package "installs" as a stub
    done = subprocess.run([BASH, "scripts/test", "-q"], cwd=root, env={**os.environ, "PATH": f"{path}{os.pathsep}{os.environ['PATH']}"}, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "no tests were collected" in done.stderr


def test_lowest_constraints_pin_every_lower_bound(tmp_path):
    done = subprocess.run([sys.executable, str(REPO / "scripts/lowest.py"), str(REPO / "pyproject.toml")], capture_output=True, text=True, check=True)
    pins = dict(line.split("==") for line in done.stdout.split())
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert len(pins) == len(project["dependencies"]) + len(project["optional-dependencies"]["test"])
    assert pins["typer"] and pins["pyyaml"]
    unbounded = tmp_path / "pyproject.toml"
    unbounded.write_text('[project]\nname = "x"\ndependencies = ["rich"]\n', encoding="utf-8")
    refused = subprocess.run([sys.executable, str(REPO / "scripts/lowest.py"), str(unbounded)], capture_output=True, text=True)
    assert refused.returncode != 0 and "'rich' has no lower bound" in refused.stderr


def test_ci_runs_the_test_command_with_newest_and_lowest_dependencies():
    run = (REPO / ".ci/run").read_text(encoding="utf-8")
    assert "bash scripts/test -q" in run and "bash scripts/test --lowest -q" in run
