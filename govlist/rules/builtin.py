"""Findings that the loader, the schema check and the runner report. Documented here like every other rule."""

from ..ruleset import builtin

builtin(
    "parse.io",
    "error",
    "文件无法读取",
    "file cannot be read",
    """
文件不存在、是目录、不是普通文件（设备、管道）、是指向不存在文件的符号链接，或没有读取权限。发现报告在该文件第 1 行，其余文件照常检查。

无法举例：问题在磁盘上的文件本身（权限、类型），不在文件内容中。

English:
The file does not exist, is a directory, is not a regular file (a device or a pipe), is a symbolic link to nothing,
or cannot be read. The finding is reported at the file's line 1; the other files are still checked.

No example: the problem lies in the file on disk (its permissions, its type), not in what it says.
""",
)

builtin(
    "parse.encoding",
    "error",
    "文件编码不是 UTF-8",
    "file is not UTF-8",
    """
清单文件必须是 UTF-8（可带 BOM）。Excel 或旧版 Windows 软件常存成 GBK/GB18030，govlist 会识别并提示转换方法：
`iconv -f GB18030 -t UTF-8 旧文件 > 新文件`，或在编辑器中“另存为 UTF-8”。UTF-16 文件和含空字节的文件同样拒绝。

无法举例：问题在文件的字节编码，文字示例写不出来。

English:
Catalog files must be UTF-8 (a BOM is allowed). Files saved as GBK/GB18030 by Excel or older Windows software are
recognised and the message says how to convert them (`iconv -f GB18030 -t UTF-8 old > new`). UTF-16 files and files
with NUL bytes are refused too.

No example: the problem lies in the file's bytes, which a text example cannot show.
""",
)

builtin(
    "parse.yaml",
    "error",
    "YAML 语法错误",
    "YAML syntax error",
    """
文件不是有效的 YAML：如用 Tab 缩进、引号未闭合、值中含“: ”未加引号、一个文件中有多个文档。消息给出出错的行和列。

PASS:
    - {name: "违法建设巡查：发现、制止、报告"}
FAIL:
    - {name: "违法建设巡查}          # 引号未闭合

English:
The file is not valid YAML: tab indentation, an unclosed quote, an unquoted value containing ': ', several documents
in one file. The message gives the line and column.
""",
)

builtin(
    "parse.value",
    "error",
    "值无法按其类型读取",
    "value cannot be read as its type",
    """
YAML 按写法把值读成整数、小数或是/否；写法不完整（如 `0x_`、`0b_`）、标签与内容不符（如 `!!int abc`、
`!!bool maybe`）或数字超过 4000 位时，这个值无法读取。是文字的值请加引号。

PASS:
    - {seq: 10, name: "0x_"}
FAIL:
    - {seq: 0x_, name: 违法建设巡查}         # 0x 后面没有数字
FAIL:
    - {name: !!int 巡查}                     # 文字标成了整数

English:
YAML reads a value as an integer, a number or a yes/no value from how it is written. An incomplete form (`0x_`,
`0b_`), a tag that does not fit the content (`!!int abc`, `!!bool maybe`) or a number of more than 4,000 digits
cannot be read. Quote a value that is text.
""",
)

builtin(
    "parse.duplicate-key",
    "error",
    "键重复",
    "duplicate key",
    """
同一映射中同一个键出现两次。YAML 解析器通常悄悄保留最后一个值，前面的内容就丢了；govlist 把它当作错误。

PASS:
    - {name: 违法建筑巡查}
    - {name: 违法施工巡查}
FAIL:
    - name: 违法建筑巡查
      name: 违法施工巡查          # name 第二次出现

English:
The same key appears twice in one mapping. YAML parsers silently keep the last value and lose the others; govlist
reports it as an error.
""",
)

builtin(
    "parse.tag",
    "error",
    "不支持的 YAML 标签",
    "unsupported YAML tag",
    """
清单只能包含文字、数字、日期、列表和映射。自定义标签（如 `!!python/object`）和合并键 `<<` 一律拒绝，
以免执行任何代码或产生意外的数据。

PASS:
    - {name: 违法建设巡查, note: "!!python/object 不是标签"}
FAIL:
    - {name: !!python/object:os.system 违法建设巡查}   # 自定义标签

English:
A catalog holds only text, numbers, dates, lists and mappings. Custom tags (such as `!!python/object`) and merge keys
`<<` are refused, so that loading never runs code or produces surprising data.
""",
)

