"""links.present, links.absent: devolved items in the receiving street's list, withdrawn items out of it, 配合 items
in the leading department's list; links declared in the project file."""

from __future__ import annotations

from conftest import CATALOGS, REPO, hits
from hypothesis import given, settings, strategies as st
from rapidfuzz import process
from rapidfuzz.distance import Indel

from govlist.catalog import UnitIndex
from govlist.links import INDEX_AFTER, SIMILAR, CloseNames, Links
from govlist.validate import validate_paths

REGISTRY = """
govlist: 1
kind: registry
id: reg
title: 名录
units:
  - {code: Q, name: 綦江区, type: 区}
  - {code: CG, name: 綦江区城市管理局, aliases: [区城市管理局], type: 部门, parent: Q}
  - {code: GN, name: 古南街道, type: 街道, parent: Q}
  - {code: WL, name: 文龙街道, type: 街道, parent: Q}
"""

DEVOLUTION = """
govlist: 1
kind: devolution
id: dev
title: 赋权事项
items:
  - {code: D1, name: 对携犬出户未及时清除犬只排泄物的行政处罚, source: 区城市管理局, receiver: 古南街道, method: 下放, basis: 《重庆市养犬管理条例》第四十七条}
  - {code: D2, name: 对燃气用户擅自改装燃气设施的行政处罚, source: 区城市管理局, receiver: 文龙街道, method: 下放, basis: 《重庆市天然气管理条例》第五十九条, status: 收回}
  - {code: D3, name: 对随意倾倒生活垃圾的行政处罚, source: 区城市管理局, receiver: 街道, method: 下放, basis: 《中华人民共和国固体废物污染环境防治法》第一百一十一条}
"""


STREET_IDS = {"古南街道": "gn", "文龙街道": "wl"}


def street(unit: str, items: str) -> str:
    return f"govlist: 1\nkind: duty\nid: duty-{STREET_IDS[unit]}\ntitle: {unit}履行职责事项清单\nunit: {unit}\nitems:\n{items}"


def test_devolved_item_missing_from_the_receivers_list(validate_set):
    report = validate_set({"reg.yaml": REGISTRY, "dev.yaml": DEVOLUTION, "gn.yaml": street("古南街道", "  - {name: 消防安全检查, track: 基本履职事项}\n"), "wl.yaml": street("文龙街道", "  - {name: 消防安全检查, track: 基本履职事项}\n")})
    assert hits(report, "links.present") == [("dev.yaml", 6, 70, "D1")]  # D3 names a level: not followed
    assert "“古南街道”的清单“duty-gn”中没有这个事项" in [f.message.zh for f in report.findings if f.rule == "links.present"][0]
    assert hits(report, "links.absent") == []


def test_devolved_item_carried_and_withdrawn_item_still_listed(validate_set):
    report = validate_set(
        {
            "reg.yaml": REGISTRY,
            "dev.yaml": DEVOLUTION,
            "gn.yaml": street("古南街道", "  - {name: 对携犬出户未及时清除犬只排泄物的行政处罚（赋权）, track: 基本履职事项}\n"),
            "wl.yaml": street("文龙街道", "  - {name: 消防安全检查, track: 基本履职事项}\n  - {code: W2, name: 对燃气用户擅自改装燃气设施的行政处罚, track: 基本履职事项}\n"),
        }
    )
    assert hits(report, "links.present") == []  # a trailing gloss does not matter
    assert hits(report, "links.absent") == [("wl.yaml", 8, 5, "W2")]


def test_assisting_item_and_the_leading_departments_list(validate_set):
    dept = "govlist: 1\nkind: duty\nid: cg\ntitle: 区城市管理局职责\nunit: 区城市管理局\nitems:\n  - {name: 城市道路两侧违规占道经营整治, track: 基本履职事项}\n"
    gn = street("古南街道", "  - {name: 配合开展城市道路两侧违规占道经营整治, track: 配合履职事项, lead: 区城市管理局}\n  - {name: 配合开展户外广告设施整治, track: 配合履职事项, lead: 区城市管理局}\n")
    report = validate_set({"reg.yaml": REGISTRY, "gn.yaml": gn, "cg.yaml": dept})
    assert hits(report, "links.present") == [("gn.yaml", 8, 47, None)]
    # without the department's list in the set, nothing is checked
    assert hits(validate_set({"reg.yaml": REGISTRY, "gn.yaml": gn, "cg.yaml": "govlist: 1\nkind: registry\nid: other\ntitle: 空\nunits:\n  - {code: X, name: 别处, type: 区}\n"}), "links.present") == []


def test_a_link_declared_in_the_project_file(validate_set):
    project = """
govlist: 1
kind: project
links:
  - {id: 社区协助-街道, from: community, field: department, when: {type: 协助事项}, to: [duty], expect: present}
"""
    community = "govlist: 1\nkind: community\nid: c\ntitle: 社区事项\nitems:\n  - {name: 协助开展养犬登记, type: 协助事项, department: 古南街道}\n"
    report = validate_set({"govlist.yaml": project, "reg.yaml": REGISTRY, "c.yaml": community, "gn.yaml": street("古南街道", "  - {name: 消防安全检查}\n")})
    assert hits(report, "links.present") == [("c.yaml", 6, 46, None)]
    assert "联动：社区协助-街道" in [f.message.zh for f in report.findings if f.rule == "links.present"][0]


def test_the_qijiang_district_is_consistent(monkeypatch):
    monkeypatch.chdir(CATALOGS.parent)
    report = validate_paths([CATALOGS / "qijiang"])
    assert [f for f in report.findings if f.rule.startswith(("links.", "parent."))] == []


