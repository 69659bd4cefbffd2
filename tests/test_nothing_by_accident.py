"""Nothing passes by accident: an empty or misspelt set is a usage error, every YAML spelling is found, the output
file's extension picks the format or clashes clearly, a file is judged with its project, an unknown field does not
hide a list from stats, and an output folder that cannot be made is a clear error."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govlist.cli import app

from conftest import REPO

runner = CliRunner()


def govlist(*args: str):
    return runner.invoke(app, [*args])


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the bundled catalog repository (govlist.yaml at its top), as the working folder."""
    root = tmp_path / "repo"
    shutil.copytree(REPO / "catalogs", root / "catalogs")
    monkeypatch.chdir(root)
    return root


def test_no_catalog_found_is_a_usage_error(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "only-project").mkdir()
    shutil.copy(REPO / "catalogs/govlist.yaml", tmp_path / "only-project/govlist.yaml")
    (tmp_path / "hidden/.drafts").mkdir(parents=True)
    shutil.copy(REPO / "catalogs/gumei/street-duty.yaml", tmp_path / "hidden/.drafts/x.yaml")
    for folder in ("empty", "only-project", "hidden"):
        result = govlist("validate", str(tmp_path / folder), "--lang", "en")
        assert result.exit_code == 2, result.output
        assert "no catalog file in" in result.output and "nothing was checked" in result.output
    chinese = govlist("validate", str(tmp_path / "empty"))
    assert chinese.exit_code == 2 and "中没有清单文件" in chinese.output
    misspelt = govlist("validate", str(tmp_path / "catlogs"), "--lang", "en")
    assert misspelt.exit_code == 2 and "no such file or folder" in misspelt.output


def test_every_spelling_of_yaml_is_found(tmp_path):
    for name in ("a.yaml", "b.yml", "c.YAML", "d.YML"):
        text = (REPO / "catalogs/gumei/street-duty.yaml").read_text(encoding="utf-8").replace("id: gumei-street-duty", f"id: x-{name[0]}")
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = govlist("validate", str(tmp_path), "--lang", "en", "-f", "json")
    assert json.loads(result.output)["summary"]["files"] == 4, result.output


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("govlist.sarif", lambda text: json.loads(text)["version"] == "2.1.0"),
        ("govlist.sarif.json", lambda text: json.loads(text)["version"] == "2.1.0"),
        ("report.json", lambda text: "findings" in json.loads(text)),
        ("junit.xml", lambda text: text.startswith("<?xml") and "<testsuite" in text),
        ("report.txt", lambda text: "checked" in text),
    ],
)
def test_validate_output_extension_picks_the_format(tmp_path, name, check):
    target = tmp_path / name
    result = govlist("validate", str(REPO / "catalogs/gumei"), "-o", str(target), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert check(target.read_text(encoding="utf-8"))


def test_format_and_extension_that_disagree_are_refused(tmp_path):
    result = govlist("validate", str(REPO / "catalogs/gumei"), "-f", "json", "-o", str(tmp_path / "govlist.sarif"), "--lang", "en")
    assert result.exit_code == 2
    assert "--format json does not match the output file" in result.output and "means sarif" in result.output
    assert not (tmp_path / "govlist.sarif").exists()
    assert govlist("validate", str(REPO / "catalogs/gumei"), "-f", "sarif", "-o", str(tmp_path / "x.sarif")).exit_code == 0


def test_export_writes_only_what_its_extension_says(tmp_path):
    source = str(REPO / "catalogs/gumei/street-duty.yaml")
    pdf = govlist("export", source, "-o", str(tmp_path / "x.pdf"), "--lang", "en")
    assert pdf.exit_code == 2 and "cannot write" in pdf.output and ".xlsx" in pdf.output
    assert not (tmp_path / "x.pdf").exists()
    clash = govlist("export", source, "-f", "xlsx", "-o", str(tmp_path / "x.csv"), "--lang", "en")
    assert clash.exit_code == 2 and "does not match" in clash.output
    upper = govlist("export", source, "-o", str(tmp_path / "x.CSV"))
    assert upper.exit_code == 0 and (tmp_path / "x.CSV").read_bytes()[:3] != b"PK\x03"  # a CSV, not a zip (xlsx)


def test_diff_and_changelog_output_extension_picks_the_format(tmp_path):
    old, new = str(REPO / "examples/adjustment/v2024"), str(REPO / "examples/adjustment/v2025")
    assert govlist("diff", old, new, "-o", str(tmp_path / "d.json")).exit_code == 0
    assert "summary" in json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert govlist("changelog", old, new, "-o", str(tmp_path / "c.html")).exit_code == 0
    assert "<html" in (tmp_path / "c.html").read_text(encoding="utf-8").lower()
    clash = govlist("diff", old, new, "-f", "html", "-o", str(tmp_path / "d.md"), "--lang", "en")
    assert clash.exit_code == 2 and "does not match" in clash.output


def test_a_file_is_judged_with_its_project(project, monkeypatch):
    result = govlist("validate", "catalogs/xx-district/territorial.yaml", "--lang", "en")
    assert result.exit_code == 0, result.output  # its grid list, elsewhere in the project, links the two lists
    assert "checked 1 file: 0 errors" in result.output
    monkeypatch.chdir(project / "catalogs/xx-district")  # from the file's own folder, below govlist.yaml
    assert govlist("validate", "territorial.yaml", "--lang", "en").exit_code == 0
    monkeypatch.chdir(project)
    broken = project / "catalogs/gumei/street-duty.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("items: 184", "items: 185"), encoding="utf-8")
    other = govlist("validate", "catalogs/xx-district/territorial.yaml", "--lang", "en")
    assert other.exit_code == 0 and "street-duty" not in other.output  # only the named files are reported on
    named = govlist("validate", "catalogs/gumei/street-duty.yaml", "--lang", "en")
    assert named.exit_code == 1 and "totals.items" in named.output


def test_import_validates_the_new_file_with_its_project(project):
    table = project / "territorial.xlsx"
    assert govlist("export", "catalogs/xx-district/territorial.yaml", "-o", str(table)).exit_code == 0
    (project / "catalogs/xx-district/territorial.yaml").unlink()
    result = govlist("import", str(table), "--kind", "territorial", "--id", "xx-territorial", "-o", "catalogs/xx-district/territorial.yaml", "--lang", "en")
    assert result.exit_code == 0, result.output
    assert "grid.two-list-link" not in result.output and "checked 1 file: 0 errors" in result.output


def test_stats_counts_a_list_with_an_unknown_field(project):
    path = project / "catalogs/gumei/street-duty.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("\ntitle:", "\ntitel: 拼错\ntitle:", 1), encoding="utf-8")
    result = govlist("stats", "catalogs/gumei/", "--lang", "en")
    assert "gumei-street-duty" in result.output and "left out" not in result.output.lower(), result.output
    check = govlist("validate", "catalogs/gumei/", "--lang", "en")
    assert check.exit_code == 1 and "schema.unknown-field" in check.output


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc (Linux)")
def test_render_into_a_folder_that_cannot_be_made_is_a_clear_error():
    result = govlist("render", str(REPO / "catalogs/gumei"), "--out", "/proc/site", "--lang", "en")
    assert result.exit_code == 2, result.output
    assert "cannot create the site folder site in /proc" in result.output and "internal error" not in result.output
