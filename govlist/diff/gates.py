"""Gates on changes: 协助 items arriving without approval, removals and withdrawals without their record, a changed
list whose version did not change, declared totals that do not add up. Documented in `govlist.rules.changes`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..catalog import Catalog, Item
from ..checker import Collector
from ..model import Text, json_pointer
from ..normalize import normalize_name
from .labels import REQUIRE_ZH
from .model import Arithmetic, ItemRef, item_ref
from .values import data_at, filled, plain

if TYPE_CHECKING:
    from .engine import Differ

ASSIST = normalize_name("协助事项")


def _finding(collector: Collector, rule: str, message: Text, catalog: Catalog | None, pointer: tuple, item: str | None = None) -> None:
    if catalog is None:
        collector.add(rule, message, "", 0, 0, json_pointer(pointer), item)
        return
    line, column = catalog.doc.position(pointer)
    collector.add(rule, message, catalog.path, line, column, json_pointer(pointer), item)


def records(c: Catalog | None) -> list[dict]:
    adjustment = c.data.get("adjustment") if c is not None else None
    records = adjustment.get("records") if isinstance(adjustment, dict) else None
    return [r for r in (records or []) if isinstance(r, dict)]


def _record_for(c: Catalog | None, ref: ItemRef) -> dict | None:
    for record in records(c):
        if ref.code and record.get("code") is not None and str(record.get("code")) == ref.code:
            return record
        if record.get("name") and normalize_name(str(record["name"])) == normalize_name(ref.name):
            return record
    return None


def gates(d: "Differ", collector: Collector) -> None:
    vocab = d.settings.project.vocabulary("community_types")

    def is_assist(item: Item) -> bool:
        value = item.data.get("type")
        return isinstance(value, str) and normalize_name(vocab.resolve(value)[0] or value) == ASSIST

    # 协助 items that arrive in a community list without application and approval
    arrived: list[tuple[Item, str]] = [(n, "added") for n in d.added_items]
    arrived += [(p, "split") for _, parts, _ in d.splits for p in parts] + [(n, "merged") for _, n, _ in d.merges]
    for o, n, _, _ in d.pairs:
        if o.catalog.id != n.catalog.id or (o.category_index is not None and d._catmap.get((o.catalog.id, o.category_index)) != (n.catalog.id, n.category_index)) or not is_assist(o):
            arrived.append((n, "moved"))
    for item, how in arrived:
        if item.catalog.kind != "community" or not is_assist(item):
            continue
        missing = [k for k in ("application", "approval") if not filled(item.data.get(k))]
        if missing:
            zh = "、".join({"application": "准入申请", "approval": "审批记录"}[k] for k in missing)
            _finding(
                collector, "change.assist-without-approval",
                Text(f"协助事项“{item.label()}”新列入社区清单，但没有{zh}（{', '.join(missing)}）", f"assisting item '{item.label()}' newly put on a community list without its {' and '.join(missing)} record"),
                item.catalog, item.pointer, item.code,
            )
    # removals and withdrawals without their record
    for what, items in (("removal", [(o, None) for o in d.removed_items]), ("withdrawal", [(c.old, c.new) for c in d.changes if c.kind == "withdrawn"])):
        required = d.settings.require.get(what) or []
        if not required:
            continue
        for entry in items:
            if what == "removal":
                o = entry[0]
                ref = item_ref(o)
                target = d.new_by_id.get(o.catalog.id)
                record = _record_for(target, ref) or {}
                pointer = ("adjustment",) if target is not None and "adjustment" in target.data else ()
                where = target if target is not None else o.catalog
                if target is None:
                    pointer = o.pointer
            else:
                oref, nref = entry
                where = d.new_by_id.get(nref.catalog)
                item_data = data_at(where.data if where is not None else None, nref.pointer)
                record = dict(_record_for(where, nref) or {})
                withdrawal = item_data.get("withdrawal") if isinstance(item_data, dict) else None
                if isinstance(withdrawal, dict):
                    record.update({k: v for k, v in withdrawal.items() if filled(v)})
                pointer = nref.pointer + (("withdrawal",) if isinstance(withdrawal, dict) else ())
                ref = nref
            missing = [k for k in required if not filled(record.get(k)) and not (k in ("effective", "date") and (filled(record.get("effective")) or filled(record.get("date"))))]
            if missing:
                label_zh, label_en = ("取消", "removed") if what == "removal" else ("收回", "taken back")
                _finding(
                    collector, "change.withdrawal-record",
                    Text(
                        f"{label_zh}事项“{ref.label()}”缺少{'、'.join(REQUIRE_ZH.get(k, k) for k in missing)}的记录（项目文件 changes.require.{what} 要求）",
                        f"{label_en} item '{ref.label()}' has no recorded {', '.join(missing)} (required by changes.require.{what} in the project file)",
                    ),
                    where, pointer, ref.code,
                )
    # a list that changed while its version and date stayed the same
    changed_ids = {c.catalog for c in d.changes if c.kind != "catalog" or c.field not in (("version",), ("effective",))}
    for cid in sorted(changed_ids):
        o, n = d.old_by_id.get(cid), d.new_by_id.get(cid)
        if o is None or n is None:
            continue
        if o.data.get("version") == n.data.get("version") and o.data.get("effective") == n.data.get("effective"):
            pointer = ("version",) if "version" in n.data else (("effective",) if "effective" in n.data else ())
            _finding(
                collector, "change.version-not-bumped",
                Text(
                    f"清单“{cid}”有变更，但版本（{n.data.get('version') or '未填'}）和生效日期（{plain(n.data.get('effective')) or '未填'}）都没有改",
                    f"list '{cid}' changed but neither its version ({n.data.get('version') or 'none'}) nor its effective date ({plain(n.data.get('effective')) or 'none'}) did",
                ),
                n, pointer,
            )


def arithmetic_findings(d: "Differ", rows: list[Arithmetic], collector: Collector) -> None:
    for r in rows:
        if r.ok or (r.old_declared is None and r.new_declared is None):
            continue
        n = d.new_by_id.get(r.catalog)
        pointer: tuple = ("declared", "items") if r.category is None else ()
        if r.category is not None and n is not None:
            for i, cat in enumerate(n.categories):
                if str(cat.get("name") or "") == r.category:
                    pointer = ("categories", i, "declared") if "declared" in cat else ("categories", i)
        if n is not None and r.category is None and not isinstance(n.data.get("declared"), dict):
            pointer = ()
        where_zh = f"清单“{r.catalog}”" + (f"类别“{r.category}”" if r.category else "")
        where_en = f"list '{r.catalog}'" + (f" category '{r.category}'" if r.category else "")
        moves_zh = (f"，移入 {r.moved_in}、移出 {r.moved_out}" if r.moved_in or r.moved_out else "")
        moves_en = (f", {r.moved_in} moved in, {r.moved_out} out" if r.moved_in or r.moved_out else "")
        base_zh = f"原公布 {r.old_declared} 项" if r.old_declared is not None else f"原有 {r.old_count} 项"
        base_en = f"{r.old_declared} declared before" if r.old_declared is not None else f"{r.old_count} before"
        new_zh = f"新公布 {r.new_declared} 项" if r.new_declared is not None else f"新版实有 {r.new_count} 项"
        new_en = f"{r.new_declared} declared now" if r.new_declared is not None else f"{r.new_count} now"
        _finding(
            collector, "change.arithmetic",
            Text(
                f"{where_zh}调整数目对不上：{base_zh}，取消 {r.removed}、新增 {r.added}{moves_zh}，应为 {r.expected} 项，{new_zh}",
                f"{where_en}: the adjustment does not add up: {base_en}, {r.removed} removed, {r.added} added{moves_en}, makes {r.expected}, but {new_en}",
            ),
            n, pointer,
        )


