"""Community work lists (社区工作事项清单) under the district's entry rules (社区工作准入, read as data in
rules/entry.py): assisting items need their entry record, funding and deadlines; government powers, the negative list
and certificates a community may not issue stay out."""

from __future__ import annotations

from collections.abc import Iterator

from ..catalog import Catalog, Item
from ..fields import label as field_label
from ..negation import mentioned
from ..normalize import normalize_name, strip_gloss
from ..ruleset import PARTS, Context, Header, Problem, at, rule
from ..workdays import Count, WorkCalendar
from .common import canonical, filled
from .devolution import parse_date
from .entry import EntryRules, entry_index, entry_rules_for, governed, level_key, rules_en, rules_zh

ASSIST = "协助事项"
BY_LAW = "依法履职事项"
NEGATIVE = "负面清单事项"
MAY_ISSUE = "可出具证明"
MAY_NOT_ISSUE = "不应出具证明"


def item_type(item: Item, ctx: Context) -> str | None:
    """The item's type after the `community_types` vocabulary (协助 → 协助事项), or the text as written."""
    return canonical(ctx, "community_types", item.data.get("type"))


@rule("community.assist-record", "error", "协助事项缺少准入记录", "assisting item without its entry record", kinds=["community"])
def assist_record(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    协助事项（类型按词表归一，如“协助”视为“协助事项”）是政府部门请社区协助的工作，须经准入程序进入社区：
    适用的准入规则 `required.assist` 列出的字段都必须填写（默认：准入申请 `application`、审批 `approval`、
    经费保障 `funding`），审批记录须有 `required.approval` 列出的字段（默认：审定机关 `body`、日期 `date`、
    文号 `doc_number`）。每个事项的全部缺项在一条发现中列出。准入规则的已准入事项（`approved:`，按编码或名称）中
    列出的协助事项，审批记录在准入规则中，不必逐项再填准入申请和审批（经费保障仍按 `required.assist`）。

    适用的准入规则：集合中 `kind: entry-rules` 的清单，其 `applies_to` 为空或未填、含本社区清单的 id、或含本清单
    头部的 `level`（如 社区）。有多份适用时合并；都没有时用上面的默认值。经费保障写了但没有金额和来源的，
    由 community.funding 报告。

    PASS:
        - name: 老年人助餐服务协助
          type: 协助
          application: {department: 区民政局, date: "2012-04-09", form: 社区工作事项准入审批表}
          approval: {body: 成华区人民政府, date: "2012-04-23", doc_number: 成华府〔2012〕22号}
          funding: {amount: 12000, source: 区财政}
    FAIL:
        - name: 老年人助餐服务协助        # 缺准入申请、经费保障，审批缺日期、文号
          type: 协助事项
          approval: {body: 区政府}

    English:
    An assisting item (协助事项; the type is read through the vocabulary, so 协助 counts) is work a government department
    asks the community to help with, and enters the community only through the entry procedure: every field named in the
    applicable entry rules' `required.assist` must be filled (default: `application`, `approval`, `funding`), and the
    approval record needs the fields in `required.approval` (default: `body`, `date`, `doc_number`). One finding per item
    lists everything missing. An assisting item listed in the entry rules' approved items (`approved:`, by code or
    name) has its approval recorded there: it needs no application or approval of its own (funding still follows
    `required.assist`).

    The applicable entry rules are the set's `kind: entry-rules` catalogs whose `applies_to` is empty or missing, holds
    the community list's id, or holds its header `level` (e.g. 社区). Several are merged; with none, the defaults above
    apply. A funding record present but without amount or source is community.funding's concern.
    """
    for item in catalog.items:
        if item_type(item, ctx) != ASSIST:
            continue
        rules = entry_rules_for(catalog, ctx)
        listed = rules.approval_of(item) is not None  # in the entry rules' approved list: its approval is recorded there
        missing_fields = [f for f in rules.assist if not filled(item.data.get(f)) and not (f in ("funding", "approval") and item.data.get(f) == {}) and not (listed and f in ("application", "approval"))]
        approval = item.data.get("approval")
        missing_approval = []
        if isinstance(approval, dict) and "approval" not in missing_fields:
            missing_approval = [f for f in rules.approval if not filled(approval.get(f))]
        if not missing_fields and not missing_approval:
            continue
        zh_parts, en_parts = [], []
        if missing_fields:
            zh_parts.append("缺少" + "、".join(f"{field_label(catalog.kind, item.pointer + (f,))}（{f}）" for f in missing_fields))
            en_parts.append("lacks " + ", ".join(missing_fields))
        if missing_approval:
            zh_parts.append("审批记录缺少" + "、".join(f"{field_label(catalog.kind, item.pointer + ('approval', f))}（{f}）" for f in missing_approval))
            en_parts.append("its approval lacks " + ", ".join(missing_approval))
        yield at(
            item,
            None if missing_fields else "approval",
            f"协助事项“{item.label()}”{'；'.join(zh_parts)}（{rules_zh(rules)}）",
            f"assisting item '{item.label()}' {'; '.join(en_parts)} ({rules_en(rules)})",
        )


def _uncountable(item: Item, fields: tuple, calendar: WorkCalendar, count: Count) -> Problem:
    zh, en = calendar.describe_unknown(count.unknown)
    return at(item, fields, f"事项“{item.label()}”：{zh}", f"item '{item.label()}': {en}")


@rule("community.entry-deadline", "warning", "准入申请或审定超出时限", "entry application or decision outside its deadline", kinds=["community"])
def entry_deadline(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    按适用准入规则的时限（`deadlines`）检查准入申请和审定的日期：

    - 审定日期（`approval.date`）不得早于申请日期（`application.date`）：先审定后申请，记录自相矛盾；
    - `decide_within_working_days`：审定应在申请后 N 个工作日内作出；
    - `apply_ahead_working_days`：申请应至少在本社区清单头部的实施日期（`effective`）前 N 个工作日提出。

    工作日按国务院办公厅公布的放假安排计算：法定节假日不算，调休上班的周六、周日算（见 docs/format.md
    “工作日历”）。日期所在年份不在工作日历中（内置日历只到已公布的年份）时不猜测，而是报告无法计算，请在项目
    文件 `calendar` 中补充该年的安排。缺少日期或规则没有时限的，不检查。

    GIVEN:
        kind: entry-rules
        deadlines: {decide_within_working_days: 15}
    PASS:
        - name: 老年人助餐服务协助
          type: 协助事项
          application: {date: "2025-09-22"}
          approval: {date: "2025-10-17"}   # 15 个工作日：国庆中秋放假 8 天，9 月 28 日、10 月 11 日调休上班
    FAIL:
        - name: 老年人助餐服务协助
          type: 协助事项
          application: {date: "2025-09-22"}
          approval: {date: "2025-10-20"}   # 16 个工作日，超过 15

    English:
    Checks the dates of the entry application and decision against the applicable entry rules' `deadlines`:

    - the approval date (`approval.date`) may not precede the application date (`application.date`): a decision before
      the request is an inconsistent record;
    - `decide_within_working_days`: the decision is due within N working days after the application;
    - `apply_ahead_working_days`: the application is due at least N working days before the community list's header
      `effective` date.

    Working days follow the State Council's holiday arrangements: public holidays do not count, make-up working
    Saturdays and Sundays (调休) do (see "Working-day calendar" in docs/format.md). A date in a year the calendar does not
    know (the built-in one ends with the last year announced) is never guessed: the rule reports that it cannot count,
    and the project file's `calendar` can add that year. Missing dates or deadlines are not checked.
    """
    rules = entry_rules_for(catalog, ctx)
    calendar = ctx.project.calendar
    effective = parse_date(catalog.data.get("effective"))
    for item in catalog.items:
        application, approval = item.data.get("application"), item.data.get("approval")
        applied = parse_date(application.get("date")) if isinstance(application, dict) else None
        decided = parse_date(approval.get("date")) if isinstance(approval, dict) else None
        if applied is not None and decided is not None:
            if decided < applied:
                yield at(
                    item,
                    ("approval", "date"),
                    f"事项“{item.label()}”的审定日期 {decided.isoformat()} 早于申请日期 {applied.isoformat()}，记录自相矛盾",
                    f"item '{item.label()}': approved on {decided.isoformat()}, before the application of {applied.isoformat()}; the record is inconsistent",
                )
            elif rules.decide_within is not None:
                count = calendar.working_days_after(applied, decided)
                taken = count.days
                if taken is None:
                    yield _uncountable(item, ("approval", "date"), calendar, count)
                elif taken > rules.decide_within:
                    yield at(
                        item,
                        ("approval", "date"),
                        f"事项“{item.label()}”申请于 {applied.isoformat()}，审定于 {decided.isoformat()}，用时 {taken} 个工作日，超过{rules_zh(rules)}规定的 {rules.decide_within} 个工作日",
                        f"item '{item.label()}': applied {applied.isoformat()}, decided {decided.isoformat()}, {taken} working days, more than the {rules.decide_within} of {rules_en(rules)}",
                    )
        if applied is not None and effective is not None and rules.apply_ahead is not None:
            count = calendar.working_days_after(applied, effective)
            ahead = count.days
            if ahead is None:
                yield _uncountable(item, ("application", "date"), calendar, count)
            elif ahead < rules.apply_ahead:
                yield at(
                    item,
                    ("application", "date"),
                    f"事项“{item.label()}”申请于 {applied.isoformat()}，距清单实施日期 {effective.isoformat()} 只有 {max(ahead, 0)} 个工作日，{rules_zh(rules)}要求至少提前 {rules.apply_ahead} 个工作日",
                    f"item '{item.label()}': applied {applied.isoformat()}, {max(ahead, 0)} working days before the list takes effect on {effective.isoformat()}; {rules_en(rules)} require at least {rules.apply_ahead}",
                )


