"""Rules of govlist/rules/community.py: 社区工作准入 (entry rules read as data)."""

from __future__ import annotations

import pytest

from conftest import hits, messages

REGISTRY = """
govlist: 1
kind: registry
id: chenghua-registry
title: 成都市成华区机构名录
units:
  - {code: "CH-BM-MZ", name: 成华区民政局, aliases: [区民政局], type: 部门}
  - {code: "CH-BM-JY", name: 成华区教育局, aliases: [区教育局], type: 部门}
  - {code: "CH-BM-SB", name: 成华区社会保险事业管理局, aliases: [区社保局], type: 事业单位}
  - {code: "CH-ZF", name: 成华区人民政府, aliases: [区政府], type: 其他}
"""

ENTRY_RULES = """
govlist: 1
kind: entry-rules
id: chenghua-entry-rules
title: 成华区政务事项进社区准入制度
applies_to: [wp-community]
deadlines: {apply_ahead_working_days: 30, decide_within_working_days: 15}
required:
  assist: [application, approval, funding]
  approval: [body, date, doc_number]
government_only:
  types: [行政许可, 行政处罚, 行政强制, 行政征收, 行政检查]
  keywords: [罚款, 吊销, 查封, 扣押, 行政许可, 行政处罚, 审批]
items:
  - {code: "FM-001", name: 招商引资, content: 承担招商引资、项目引进和经济指标任务}
  - {code: "FM-002", name: 协税护税, content: 代征税款、催缴税费或承担协税护税任务}
  - {code: "FM-003", name: 亲属关系证明, content: 亲属关系应当通过户口簿等材料证明，社区无从核实}
"""

# Seven lines; the first item starts on line 8.
HEAD = """\
govlist: 1
kind: community
id: wp-community
title: 成华区猛追湾街道望平社区工作事项清单
level: 社区
effective: "2012-07-01"
items:
"""

GOOD_ASSIST = """\
  - code: "XZ-01"
    name: 低保申请家庭入户核查协助
    type: 协助
    department: 区民政局
    application: {department: 区民政局, date: "2012-04-09", form: 社区工作事项准入审批表}
    approval: {body: 成华区人民政府, date: "2012-04-23", doc_number: 成华府〔2012〕22号}
    funding: {amount: 12000, source: 区财政社会救助工作经费, conditions: 按年度拨付至社区}
"""


def community(body: str, head: str = HEAD) -> str:
    return head + body


# --- community.assist-record ---------------------------------------------------------------------------------------


def assisting(code: str, name: str, department: str, applied: str, approved: str, number: int) -> str:
    """One assisting item (type 协助) of a community list, with its application and the district's approval."""
    return f'  - code: "{code}"\n    name: {name}\n    type: 协助\n    application: {{department: {department}, date: "{applied}"}}\n    approval: {{body: 成华区人民政府, date: "{approved}", doc_number: 成华府〔{approved[:4]}〕{number}号}}\n'


def test_assist_record_lists_everything_missing(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "entry-rules.yaml": ENTRY_RULES,
            "community.yaml": community(
                GOOD_ASSIST
                + """\
  - code: "XZ-02"
    name: 居民医保参保登记协助
    type: 协助事项
    approval:
      body: 成华区人民政府
  - code: "XZ-03"
    name: 适龄儿童入学信息摸底
    type: 协助政府工作事项
    application: {department: 区教育局, date: "2012-04-11"}
    approval:
      body: 成华区人民政府
      date: "2012-04-24"
    funding: {amount: 3000, source: 区教育局部门预算}
  - code: "LZ-01"
    name: 民间纠纷调解
    type: 依法履职事项
"""
            ),
        }
    )
    # XZ-01 complete; XZ-02 (line 15) misses application, funding and two approval fields: one finding at the item;
    # XZ-03 (alias 协助政府工作事项) only misses the approval's doc_number: at the approval (line 25).
    assert hits(report, "community.assist-record") == [("community.yaml", 15, 5, "XZ-02"), ("community.yaml", 25, 7, "XZ-03")]
    first, second = messages(report, "community.assist-record")
    assert "准入申请（application）、经费保障（funding）" in first.zh and "审批记录缺少审定日期（date）、文号（doc_number）" in first.zh
    assert "chenghua-entry-rules" in first.zh
    assert "lacks application, funding; its approval lacks date, doc_number" in first.en
    assert "文号（doc_number）" in second.zh and "日期" not in second.zh


