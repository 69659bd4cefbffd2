"""Rules refs.unit, refs.parent and refs.item: references resolve over the whole set."""

from __future__ import annotations

import difflib

from conftest import hits, messages
from hypothesis import given, settings, strategies as st

from govlist.rules.refs import closest_key

REGISTRY = """
govlist: 1
kind: registry
id: reg
title: 示例名录
units:
  - code: QU
    name: 示例区
    type: 区
  - code: MZ
    name: 示例区民政局
    aliases: [区民政局]
    type: 部门
    parent: QU
  - code: CG
    name: 示例区城市管理局
    aliases: [区城管局]
    type: 部门
    parent: QU
  - code: JD
    name: 示例街道办事处
    aliases: [示例街道]
    type: 街道
    parent: QU
  - code: WG01
    name: 第一网格
    type: 网格
    parent: JD
"""

ALL_REFS = ("refs.unit", "refs.parent", "refs.item")


def findings(report) -> dict:
    return {rule: hits(report, rule) for rule in ALL_REFS if hits(report, rule)}


# --- refs.unit ---

DUTY = """
govlist: 1
kind: duty
id: duty
title: 街道职责任务清单
unit: 示例街道
items:
  - code: D1
    name: 违法建筑巡查
    responsible: {responsible}
    lead: 区城管局
    support: [区民政局, {support}]
    handling:
      department: {handling}
"""


def duty(responsible="示例街道办事处", support="社区", handling="JD") -> str:
    return DUTY.format(responsible=responsible, support=support, handling=handling)


def test_duty_refs_resolve_by_code_name_alias_and_level(validate_set):
    report = validate_set({"reg.yaml": REGISTRY, "duty.yaml": duty()})
    assert findings(report) == {}


def test_width_space_and_punctuation_do_not_matter(validate_set):
    report = validate_set({"reg.yaml": REGISTRY, "duty.yaml": duty(responsible="示例街道 办事处", support="区民政局（）", handling="ＪＤ")})
    assert findings(report) == {}


def test_level_aliases_are_levels(validate_set):
    report = validate_set({"reg.yaml": REGISTRY, "duty.yaml": duty(support="居委会")})
    assert findings(report) == {}


def test_duty_unknown_units(validate_set):
    report = validate_set({"reg.yaml": REGISTRY, "duty.yaml": duty(responsible="示例街道办", support="区民证局", handling="XX")})
    assert hits(report, "refs.unit") == [("duty.yaml", 9, 18, "D1"), ("duty.yaml", 11, 21, "D1"), ("duty.yaml", 13, 19, "D1")]
    found = messages(report, "refs.unit")
    assert "“区民证局”" in found[1].zh and "示例区民政局（MZ）" in found[1].zh  # the closest unit is suggested
    assert "'区民证局'" in found[1].en and "did you mean '示例区民政局 (MZ)'" in found[1].en


def test_units_run_together_in_one_string(validate_set):
    report = validate_set({"reg.yaml": REGISTRY, "duty.yaml": duty(responsible="区民政局、区城管局")})
    assert hits(report, "refs.unit") == [("duty.yaml", 9, 18, "D1")]
    message = messages(report, "refs.unit")[0]
    assert "2 个单位" in message.zh and "as a list" in message.en


def test_header_unit(validate_set):
    report = validate_set({"reg.yaml": REGISTRY, "duty.yaml": duty().replace("unit: 示例街道", "unit: 示范街道")})
    assert hits(report, "refs.unit") == [("duty.yaml", 5, 7, None)]
    assert "示范街道" in messages(report, "refs.unit")[0].zh


def test_quiet_without_registry(validate_set):
    report = validate_set({"duty.yaml": duty(responsible="不存在的单位")})
    assert hits(report, "refs.unit") == []


def test_refs_resolve_across_registries(validate_set):
    other = "govlist: 1\nkind: registry\nid: other\ntitle: 另一名录\nunits:\n  - {code: SJ, name: 市城管委}\n"
    report = validate_set({"reg.yaml": REGISTRY, "other.yaml": other, "duty.yaml": duty(handling="市城管委")})
    assert findings(report) == {}


POWER = """
govlist: 1
kind: power
id: power
title: 权责清单
items:
  - code: P1
    name: 对违法建设的处罚
    type: 行政处罚
    department: 区城管
"""

TERRITORIAL = """
govlist: 1
kind: territorial
id: terr
title: 属地清单
items:
  - code: T1
    name: 私搭乱建治理
    lead:
      unit: 区城管局
    support:
      - unit: 示例街道
      - unit: 区环保局
    grid: true
  - code: T2
    name: 露天烧烤治理
    lead:
      - unit: 区城管局
      - unit: 区市场局
"""

DEVOLUTION = """
govlist: 1
kind: devolution
id: dev
title: 下放事项目录
items:
  - code: V1
    name: 临时救助审批
    source: 区民政局
    receiver: 街道
    method: 委托
    entrustor: 区民政
  - code: V2
    name: 低保初审
    source: 区民政
    receiver: 示例街道
    method: 下放
"""