@rule("community.government-power", "error", "政府专属权力列为社区事项", "a government-only power listed as a community duty", kinds=["community"])
def government_power(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    行政许可、行政处罚、行政强制等权力只能由政府部门行使，社区（居委会、村委会）不是行政主体，不得承担。
    依法履职事项和协助事项中，权力类型（`power_type`，按权力类型词表归一）属于适用准入规则
    `government_only.types` 的，或名称、内容中出现 `government_only.keywords` 关键词的，均报告。只看名称（`name`）
    和内容（`content`），不看审批表等表单名称。默认类型：行政许可、行政处罚、行政强制、行政征收、行政检查；默认
    关键词：罚款、吊销、查封、扣押、行政许可、行政处罚。
    被否定的提及不算（如“社区不承担罚款”）：在它所在的分句（以逗号、句号、分号、叹号、问号或换行分隔，不分全角
    半角；顿号和冒号不分句）中，它前面任何位置有否定词（不得、不再、不应、不宜、不可、不能、不予、不以、不代、
    不属、不承担、不参与、不负责、不包括、严禁、禁止、无权、无需、无须、取消、剥离、收回、移交、划出；“不可抗力”“不可移动
    文物”不是否定），或它后面有“除外”（如“（罚款、查封除外）”，括号内的“除外”不管括号外的词）。否定不延及
    下一分句；同一关键词只要有一处未被否定的提及就报告。比较时不分全角半角，忽略空格。与
    level.forbidden-function 读法相同。

    PASS:
        - {name: 低保申请家庭入户核查协助, type: 协助事项}
    PASS:
        - {name: 市容巡查协助, type: 协助事项, content: 发现占道经营报告城管执法中队，社区不予罚款}
    FAIL:
        - {name: 占道经营罚款, type: 依法履职事项}              # 名称含“罚款”
    FAIL:
        - {name: 市容巡查协助, type: 协助事项, content: 社区不得收费；协助执法中队罚款}   # 否定只管它所在的分句
    FAIL:
        - {name: 门店消防巡查, type: 协助事项, power_type: 检查}   # 行政检查

    English:
    Licensing, penalties, coercive measures and the like belong to government departments; a residents' or villagers'
    committee is not an administrative body and may not carry them. A duty by law (依法履职事项) or assisting item
    (协助事项) is reported when its `power_type` (read through the power-type vocabulary) is one of the applicable entry
    rules' `government_only.types`, or its name or content contains one of `government_only.keywords`. Only `name` and
    `content` are searched, never form names. Default types: 行政许可, 行政处罚, 行政强制, 行政征收, 行政检查; default
    keywords: 罚款, 吊销, 查封, 扣押, 行政许可, 行政处罚.
    A negated mention does not count (社区不承担罚款): one whose clause (cut at a comma, full stop, semicolon,
    exclamation or question mark or a line break, full- or half-width; not at 、 or a colon) has a negation word
    anywhere before it (不得, 不再, 不应, 不宜, 不可, 不能, 不予, 不以, 不代, 不属, 不承担, 不参与, 不负责, 不包括, 严禁,
    禁止, 无权, 无需, 无须, 取消, 剥离, 收回, 移交, 划出; 不可抗力 and 不可移动文物 are not negations), or 除外 after it
    (（罚款、查封除外）; a 除外 inside brackets does not reach a term outside them). A negation does not reach into the
    next clause, and a keyword is reported when any one of its mentions is not negated. Width and spaces are ignored.
    level.forbidden-function reads text the same way.
    """
    rules: EntryRules | None = None  # the list's: found when an item needs them, as before (the context notes it)
    government: set[str | None] = set()  # their types, read through the vocabulary
    for item in catalog.items:
        if item_type(item, ctx) not in (BY_LAW, ASSIST):
            continue
        if rules is None:
            rules = entry_rules_for(catalog, ctx)
            government = {canonical(ctx, "power_types", t) for t in rules.types}
        power_type = item.data.get("power_type")
        if power_type:
            given = canonical(ctx, "power_types", power_type)
            if given in government:
                yield at(
                    item,
                    "power_type",
                    f"社区事项“{item.label()}”的权力类型是“{given}”，属于政府专属权力（{rules_zh(rules)}），不得由社区承担",
                    f"community item '{item.label()}' has power type '{given}', a government-only power ({rules_en(rules)}) a community may not carry",
                )
                continue
        for key in ("name", "content"):
            words = mentioned(str(item.data.get(key) or ""), rules.keywords)
            if words:
                what = "名称" if key == "name" else "内容"
                yield at(
                    item,
                    key,
                    f"社区事项“{item.label()}”的{what}含有政府专属关键词“{'、'.join(words)}”（{rules_zh(rules)}），这类工作不得由社区承担",
                    f"community item '{item.label()}': its {key} contains the government-only keyword(s) {', '.join(words)} ({rules_en(rules)}); a community may not carry such work",
                )
                break


def _key(name: str) -> str:
    return normalize_name(strip_gloss(name))


def _is_certificate(key: str) -> bool:
    return key.endswith("证明")


@rule("community.negative-list", "error", "负面清单事项列为社区事项", "a negative-list item listed as community work", kinds=["community"])
def negative_list(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    负面清单列出不得交给社区的事项。负面清单来自适用准入规则的 `items`，以及本清单中类型为“负面清单事项”的
    事项。本清单中其他事项（负面清单事项和不应出具证明本身除外）的名称（归一并去掉括号注释后）等于某个负面
    清单事项的名称，或把它整个包含在内（如“协助招商引资”包含“招商引资”），即报告。负面清单中的证明
    （名称以“证明”结尾）与可出具证明的冲突由 community.certificate-conflict 报告。

    PASS:
        - {name: 招商引资, type: 负面清单事项}
        - {name: 低保申请家庭入户核查协助, type: 协助事项}
    FAIL:
        - {name: 招商引资, type: 负面清单事项}
        - {name: 协助招商引资（辖区企业走访）, type: 协助事项}   # 在负面清单上

    English:
    The negative list names work that may not be given to communities. It comes from the applicable entry rules' `items`
    and from this list's own items of type 负面清单事项. Any other item of the list (negative-list items and certificates
    a community may not issue excepted) whose name (normalised, glosses stripped) equals a negative-list name or contains
    it whole (协助招商引资 contains 招商引资) is reported. A certificate on the negative list (a name ending in 证明)
    against a certificate listed as issuable is community.certificate-conflict's concern.
    """
    rules = entry_rules_for(catalog, ctx)
    negative: list[tuple[str, Item]] = []
    for source in [*rules.negative, *(i for i in catalog.items if item_type(i, ctx) == NEGATIVE)]:
        key = _key(source.name)
        if key and all(key != k for k, _ in negative):
            negative.append((key, source))
    if not negative:
        return
    for item in catalog.items:
        kind = item_type(item, ctx)
        if kind in (NEGATIVE, MAY_NOT_ISSUE):
            continue
        name = _key(item.name)
        for key, source in negative:
            if kind == MAY_ISSUE and _is_certificate(key):
                continue
            if key in name:
                where_zh = f"准入规则“{source.catalog.id}”" if source.catalog is not catalog else "本清单"
                where_en = f"entry rules '{source.catalog.id}'" if source.catalog is not catalog else "this list"
                how_zh, how_en = ("就是", "is") if key == name else ("包含", "contains")
                yield at(
                    item,
                    "name",
                    f"事项“{item.label()}”{how_zh}{where_zh}负面清单中的“{source.name}”，不得交给社区",
                    f"item '{item.label()}' {how_en} '{source.name}' of the negative list of {where_en}; it may not be given to a community",
                )
                break


def _peers(community: Catalog, ctx: Context) -> list[Catalog]:
    """Other community lists of the same level governed by the same entry rules (or, with none, both by the defaults).
    Found from the community lists' headers; of each peer the rule reads only the certificates it may not issue
    (Context.part_at: a run over the set depends on that part of a peer's record, not on all of it)."""
    if not community.level:
        return []
    mine = entry_rules_for(community, ctx).ids
    level = level_key(community.level, ctx)
    index = entry_index(ctx)  # the entry rules asked once for all the headers
    peers = []
    for other in ctx.headers("community"):
        if other.path == community.path or not other.level:
            continue
        their_level, theirs = _level_and_rules(index, other, ctx)
        if their_level == level and ((mine & theirs) or (not mine and not theirs)):
            peers.append(other)
    if len(peers) > PEERS_BY_PART:  # one question for them all (of_kind), not one a peer: a run keeps what it asked
        wanted = {other.path for other in peers}
        return [c for c in ctx.of_kind("community") if c.path in wanted]
    return [ctx.part_at(other.number, NOT_ISSUED) for other in peers]


def _level_and_rules(index: tuple, other: Header, ctx: Context) -> tuple[str, frozenset[str]]:
    """A community list's level (level_key) and the ids of the entry rules of `index` (entry_index) governing it, by
    its header; found once per context and index for each id and level (what `governed` reads), not once for each
    list's run: every list's run looks at every other community list (on copies of catalogs/, 230 lists: 52,900
    lookups, 90% of the rule's time). The index is asked of the context by each run all the same."""
    if not isinstance(other.level, str):
        return level_key(other.level, ctx), frozenset(c.id for c in governed(index, other, ctx))
    found: tuple[tuple, dict] | None = ctx.__dict__.get("_community_level_and_rules")
    if found is None or found[0] is not index:
        found = ctx.__dict__["_community_level_and_rules"] = (index, {})
    key = (other.id, other.level)
    value = found[1].get(key)
    if value is None:
        value = found[1][key] = (level_key(other.level, ctx), frozenset(c.id for c in governed(index, other, ctx)))
    return value


NOT_ISSUED = "community.not-issued"  # the part of a community list a peer's rule reads (Context.part_at)
PEERS_BY_PART = 64  # more peers than this: their lists asked as one (the set entry keeps every question asked)


def _not_issued(catalog: Catalog, ctx: Context) -> list[Item]:
    """The items of a community list that may not be issued (kept for the run: each of its peers asks again). Kept
    by id with the list itself, so that a list made later under a freed list's id is not given the freed one's."""
    cache: dict[int, tuple[Catalog, list[Item]]] = ctx.__dict__.setdefault("_community_not_issued", {})
    kept = cache.get(id(catalog))
    if kept is None or kept[0] is not catalog:
        kept = cache[id(catalog)] = (catalog, [item for item in catalog.items if item_type(item, ctx) == MAY_NOT_ISSUE])
    return kept[1]


@rule("community.certificate-conflict", "error", "不应出具的证明被列为可出具", "a certificate listed both as issuable and as not", kinds=["community"])
def certificate_conflict(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    同一证明（名称归一并去掉括号注释后相同，如“婚姻状况证明（婚育证明）”即“婚姻状况证明”）不能既是
    可出具证明又是不应出具证明。报告在“可出具证明”的事项上，当：

    - 本清单把它同时列为不应出具证明；
    - 适用准入规则的负面清单（`items`）中有这一证明（名称以“证明”结尾的负面清单事项）；
    - 同一层级、受同一准入规则管辖（都没有准入规则时视为同一规则）的另一份社区清单把它列为不应出具证明。

    PASS:
        - {name: 婚姻状况证明, type: 可出具证明}
        - {name: 出生证明, type: 不应出具证明}
    FAIL:
        - {name: 婚姻状况证明, type: 可出具}                 # 下一项说不应出具
        - {name: 婚姻状况证明（婚育状况）, type: 不应出具证明}

    English:
    One certificate (the same name once normalised and stripped of glosses, so 婚姻状况证明（婚育证明） is
    婚姻状况证明) cannot be both issuable (可出具证明) and not to be issued (不应出具证明). Reported on the issuable item
    when:

    - the same list also lists it as not to be issued;
    - the applicable entry rules' negative list (`items`) holds it (a negative item whose name ends in 证明);
    - another community list of the same level, governed by the same entry rules (or both by none), lists it as not to
      be issued.
    """
    # by certificate, where it may not be issued: (this list, the item), (entry rules, None) for their negative list,
    # (a peer list, the item); said in words only for a certificate this list may issue (a list has hundreds of
    # peers' items, few of them issued here)
    forbidden: dict[str, list[tuple[Catalog, Item | None]]] = {}
    for item in _not_issued(catalog, ctx):
        if item.stripped_key:
            forbidden.setdefault(item.stripped_key, []).append((catalog, item))
    for source in entry_rules_for(catalog, ctx).negative:
        key = _key(source.name)
        if key and _is_certificate(key):
            forbidden.setdefault(key, []).append((source.catalog, None))
    for other in _peers(catalog, ctx):
        for item in _not_issued(other, ctx):
            if item.stripped_key:
                forbidden.setdefault(item.stripped_key, []).append((other, item))
    if not forbidden:
        return
    for item in catalog.items:
        if item_type(item, ctx) != MAY_ISSUE:
            continue
        sources = _said(catalog, forbidden.get(item.stripped_key) or [])
        if sources:
            yield at(
                item,
                "name",
                f"证明“{item.label()}”列为可出具证明，但{'、'.join(zh for zh, _ in sources)}列为不应出具",
                f"certificate '{item.label()}' is listed as issuable, but {', '.join(en for _, en in sources)} says it may not be issued",
            )


def _said(catalog: Catalog, sources: list[tuple[Catalog, Item | None]]) -> list[tuple[str, str]]:
    """Where a certificate may not be issued (certificate_conflict's `forbidden` for `catalog`), in words, each once,
    in order."""
    said: list[tuple[str, str]] = []
    for where, item in sources:
        if item is None:
            words = (f"准入规则“{where.id}”的负面清单", f"the negative list of entry rules '{where.id}'")
        elif where is catalog:
            words = (f"本清单（{item.label()}）", f"this list ({item.label()})")
        else:
            words = (f"同级清单“{where.id}”（{item.label()}）", f"list '{where.id}' of the same level ({item.label()})")
        if words not in said:
            said.append(words)
    return said


PARTS[NOT_ISSUED] = lambda catalog, ctx: tuple(f"{item.stripped_key}\0{item.label()}" for item in _not_issued(catalog, ctx))

_NO_AMOUNT = {"0", "0元", "无", "暂无", "待定", "另定", "未定", "-"}


def _amount_given(value: object) -> bool:
    if value is None or isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return value > 0
    text = normalize_name(str(value))
    return bool(text) and text not in {normalize_name(v) or v for v in _NO_AMOUNT}


@rule("community.funding", "warning", "协助事项的经费保障是空的", "assisting item with empty funding", kinds=["community"])
def funding(catalog: Catalog, ctx: Context) -> Iterator[Problem]:
    """
    权随责走、费随事转：协助事项的经费保障（`funding`）写了，却既没有金额（`amount`）也没有来源（`source`），
    等于没有经费，社区可以拒绝承接。金额为 0 或写作“无”“暂无”“待定”的视为没有金额；只写了工作条件
    （`conditions`）也不够。完全没有写 `funding` 的由 community.assist-record 报告。

    PASS:
        - {name: 老年人助餐服务协助, type: 协助事项, funding: {amount: 每年5万元, source: 区财政}}
    FAIL:
        - name: 老年人助餐服务协助
          type: 协助事项
          funding: {amount: 0, conditions: 街道提供办公场地}   # 没有经费

    English:
    Funding follows the task (权随责走、费随事转): an assisting item whose `funding` is present but gives neither an
    amount (`amount`) nor a source (`source`) brings no money, and the community may refuse it. An amount of 0 or written
    as 无, 暂无 or 待定 counts as none; working conditions (`conditions`) alone are not enough. An item with no `funding`
    at all is community.assist-record's concern.
    """
    for item in catalog.items:
        if "funding" not in item.data or item_type(item, ctx) != ASSIST:
            continue
        given = item.data.get("funding")
        record = given if isinstance(given, dict) else {}
        source = record.get("source")
        if _amount_given(record.get("amount")) or (source is not None and normalize_name(str(source)) not in ("", "无", "暂无", "待定")):
            continue
        yield at(
            item,
            "funding",
            f"协助事项“{item.label()}”的经费保障既没有金额也没有来源，费随事转没有落实",
            f"assisting item '{item.label()}': its funding gives neither an amount nor a source, so no money follows the task",
        )