def test_assist_record_satisfied_by_the_entry_rules_approved_list(validate_set):
    rules = ENTRY_RULES.replace(
        "items:\n",
        """approved:
  - {code: "XZ-05", name: 居民医保参保登记协助, approval: {body: 成华区人民政府, date: "2012-04-23", doc_number: 成华府〔2012〕22号}}
  - {name: 适龄儿童入学信息摸底（协助）, approval: {body: 成华区人民政府, date: "2012-04-23", doc_number: 成华府〔2012〕22号}}
items:
""",
        1,
    )
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "entry-rules.yaml": rules,
            "community.yaml": community("""\
  - code: "XZ-05"
    name: 居民医保参保登记协助
    type: 协助事项
    funding: {amount: 3000, source: 区医保局部门预算}
  - code: "XZ-06"
    name: 适龄儿童入学信息摸底
    type: 协助事项
  - code: "XZ-07"
    name: 退役军人信息采集协助
    type: 协助事项
    funding: {amount: 2000, source: 区退役军人事务局部门预算}
"""),
        }
    )
    # XZ-05 is approved by code and funded: quiet. XZ-06 is approved by name (the gloss aside) but has no funding, which
    # the approved list does not replace. XZ-07 is neither approved nor recorded.
    assert hits(report, "community.assist-record") == [("community.yaml", 12, 5, "XZ-06"), ("community.yaml", 15, 5, "XZ-07")]
    first, second = messages(report, "community.assist-record")
    assert "经费保障（funding）" in first.zh and "准入申请" not in first.zh
    assert "准入申请（application）、审批（approval）" in second.zh


def test_assist_record_defaults_without_entry_rules(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "community.yaml": community("""\
  - code: "XZ-01"
    name: 高龄老人津贴申请材料收转
    type: 协助
    department: 区民政局
"""),
        }
    )
    assert hits(report, "community.assist-record") == [("community.yaml", 8, 5, "XZ-01")]
    (message,) = messages(report, "community.assist-record")
    assert "默认准入规则" in message.zh and "application, approval, funding" in message.en


@pytest.mark.parametrize("collide", [False, True])
def test_entry_rules_apply_by_level_alias_and_not_to_other_lists(validate_set, monkeypatch, collide):
    """`collide`: every catalog given the same id(), as a freed one's is given to a later one: what was found for one
    list's rules must not answer for the next list's."""
    if collide:
        from govlist.rules import entry

        monkeypatch.setattr(entry, "id", lambda obj: 1, raising=False)
    rules = """\
govlist: 1
kind: entry-rules
id: juminqu-entry-rules
title: 古美路街道居民区工作准入规则
applies_to: [居委会]
required:
  assist: [application]
"""
    juminqu = """\
govlist: 1
kind: community
id: gumei-juminqu
title: 古美路街道居民区工作事项清单
level: 居民区
items:
  - code: "XZ-01"
    name: 协助开展人口抽样调查入户登记
    type: 协助
    application: {department: 区统计局, date: "2012-04-09"}
"""
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "rules.yaml": rules,
            "juminqu.yaml": juminqu,
            # A 社区 list: the 居委会 (= 居民区) rules do not govern it, so the defaults apply.
            "community.yaml": community("""\
  - code: "XZ-01"
    name: 协助开展人口抽样调查入户登记
    type: 协助
    application: {department: 区统计局, date: "2012-04-09"}
"""),
        }
    )
    assert hits(report, "community.assist-record") == [("community.yaml", 8, 5, "XZ-01")]