builtin(
    "parse.alias-bomb",
    "error",
    "别名展开过多",
    "alias expansion too large",
    """
锚点和别名（`&a` / `*a`）展开后的数据量远超文件本身（“十亿笑声”攻击），拒绝加载。

PASS:
    - {name: 违法建设巡查, basis: &b 《中华人民共和国城乡规划法》第六十四条}
    - {name: 违法施工巡查, basis: *b}
FAIL:
    # 最后一行展开为一千万个 x
    a: &a [x, x, x, x, x, x, x, x, x, x]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]

English:
Anchors and aliases (`&a` / `*a`) expand to far more data than the file holds (a "billion laughs" attack); refused.
""",
)

builtin(
    "parse.too-deep",
    "error",
    "嵌套过深",
    "nested too deeply",
    """
嵌套超过 64 层的文件不是清单，拒绝加载（防止恶意文件耗尽内存或栈）。

FAIL:
    - {name: 违法建设巡查, note: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}   # 65 层列表

English:
A file nested more than 64 levels deep is not a catalog and is refused (so a hostile file cannot exhaust the stack).
""",
)

builtin(
    "parse.too-large",
    "error",
    "文件过大",
    "file too large",
    """
单个文件超过 256 MiB 时拒绝加载（读到上限即停止，不论文件系统报告的大小）。请按类别或部门拆分成多个清单文件。

无法举例：示例要有 256 MiB 长。

English:
A single file larger than 256 MiB is refused (reading stops at the limit, whatever size the file system reports).
Split the list into several files, by category or department.

No example: it would be 256 MiB long.
""",
)

builtin(
    "schema.kind",
    "error",
    "清单类型缺失或未知",
    "missing or unknown list kind",
    """
每个文件必须以 `kind` 声明清单类型：duty、power、territorial、devolution、community、entry-rules、grid、registry
或 project（项目配置）。顶层必须是映射。清单库中其他工具的 YAML 文件（mkdocs.yml、GitHub 的 action.yml）不是清单：
在 govlist.yaml 的 `exclude:` 中排除，按目录查找时就不再读取。

PASS:
    kind: duty
FAIL:
    kind: duties            # 未知的清单类型（是否想写 duty？）

English:
Every file declares its list kind with `kind`: duty, power, territorial, devolution, community, entry-rules, grid,
registry or project. The top level must be a mapping. Other tools' YAML files in a catalog repository (mkdocs.yml, a
GitHub action.yml) are not catalogs: leave them out with `exclude:` in govlist.yaml, and folder searches skip them.
""",
)

builtin(
    "schema.unknown-field",
    "error",
    "未知字段",
    "unknown field",
    """
字段名不在该清单类型的格式中，多半是拼写错误（消息会给出最接近的字段名）。字段说明见 `govlist schema KIND`。

PASS:
    - {name: 违法建设巡查, basis: 《中华人民共和国城乡规划法》第六十四条}
FAIL:
    - {name: 违法建设巡查, basic: 《中华人民共和国城乡规划法》第六十四条}   # 应为 basis

English:
A field that the list kind does not define, most often a typo (the message suggests the closest field name). See
`govlist schema KIND` for the fields.
""",
)

builtin(
    "schema.required",
    "error",
    "缺少必填字段",
    "required field missing",
    """
缺少必填字段（如事项名称 `name`、清单标题 `title`），或必填的列表为空。

PASS:
    - {code: "01", name: 违法建设巡查}
FAIL:
    - {code: "01", content: 发现违法建设及时制止并报告}   # 没有 name

English:
A required field (such as an item's `name` or the list's `title`) is missing, or a required list is empty.
""",
)

builtin(
    "schema.type",
    "error",
    "字段类型错误",
    "wrong field type",
    """
字段的值类型不对，例如应为文字却写成了数字。编码（如 `"01"`）和日期请加引号，否则 YAML 会把 `01` 读成数字 1。

PASS:
    - {code: "01", name: 违法建设巡查}
FAIL:
    - {code: 01, name: 违法建设巡查}         # 编码读成了数字 1

English:
A field has the wrong type, e.g. a number where text is expected. Quote codes (`"01"`), or YAML reads `01` as 1.
""",
)