def test_duty_or_power_list_of_the_receiver_is_enough(validate_set):
    """An item devolved to a street with a duty and a power list: carried in one of them, nothing to report; carried in
    neither, one finding on the devolution item, naming the street and both its lists."""
    power = "govlist: 1\nkind: power\nid: power-gn\ntitle: 古南街道权责清单\nunit: 古南街道\nitems:\n  - {name: 消防安全检查, type: 行政检查}\n"
    files = {"reg.yaml": REGISTRY, "dev.yaml": DEVOLUTION, "pgn.yaml": power, "wl.yaml": street("文龙街道", "  - {name: 消防安全检查}\n")}
    carried = validate_set({**files, "gn.yaml": street("古南街道", "  - {name: 对携犬出户未及时清除犬只排泄物的行政处罚}\n")})
    assert hits(carried, "links.present") == []
    missing = validate_set({**files, "gn.yaml": street("古南街道", "  - {name: 消防安全检查}\n")})
    assert hits(missing, "links.present") == [("dev.yaml", 6, 70, "D1")]
    message = [f.message for f in missing.findings if f.rule == "links.present"][0]
    assert "“古南街道”的清单“duty-gn”、“power-gn”中都没有这个事项" in message.zh or "“古南街道”的清单“power-gn”、“duty-gn”中都没有这个事项" in message.zh
    assert "古南街道" in message.en


def test_first_list_carrying_the_item_gives_the_same_findings_as_every_list():
    """links.present stops at the first of the unit's lists that carries the item (by code or name in any list before a
    close name): on the example sets, an item is found that way exactly when some list carries it (every list searched)."""
    followed = 0
    for folder in (REPO / "examples" / "levels", CATALOGS):
        report = validate_paths([folder], jobs=1, cache=False)
        links = Links(report.catalogs, UnitIndex([c for c in report.catalogs if c.kind == "registry"]), report.project.links if report.project else None)
        every: dict[tuple[int, int], bool] = {}
        for o in links.outcomes("present"):
            key = (id(o.link), id(o.item))
            every[key] = every.get(key, False) or o.found is not None
        first = {(id(o.link), id(o.item)): o.found is not None for o in links.outcomes("present", first=True)}
        assert first == every
        followed += len(every)
    assert followed > 0


def test_withdrawn_item_still_listed_under_a_close_name(validate_set):
    """links.absent finds a withdrawn item the former receiver still lists under a close name (a word changed or added),
    and stays quiet on a name that only shares words with it."""

    def absent(name: str) -> list:
        wl = street("文龙街道", f"  - {{name: 消防安全检查, track: 基本履职事项}}\n  - {{code: W2, name: {name}, track: 基本履职事项}}\n")
        return hits(validate_set({"reg.yaml": REGISTRY, "dev.yaml": DEVOLUTION, "wl.yaml": wl}), "links.absent")

    assert absent("对燃气用户擅自改动燃气设施的处罚") == [("wl.yaml", 8, 5, "W2")]  # similarity 0.88
    assert absent("对燃气用户擅自改装、迁移燃气设施的行政处罚") == [("wl.yaml", 8, 5, "W2")]
    assert absent("对燃气经营者擅自停业的行政处罚") == []  # 0.61: another item


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="燃气用户擅自改装设施的行政处罚", max_size=14), max_size=40), st.text(alphabet="燃气用户擅自改装设施的行政处罚", max_size=14))
def test_close_name_search_scores_only_names_that_can_be_close(names, name):
    """The candidate filter of the close-name search drops only names that cannot reach SIMILAR: the closest name (the
    first of equals) is the one a search over the whole list gives. A small alphabet makes close names and ties common."""
    whole = process.extractOne(name, names, scorer=Indel.normalized_similarity, score_cutoff=SIMILAR) if names else None
    close, indexed = CloseNames(names), CloseNames(names)
    for other in range(INDEX_AFTER + 1):  # other names first: the list is indexed when `name` is searched
        indexed.closest(name + "燃" * (other + 1))
    for _ in range(2):  # over the whole list, then over the index; and each again (the answer kept)
        assert close.closest(name) == indexed.closest(name) == (whole[0] if whole else None)
    assert close._holding is None and indexed._holding is not None
    assert set(close.candidates(name)) >= {n for n in names if Indel.normalized_similarity(name, n) >= SIMILAR}


def test_close_name_filter_leaves_out_the_far_names():
    """On a list of varied names searched often, a search scores only the few holding the searched name's rarest characters."""
    places = (
        "城市道路违法建设",
        "农贸市场占道经营",
        "建筑工地噪声扰民",
        "居民小区燃气用户",
        "河道堤防采砂船只",
        "校园周边流动摊贩",
        "旅游景区无证导游",
        "物业服务企业收费",
        "养犬人员遛犬牵绳",
        "医疗机构废弃物品",
        "户外广告招牌设置",
        "餐饮油烟排放管道",
    )
    names = [f"对{a}{b}{c}" for a in places for b in ("擅自", "未经批准", "拒不") for c in ("改装设施的处罚", "行为的检查", "的行政强制")]
    close = CloseNames(names)
    for _ in range(INDEX_AFTER):
        assert close.candidates("对居民小区燃气用户擅自改装设施的处罚") == names  # a list searched seldom is not indexed
    assert len(close.candidates("对居民小区燃气用户擅自改装设施的处罚")) <= len(names) / 4  # 3 of 12 places share a rare character
    assert close.closest("对居民小区燃气用户擅自改装设施的处罚") == "对居民小区燃气用户擅自改装设施的处罚"
    assert close.closest("对小区燃气用户擅自改装燃气设施的罚款处罚") == "对居民小区燃气用户擅自改装设施的处罚"
    assert close.closest("户外广告设置审批") is None