def test_entry_rules_apply_by_id_and_empty_applies_to_means_all(validate_set):
    by_id = ENTRY_RULES.replace("required:\n  assist: [application, approval, funding]", "required:\n  assist: [application, approval]")
    everyone = """\
govlist: 1
kind: entry-rules
id: district-entry-rules
title: 全区社区工作准入规则
applies_to: []
required:
  assist: [basis]
"""
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "entry-rules.yaml": by_id,
            "everyone.yaml": everyone,
            "community.yaml": community(assisting("XZ-01", "低保申请家庭入户核查协助", "区民政局", "2012-04-09", "2012-04-23", 22)),
        }
    )
    # Both apply and merge: application and approval (by id) plus basis (all lists); funding is no longer required.
    assert hits(report, "community.assist-record") == [("community.yaml", 8, 5, "XZ-01")]
    (message,) = messages(report, "community.assist-record")
    assert "依据（basis）" in message.zh and "funding" not in message.en


# --- community.entry-deadline ----------------------------------------------------------------------------------------


def test_entry_deadline_decision_late_inverted_and_application_too_late(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "entry-rules.yaml": ENTRY_RULES,
            "community.yaml": community(
                assisting("XZ-01", "低保申请家庭入户核查协助", "区民政局", "2012-04-09", "2012-04-30", 22)
                + assisting("XZ-02", "居民医保参保登记协助", "区社保局", "2012-04-09", "2012-05-02", 23)
                + assisting("XZ-03", "适龄儿童入学信息摸底", "区教育局", "2012-04-20", "2012-04-18", 24)
                + assisting("XZ-04", "社区矫正对象走访帮教", "区司法局", "2012-06-11", "2012-06-15", 25)
            ),
        }
    )
    # XZ-01: exactly 15 working days (30 April is a holiday, Saturday 28 April a 调休 working day), fine. XZ-02: 16
    # (1 May is a holiday). XZ-03: approved before applying. XZ-04: 13 working days ahead (22 June, 端午, is off).
    assert hits(report, "community.entry-deadline") == [
        ("community.yaml", 17, 37, "XZ-02"),
        ("community.yaml", 22, 37, "XZ-03"),
        ("community.yaml", 26, 43, "XZ-04"),
    ]
    late, inverted, ahead = messages(report, "community.entry-deadline")
    assert "16 个工作日" in late.zh and "15 个工作日" in late.zh
    assert "早于申请日期" in inverted.zh and "inconsistent" in inverted.en
    assert "只有 13 个工作日" in ahead.zh and "at least 30" in ahead.en


def test_entry_deadline_counts_the_real_calendar_and_never_guesses_an_unknown_year(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "entry-rules.yaml": ENTRY_RULES.replace("apply_ahead_working_days: 30, ", ""),
            "community.yaml": community(
                assisting("XZ-01", "低保申请家庭入户核查协助", "区民政局", "2025-09-22", "2025-10-17", 22)
                + assisting("XZ-02", "居民医保参保登记协助", "区社保局", "2025-09-22", "2025-10-20", 23)
                + assisting("XZ-03", "适龄儿童入学信息摸底", "区教育局", "2026-12-21", "2027-01-08", 1),
                head=HEAD.replace('effective: "2012-07-01"', 'effective: "2026-12-01"'),
            ),
        }
    )
    # XZ-01: 15 working days across National Day 2025 (19 by Monday to Friday); XZ-02: 16; XZ-03: 2027 is unknown.
    assert hits(report, "community.entry-deadline") == [
        ("community.yaml", 17, 37, "XZ-02"),
        ("community.yaml", 22, 37, "XZ-03"),
    ]
    late, unknown = messages(report, "community.entry-deadline")
    assert "16 个工作日" in late.zh
    assert "不含 2027 年" in unknown.zh and "calendar" in unknown.en