COMMUNITY = """
govlist: 1
kind: community
id: comm
title: 社区工作事项
items:
  - code: C1
    name: 协助开展人口普查
    type: 协助事项
    department: 区统计局
    application:
      department: 区民政局
  - code: C2
    name: 协助低保入户调查
    type: 协助事项
    department: MZ
    application:
      department: 区民证局
"""


def test_other_kinds(validate_set):
    report = validate_set({"reg.yaml": REGISTRY, "power.yaml": POWER, "terr.yaml": TERRITORIAL, "dev.yaml": DEVOLUTION, "comm.yaml": COMMUNITY})
    assert hits(report, "refs.unit") == [
        ("comm.yaml", 9, 17, "C1"),
        ("comm.yaml", 17, 19, "C2"),
        ("dev.yaml", 11, 16, "V1"),
        ("dev.yaml", 14, 13, "V2"),
        ("power.yaml", 9, 17, "P1"),
        ("terr.yaml", 12, 15, "T1"),
        ("terr.yaml", 18, 15, "T2"),
    ]


def test_other_kinds_quiet_when_correct(validate_set):
    fixes = {"区城管\n": "区城管局\n", "区环保局": "示例区城市管理局", "区市场局": "CG", "entrustor: 区民政": "entrustor: 区民政局", "source: 区民政\n": "source: MZ\n", "区统计局": "示例区民政局", "区民证局": "区民政局"}
    files = {"power.yaml": POWER, "terr.yaml": TERRITORIAL, "dev.yaml": DEVOLUTION, "comm.yaml": COMMUNITY}
    for name, text in files.items():
        for wrong, right in fixes.items():
            text = text.replace(wrong, right)
        files[name] = text
    report = validate_set({"reg.yaml": REGISTRY, **files})
    assert findings(report) == {}


GRID = """
govlist: 1
kind: grid
id: grid
title: 网格清单
items:
  - code: G1
    name: 私搭乱建巡查
    territorial: {territorial}
    grids: [第一网格, {grid}]
"""


def grid(territorial="{list: terr, code: T1}", grid_ref="WG01") -> str:
    return GRID.format(territorial=territorial, grid=grid_ref)


def test_grid_refs(validate_set):
    report = validate_set({"reg.yaml": REGISTRY, "terr.yaml": TERRITORIAL, "grid.yaml": grid(grid_ref="第二网格")})
    grid_hits = [h for h in hits(report, "refs.unit") if h[0] == "grid.yaml"]
    assert grid_hits == [("grid.yaml", 9, 19, "G1")]
    assert any("第二网格" in m.zh and "第一网格（WG01）" in m.zh for m in messages(report, "refs.unit"))


# --- refs.parent ---


def test_parent_must_be_a_code(validate_set):
    text = REGISTRY.replace("    parent: JD\n", "    parent: 示例街道办事处\n").replace(
        "    name: 示例区城市管理局\n    aliases: [区城管局]\n    type: 部门\n    parent: QU\n", "    name: 示例区城市管理局\n    aliases: [区城管局]\n    type: 部门\n    parent: QUU\n"
    )
    report = validate_set({"reg.yaml": text})
    assert hits(report, "refs.parent") == [("reg.yaml", 18, 13, "CG"), ("reg.yaml", 27, 13, "WG01")]
    first, second = messages(report, "refs.parent")
    assert "QUU" in first.zh and "did you mean 'QU'" in first.en
    assert "应填单位编码“JD”" in second.zh


def test_parent_in_another_registry(validate_set):
    other = "govlist: 1\nkind: registry\nid: other\ntitle: 街道名录\nunits:\n  - {code: JD-01, name: 党政办公室, parent: JD}\n"
    report = validate_set({"reg.yaml": REGISTRY, "other.yaml": other})
    assert findings(report) == {}


# --- refs.item ---


def test_grid_territorial_refs_resolve(validate_set):
    for ref in ("{list: terr, code: T1}", "{code: T2}", '{list: terr, code: "Ｔ1"}'):
        report = validate_set({"reg.yaml": REGISTRY, "terr.yaml": TERRITORIAL.replace("区环保局", "CG").replace("区市场局", "CG"), "grid.yaml": grid(territorial=ref)})
        assert findings(report) == {}, ref


def test_grid_territorial_unknown_list(validate_set):
    report = validate_set({"terr.yaml": TERRITORIAL, "grid.yaml": grid(territorial="{list: ter, code: T1}")})
    assert hits(report, "refs.item") == [("grid.yaml", 8, 25, "G1")]
    assert "did you mean 'terr'" in messages(report, "refs.item")[0].en


