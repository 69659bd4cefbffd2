"""parent.list, parent.cycle, parent.not-in-parent, parent.local, parent.renamed, parent.changed, parent.missing,
parent.run-together, parent.totals: a list against the upper list it names in `parent:`."""

from __future__ import annotations

from conftest import REPO, hits

from govlist.validate import validate_paths

PROVINCE = """
govlist: 1
kind: community
id: province
title: 省不应出具证明事项清单
declared: {items: 6}
items:
  - {code: P-01, name: 亲属关系证明, type: 不应出具证明}
  - {code: P-02, name: 婚姻状况证明, type: 不应出具证明}
  - {code: P-03, name: 出生证明, type: 不应出具证明, basis: 《中华人民共和国母婴保健法》第二十三条}
  - {code: P-04, name: 居民财产证明, type: 不应出具证明}
  - {code: P-05, name: 残疾状况证明, type: 不应出具证明}
  - {code: P-06, name: 生育状况证明, type: 不应出具证明}
"""

RULES = ("parent.list", "parent.cycle", "parent.not-in-parent", "parent.local", "parent.renamed", "parent.changed", "parent.missing", "parent.run-together", "parent.totals")


def child(mode: str, items: str, extra: str = "", list_id: str = "province") -> str:
    return f"""
govlist: 1
kind: community
id: city
title: 市不应出具证明事项清单
parent: {{list: {list_id}, mode: {mode}}}
{extra}items:
{items}"""


def all_hits(report):
    return {rule_id: hits(report, rule_id) for rule_id in RULES if hits(report, rule_id)}


def test_a_faithful_copy_is_quiet_in_every_mode(validate_set):
    items = "\n".join(f"  - {{name: {n}, type: 不应出具证明}}" for n in ("亲属关系证明", "婚姻状况证明", "出生证明", "居民财产证明", "残疾状况证明", "生育状况证明"))
    for mode in ("subset", "extends", "complete"):
        report = validate_set({"province.yaml": PROVINCE, "city.yaml": child(mode, items, "declared: {items: 6}\n")})
        assert all_hits(report) == {}, mode


def test_the_real_republication_mistakes_are_found_at_their_lines(validate_set):
    # 黄石市 2021: two pairs run together, one character wrong, and a total that agrees with the rows only
    report = validate_set(
        {
            "province.yaml": PROVINCE,
            "city.yaml": child(
                "complete",
                """\
  - {name: 亲属关系证明, type: 不应出具证明}
  - {name: 婚姻状况证明出生证明, type: 不应出具证明}
  - {name: 居民财政证明, type: 不应出具证明}
  - {name: 残疾状况证明生育状况证明, type: 不应出具证明}
""",
                "declared: {items: 4}\n",
            ),
        }
    )
    assert all_hits(report) == {
        "parent.run-together": [("city.yaml", 9, 12, None), ("city.yaml", 11, 12, None)],
        "parent.renamed": [("city.yaml", 10, 12, None)],
        "parent.totals": [("city.yaml", 6, 19, None)],
    }
    zh = [f.message.zh for f in report.findings if f.rule.startswith("parent.")]
    assert any("“居民财政证明”与上级清单事项“居民财产证明”（province 第" in m for m in zh)
    assert any("“婚姻状况证明”（province 第8行）、“出生证明”（province 第9行）" in m for m in zh)
    assert any("共 6 项" in m and "公布 4 项" in m for m in zh)


def test_not_in_parent_by_mode_and_local_items(validate_set):
    items = """\
  - {name: 亲属关系证明, type: 不应出具证明}
  - {name: 开具无房证明, type: 不应出具证明}
  - {name: 转学证明, type: 不应出具证明, local: true}
"""
    subset = validate_set({"province.yaml": PROVINCE, "city.yaml": child("subset", items)})
    assert hits(subset, "parent.not-in-parent") == [("city.yaml", 8, 5, None), ("city.yaml", 9, 39, None)]
    extends = validate_set({"province.yaml": PROVINCE, "city.yaml": child("extends", items)})
    assert hits(extends, "parent.not-in-parent") == [("city.yaml", 8, 5, None)]  # the local one is fine
    assert "本级增加的事项请标明 local: true" in [f.message.zh for f in extends.findings if f.rule == "parent.not-in-parent"][0]


def test_local_item_with_a_namesake_in_the_parent(validate_set):
    report = validate_set(
        {
            "province.yaml": PROVINCE,
            "city.yaml": child(
                "subset",
                """\
  - {name: 出生证明, type: 不应出具证明, local: true}
""",
            ),
        }
    )
    assert hits(report, "parent.local") == [("city.yaml", 7, 39, None)]