def test_entry_deadline_defaults_have_no_deadlines_but_order_still_checked(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "community.yaml": community(assisting("XZ-01", "居民医保参保登记协助", "区社保局", "2012-04-09", "2012-06-29", 23) + assisting("XZ-02", "适龄儿童入学信息摸底", "区教育局", "2012-04-20", "2012-04-18", 24)),
        }
    )
    assert hits(report, "community.entry-deadline") == [("community.yaml", 17, 37, "XZ-02")]


# --- community.government-power --------------------------------------------------------------------------------------


def test_government_power_by_type_and_keyword(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "entry-rules.yaml": ENTRY_RULES,
            "community.yaml": community("""\
  - code: "LZ-01"
    name: 占道经营罚款
    type: 依法履职
  - code: "XZ-01"
    name: 居民自建房安全巡查
    type: 协助
    power_type: 检查
  - code: "XZ-02"
    name: 低保申请家庭入户核查协助
    type: 协助
    content: 协助街道对低保申请家庭开展入户调查，社区不承担资格审批
    application: {department: 区民政局, date: "2012-04-09", form: 社区工作事项准入审批表}
  - code: "XZ-03"
    name: 违法经营场所整治协助
    type: 协助
    content: 协助城管执法中队查封违法经营场所
  - code: "FM-01"
    name: 以社区名义实施罚款
    type: 负面清单事项
  - code: "ZM-01"
    name: 行政处罚决定送达证明
    type: 不应出具证明
"""),
        }
    )
    # LZ-01 by name; XZ-01 by power type (alias 检查 = 行政检查); XZ-02 only negated and in a form name; XZ-03 by content.
    assert hits(report, "community.government-power") == [
        ("community.yaml", 9, 11, "LZ-01"),
        ("community.yaml", 14, 17, "XZ-01"),
        ("community.yaml", 23, 14, "XZ-03"),
    ]
    by_name, by_type, by_content = messages(report, "community.government-power")
    assert "罚款" in by_name.zh
    assert "行政检查" in by_type.zh and "government-only" in by_type.en
    assert "查封" in by_content.zh


def test_government_power_keywords_come_from_the_rules(validate_set):
    body = """\
  - code: "XZ-01"
    name: 建房审批公示张贴
    type: 协助
"""
    with_rules = validate_set({"registry.yaml": REGISTRY, "entry-rules.yaml": ENTRY_RULES, "community.yaml": community(body)})
    assert hits(with_rules, "community.government-power") == [("community.yaml", 9, 11, "XZ-01")]


def test_government_power_default_keywords_do_not_include_approval(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "community.yaml": community("""\
  - code: "XZ-01"
    name: 建房审批公示张贴
    type: 协助
"""),
        }
    )
    assert hits(report, "community.government-power") == []


# --- community.negative-list -----------------------------------------------------------------------------------------


def test_negative_list_from_rules_and_from_the_list_itself(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "entry-rules.yaml": ENTRY_RULES,
            "community.yaml": community("""\
  - code: "XZ-01"
    name: 协助招商引资（辖区企业走访）
    type: 协助
  - code: "LZ-01"
    name: 代收水电燃气费
    type: 依法履职事项
  - code: "FM-01"
    name: 代收水电燃气费
    type: 负面清单
  - code: "ZM-01"
    name: 亲属关系证明
    type: 不应出具证明
  - code: "LZ-02"
    name: 民间纠纷调解
    type: 依法履职事项
"""),
        }
    )
    assert hits(report, "community.negative-list") == [("community.yaml", 9, 11, "XZ-01"), ("community.yaml", 12, 11, "LZ-01")]
    contains, equals = messages(report, "community.negative-list")
    assert "包含" in contains.zh and "招商引资" in contains.zh and "chenghua-entry-rules" in contains.zh
    assert "就是本清单负面清单中的“代收水电燃气费”" in equals.zh


