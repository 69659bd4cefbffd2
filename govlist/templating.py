"""The one Jinja environment factory: every template govlist renders (site pages, diff reports, the adjustment
notice) comes from here.

Template folders are layered as in mkdocs: a user's folder (`--templates`) first, file by file over the packaged
`govlist/templates/<subdir>`. A user's folder is run in Jinja's sandbox (`SandboxedEnvironment`): a template from
outside the package may read the data it is given but not reach Python internals. HTML and XML templates are
autoescaped; Markdown templates escape with the `md` filter.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from .model import Text
from .result import UsageError

TEMPLATES = Path(__file__).resolve().parent / "templates"
AUTOESCAPED = ("html", "htm", "xml", "svg", "html.j2", "htm.j2", "xml.j2", "svg.j2")


def markdown_cell(text: object) -> str:
    """Text for a Markdown table cell: pipes escaped, no line breaks, no raw HTML."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|").replace("\n", " ")


def url_fragment(text: object) -> str:
    """Text for the part of a URL after `#`."""
    return quote(str(text), safe="-._~")


FILTERS: dict[str, Callable] = {"md": markdown_cell, "fragment": url_fragment}


def environment(subdir: str = "", templates: Path | None = None, strict: bool = False, filters: dict[str, Callable] | None = None, sandbox: bool | None = None):
    """A Jinja environment over `templates` (a user's folder, optional) and the packaged `templates/<subdir>`.

    `strict`: an undefined name is an error (StrictUndefined). `sandbox`: None runs the sandbox exactly when a user's
    folder is given. Raises UsageError when the user's folder does not exist."""
    import jinja2
    import jinja2.sandbox

    loaders: list = []
    if templates is not None:
        if not templates.is_dir():
            raise UsageError(Text(f"模板目录不存在：{templates}", f"no such template folder: {templates}"))
        loaders.append(jinja2.FileSystemLoader(str(templates)))
    loaders.append(jinja2.FileSystemLoader(str(TEMPLATES / subdir if subdir else TEMPLATES)))
    sandboxed = templates is not None if sandbox is None else sandbox
    factory = jinja2.sandbox.SandboxedEnvironment if sandboxed else jinja2.Environment
    env = factory(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=AUTOESCAPED, default_for_string=True, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined if strict else jinja2.Undefined,
    )
    env.filters.update(FILTERS)
    env.filters.update(filters or {})
    return env


def render(env, name: str, context: dict) -> str:
    """Render one template; a template that fails (a typo, or a user's template reaching outside the sandbox) is a
    UsageError naming the template and line."""
    import jinja2

    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateError as exc:
        where = f"{getattr(exc, 'name')}:{getattr(exc, 'lineno', '')}" if getattr(exc, "name", None) else name
        message = getattr(exc, "message", None) or str(exc)
        raise UsageError(Text(f"模板错误 {where}：{message}", f"template error {where}: {message}")) from None