builtin(
    "schema.enum",
    "error",
    "取值不在允许范围",
    "value not allowed",
    """
固定取值的字段（如条块类型：块属块管、条属块管、条属条管）填了其他值。

PASS:
    - {name: 违法建设巡查, jurisdiction: 块属块管}
FAIL:
    - {name: 违法建设巡查, jurisdiction: 块管}      # 不是三种条块类型之一

English:
A field with fixed values (such as the 条块 jurisdiction: 块属块管, 条属块管, 条属条管) holds another value.
""",
)

builtin(
    "schema.format",
    "error",
    "格式错误",
    "malformed value",
    """
值的格式不对，例如日期应写成 `YYYY-MM-DD`，区划代码应为 6、9 或 12 位数字。

PASS:
    effective: "2024-03-01"
FAIL:
    effective: 2024年3月1日      # 应写成 2024-03-01

English:
A value is malformed, e.g. dates must read `YYYY-MM-DD`, division codes 6, 9 or 12 digits.
""",
)

builtin(
    "schema.invalid",
    "error",
    "不符合清单格式",
    "does not match the format",
    """
其他不符合 JSON Schema 的情况，例如同时写了 `categories` 和 `items`。

PASS:
    items: [{name: 违法建设巡查}]
FAIL:
    categories: [{name: 四违, items: [{name: 违法建设巡查}]}]
    items: [{name: 燃气安全宣传}]

English:
Any other violation of the JSON Schema, e.g. both `categories` and `items` in one list.
""",
)

builtin(
    "suppression.reason",
    "error",
    "忽略注释缺少原因",
    "suppression without a reason",
    """
行内注释 `# govlist: ignore[规则编号] 原因：……` 可以忽略该行（或下一行）的一条发现，但必须写明原因。
没有原因的忽略注释不起作用，并作为错误报告。

PASS:
    declared: {items: 90}  # govlist: ignore[totals.items] 原因：公布文本如此，已报编办核实
FAIL:
    declared: {items: 90}  # govlist: ignore[totals.items]

English:
An inline comment `# govlist: ignore[RULE] reason: …` suppresses one finding on its line (or the next line), but only
with a written reason. Without one it suppresses nothing and is reported as an error.
""",
)

builtin(
    "suppression.unused",
    "warning",
    "忽略注释未使用",
    "unused suppression",
    """
忽略注释所在行（及下一行）没有对应规则的发现，可能问题已修正，应删除该注释。

PASS:
    declared: {items: 90}  # govlist: ignore[totals.items] 原因：公布文本如此，已报编办核实
FAIL:
    declared: {items: 1}   # govlist: ignore[totals.items] 原因：公布文本如此

English:
A suppression comment matches no finding on its line (or the next); the problem may be fixed, so remove the comment.
""",
)

builtin(
    "internal.error",
    "error",
    "规则内部错误",
    "internal rule error",
    """
某条规则在检查时出错（govlist 的缺陷）。其余规则照常运行；用 `--debug` 查看详细信息并报告问题。

无法举例：只有 govlist 自身的缺陷才会报告它。

English:
A rule failed while checking (a defect in govlist). The other rules still run; use `--debug` for details and report it.

No example: only a defect in govlist itself reports it.
""",
)

builtin(
    "project.unknown-rule",
    "warning",
    "项目配置中的规则编号不存在",
    "unknown rule id in the project file",
    """
项目配置 `rules:` 中设置了不存在的规则编号（多半是拼写错误），该设置不起作用。`govlist rules` 列出全部编号。

PASS:
    kind: project
    rules: {codes.missing: off}
    ---
    - {name: 违法建设巡查}
FAIL:
    kind: project
    rules: {codes.mising: off}     # 没有这条规则（是否想写 codes.missing？）
    ---
    - {name: 违法建设巡查}

English:
The project file's `rules:` sets a rule id that does not exist (most often a typo), so the setting has no effect.
`govlist rules` lists the ids.
""",
)