def test_negative_list_quiet_on_a_clean_list(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "entry-rules.yaml": ENTRY_RULES,
            "community.yaml": community(GOOD_ASSIST),
        }
    )
    assert [f for f in report.findings if f.rule.startswith("community.")] == []


# --- community.certificate-conflict ----------------------------------------------------------------------------------


def test_certificate_conflict_within_list_and_with_entry_rules(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "entry-rules.yaml": ENTRY_RULES,
            "community.yaml": community("""\
  - code: "ZM-01"
    name: 婚姻状况证明
    type: 可出具
  - code: "ZM-02"
    name: 亲属关系证明（户籍）
    type: 可出具证明
  - code: "ZM-03"
    name: 居民在辖区实际居住情况证明
    type: 可出具证明
  - code: "ZM-04"
    name: 婚姻状况证明（婚育状况）
    type: 不应出具证明
"""),
        }
    )
    assert hits(report, "community.certificate-conflict") == [("community.yaml", 9, 11, "ZM-01"), ("community.yaml", 12, 11, "ZM-02")]
    within, from_rules = messages(report, "community.certificate-conflict")
    assert "本清单（ZM-04 婚姻状况证明（婚育状况））" in within.zh
    assert "chenghua-entry-rules" in from_rules.zh
    # The negative-list rule leaves a certificate against a negative-list certificate to this rule.
    assert hits(report, "community.negative-list") == []


@pytest.mark.parametrize("collide", [False, True])
def test_certificate_conflict_with_another_list_of_the_same_level(validate_set, monkeypatch, collide):
    """`collide`: every list given the same id(), as a freed list's is given to a later one: the certificates one
    list may not issue must not answer for its peer's."""
    if collide:
        from govlist.rules import community as community_rules

        monkeypatch.setattr(community_rules, "id", lambda obj: 1, raising=False)
    level_rules = ENTRY_RULES.replace("applies_to: [wp-community]", "applies_to: [社区]")
    other = """\
govlist: 1
kind: community
id: df-community
title: 成华区猛追湾街道东风社区工作事项清单
level: 社区
items:
  - code: "ZM-01"
    name: 个人收入证明
    type: 不应出具证明
"""
    village = """\
govlist: 1
kind: community
id: cm-village
title: 春明村工作事项清单
level: 村
items:
  - code: "ZM-01"
    name: 家庭经济困难情况证明
    type: 不应出具证明
"""
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "entry-rules.yaml": level_rules,
            "other.yaml": other,
            "village.yaml": village,
            "community.yaml": community("""\
  - code: "ZM-01"
    name: 个人收入证明
    type: 可出具证明
  - code: "ZM-02"
    name: 家庭经济困难情况证明
    type: 可出具证明
"""),
        }
    )
    # 个人收入证明 conflicts with the other 社区 list under the same rules; the 村 list is another level.
    assert hits(report, "community.certificate-conflict") == [("community.yaml", 9, 11, "ZM-01")]
    (message,) = messages(report, "community.certificate-conflict")
    assert "df-community" in message.zh


def test_certificate_conflict_ignores_lists_under_other_entry_rules(validate_set):
    other_rules = """\
govlist: 1
kind: entry-rules
id: other-district-rules
title: 另一区社区工作准入规则
applies_to: [other-community]
"""
    other = """\
govlist: 1
kind: community
id: other-community
title: 另一区某社区工作事项清单
level: 社区
items:
  - code: "ZM-01"
    name: 个人收入证明
    type: 不应出具证明
"""
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "entry-rules.yaml": ENTRY_RULES,
            "other-rules.yaml": other_rules,
            "other.yaml": other,
            "community.yaml": community("""\
  - code: "ZM-01"
    name: 个人收入证明
    type: 可出具证明
"""),
        }
    )
    assert hits(report, "community.certificate-conflict") == []


# --- community.funding -----------------------------------------------------------------------------------------------


