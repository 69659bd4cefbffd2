"""Names of the kinds of change, their levels and matching methods, in Chinese and English (field labels: govlist.fields)."""

from ..fields import BRIEF_ZH
from ..model import Text

#: how govlist says two versions do not differ: the changelog, the 修订对照表 (page, PDF, Word)
NO_CHANGE = Text("两个版本相同，没有调整", "the two versions are the same, nothing changed")

KINDS_ORDER = ("added", "removed", "withdrawn", "devolved", "moved", "split", "merged", "renamed", "changed", "category", "catalog")
KIND_ZH = {
    "added": "新增",
    "removed": "取消",
    "withdrawn": "收回",
    "devolved": "下放",
    "moved": "移动",
    "split": "拆分",
    "merged": "合并",
    "renamed": "更名",
    "changed": "变更",
    "category": "类别调整",
    "catalog": "清单信息",
}
KIND_EN = {
    "added": "added",
    "removed": "removed",
    "withdrawn": "taken back",
    "devolved": "devolved",
    "moved": "moved",
    "split": "split",
    "merged": "merged",
    "renamed": "renamed",
    "changed": "changed",
    "category": "category",
    "catalog": "catalog",
}
LEVELS = ("major", "minor", "editorial")
LEVEL_RANK = {"major": 3, "minor": 2, "editorial": 1}
LEVEL_ZH = {"major": "重大", "minor": "一般", "editorial": "文字"}
METHOD_ZH = {"code": "编码", "name": "名称", "gloss": "除括注外名称相同", "similarity": "相似", "split": "拆分", "merge": "合并"}
#: how a pair was matched, in English where the method's key alone does not say it
METHOD_EN = {"gloss": "same name apart from a bracketed note"}

FIELD_ZH = BRIEF_ZH  # a field named without its list; its home is govlist.fields
