"""`govlist doctor`: what the environment has, what is missing and how to fix it. The core: it never prints.

Required: Python ≥ 3.11, PyYAML (with libyaml: pure-Python YAML works but is several times slower), jsonschema-rs,
git (for `diff`/`changelog` against revisions and the pre-commit hook). Needed to publish: CJK fonts (found as the
PDF engine finds them: fontconfig, else typst's own look at the system's fonts, as on Windows and macOS) and the PDF
engine (the `typst` Python package). Chromium only runs govlist's own browser tests. Each fix is the command for the
system doctor runs on (apt-get on Linux, winget or a download on Windows, brew on macOS).
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from dataclasses import dataclass

from .display import pad
from .model import Text
from .platforms import on_system


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: Text
    fix: Text | None = None
    required: bool = True
    publishing: bool = True  # an optional check publishing needs (chromium: only govlist's own tests)


def _python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= (3, 11)
    return Check(
        "python",
        ok,
        Text(f"Python {version}（{sys.executable}）", f"Python {version} ({sys.executable})"),
        None
        if ok
        else on_system(
            "安装 Python 3.11 或更新版本，如 apt-get install python3.11 | install Python 3.11 or newer, e.g. apt-get install python3.11",
            "从 https://www.python.org/downloads/ 安装 Python 3.11 或更新版本（或 winget install Python.Python.3.11）| install Python 3.11 or newer from https://www.python.org/downloads/ (or winget install Python.Python.3.11)",
            "brew install python@3.11",
        ),
    )


def _libyaml() -> Check:
    try:
        import yaml
    except ImportError:
        return Check("pyyaml", False, Text("未安装 PyYAML", "PyYAML is not installed"), Text("pip install pyyaml", "pip install pyyaml"))
    if getattr(yaml, "__with_libyaml__", False):
        return Check("pyyaml", True, Text(f"PyYAML {yaml.__version__}，带 libyaml（快速解析）", f"PyYAML {yaml.__version__} with libyaml (fast parsing)"))
    return Check(
        "pyyaml",
        False,
        Text(f"PyYAML {yaml.__version__} 没有 libyaml：能用，但大清单的解析慢几倍", f"PyYAML {yaml.__version__} without libyaml: works, but large lists parse several times slower"),
        on_system(
            "apt-get install libyaml-dev，然后 pip install --force-reinstall --no-binary pyyaml pyyaml | apt-get install libyaml-dev, then pip install --force-reinstall --no-binary pyyaml pyyaml",
            "pip install --force-reinstall pyyaml",
            "pip install --force-reinstall pyyaml",
        ),
    )


def _module(name: str, import_name: str, fix: str, required: bool, what: Text | None = None) -> Check:
    try:
        module = importlib.import_module(import_name)
    except Exception:  # ImportError, or a broken native extension
        label = what or Text(f"未安装 {name}", f"{name} is not installed")
        return Check(name, False, label, Text(fix, fix), required)
    version = getattr(module, "__version__", "")
    if not version:
        try:
            from importlib.metadata import version as dist_version

            version = dist_version(name)
        except Exception:
            version = ""
    return Check(name, True, Text(f"{name} {version}".strip(), f"{name} {version}".strip()), None, required)


def _git() -> Check:
    path = shutil.which("git")
    if path is None:
        fix = on_system(
            "apt-get install git",
            "winget install --id Git.Git -e（或从 https://git-scm.com 下载安装）| winget install --id Git.Git -e (or install it from https://git-scm.com)",
            "xcode-select --install（或 brew install git）| xcode-select --install (or brew install git)",
        )
        return Check("git", False, Text("找不到 git 命令", "git is not on PATH"), fix)
    try:
        version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        version = path
    return Check("git", True, Text(version, version))


def _fonts() -> Check:
    """The CJK families the PDF engine can use, found as it finds them (fonts.known_cjk): no fontconfig is needed on
    Windows or macOS, whose fonts typst sees itself."""
    from .fonts import install_advice, known_cjk

    fix = install_advice()
    families = sorted(known_cjk())
    if not families:
        return Check("cjk-fonts", False, Text("没有中文字体：PDF 和网页中的汉字无法显示", "no CJK fonts: Chinese text cannot be rendered in PDF or web output"), fix, False)
    shown = ", ".join(families[:3]) + (", …" if len(families) > 3 else "")
    return Check("cjk-fonts", True, Text(f"{len(families)} 种中文字体：{shown}", f"{len(families)} CJK font families: {shown}"), None, False)


def _font_roles() -> list[Check]:
    """Which installed family fills each role of an official document, and whether it only stands in."""
    from .fonts import ROLES, FontError, find_fonts

    try:
        fonts = find_fonts()
    except FontError:
        return []
    checks = []
    for role, (label, _) in ROLES.items():
        family = fonts.role(role)
        if role in fonts.stand_in:
            detail = Text(f"{label.zh}：{family}（代用字体，未安装该字体）", f"{label.en}: {family} (stand-in; the real face is not installed)")
        else:
            detail = Text(f"{label.zh}：{family}", f"{label.en}: {family}")
        checks.append(Check(f"font-{role}", True, detail, None, False))
    return checks


def _chromium() -> Check:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        path = shutil.which(name)
        if path:
            return Check("chromium", True, Text(path, path), None, False)
    return Check(
        "chromium",
        False,
        Text("找不到 chromium（只有 govlist 自身的浏览器测试需要，发布网站不需要）", "chromium not found (only govlist's own browser tests need it, not publishing)"),
        on_system("apt-get install chromium", "winget install --id Google.Chrome -e", "brew install --cask chromium"),
        False,
        publishing=False,
    )


def run_checks() -> list[Check]:
    """Every check, required ones first."""
    return [
        _python(),
        _libyaml(),
        _module("jsonschema-rs", "jsonschema_rs", "pip install jsonschema-rs", True),
        _git(),
        _fonts(),
        *_font_roles(),
        _module("typst", "typst", "pip install typst", False, Text("未安装 PDF 引擎 typst（Python 包）", "the PDF engine typst (Python package) is not installed")),
        _chromium(),
    ]


def failed(checks: list[Check]) -> bool:
    """Whether a required check failed (the exit code of `govlist doctor`)."""
    return any(c.required and not c.ok for c in checks)


def render(checks: list[Check], lang: str) -> str:
    marks = {True: "ok", False: "缺少" if lang == "zh" else "MISSING"}
    width = max(len(c.name) for c in checks)
    lines = []
    for c in checks:
        status = marks[c.ok] if c.ok or c.required else ("可选" if lang == "zh" else "optional")
        lines.append(f"{pad(status, 8)}  {c.name.ljust(width)}  {c.detail.get(lang)}")
        if not c.ok and c.fix is not None:
            lines.append(f"{'':8}  {'':{width}}  " + ("修复：" if lang == "zh" else "fix: ") + c.fix.get(lang))
    bad = [c.name for c in checks if c.required and not c.ok]
    optional = [c.name for c in checks if not c.required and not c.ok and c.publishing]
    if bad:
        lines.append(("缺少必需的组件：" if lang == "zh" else "missing required: ") + ", ".join(bad))
    else:
        lines.append("必需的组件齐全" if lang == "zh" else "all required components present")
    if optional:
        lines.append(("可选（发布网页和 PDF 时需要）：" if lang == "zh" else "optional (needed for publishing web pages and PDF): ") + ", ".join(optional))
    return "\n".join(lines) + "\n"
