"""codes.unique, codes.unique-unit, codes.missing, catalog.duplicate-id, names.duplicate, names.near-duplicate,
names.run-together."""

from __future__ import annotations

from conftest import doc, hits, messages
from steps import lines_run

from govlist.rules.names import _scored_pairs, _similar_pairs


# ----------------------------------------------------------------------------------------------------- codes.unique


def test_codes_unique_item_and_subitem_collisions(validate_set):
    report = validate_set(
        {
            "power.yaml": doc(
                "power",
                """
        items:
          - code: "XX-CF-001"
            name: 对擅自占用城市道路的处罚
          - code: "XX-CF-002"
            name: 对擅自挖掘城市道路的处罚
            subitems:
              - code: "XX-CF-003"
                name: 未经批准挖掘城市道路
              - code: "ｘｘ-cf-001"
                name: 未按批准的位置挖掘城市道路
          - code: "XX-CF-003"
            name: 对在城市道路上堆放物料的处罚
    """,
            )
        }
    )
    # line 5: items, 6: XX-CF-001, 8: XX-CF-002, 11: sub XX-CF-003, 13: sub xx-cf-001, 15: item XX-CF-003
    assert hits(report, "codes.unique") == [("power.yaml", 13, 15, "XX-CF-002"), ("power.yaml", 15, 11, "XX-CF-003")]
    first, second = messages(report, "codes.unique")
    assert "对擅自占用城市道路的处罚" in first.zh and "第 6 行" in first.zh and "line 6" in first.en
    assert "未经批准挖掘城市道路" in second.zh and "sub-item" in second.en and "line 11" in second.en


def test_codes_unique_quiet_on_distinct_codes_and_reports_category_codes(validate_set):
    report = validate_set(
        {
            "duty.yaml": doc(
                "duty",
                """
        categories:
          - name: 党的建设
            code: "01"
            items:
              - {code: "01-001", name: 党组织建设}
          - name: 社会治理
            code: "01"
            items:
              - {code: "02-001", name: 矛盾纠纷调解}
    """,
            )
        }
    )
    assert hits(report, "codes.unique") == [("duty.yaml", 11, 11, None)]
    assert "党的建设" in messages(report, "codes.unique")[0].zh


def test_codes_unique_unit_across_registries(validate_set):
    report = validate_set(
        {
            "a-registry.yaml": doc(
                "registry",
                """
            units:
              - {code: HB, name: 河滨街道办事处, type: 街道}
              - {code: HB-SQ1, name: 河滨社区, type: 社区, parent: HB}
        """,
                id="reg-a",
            ),
            "b-registry.yaml": doc(
                "registry",
                """
            units:
              - {code: HB-SQ2, name: 滨江社区, type: 社区}
              - {code: "hb ", name: 河滨派出所, type: 派驻机构}
        """,
                id="reg-b",
            ),
        }
    )
    assert hits(report, "codes.unique-unit") == [("b-registry.yaml", 7, 12, "hb ")]
    (message,) = messages(report, "codes.unique-unit")
    assert "河滨街道办事处" in message.zh and "a-registry.yaml" in message.en


def test_catalog_duplicate_id(validate_set):
    report = validate_set(
        {
            "duty-2023.yaml": doc("duty", "items:\n  - {code: '1', name: 党组织建设}\n", id="street-duty"),
            "duty-2024.yaml": doc("duty", "items:\n  - {code: '1', name: 党组织建设}\n", id="street-duty"),
            "other.yaml": doc("duty", "items:\n  - {code: '1', name: 党组织建设}\n", id="street-duty-2"),
        }
    )
    assert hits(report, "catalog.duplicate-id") == [("duty-2024.yaml", 3, 5, None)]
    assert "duty-2023.yaml" in messages(report, "catalog.duplicate-id")[0].zh


# ---------------------------------------------------------------------------------------------------- codes.missing


def test_codes_missing_per_item_when_some_have_codes(validate_set):
    report = validate_set(
        {
            "duty.yaml": doc(
                "duty",
                """
        items:
          - {code: "001", name: 党组织建设}
          - {name: 矛盾纠纷调解}
    """,
            )
        }
    )
    assert hits(report, "codes.missing") == [("duty.yaml", 7, 12, None)]
    assert "矛盾纠纷调解" in messages(report, "codes.missing")[0].zh


def test_codes_missing_once_when_no_item_has_a_code(validate_set):
    report = validate_set(
        {
            "duty.yaml": doc(
                "duty",
                """
        items:
          - {name: 党组织建设}
          - {name: 矛盾纠纷调解}
          - {name: 安全生产检查}
    """,
            )
        }
    )
    assert hits(report, "codes.missing") == [("duty.yaml", 6, 3, None)]
    assert "3" in messages(report, "codes.missing")[0].zh


def test_codes_missing_can_be_turned_off(validate_set):
    report = validate_set(
        {
            "govlist.yaml": "govlist: 1\nkind: project\nrules:\n  codes.missing: \"off\"\n",
            "duty.yaml": doc("duty", "items:\n  - {name: 党组织建设}\n"),
        }
    )
    assert hits(report, "codes.missing") == []


