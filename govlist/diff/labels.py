"""Names of the kinds of change, their levels and matching methods, and of item fields, in Chinese and English."""

KINDS_ORDER = ("added", "removed", "withdrawn", "devolved", "moved", "split", "merged", "renamed", "changed", "category", "catalog")
KIND_ZH = {
    "added": "新增", "removed": "取消", "withdrawn": "收回", "devolved": "下放", "moved": "移动", "split": "拆分",
    "merged": "合并", "renamed": "更名", "changed": "变更", "category": "类别调整", "catalog": "清单信息",
}
KIND_EN = {
    "added": "added", "removed": "removed", "withdrawn": "taken back", "devolved": "devolved", "moved": "moved",
    "split": "split", "merged": "merged", "renamed": "renamed", "changed": "changed", "category": "category",
    "catalog": "catalog",
}
LEVELS = ("major", "minor", "editorial")
LEVEL_RANK = {"major": 3, "minor": 2, "editorial": 1}
LEVEL_ZH = {"major": "重大", "minor": "一般", "editorial": "文字"}
METHOD_ZH = {"code": "编码", "name": "名称", "similarity": "相似", "split": "拆分", "merge": "合并"}

FIELD_ZH = {
    "content": "内容", "basis": "依据", "note": "备注", "type": "类型", "department": "部门", "lead": "牵头/主体责任",
    "support": "配合", "responsible": "责任主体", "track": "履职类型", "jurisdiction": "条块类型", "handling": "处置",
    "source": "原实施部门", "receiver": "承接主体", "method": "方式", "entrustor": "委托机关", "decision": "赋权决定",
    "effective": "实施日期", "handover": "交接日期", "status": "状态", "withdrawal": "收回情况", "responsibilities": "责任事项",
    "accountability": "追责情形", "subitems": "子项", "application": "准入申请", "approval": "审批", "funding": "经费保障",
    "code": "编码", "name": "名称", "category": "类别", "catalog": "清单", "title": "标题", "doc_number": "文号",
    "version": "版本", "declared": "公布总数", "issuer": "发文机关", "level": "层级", "unit": "适用单位", "power_type": "权力类型",
    "reason": "原因", "date": "日期", "body": "审定机关", "form": "审批表", "amount": "金额", "conditions": "条件",
    "duties": "职责", "process": "处置流程", "time_limit": "处置时限", "stage": "环节", "records": "调整记录",
    "items": "事项数", "categories": "类别数", "breakdowns": "分组数", "counts": "数目",
    "grids": "适用网格", "territorial": "对应属地事项", "grid": "网格可承担", "illustrative": "示例说明", "adjustment": "调整情况",
    "weight": "权重", "formula": "计算方法", "target": "目标值", "data_source": "数据来源", "assessor": "考核主体",
    "organizer": "牵头部门", "assessees": "被考核对象", "cycle": "考核周期", "methods": "考核方式", "veto": "一票否决",
    "results": "结果运用", "total_weight": "总分", "steps": "调整程序",
}
