"""Commands that read and check lists: validate, rules, schema, stats, init, baseline, doctor, cache."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

from .. import __version__
from ..i18n import detect_lang
from ..model import SEVERITY_ZH, Severity, Text, did_you_mean
from .app import ConfigOption, JobsOption, NoCacheOption, OutputOption, FailOn, Lang, LangOption, OutputFormat, Group, Typer, fail, guard, output_format, state, write_output


def validate(
    paths: List[Path] = typer.Argument(..., metavar="PATHS", help="清单文件或目录 / catalog files or folders"),
    format: Optional[OutputFormat] = typer.Option(None, "--format", "-f", help="输出格式（默认 text，或按 -o 的扩展名：.sarif .json .xml）/ output format (default: text, or from the -o extension: .sarif .json .xml)"),
    output: Optional[Path] = OutputOption,
    fail_on: FailOn = typer.Option(FailOn.error, "--fail-on", help="达到此级别时退出码为 1 / exit 1 when a finding reaches this severity"),
    config: Optional[Path] = typer.Option(None, "--config", help="项目配置文件（默认就近查找 govlist.yaml）/ project file (default: nearest govlist.yaml)"),
    lang: Optional[Lang] = LangOption,
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="彩色输出（默认：终端上启用）/ colour (default: on a terminal)"),
    set_: List[Path] = typer.Option(
        [], "--set", metavar="DIR", help="整套清单的目录：一并读入以解析引用，但只报告 PATHS 的发现（pre-commit 钩子）/ the whole catalog set: loaded to resolve references, findings reported only for PATHS (the pre-commit hook)"
    ),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="基线文件（默认：govlist.yaml 旁的 .govlist-baseline.yaml）/ baseline file (default: .govlist-baseline.yaml beside govlist.yaml)"),
    no_baseline: bool = typer.Option(False, "--no-baseline", help="不使用基线，报告全部发现 / ignore the baseline, report every finding"),
    jobs: Optional[int] = JobsOption,
    no_cache: bool = NoCacheOption,
) -> None:
    """校验清单：格式（JSON Schema）与业务规则，一次报告所有问题。/ Validate catalogs: schema and domain rules, every problem at once."""
    from ..report import REPORTERS
    from ..validate import validate_paths

    language = detect_lang(lang.value if lang else None)
    fmt = output_format(format.value if format else None, output, {".sarif": "sarif", ".sarif.json": "sarif", ".json": "json", ".xml": "junit"}, "text", language)
    report = guard(language, lambda: validate_paths(list(paths), config, debug=state["debug"], context=list(set_), baseline=baseline, use_baseline=not no_baseline, jobs=jobs, cache=not no_cache, need_catalogs=False))
    use_colour = color if color is not None else (output is None and sys.stdout.isatty() and "NO_COLOR" not in os.environ)
    text = guard(language, lambda: REPORTERS[fmt](report, language, use_colour))
    write_output(text, output, language, data=fmt != "text")
    threshold = None if fail_on is FailOn.never else Severity.parse(fail_on.value)
    raise typer.Exit(1 if report.failed(threshold) else 0)


def rules(
    rule_id: Optional[str] = typer.Argument(None, metavar="RULE", help="规则编号，显示其说明 / a rule id, to explain it"),
    lang: Optional[Lang] = LangOption,
    markdown: bool = typer.Option(False, "--markdown", help="以 Markdown 输出全部规则的说明（中英文）/ all rules' documentation as Markdown (zh and en)"),
) -> None:
    """列出所有规则，或说明一条规则。/ List the rules, or explain one."""
    from ..ruleset import RULES, rules_markdown
    from .. import rules as _registered  # noqa: F401

    language = detect_lang(lang.value if lang else None)
    if markdown:
        write_output(rules_markdown(), None, language, data=True)
        return
    if rule_id is None:
        width = max(len(r) for r in RULES)
        for r in sorted(RULES.values(), key=lambda r: r.id):
            severity = SEVERITY_ZH[r.severity] if language == "zh" else r.severity.label
            typer.echo(f"{r.id.ljust(width)}  {severity.ljust(7 if language == 'en' else 2)}  {r.title.get(language)}")
        return
    if rule_id not in RULES:
        extra = did_you_mean(rule_id, RULES)
        fail(Text(f"没有规则“{rule_id}”{extra.zh}；用 govlist rules 列出全部规则", f"no rule '{rule_id}'{extra.en}; `govlist rules` lists them"), language)
    r = RULES[rule_id]
    severity = SEVERITY_ZH[r.severity] if language == "zh" else r.severity.label
    kinds = "、".join(sorted(r.kinds)) if r.kinds else ("全部" if language == "zh" else "all")
    header = f"{r.id} — {r.title.get(language)}\n" + (f"默认级别：{severity}    适用清单：{kinds}\n" if language == "zh" else f"default severity: {severity}    applies to: {kinds}\n")
    typer.echo(header + "\n" + r.documentation(language))


def schema(
    kind: str = typer.Argument(
        ..., metavar="KIND", help="清单类型，或 project（项目配置）、common（共用定义）/ list kind, or project (the project file), common (shared definitions): duty, power, territorial, devolution, community, entry-rules, grid, assessment, registry"
    ),
    lang: Optional[Lang] = LangOption,
) -> None:
    """打印一种清单的 JSON Schema。/ Print the JSON Schema of a list kind."""
    from ..schema import schema_names, schema_text

    language = detect_lang(lang.value if lang else None)
    kind = kind.removesuffix(".schema.json")  # `govlist schema common.schema.json`, as the schemas' $ref name it
    names = schema_names()
    if kind not in names:
        hint = did_you_mean(kind, names)
        fail(Text(f"未知的清单类型“{kind}”{hint.zh}，应为：{'、'.join(names)}", f"unknown kind '{kind}'{hint.en}; expected one of: {', '.join(names)}"), language)
    write_output(schema_text(kind), None, language, data=True)


def stats(
    paths: List[Path] = typer.Argument(..., metavar="PATHS", help="清单文件或目录 / catalog files or folders"),
    format: str = typer.Option("text", "--format", "-f", help="text|json"),
    config: Optional[Path] = ConfigOption,
    lang: Optional[Lang] = LangOption,
) -> None:
    """统计各清单的类别、类型、部门事项数，并与公布总数对照。/ Counts per list, category, type and department beside the declared totals."""
    from ..stats import compute_stats, render_stats_json, render_stats_text
    from ..validate import validate_paths

    language = detect_lang(lang.value if lang else None)
    if format not in ("text", "json"):
        fail(Text(f"未知的输出格式“{format}”，应为 text 或 json", f"unknown format '{format}'; expected text or json"), language)
    report = guard(language, lambda: validate_paths(list(paths), config, debug=state["debug"]))
    result = compute_stats(report.catalogs, report.project)
    counted = {c.path for c in report.catalogs}
    skipped = [f for f in report.files if f not in counted]
    text = render_stats_json(result) if format == "json" else render_stats_text(result, language, skipped)
    write_output(text, None, language, data=format == "json")


def init(
    directory: Path = typer.Argument(..., metavar="DIR", help="新清单库的目录（不存在时创建）/ the new catalog repository's folder (created when missing)"),
    name: str = typer.Option("清单库", "--name", help="清单库名称（写入 govlist.yaml）/ the set's name (in govlist.yaml)"),
    region: str = typer.Option("示例区", "--region", help="地区名称 / region name"),
    pip_spec: Optional[str] = typer.Option(None, "--pip-spec", help="CI 中安装 govlist 的 pip 参数（默认：按本机 govlist 的安装来源）/ what CI passes to pip install (default: where this govlist was installed from)"),
    hook_repo: Optional[str] = typer.Option(None, "--hook-repo", help="govlist 的 git 地址：用其 .pre-commit-hooks.yaml 中的钩子（默认：本地钩子）/ govlist's git URL, to use its hook (default: a local hook)"),
    hook_rev: str = typer.Option(f"v{__version__}", "--hook-rev", help="--hook-repo 的版本 / the revision of --hook-repo"),
    git: bool = typer.Option(True, "--git/--no-git", help="目录不在 git 仓库中时运行 git init / run git init when the folder is not in a git repository"),
    force: bool = typer.Option(False, "--force", help="覆盖已存在的文件 / overwrite existing files"),
    lang: Optional[Lang] = LangOption,
) -> None:
    """创建清单库：项目配置、机构名录、示例清单、JSON Schema、pre-commit 和 CI 配置。/ Create a catalog repository with CI set up."""
    from ..init import InitOptions, PipSpec, init_repository, running_pip_spec

    language = detect_lang(lang.value if lang else None)
    spec = PipSpec(pip_spec) if pip_spec else guard(language, running_pip_spec)
    options = InitOptions(name=name, region=region, lang=language, pip_spec=spec.spec, hook_repo=hook_repo, hook_rev=hook_rev, force=force, git=git)
    written = guard(language, lambda: init_repository(directory, options))
    for rel in written:
        if not rel.startswith("schemas/"):
            typer.echo(f"  {(directory / rel).as_posix()}")
    schemas = sum(1 for rel in written if rel.startswith("schemas/"))
    # one a line, not joined with &&: Windows PowerShell 5 (a clerk's default shell) has no &&
    next_steps = "".join(f"\n  {step}" for step in (f"cd \"{directory}\"" if " " in str(directory) else f"cd {directory}", "govlist validate .", "pip install pre-commit", "pre-commit install"))
    typer.echo(
        Text(
            f"  {(directory / 'schemas').as_posix()}/（{schemas} 个 JSON Schema）\n已创建清单库 {directory}。下一步（每行一条命令）：{next_steps}",
            f"  {(directory / 'schemas').as_posix()}/ ({schemas} JSON schemas)\ncreated the catalog repository {directory}. Next, one command a line:{next_steps}",
        ).get(language)
    )
    typer.echo(Text(f"CI 安装 govlist：pip install \"{spec.spec}\"", f"CI installs govlist with: pip install \"{spec.spec}\"").get(language))
    if spec.warning is not None:
        typer.echo(("\n警告：" if language == "zh" else "\nWARNING: ") + spec.warning.get(language) + "\n", err=True)


def baseline(
    paths: Optional[List[Path]] = typer.Argument(None, metavar="PATHS", help="清单文件或目录（默认当前目录）/ catalog files or folders (default: the current folder)"),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="基线文件（默认：govlist.yaml 旁的 .govlist-baseline.yaml）/ baseline file (default: .govlist-baseline.yaml beside govlist.yaml)"),
    approved_by: Optional[str] = typer.Option(None, "--approved-by", help="新条目的批准人 / who approved the new entries"),
    until: Optional[str] = typer.Option(None, "--until", help="新条目的有效期 YYYY-MM-DD / the new entries are accepted until this date"),
    reason: Optional[str] = typer.Option(None, "--reason", help="新条目的原因 / why the new entries are accepted"),
    config: Optional[Path] = ConfigOption,
    lang: Optional[Lang] = LangOption,
) -> None:
    """把当前的全部发现记为已接受（基线）；此后 validate 只报告新的发现。/ Accept the current findings; validate then reports only new ones."""
    from ..baseline import BaselineError, default_path, entries_for, load_baseline, parse_date, render_baseline
    from ..output import write_file
    from ..result import UsageError
    from ..sources import display_path
    from ..validate import validate_paths

    language = detect_lang(lang.value if lang else None)
    until_date = None
    if until is not None:
        try:
            until_date = parse_date(until)
        except ValueError:
            fail(Text(f"--until 应为日期 YYYY-MM-DD，而不是“{until}”", f"--until must be a date YYYY-MM-DD, not '{until}'"), language)
    targets = list(paths or [Path(".")])
    report = guard(language, lambda: validate_paths(targets, config, debug=state["debug"]))
    target = output if output is not None else default_path(report.project.path)

    def previous():
        try:
            return load_baseline(target, display_path(target)) if target.is_file() else []
        except BaselineError as exc:
            raise UsageError(exc.message) from None

    entries = entries_for(report.findings, target.parent, language, guard(language, previous), approved_by, until_date, reason)
    guard(language, lambda: write_file(target, render_baseline(entries).encode("utf-8")))
    typer.echo(Text(f"已把 {len(entries)} 条发现记入基线 {display_path(target)}", f"recorded {len(entries)} findings as accepted in {display_path(target)}").get(language))


cache_app = Typer(cls=Group, help="内容缓存 .govlist-cache/ / the content cache .govlist-cache/", no_args_is_help=True)


@cache_app.command("clear")
def cache_clear(
    path: Path = typer.Argument(Path("."), help="项目目录或其中的文件（默认当前目录）/ the project folder or a file in it (default: the current folder)"),
    config: Optional[Path] = ConfigOption,
    lang: Optional[Lang] = LangOption,
) -> None:
    """删除项目的内容缓存；下次 validate 会重新读取全部文件。/ Remove the project's content cache; the next validate reads every file again."""
    from ..cache import cache_root, clear
    from ..project import find_project_file
    from ..sources import display_path

    language = detect_lang(lang.value if lang else None)
    project_file = config if config is not None else find_project_file(path.resolve())
    root = cache_root(project_file)
    if root is None:
        fail(Text("找不到项目配置文件 govlist.yaml，没有缓存可删除", "no project file govlist.yaml found: there is no cache to clear"), language)
    removed = guard(language, lambda: clear(root))
    typer.echo((Text(f"已删除缓存 {display_path(root)}", f"removed the cache {display_path(root)}") if removed else Text(f"没有缓存：{display_path(root)}", f"no cache at {display_path(root)}")).get(language))


def doctor(lang: Optional[Lang] = LangOption) -> None:
    """检查运行环境：缺少什么、如何补上。/ Check the environment: what is missing and how to fix it."""
    from ..doctor import failed, render, run_checks

    language = detect_lang(lang.value if lang else None)
    checks = guard(language, run_checks)
    sys.stdout.write(render(checks, language))
    raise typer.Exit(1 if failed(checks) else 0)