# -------------------------------------------------------------------------------------------------- names.duplicate


def test_names_duplicate_full_and_half_width(validate_set):
    report = validate_set(
        {
            "community.yaml": doc(
                "community",
                """
        categories:
          - name: 可出具证明
            items:
              - {code: "001", name: 居民身份证申领（换领）, type: 可出具证明}
              - {code: "002", name: 居住证明, type: 可出具证明}
          - name: 其他
            items:
              - {code: "009", name: 居民身份证申领(换领), type: 可出具证明}
    """,
            )
        }
    )
    assert hits(report, "names.duplicate") == [("community.yaml", 12, 29, "009")]
    (message,) = messages(report, "names.duplicate")
    assert "第 8 行" in message.zh and "编码 001" in message.zh and "code 001" in message.en
    assert hits(report, "names.near-duplicate") == []


def test_names_duplicate_quiet_on_distinct_names(validate_set):
    report = validate_set(
        {
            "duty.yaml": doc(
                "duty",
                """
        items:
          - {code: "1", name: 婚育状况证明}
          - {code: "2", name: 居住证明}
          - {code: "3", name: 生育状况证明}
    """,
            )
        }
    )
    assert hits(report, "names.duplicate") == []
    assert hits(report, "names.near-duplicate") == []
    assert hits(report, "names.run-together") == []


# --------------------------------------------------------------------------------------------- names.near-duplicate


def test_near_duplicate_gloss(validate_set):
    report = validate_set(
        {
            "community.yaml": doc(
                "community",
                """
        items:
          - {code: "001", name: 婚育状况证明, type: 可出具证明}
          - {code: "002", name: 居住证明, type: 可出具证明}
          - {code: "003", name: 婚育状况证明（表现证明）, type: 可出具证明}
    """,
            )
        }
    )
    assert hits(report, "names.near-duplicate") == [("community.yaml", 8, 25, "003")]
    (message,) = messages(report, "names.near-duplicate")
    assert "婚育状况证明" in message.zh and "第 6 行" in message.zh and "gloss" in message.en
    assert hits(report, "names.duplicate") == []


def test_near_duplicate_two_different_glosses_are_deliberate(validate_set):
    report = validate_set(
        {
            "power.yaml": doc(
                "power",
                """
        items:
          - {code: "1", name: 临时占用城市道路审批（新设）}
          - {code: "2", name: 临时占用城市道路审批（延续）}
    """,
            )
        }
    )
    assert hits(report, "names.near-duplicate") == []


def test_near_duplicate_similar_within_category(validate_set):
    report = validate_set(
        {
            "duty.yaml": doc(
                "duty",
                """
        categories:
          - name: 社会救助
            items:
              - {code: "1", name: 城市生活无着的流浪乞讨人员救助}
              - {code: "2", name: 最低生活保障申请受理}
              - {code: "3", name: 城市生活无着流浪乞讨人员救助}
          - name: 其他
            items:
              - {code: "4", name: 最低生活保障申请受理工作}
    """,
            )
        }
    )
    # 3 is like 1 (one character less, same category); 4 is like 2 but in another category: not compared
    assert hits(report, "names.near-duplicate") == [("duty.yaml", 10, 27, "3")]
    (message,) = messages(report, "names.near-duplicate")
    assert "0.97" in message.zh and "similarity" in message.en


def test_near_duplicate_ignores_numbered_variants_and_short_names(validate_set):
    report = validate_set(
        {
            "duty.yaml": doc(
                "duty",
                """
        items:
          - {code: "1", name: 城市道路巡查整治工作（一）}
          - {code: "2", name: 城市道路巡查整治工作（二）}
          - {code: "3", name: 第1批老旧小区改造项目申报}
          - {code: "4", name: 第2批老旧小区改造项目申报}
          - {code: "5", name: 婚姻状况证明}
          - {code: "6", name: 婚育状况证明}
    """,
            )
        }
    )
    assert hits(report, "names.near-duplicate") == []


def test_similar_pairs_prefix_filter_finds_what_brute_force_finds():
    import random

    from govlist.normalize import similarity

    rng = random.Random(7)
    alphabet = "城市道路管理社区服务证明申请审批登记检查安全消防救助"
    base = ["".join(rng.choice(alphabet) for _ in range(rng.randint(6, 24))) for _ in range(120)]
    names = list(base)
    for name in base[:60]:  # near copies: one insertion, deletion or substitution
        k = rng.randrange(len(name))
        op = rng.choice("ids")
        names.append(name[:k] + rng.choice(alphabet) + name[k:] if op == "i" else name[:k] + name[k + 1 :] if op == "d" else name[:k] + rng.choice(alphabet) + name[k + 1 :])
    found = {(i, j) for i, j, _ in _similar_pairs(names, [10**9])}
    expected = {(i, j) for j in range(len(names)) for i in range(j) if len(names[i]) >= 6 and len(names[j]) >= 6 and names[i] != names[j] and similarity(names[i], names[j]) >= 0.9}
    assert expected and found == expected


