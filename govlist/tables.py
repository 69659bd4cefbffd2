"""The spreadsheet column model of every list kind: published columns, header synonyms, and how fields become cells.

Shared by `govlist import` (importer.py) and `govlist export` (exporter.py). Nothing here prints or touches files.

A column has a `field`: an item key, a dotted path into a nested object (`handling.process`), or one of the
special fields `category` (the category column), `subitem` (power 子项 rows) and `rownum` (a display-only 序号 of
the registry), and a codec (cells.py) that turns a field value into one cell and back.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    synonyms: tuple[str, ...] = ()
    codec: str = "text"
    width: int = 14


# --- header keys (format.md order) -------------------------------------------------------------------------------

HEADER_KEYS = ("govlist", "kind", "id", "title", "issuer", "doc_number", "effective", "version", "level", "unit", "illustrative", "source", "note", "declared")
STRING_META = frozenset({"id", "title", "issuer", "doc_number", "effective", "version", "level", "unit", "source", "note", "kind"})
BODY_KEYS = {
    "entry-rules": ("applies_to", "procedure", "deadlines", "required", "government_only", "items"),
    "assessment": ("assessor", "organizer", "assessees", "cycle", "methods", "total_weight", "veto", "results"),
}
CATEGORY_KEYS = ("name", "code", "weight", "declared", "note", "items")

# --- columns per kind -------------------------------------------------------------------------------------------

CATEGORY = Column("category", "类别", ("类别", "类别名称", "事项类别", "分类", "大类", "类型名称", "事项分类", "职责类别", "一级事项", "一级目录", "大类名称", "领域"), "name", 12)
SEQ = Column("seq", "序号", ("序号", "序", "排序", "顺序号", "No", "No."), "seq", 6)
CODE = Column("code", "事项编码", ("事项编码", "编码", "事项代码", "项目编码", "职权编码", "权力编码", "清单编码", "代码"), "code", 14)
NAME = Column(
    "name",
    "事项名称",
    ("事项名称", "项目名称", "职权名称", "权力名称", "名称", "事项", "工作事项", "职责事项", "任务名称", "清单事项", "主项名称", "职责任务", "责任事项名称", "工作事项名称", "二级事项", "小类名称", "工作职责", "证明事项", "证明名称", "证明事项名称"),
    "name",
    24,
)
CONTENT = Column("content", "事项内容", ("事项内容", "职责内容", "内容", "工作内容", "具体内容", "主要内容", "职责任务内容", "事项描述", "工作任务", "具体事项", "任务内容"), "text", 40)
BASIS = Column("basis", "依据", ("依据", "实施依据", "设定依据", "法律依据", "政策依据", "法定依据", "法律法规依据", "办理依据", "下放依据", "执法依据", "权力依据", "职权依据", "事项依据", "设定依据及条款"), "basis", 30)
NOTE = Column("note", "备注", ("备注", "说明", "附注"), "text", 16)
LOCAL = Column("local", "本级事项", ("本级事项", "本级新增", "本地事项"), "bool", 8)  # not in the parent list (`parent:`)

_DUTY = (
    CATEGORY,
    SEQ,
    CODE,
    NAME,
    CONTENT,
    Column("track", "履职类型", ("履职类型", "事项类型", "履职方式", "清单类型"), "text", 12),
    Column("jurisdiction", "条块类型", ("条块类型", "条块关系", "管理类型", "条块"), "text", 10),
    Column("responsible", "责任主体", ("责任主体", "实施主体", "行使主体", "责任单位", "承担主体", "责任部门", "责任科室", "承办机构", "牵头科室", "主体"), "unit", 18),
    Column("lead", "牵头部门", ("牵头部门", "牵头单位", "主体责任部门", "主责部门"), "text", 16),
    Column("support", "配合单位", ("配合单位", "配合部门", "协同部门", "协办单位", "配合责任单位", "协同", "协同单位", "配合科室"), "units", 18),
    Column("handling.department", "处置部门", ("处置部门", "处置单位", "处置主体"), "text", 18),
    Column("handling.process", "处置流程", ("处置流程", "处置程序", "工作流程", "办理流程", "流程"), "text", 40),
    Column("handling.time_limit", "处置时限", ("处置时限", "办理时限", "时限", "完成时限"), "text", 16),
    BASIS,
    LOCAL,
    NOTE,
)
_POWER = (
    CATEGORY,
    SEQ,
    Column("type", "权力类型", ("权力类型", "职权类型", "事项类型", "类型", "权力类别", "职权类别"), "text", 12),
    Column("code", "项目编码", CODE.synonyms, "code", 14),
    Column("name", "项目名称", (*NAME.synonyms, "项目", "权力名称", "职权名称"), "name", 24),
    Column("subitem", "子项", ("子项", "子项名称", "子项目", "子项目名称", "子项名称及编码", "子项及编码"), "name", 20),
    CONTENT,
    Column("basis", "实施依据", BASIS.synonyms, "basis", 30),
    Column("department", "实施主体", ("实施主体", "行使主体", "责任主体", "实施部门", "行使部门", "实施机关", "责任部门", "承办机构", "牵头科室", "承办科室"), "unit", 16),
    Column("responsibilities", "责任事项", ("责任事项", "责任事项内容", "责任内容"), "resp", 40),
    Column("accountability", "追责情形", ("追责情形", "追责情形内容", "问责情形", "责任追究情形", "追责情形及依据"), "text", 40),
    LOCAL,
    NOTE,
)
_TERRITORIAL = (
    CATEGORY,
    SEQ,
    CODE,
    NAME,
    CONTENT,
    BASIS,
    Column("lead", "主体责任", ("主体责任", "主体责任部门", "主体责任单位", "主责部门", "主体责任部门及职责", "牵头部门", "县级部门", "县级部门职责", "区级部门", "区级部门职责", "牵头单位"), "lead", 36),
    Column("support", "配合责任", ("配合责任", "配合部门", "配合单位", "配合责任单位", "配合责任部门", "配合部门及职责", "乡镇(街道)", "乡镇街道", "乡镇(街道)职责", "街道", "街道职责", "协同"), "duties", 36),
    Column("grid", "网格可承担", ("网格可承担", "纳入网格", "网格事项", "是否纳入网格", "网格"), "bool", 8),
    LOCAL,
    NOTE,
)
_DEVOLUTION = (
    CATEGORY,
    SEQ,
    CODE,
    NAME,
    CONTENT,
    Column("source", "原实施部门", ("原实施部门", "原实施主体", "实施部门", "下放部门", "原行使部门", "委托部门", "区级部门", "职能部门", "原实施层级", "赋权的原实施层级", "县级主管部门", "主管部门"), "unit", 14),
    Column(
        "receiver",
        "承接主体",
        ("承接主体", "承接单位", "承接部门", "承接层级", "下放对象", "接收单位", "责任主体", "实施主体", "赋权对象", "承接乡镇", "承接街道", "承接乡镇(街道)", "承接镇街", "赋权街镇", "赋权镇街", "赋权乡镇", "赋权街道", "赋权乡镇(街道)"),
        "unit",
        12,
    ),
    Column("method", "下放方式", ("下放方式", "方式", "下放形式", "赋权方式", "调整方式", "承接方式"), "text", 8),
    Column("entrustor", "委托机关", ("委托机关", "委托单位", "委托部门名称"), "text", 14),
    Column("decision.title", "赋权决定", ("赋权决定", "赋权决定名称", "赋权文件"), "text", 24),
    Column("decision.doc_number", "赋权决定文号", ("赋权决定文号", "赋权文号"), "text", 16),
    Column("decision.date", "赋权决定日期", ("赋权决定日期", "赋权日期"), "date", 12),
    Column("effective", "实施日期", ("实施日期", "实施时间", "生效日期", "承接日期"), "date", 12),
    Column("handover", "交接日期", ("交接日期", "交接时间", "移交日期"), "date", 12),
    Column("status", "状态", ("状态", "事项状态"), "text", 8),
    Column("withdrawal.reason", "收回原因", ("收回原因", "收回理由"), "text", 20),
    Column("withdrawal.approval", "收回批准", ("收回批准", "收回批准情况", "收回批准机关"), "text", 16),
    Column("withdrawal.date", "收回日期", ("收回日期", "收回时间"), "date", 12),
    BASIS,
    LOCAL,
    NOTE,
)
_COMMUNITY = (
    CATEGORY,
    SEQ,
    CODE,
    NAME,
    Column("type", "事项类型", ("事项类型", "类型", "事项性质"), "text", 12),
    CONTENT,
    Column("department", "主管部门", ("主管部门", "责任部门", "指导部门", "业务主管部门", "提出部门", "实施主体", "责任主体", "承办机构", "牵头科室", "办理部门"), "unit", 14),
    Column("power_type", "权力类型", ("权力类型", "职权类型"), "text", 10),
    BASIS,
    Column("application.department", "申请单位", ("申请单位", "申请部门", "准入申请单位"), "text", 14),
    Column("application.date", "申请日期", ("申请日期", "申请时间"), "date", 12),
    Column("application.form", "审批表", ("审批表", "准入审批表"), "text", 18),
    Column("approval.body", "审定机关", ("审定机关", "审批机关", "批准机关"), "text", 12),
    Column("approval.date", "审定日期", ("审定日期", "审批日期", "批准日期"), "date", 12),
    Column("approval.doc_number", "审定文号", ("审定文号", "审批文号", "批准文号"), "text", 18),
    Column("funding.amount", "经费金额", ("经费金额", "经费", "经费标准", "工作经费"), "number", 12),
    Column("funding.source", "经费来源", ("经费来源", "经费渠道"), "text", 12),
    Column("funding.conditions", "工作条件", ("工作条件", "保障条件", "人员场地设备"), "text", 20),
    LOCAL,
    NOTE,
)
_ENTRY = (SEQ, CODE, NAME, CONTENT, BASIS, NOTE)
_GRID = (
    CATEGORY,
    SEQ,
    CODE,
    NAME,
    CONTENT,
    Column("territorial.list", "对应属地清单", ("对应属地清单", "属地清单", "属地清单标识"), "code", 14),
    Column("territorial.code", "对应属地事项编码", ("对应属地事项编码", "属地事项编码", "对应属地事项"), "code", 14),
    Column("grids", "适用网格", ("适用网格", "网格", "网格名称", "责任网格"), "units", 24),
    BASIS,
    LOCAL,
    NOTE,
)
_ASSESSMENT = (
    CATEGORY,
    SEQ,
    CODE,
    Column("name", "指标名称", ("指标名称", "考核指标", "指标", "考核项目", "考核内容") + NAME.synonyms, "name", 20),
    Column("weight", "权重", ("权重", "分值", "分数", "权重分值", "标准分"), "number", 8),
    Column("content", "指标说明", ("指标说明", "指标定义", "考核标准", "评分标准") + CONTENT.synonyms, "text", 36),
    Column("formula", "计算方法", ("计算方法", "计算公式", "计分方法", "评分方法"), "text", 24),
    Column("target", "目标值", ("目标值", "目标", "指标值", "达标值"), "text", 10),
    Column("data_source", "数据来源", ("数据来源", "数据采集", "考核数据来源"), "text", 16),
    Column("method", "考核方式", ("考核方式", "考核方法", "检查方式"), "text", 14),
    Column("duties", "对应职责", ("对应职责", "对应职责事项", "职责事项"), "dutyrefs", 20),
    BASIS,
    NOTE,
)
_REGISTRY = (
    Column("rownum", "序号", ("序号", "序"), "seq", 6),
    Column("code", "编码", ("编码", "单位编码", "机构编码", "代码"), "code", 14),
    Column("name", "名称", ("名称", "单位名称", "机构名称", "单位", "机构"), "name", 28),
    Column("aliases", "简称", ("简称", "别名", "简称/别名", "简称别名", "其他名称"), "aliases", 20),
    Column("type", "类型", ("类型", "单位类型", "机构类型", "机构性质"), "text", 10),
    Column("parent", "上级", ("上级", "上级单位", "上级编码", "上级单位编码", "隶属"), "code", 14),
    Column("jurisdiction", "条块关系", ("条块关系", "条块类型", "管理关系"), "text", 10),
    Column("uscc", "统一社会信用代码", ("统一社会信用代码", "信用代码", "社会信用代码"), "code", 22),
    Column("division", "区划代码", ("区划代码", "行政区划代码", "统计用区划代码", "区划"), "code", 14),
    Column("households", "户数", ("户数", "住户数", "户"), "int", 8),
    NOTE,
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "duty": _DUTY,
    "power": _POWER,
    "territorial": _TERRITORIAL,
    "devolution": _DEVOLUTION,
    "community": _COMMUNITY,
    "entry-rules": _ENTRY,
    "grid": _GRID,
    "assessment": _ASSESSMENT,
    "registry": _REGISTRY,
}
TABLE_KINDS = tuple(COLUMNS)
SUBITEM_FIELDS = ("code", "name", "basis", "responsibilities", "accountability", "note")
# item key order: format.md's common fields, then the kind's own, then note
_COMMON_FIRST = ("code", "seq", "name", "content", "basis")


def item_order(kind: str) -> list[str]:
    order = list(_COMMON_FIRST)
    for col in COLUMNS[kind]:
        top = col.field.split(".")[0]
        if top not in order and top not in ("category", "subitem", "rownum", "note"):
            order.append(top)
    if kind == "power":
        order.insert(order.index("department") + 1, "subitems")
    return order + ["note", "extra"]


def nested_order(kind: str, top: str) -> list[str]:
    return [c.field.split(".", 1)[1] for c in COLUMNS[kind] if c.field.startswith(top + ".")]


def field_names(kind: str) -> list[str]:
    return [c.field for c in COLUMNS[kind]]


# --- normalisation ----------------------------------------------------------------------------------------------


def nfkc(text: str) -> str:
    """Full-width digits, letters and punctuation to their half-width forms (for structure, never for content)."""
    return unicodedata.normalize("NFKC", text)


def header_key(text: object) -> str:
    """A header cell as compared with the synonyms: NFKC, no spaces, no required-marks, no trailing （…）."""
    s = nfkc(str(text or ""))
    s = re.sub(r"\s+", "", s).strip("*△※：:")
    return s


def header_variants(text: object) -> list[str]:
    key = header_key(text)
    bare = re.sub(r"\([^)]*\)$", "", key)
    return [key] if bare == key or not bare else [key, bare]


# --- declared totals in titles and headings ---------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """'13', '十三', '二十', '一百零五' → int."""
    text = nfkc(text)
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in "十百千":
            unit = {"十": 10, "百": 100, "千": 1000}[ch]
            total += (current or 1) * unit
            current = 0
        else:
            return None
    return total + current


_NUM = r"([0-9]+|[零〇一二两三四五六七八九十百千]+)"
_TOTALS = re.compile(r"(?:共|计|合计)?\s*" + _NUM + r"\s*(?:大|个)?\s*(?:类|个类别|大类|类别)\s*(?:共|计|，|,)?\s*" + _NUM + r"\s*(?:项|条|个事项)")
_TOTALS_REVERSED = re.compile(r"(?:共|计|合计)?\s*" + _NUM + r"\s*(?:项|条|个事项)\s*[，,、（(]?\s*(?:分为|分|涉及|包括)?\s*" + _NUM + r"\s*(?:个|大)?(?:类别|大类|类|个领域)")
_ITEMS_ONLY = re.compile(r"(?:共|计|合计)\s*" + _NUM + r"\s*(?:项|条|个事项)")
_ITEMS_BARE = re.compile(r"(?<![第\d.])([0-9]+)\s*(?:项|条|种|个事项)(?![目])")


def parse_totals(text: str) -> dict:
    """Declared totals in a title: '共13类89项', '9大类77项', '（共１３类８９项）', '193项7个类别', '共30项', '(18项)',
    '18項', '36条', '以下20種证明' → {'categories': …, 'items': …}."""
    flat = nfkc(text).replace("項", "项").replace("種", "种").replace("條", "条").replace("類", "类").replace("個", "个")
    match = _TOTALS.search(flat)
    if match:
        c, i = cn_number(match.group(1)), cn_number(match.group(2))
        if c is not None and i is not None:
            return {"categories": c, "items": i}
    match = _TOTALS_REVERSED.search(flat)
    if match:
        i, c = cn_number(match.group(1)), cn_number(match.group(2))
        if c is not None and i is not None:
            return {"categories": c, "items": i}
    match = _ITEMS_ONLY.search(flat) or _ITEMS_BARE.search(flat)
    if match and cn_number(match.group(1)) is not None:
        return {"items": cn_number(match.group(1))}
    return {}


def without_totals(text: str) -> str:
    """What a title says besides its totals (共9类77项, 共77项) and punctuation: empty when it is only totals."""
    return re.sub(r"[\s()（）,，。:：]", "", _ITEMS_ONLY.sub("", _TOTALS.sub("", nfkc(text))))


def format_totals(declared: dict) -> str:
    c, i = declared.get("categories"), declared.get("items")
    if isinstance(c, int) and isinstance(i, int):
        return f"共{c}类{i}项"
    if isinstance(i, int):
        return f"共{i}项"
    return ""


_HEADING_PREFIX = re.compile(r"^\s*(?:第?[一二三四五六七八九十百零〇两]+\s*(?:类|部分)?\s*[、.．:：\s]|[（(][一二三四五六七八九十]+[)）]|\d+\s*[、．]|第\s*\d+\s*类\s*[、.．:：]?)\s*")
_HEADING_COUNT = re.compile(r"\s*[（(]\s*(?:共|计)?\s*([0-9０-９]+|[一二三四五六七八九十百]+)\s*(?:项|条)\s*[)）]\s*$")


def looks_like_heading(text: str) -> bool:
    return bool(_HEADING_PREFIX.match(text) or _HEADING_COUNT.search(text))


def parse_category(text: str, strip_prefix: bool) -> tuple[str, int | None]:
    """'一、四违（5项）' → ('四违', 5). The numbering prefix is only removed from heading rows."""
    declared = None
    match = _HEADING_COUNT.search(text)
    if match:
        declared = cn_number(match.group(1))
        text = text[: match.start()]
    if strip_prefix:
        text = _HEADING_PREFIX.sub("", text, count=1)
    return text.strip(), declared