def test_funding_present_but_empty(validate_set):
    report = validate_set(
        {
            "registry.yaml": REGISTRY,
            "community.yaml": community("""\
  - code: "XZ-01"
    name: 低保申请家庭入户核查协助
    type: 协助
    funding: {conditions: 街道提供办公场地}
  - code: "XZ-02"
    name: 居民医保参保登记协助
    type: 协助
    funding: {amount: 0, source: 暂无}
  - code: "XZ-03"
    name: 适龄儿童入学信息摸底
    type: 协助
    funding: {amount: 每年3000元}
  - code: "XZ-04"
    name: 社区矫正对象走访帮教
    type: 协助
  - code: "XZ-05"
    name: 高龄老人津贴申请材料收转
    type: 协助
    funding: {}
  - code: "LZ-01"
    name: 民间纠纷调解
    type: 依法履职事项
    funding: {conditions: 无}
"""),
        }
    )
    assert hits(report, "community.funding") == [
        ("community.yaml", 11, 14, "XZ-01"),
        ("community.yaml", 15, 14, "XZ-02"),
        ("community.yaml", 26, 14, "XZ-05"),
    ]
    assert "费随事转" in messages(report, "community.funding")[0].zh
    # XZ-04 has no funding at all: that is assist-record's finding, and it does not repeat XZ-05's empty funding.
    missing = {f.item: f.message.en for f in report.findings if f.rule == "community.assist-record"}
    assert "funding" in missing["XZ-04"] and "funding" not in missing["XZ-05"]


def test_severity_off_in_project_file(validate_set):
    report = validate_set(
        {
            "govlist.yaml": """\
govlist: 1
kind: project
name: 成华区清单库
rules:
  community.funding: "off"
  community.assist-record: warning
""",
            "registry.yaml": REGISTRY,
            "community.yaml": community("""\
  - code: "XZ-01"
    name: 低保申请家庭入户核查协助
    type: 协助
    funding: {conditions: 街道提供办公场地}
"""),
        }
    )
    assert hits(report, "community.funding") == []
    assert [f.severity.label for f in report.findings if f.rule == "community.assist-record"] == ["warning"]


def test_the_entry_rules_governing_a_list_are_those_applies_names_found_without_asking_each(monkeypatch):
    """entry_rules_for finds the entry rules of a community list through an index of their applies_to made once per
    context (a set may hold hundreds of each), and finds exactly those `applies` names, in the set's order: over
    ids, levels (by alias and width too), empty and missing applies_to, a target repeated, a list without a level."""
    import random

    from govlist.catalog import make_catalog
    from govlist.loader import Document
    from govlist.project import build_project
    from govlist.rules import entry
    from govlist.ruleset import Context

    rng = random.Random(7)
    levels = ["社区", "村", "村委会", "居委会", "居民区", "街道", "镇街", "乡镇", "ｓｈｅｑｕ"]
    targets = levels + ["c1", "c2", "c3", "x"]
    rules = []
    for n in range(30):
        data: dict = {"govlist": 1, "kind": "entry-rules", "id": f"r{n}"}
        if rng.random() < 0.8:
            data["applies_to"] = [rng.choice(targets) for _ in range(rng.randrange(0, 4))]
        rules.append(make_catalog(Document(f"r{n}.yaml", data, b"", [])))
    communities = []
    for n in range(12):
        data = {"govlist": 1, "kind": "community", "id": f"c{n}", "items": []}
        if n % 4:
            data["level"] = rng.choice(levels)
        communities.append(make_catalog(Document(f"c{n}.yaml", data, b"", [])))
    ctx = Context(build_project(None, None), rules[:15] + communities + rules[15:])
    expected = {id(c): [r for r in ctx.of_kind("entry-rules") if entry.applies(r, c, ctx)] for c in communities}
    assert any(expected.values()) and not all(len(v) == 30 for v in expected.values())
    monkeypatch.setattr(entry, "applies", lambda *args: pytest.fail("asked each entry-rules catalog"))
    for community in communities:
        assert entry.entry_rules_for(community, ctx).sources == expected[id(community)]