def test_small_categories_scored_pair_by_pair_find_what_the_prefix_filter_finds():
    import random

    rng = random.Random(11)
    alphabet = "城市道路管理社区服务证明申请审批登记检查安全消防救助"
    for _ in range(200):
        base = ["".join(rng.choice(alphabet) for _ in range(rng.randint(3, 16))) for _ in range(rng.randint(1, 30))]
        names = base + [name[:k] + rng.choice(alphabet) + name[k + 1 :] for name in base[: rng.randint(0, len(base))] for k in [rng.randrange(len(name))]]
        names += [names[0], ""]  # an exact repeat and a name too long to compare (given as "")
        rng.shuffle(names)
        assert sorted(_scored_pairs(names)) == sorted(_similar_pairs(names, [10**9]))


def test_near_duplicate_search_is_far_from_quadratic_on_a_large_list():
    """2,000 names of one category that share a small alphabet: the prefix filter looks at a few hundred thousand
    lines of work, where comparing every pair would take millions. Counted in the lines the search runs (a trace),
    not timed: no bound on a clock that a loaded machine would break."""
    import random

    rng = random.Random(1)
    alphabet = "城市道路管理社区服务证明申请审批登记检查安全消防救助居民住房环境卫生绿化市容"

    def steps(count: int) -> int:
        names = ["".join(rng.choice(alphabet) for _ in range(rng.randint(6, 30))) for _ in range(count)]
        seen, _ = lines_run(_similar_pairs, lambda: list(_similar_pairs(names, [10**9])))
        return seen

    small, large = steps(500), steps(2000)
    assert 0 < large < 2000 * 1999 // 2 // 4  # under a quarter of the pairs, where a line per pair is the least
    assert large < 12 * small  # four times the names: comparing every pair would be sixteen times the work


# ---------------------------------------------------------------------------------------------- names.run-together


def test_run_together(validate_set):
    report = validate_set(
        {
            "community.yaml": doc(
                "community",
                """
        items:
          - {code: "001", name: 婚姻状况证明, type: 可出具证明}
          - {code: "002", name: 出生证明, type: 可出具证明}
          - {code: "003", name: 婚姻状况证明出生证明, type: 可出具证明}
          - {code: "004", name: 居住证明, type: 可出具证明}
    """,
            )
        }
    )
    assert hits(report, "names.run-together") == [("community.yaml", 8, 25, "003")]
    (message,) = messages(report, "names.run-together")
    assert "婚姻状况证明" in message.zh and "出生证明" in message.zh and "第 7 行" in message.zh
    assert "run together" in message.en


def test_run_together_with_punctuation_and_glosses(validate_set):
    report = validate_set(
        {
            "duty.yaml": doc(
                "duty",
                """
        items:
          - {code: "1", name: 招商引资}
          - {code: "2", name: 协税护税（配合）}
          - {code: "3", name: 招商引资、协税护税}
    """,
                level="区",
            )
        }
    )
    assert hits(report, "names.run-together") == [("duty.yaml", 9, 23, "3")]


def test_run_together_quiet_when_a_part_is_the_item_itself(validate_set):
    report = validate_set(
        {
            "duty.yaml": doc(
                "duty",
                """
        items:
          - {code: "1", name: 安全生产检查}
          - {code: "2", name: 安全生产}
          - {code: "3", name: 消防安全检查}
    """,
            )
        }
    )
    assert hits(report, "names.run-together") == []


def test_run_together_from_the_list_alone_when_the_count_falls_short(validate_set):
    """The national 不应出具 list republished with two rows merged: neither half stands alone in the list."""
    report = validate_set(
        {
            "community.yaml": doc(
                "community",
                """
        declared: {items: 5}
        items:
          - {code: "1", name: 亲属关系证明, type: 不应出具证明}
          - {code: "2", name: 居民养犬证明, type: 不应出具证明}
          - {code: "3", name: 婚姻状况证明出生证明, type: 不应出具证明}
          - {code: "4", name: 死亡证明, type: 不应出具证明}
    """,
            )
        }
    )
    assert hits(report, "names.run-together") == [("community.yaml", 9, 23, "3")]
    (message,) = messages(report, "names.run-together")
    assert "“婚姻状况证明”和“出生证明”" in message.zh and "公布 5 项、实列 4 项" in message.zh


def test_run_together_by_suffix_quiet_when_the_count_adds_up_or_names_differ(validate_set):
    full = """
        declared: {items: 4}
        items:
          - {code: "1", name: 亲属关系证明, type: 不应出具证明}
          - {code: "2", name: 居民养犬证明, type: 不应出具证明}
          - {code: "3", name: 婚姻状况证明出生证明, type: 不应出具证明}
          - {code: "4", name: 死亡证明, type: 不应出具证明}
    """
    assert hits(validate_set({"a.yaml": doc("community", full)}), "names.run-together") == []
    short = """
        declared: {items: 6}
        items:
          - {code: "1", name: 社区矫正对象证明材料审核, type: 协助事项}
          - {code: "2", name: 困难群众救助申请初审, type: 协助事项}
          - {code: "3", name: 居民养犬登记协助, type: 协助事项}
    """
    assert hits(validate_set({"b.yaml": doc("community", short)}), "names.run-together") == []
