"""Fonts by role for official documents (GB/T 9704): which installed family stands in for 小标宋, 仿宋, 黑体, 楷体 and
宋体. Nothing here prints. Used by the PDF (typst), named in the Word files, and shown by `govlist doctor`.

Each role has a list of preferred families: faces of the asked style first (as Windows, macOS and WPS install them,
then the free ones Debian packages: fonts-noto-cjk gives a 黑体 (Noto Sans CJK SC) and a 宋体 (Noto Serif CJK SC),
fonts-arphic-ukai a 楷体 (AR PL UKai CN), fonts-lxgw-wenkai another 楷体, fonts-arphic-uming a 宋体,
fonts-wqy-zenhei / -microhei a 黑体), then stand-ins of another style. No free 仿宋 or 小标宋 is packaged by Debian:
there Noto Serif CJK SC stands in (bold for the title), and doctor marks the role as a stand-in. `--font-ROLE` (a family name or a
font file) and the project file's `publish: fonts:` override a role; `--font` sets every role.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .model import Text
from .platforms import on_system

#: after the None marker of the title and body roles: the serif faces that stand in where no 小标宋 or 仿宋 is installed
_SERIF_STAND_INS = (None, "Noto Serif CJK SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN", "SimSun", "宋体", "Noto Sans CJK SC", "WenQuanYi Zen Hei")

#: role → (what the standard asks for, preferred families: the real style first, stand-ins after the marker None)
ROLES: dict[str, tuple[Text, tuple[str | None, ...]]] = {
    "title": (
        Text("小标宋（标题）", "XiaoBiaoSong (title)"),
        (
            "方正小标宋简体",
            "FZXiaoBiaoSong-B05S",
            "方正小标宋_GBK",
            "FZXiaoBiaoSong-B05",
            "STZhongsong",
            "华文中宋",
            *_SERIF_STAND_INS,
        ),
    ),
    "body": (
        Text("仿宋（正文、表格）", "FangSong (body, tables)"),
        (
            "仿宋_GB2312",
            "FangSong_GB2312",
            "仿宋",
            "FangSong",
            "STFangsong",
            "华文仿宋",
            "Zhuque Fangsong (technical preview)",
            *_SERIF_STAND_INS,
            "WenQuanYi Micro Hei",
        ),
    ),
    "heading": (
        Text("黑体（一级标题、表头、附件标识）", "HeiTi (headings, table header, attachment label)"),
        ("黑体", "SimHei", "STHeiti", "Heiti SC", "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", None, "Noto Serif CJK SC"),
    ),
    "kai": (
        Text("楷体（二级标题、发文信息、页眉）", "KaiTi (second-level headings, issuer line, running header)"),
        ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi", "STKaiti", "华文楷体", "AR PL UKai CN", "AR PL KaitiM GB", "LXGW WenKai", None, "Noto Serif CJK SC", "Source Han Serif SC", "AR PL UMing CN", "Noto Sans CJK SC", "WenQuanYi Zen Hei"),
    ),
    "number": (Text("宋体（页码）", "SongTi (page numbers)"), ("宋体", "SimSun", "Songti SC", "STSong", "AR PL UMing CN", "AR PL SungtiL GB", "Noto Serif CJK SC", "Source Han Serif SC", None, "Noto Sans CJK SC", "WenQuanYi Zen Hei")),
}
ROLE_NAMES = tuple(ROLES)


def install_advice() -> Text:
    """How to install Chinese fonts on the system govlist runs on (`govlist doctor` gives the same advice)."""
    return on_system(
        "apt-get install fontconfig fonts-noto-cjk",
        "安装中文字体（Windows 自带的仿宋、黑体、楷体、宋体即可）：设置 → 个性化 → 字体 | install Chinese fonts (the FangSong, SimHei, KaiTi and SimSun Windows ships will do): Settings → Personalization → Fonts",
        "brew install --cask font-noto-serif-cjk-sc font-noto-sans-cjk-sc",
    )


def install_hint() -> Text:
    """The error when there is no Chinese font at all."""
    advice = install_advice()
    return Text(
        f"没有找到中文字体，PDF 中的汉字会显示为空白方框。请先安装中文字体（{advice.zh}），或用 --font 指定一个字体名称或字体文件",
        f"no Chinese (CJK) font found: the PDF would show empty boxes. Install one first ({advice.en}), or name a font family or font file with --font",
    )


class FontError(Exception):
    """A font that cannot be used as asked; carries the bilingual message."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


@dataclass(frozen=True)
class Fonts:
    """The family filling each role; `stand_in` names the roles filled by a substitute, `paths` extra font files."""

    title: str
    body: str
    heading: str
    kai: str
    number: str
    stand_in: frozenset[str] = frozenset()
    paths: tuple[str, ...] = ()
    origin: dict = field(default_factory=dict, compare=False)  # role → "option" | "project" | "found"

    @classmethod
    def single(cls, family: str) -> Fonts:
        return cls(family, family, family, family, family)

    def role(self, name: str) -> str:
        return getattr(self, name)