def test_grid_territorial_list_of_wrong_kind(validate_set):
    report = validate_set({"terr.yaml": TERRITORIAL, "reg.yaml": REGISTRY, "grid.yaml": grid(territorial="{list: reg, code: T1}")})
    assert hits(report, "refs.item") == [("grid.yaml", 8, 25, "G1")]
    assert "机构名录" in messages(report, "refs.item")[0].zh


def test_grid_territorial_unknown_code(validate_set):
    report = validate_set({"terr.yaml": TERRITORIAL, "grid.yaml": grid(territorial="{list: terr, code: T3}")})
    assert hits(report, "refs.item") == [("grid.yaml", 8, 37, "G1")]
    report = validate_set({"terr.yaml": TERRITORIAL, "grid.yaml": grid(territorial="{code: T9}")})
    assert hits(report, "refs.item") == [("grid.yaml", 8, 25, "G1")]
    assert "terr" in messages(report, "refs.item")[0].zh


def test_grid_alone_is_quiet(validate_set):
    report = validate_set({"grid.yaml": grid(territorial="{list: elsewhere, code: X1}")})
    assert findings(report) == {}


ENTRY_RULES = """
govlist: 1
kind: entry-rules
id: rules
title: 社区工作准入规则
applies_to:
  - comm
  - 社区
  - {wrong}
"""


def test_entry_rules_applies_to(validate_set):
    report = validate_set({"comm.yaml": COMMUNITY, "rules.yaml": ENTRY_RULES.format(wrong="com")})
    assert hits(report, "refs.item") == [("rules.yaml", 8, 5, None)]
    assert "did you mean 'comm'" in messages(report, "refs.item")[0].en


def test_entry_rules_applies_to_quiet(validate_set):
    report = validate_set({"comm.yaml": COMMUNITY, "rules.yaml": ENTRY_RULES.format(wrong="居委会")})
    assert hits(report, "refs.item") == []


def test_entry_rules_alone_is_quiet(validate_set):
    report = validate_set({"rules.yaml": ENTRY_RULES.format(wrong="com")})
    assert hits(report, "refs.item") == []


def test_entry_rules_naming_lists_of_the_set_look_their_ids_up(tmp_path):
    """Each name in applies_to that is a list's id is looked up, not searched for in every list of the set: entry
    rules are checked once per entry-rules file, and a set may hold hundreds of them and thousands of lists. The list
    of ids is walked only to suggest a close one for a name that is neither an id nor a level."""
    from govlist.catalog import make_catalog
    from govlist.loader import load_bytes
    from govlist.project import build_project
    from govlist.rules.refs import item_refs
    from govlist.ruleset import Context

    class Walked(list):
        walks = 0

        def __iter__(self):
            Walked.walks += 1
            return super().__iter__()

    def context(wrong: str) -> tuple[Context, object]:
        files = {"comm.yaml": COMMUNITY, "rules.yaml": ENTRY_RULES.format(wrong=wrong)}
        catalogs = [make_catalog(load_bytes(text.encode("utf-8"), name)) for name, text in files.items()]
        ctx = Context(build_project(None, None), catalogs)
        ctx.of_kind("community")  # found once per context
        ctx.catalogs = Walked(ctx.catalogs)
        Walked.walks = 0
        return ctx, catalogs[1]

    ctx, rules = context("居委会")
    assert list(item_refs(rules, ctx)) == [] and Walked.walks == 0
    ctx, rules = context("com")
    assert [p.pointer for p in item_refs(rules, ctx)] == [("applies_to", 2)] and Walked.walks == 1


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="民政局区城管街道办事处示例ab", max_size=8), st.lists(st.text(alphabet="民政局区城管街道办事处示例ab", max_size=8), max_size=12, unique=True))
def test_closest_key_is_what_difflib_picks_from_every_key(word, keys):
    # refs.unit's suggestion scores in C only to leave out the keys difflib's ratio cannot lift over its cutoff
    expected = difflib.get_close_matches(word, keys, n=1, cutoff=0.6)
    assert closest_key(word, keys) == (expected[0] if expected else None)


def test_unknown_unit_suggestion_among_many_units(validate_set):
    # the suggestion is the closest of a registry of many units, as difflib picks it from all of them
    units = "".join(f"\n  - {{code: U{n:03d}, name: 示例区第{n}办公室}}" for n in range(300))
    report = validate_set(
        {
            "reg.yaml": "govlist: 1\nkind: registry\nid: reg\ntitle: 名录\nunits:" + units + "\n  - {code: MZ, name: 示例区民政局}\n",
            "duty.yaml": "govlist: 1\nkind: duty\nid: d\ntitle: 清单\nitems:\n  - {name: 低保申请受理, responsible: 示例区民证局}\n  - {name: 临时救助, responsible: 区民政}\n",
        }
    )
    said = [m.zh for m in messages(report, "refs.unit")]
    assert len(said) == 2 and "示例区民政局（MZ）" in said[0] and "示例区民政局（MZ）" in said[1]