def test_missing_parent_items_for_complete_and_extends_not_subset(validate_set):
    items = "  - {name: 亲属关系证明, type: 不应出具证明}\n  - {name: 婚姻状况证明, type: 不应出具证明}\n  - {name: 出生证明, type: 不应出具证明}\n  - {name: 居民财产证明, type: 不应出具证明}\n  - {name: 残疾状况证明, type: 不应出具证明}\n"
    complete = validate_set({"province.yaml": PROVINCE, "city.yaml": child("complete", items)})
    assert hits(complete, "parent.missing") == [("city.yaml", 5, 16, "P-06")]
    assert "缺少上级清单事项“P-06 生育状况证明”（province 第12行）" in complete.findings[0].message.zh
    assert hits(validate_set({"city.yaml": child("subset", items)}), "parent.missing") == []


def test_changed_basis_and_type(validate_set):
    report = validate_set(
        {
            "province.yaml": PROVINCE,
            "city.yaml": child(
                "subset",
                """\
  - {name: 出生证明, type: 不应出具证明, basis: 《医疗机构管理条例》第三十一条}
  - {name: 婚姻状况证明, type: 可出具证明}
  - {name: 亲属关系证明}
  - {name: 居民财产证明, basis: 《中华人民共和国母婴保健法》第二十三条}
""",
            ),
        }
    )
    assert hits(report, "parent.changed") == [("city.yaml", 7, 39, None), ("city.yaml", 8, 26, None)]
    # same basis, differently written (width), is not a change
    same = validate_set({"province.yaml": PROVINCE, "city.yaml": child("subset", "  - {name: 出生证明, basis: 《中华人民共和国母婴保健法》 第二十三条}\n")})
    assert hits(same, "parent.changed") == []


def test_totals_per_mode(validate_set):
    items = "  - {name: 亲属关系证明}\n  - {name: 转学证明, local: true}\n"
    assert hits(validate_set({"province.yaml": PROVINCE, "city.yaml": child("subset", "  - {name: 亲属关系证明}\n", "declared: {items: 7}\n")}), "parent.totals") == [("city.yaml", 6, 19, None)]
    extends = validate_set({"province.yaml": PROVINCE, "city.yaml": child("extends", items, "declared: {items: 7}\n")})
    assert hits(extends, "parent.totals") == []  # 6 + 1 local


def test_parent_list_unknown_wrong_kind_self_and_by_path(validate_set):
    report = validate_set({"province.yaml": PROVINCE, "city.yaml": child("subset", "  - {name: 出生证明}\n", list_id="provinse")})
    assert hits(report, "parent.list") == [("city.yaml", 5, 16, None)]
    assert "是否想写“province”" in report.findings[0].message.zh
    registry = "govlist: 1\nkind: registry\nid: reg\ntitle: 名录\nunits:\n  - {code: A, name: 甲区, type: 区}\n"
    assert hits(validate_set({"reg.yaml": registry, "city.yaml": child("subset", "  - {name: 出生证明}\n", list_id="reg")}), "parent.list") == [("city.yaml", 5, 16, None)]
    by_path = validate_set({"up/province.yaml": PROVINCE, "down/city.yaml": child("subset", "  - {name: 开具无房证明}\n", list_id="../up/province.yaml")})
    down = [(f.rule, f.line, f.column) for f in by_path.findings if f.file == "down/city.yaml" and f.rule.startswith("parent.")]
    assert down == [("parent.not-in-parent", 7, 5)]


def test_chains_compare_each_level_with_its_own_parent_and_cycles_are_errors(validate_set):
    county = child("subset", "  - {name: 居民财政证明}\n", list_id="city").replace("id: city", "id: county")
    city = child("subset", "  - {name: 居民财产证明}\n  - {name: 出生证明}\n")
    nation = PROVINCE.replace("id: province", "id: nation")
    province = PROVINCE.replace("title:", "parent: {list: nation, mode: complete}\ntitle:")
    report = validate_set({"nation.yaml": nation, "province.yaml": province, "city.yaml": city, "county.yaml": county})
    assert all_hits(report) == {"parent.renamed": [("county.yaml", 7, 12, None)]}
    loop = validate_set(
        {"a.yaml": PROVINCE.replace("title:", "parent: {list: b, mode: subset}\ntitle:").replace("id: province", "id: a"), "b.yaml": PROVINCE.replace("title:", "parent: {list: a, mode: subset}\ntitle:").replace("id: province", "id: b")}
    )
    assert hits(loop, "parent.cycle") == [("a.yaml", 4, 16, None), ("b.yaml", 4, 16, None)]
    assert "a → b → a" in [f.message.zh for f in loop.findings if f.rule == "parent.cycle"][0]
    assert [f.rule for f in loop.findings if f.file in ("a.yaml", "b.yaml") and f.rule.startswith("parent.") and f.rule != "parent.cycle"] == []


def test_the_published_chain_example(monkeypatch):
    monkeypatch.chdir(REPO)
    report = validate_paths([REPO / "examples" / "levels"])
    found = sorted((f.rule, f.file.rsplit("/", 1)[-1], f.line) for f in report.findings)
    assert [r for r, _, _ in found] == sorted(["parent.missing", "parent.totals", "parent.totals", "parent.run-together", "parent.run-together", "parent.renamed"])
    assert report.suppressed == 2  # the province's two approved rewordings