def fc_list() -> dict[str, str]:
    """{family: file} of the fonts fontconfig says cover Chinese; {} without fontconfig."""
    exe = shutil.which("fc-list")
    if not exe:
        return {}
    try:
        out = subprocess.run([exe, ":lang=zh", "family", "file"], capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[str, str] = {}
    for line in sorted(out.splitlines()):
        path, sep, families = line.partition(": ")
        if not sep:
            continue
        for family in families.split(","):
            family = family.strip()
            if family:
                found.setdefault(family, path.strip())
    return found


def typst_families(paths: list[str]) -> set[str]:
    """The families typst itself sees (system fonts plus `paths`); empty without the typst package."""
    try:
        import typst
    except ImportError:
        return set()
    return set(typst.Fonts(include_system_fonts=True, include_embedded_fonts=False, font_paths=paths).families())


def known_cjk() -> dict[str, str]:
    """{family: file or ""} of the CJK fonts publishing can use: fontconfig's, else the ones typst itself sees."""
    cjk = fc_list()
    if not cjk:  # no fontconfig: ask typst which families it sees, and keep the known CJK ones
        wanted = {f for _, prefs in ROLES.values() for f in prefs if f}
        cjk = {f: "" for f in typst_families([]) if f in wanted or "CJK" in f}
    return cjk


def _named(name: str, cjk: dict[str, str]) -> tuple[str, str | None]:
    """(family, font file or None) for a family name or a font file given by the user."""
    path = Path(name)
    if path.suffix.lower() in (".ttf", ".otf", ".ttc", ".otc") or path.is_file():
        if not path.is_file():
            raise FontError(Text(f"字体文件不存在：{name}", f"no such font file: {name}"))
        try:
            import typst

            families = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(path)]).families()
        except Exception:
            families = []
        if not families:
            raise FontError(Text(f"无法读取字体文件 {name}", f"cannot read the font file {name}"))
        return families[0], str(path)
    known = set(cjk) | typst_families([])
    if name in known:
        return name, None
    lower = {k.lower(): k for k in known}
    if name.lower() in lower:
        return lower[name.lower()], None
    hint = "、".join(sorted(k for k in cjk if "SC" in k or "CN" in k)[:6])
    listing = on_system(
        "fc-list :lang=zh 可列出全部 | fc-list :lang=zh lists them",
        "设置 → 个性化 → 字体 中可看到全部 | Settings → Personalization → Fonts shows them",
        "“字体册”应用中可看到全部 | the Font Book app shows them",
    )
    raise FontError(
        Text(
            f"没有找到字体“{name}”" + (f"；可用的中文字体有：{hint}" if hint else "") + f"（{listing.zh}）",
            f"font '{name}' not found" + (f"; Chinese fonts here include: {hint}" if hint else "") + f" ({listing.en})",
        )
    )


def find_fonts(overrides: dict[str, str] | None = None, explicit: str | None = None, project: dict[str, str] | None = None) -> Fonts:
    """The family for each role. Precedence: `overrides` (--font-ROLE), then `explicit` (--font, every role), then the
    project file's `publish: fonts:`, then the first installed preference. Raises FontError when a named font is
    unknown or when there is no CJK font at all."""
    cjk = known_cjk()
    chosen: dict[str, str] = {}
    origin: dict[str, str] = {}
    paths: list[str] = []
    stand_in: set[str] = set()
    for role, (_, prefs) in ROLES.items():
        name, where = None, "found"
        for source, given in (("option", (overrides or {}).get(role)), ("option", explicit), ("project", (project or {}).get(role))):
            if given:
                name, where = given, source
                break
        if name:
            family, path = _named(name, cjk)
            if path and path not in paths:
                paths.append(path)
        else:
            if not cjk:
                raise FontError(install_hint())
            real = prefs[: prefs.index(None)]
            family = next((f for f in prefs if f and f in cjk), None) or sorted(cjk)[0]
            if family not in real:
                stand_in.add(role)
        chosen[role] = family
        origin[role] = where
    return Fonts(**chosen, stand_in=frozenset(stand_in), paths=tuple(paths), origin=origin)


#: the faces a Word file names by default: what Windows and WPS in a government office have (GB/T 9704's own faces)
WORD_DEFAULTS = {"title": "方正小标宋简体", "body": "仿宋_GB2312", "heading": "黑体", "kai": "楷体_GB2312", "number": "宋体"}


def word_fonts(overrides: dict[str, str] | None = None, explicit: str | None = None, project: dict[str, str] | None = None) -> Fonts:
    """The families a Word file names: given ones as in find_fonts (names only, not checked: the file is opened on
    another machine), else the standard faces, which Word and WPS replace on their own where one is missing."""
    chosen = {}
    for role in ROLES:
        chosen[role] = (overrides or {}).get(role) or explicit or (project or {}).get(role) or WORD_DEFAULTS[role]
        if Path(chosen[role]).suffix.lower() in (".ttf", ".otf", ".ttc", ".otc"):
            chosen[role] = WORD_DEFAULTS[role]  # a font file cannot be named in a .docx
    return Fonts(title=chosen["title"], body=chosen["body"], heading=chosen["heading"], kai=chosen["kai"], number=chosen["number"])


def describe(fonts: Fonts, lang: str) -> list[str]:
    """One line per role: what the standard asks for, the family that fills it, and whether it stands in."""
    lines = []
    for role, (label, _) in ROLES.items():
        note = ""
        if role in fonts.stand_in:
            note = "（代用字体）" if lang != "en" else " (stand-in)"
        elif fonts.origin.get(role) in ("option", "project"):
            note = "（指定）" if lang != "en" else " (given)"
        lines.append(f"{label.get(lang)}: {fonts.role(role)}{note}")
    return lines
