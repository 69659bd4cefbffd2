"""The synthetic catalog sets every benchmark measures: one seeded generator, and the bare-load baseline.

`Generator(items, seed).write(folder)` writes a deterministic set: a registry of a few hundred units, about a hundred
list files of the kinds duty, power, territorial, devolution and community shaped like the example catalogs, declared
totals that add up, and about 0.1% deliberate problems (duplicate names, wrong declared totals, unknown units) whose
lines are recorded in `manifest.json`. `bare_load(files)` is the baseline: a bare CSafeLoader load of every file.

The benchmarks import it as `synth` (a script's own folder is on its import path); the words it writes with are in
`synth_words.py`. A little over 500 lines because it is one generator: the writers of every kind's items share its
seeded random stream and its registry of units.
"""

from __future__ import annotations

import datetime
import gc
import json
import random
import re
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

import yaml
from govlist.workdays import WorkCalendar
from synth_words import DEPARTMENTS, STREETS, STREET_OFFICES, COMMUNITY_SUFFIX, COMMUNITY_NAMES, PLACES, OBJECTS, WITHDRAWN_OBJECTS, ACTIONS, CLAUSES, LAWS
from synth_words import POWER_TYPES, POWER_WEIGHTS, STAGES, DEFAULT_STAGES, STAGE_TEXT, ACCOUNTABILITY, CERT_WHO, CERT_MAY, CERT_MAY_NOT, CERT_END, COMMUNITY_TYPES
from synth_words import COMMUNITY_WEIGHTS, COMMUNITY_CLAUSES, DEVOLUTION_METHODS, DEVOLUTION_WEIGHTS, TRACKS, JURISDICTIONS, TIME_LIMITS, PROCESS_STEPS, cn_number

CALENDAR = WorkCalendar()  # public holidays and 调休 working days, as govlist counts them
MANIFEST = "manifest.json"
GENERATOR_VERSION = 7  # bump when the generated shape changes, so --keep regenerates


# --------------------------------------------------------------------------------------------------------------------
# A tiny block-style YAML writer that knows the line of every key it writes
# --------------------------------------------------------------------------------------------------------------------

_PLAIN_OK = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`0-9][^#:]*$")
_BOOL_LIKE = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def _scalar(value: object) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _PLAIN_OK.match(text) and text.lower() not in _BOOL_LIKE and not text.endswith(" "):
        return text
    return json.dumps(text, ensure_ascii=False)


class Writer:
    """Writes nested dicts/lists as block YAML and records the 1-based line of the pointers asked for."""

    def __init__(self, wanted: set[tuple], head: list[str]) -> None:
        self.lines: list[str] = list(head)
        self.wanted = wanted
        self.found: dict[tuple, int] = {}

    def _mark(self, path: tuple) -> None:
        if path in self.wanted:
            self.found[path] = len(self.lines) + 1

    def mapping(self, data: dict, indent: int, path: tuple, first_prefix: str | None = None) -> None:
        pad = " " * indent
        first = True
        for key, value in data.items():
            prefix = first_prefix if (first and first_prefix is not None) else pad
            first = False
            sub = path + (key,)
            self._mark(sub)
            if isinstance(value, dict):
                self.lines.append(f"{prefix}{key}:")
                self.mapping(value, indent + 2, sub)
            elif isinstance(value, list):
                self.lines.append(f"{prefix}{key}:")
                self.sequence(value, indent + 2, sub)
            else:
                self.lines.append(f"{prefix}{key}: {_scalar(value)}")

    def sequence(self, data: list, indent: int, path: tuple) -> None:
        pad = " " * (indent - 2) + "  - "
        for index, value in enumerate(data):
            sub = path + (index,)
            self._mark(sub)
            if isinstance(value, dict):
                self.mapping(value, indent + 2, sub, first_prefix=pad)
            else:
                self.lines.append(f"{pad}{_scalar(value)}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


# --------------------------------------------------------------------------------------------------------------------
# The synthetic set
# --------------------------------------------------------------------------------------------------------------------


class Generator:
    def __init__(self, items: int, seed: int) -> None:
        self.total = items
        self.rng = random.Random(seed)
        self.units: list[dict] = []
        self.departments: list[dict] = []
        self.street_offices: list[dict] = []
        self.streets: list[dict] = []
        self.communities: list[dict] = []
        self.injections: list[dict] = []
        self._build_registry()

    # -- text helpers ---------------------------------------------------------------------------------------------
    def content(self, low: int = 60, high: int = 200, pool: list[str] = CLAUSES) -> str:
        rng = self.rng
        target = int(rng.triangular(low, high, low))  # most published texts are short, a few long
        parts: list[str] = []
        size = 0
        order = rng.sample(pool, len(pool))
        while order:
            clause = order.pop()
            if size >= low and size + len(clause) > target:
                break
            parts.append(clause)
            size += len(clause) + 1
        text = "，".join(parts)
        return text[: high - 1].rstrip("，") + "。"

    def basis(self) -> str | list[str]:
        rng = self.rng

        def one() -> str:
            return f"《{rng.choice(LAWS)}》第{cn_number(rng.randint(1, 120))}条" + (f"第{cn_number(rng.randint(1, 6))}款" if rng.random() < 0.2 else "")

        if rng.random() < 0.15:
            return [one() for _ in range(rng.randint(2, 3))]
        return one()

    def date(self, year_low: int = 2012, year_high: int = 2024) -> str:
        rng = self.rng
        return f"{rng.randint(year_low, year_high)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def later(self, day: str, low: int, high: int) -> str:
        """A date `low`..`high` calendar days after `day`."""
        return (datetime.date.fromisoformat(day) + datetime.timedelta(days=self.rng.randint(low, high))).isoformat()

    def within_working_days(self, day: str, most: int) -> str:
        """A date 1..`most` working days after `day`, by the calendar the rules count with (govlist.workdays)."""
        found = CALENDAR.working_day_after(datetime.date.fromisoformat(day), self.rng.randint(1, most))
        if found is None:
            raise ValueError(f"the working-day calendar does not know the year after {day}")
        return found.isoformat()

    def ref(self, unit: dict) -> str:
        """A unit reference as people write it: mostly the name, sometimes an alias or the code."""
        r = self.rng.random()
        if r < 0.6 or not unit.get("aliases"):
            return unit["name"] if r < 0.9 else unit["code"]
        return self.rng.choice(unit["aliases"])

    # -- registry -------------------------------------------------------------------------------------------------
    def _build_registry(self) -> None:
        add = self.units.append
        add({"code": "QU", "name": "XX市示范区", "aliases": ["示范区", "区政府"], "type": "区", "division": "110199"})
        for index, (name, aliases) in enumerate(DEPARTMENTS, start=1):
            unit = {"code": f"BM-{index:03d}", "name": f"XX市示范区{name}", "aliases": list(aliases), "type": "部门", "parent": "QU"}
            add(unit)
            self.departments.append(unit)
        for s_index, street in enumerate(STREETS, start=1):
            scode = f"JD-{s_index:02d}"
            unit = {"code": scode, "name": f"{street}街道办事处", "aliases": [f"{street}街道"], "type": "街道", "parent": "QU", "division": f"110199{s_index:03d}"}
            add(unit)
            self.streets.append(unit)
            for o_index, office in enumerate(STREET_OFFICES, start=1):
                ounit = {"code": f"{scode}-NS{o_index:02d}", "name": f"{street}街道{office}", "type": "内设机构", "parent": scode}
                add(ounit)
                self.street_offices.append(ounit)
            for c_index in range(1, 6):
                base = COMMUNITY_NAMES[(s_index * 5 + c_index) % len(COMMUNITY_NAMES)]
                suffix = COMMUNITY_SUFFIX[c_index % 2]
                ccode = f"{scode}-SQ{c_index:02d}"
                cunit = {"code": ccode, "name": f"{street}街道{base}{suffix}", "aliases": [f"{base}{street}{suffix}"], "type": suffix, "parent": scode, "division": f"110199{s_index:03d}{c_index:03d}"}
                add(cunit)
                self.communities.append(cunit)
                for g_index in range(1, 3):
                    add({"code": f"{ccode}-WG{g_index}", "name": f"{street}街道{base}第{cn_number(g_index)}网格", "type": "网格", "parent": ccode, "households": self.rng.randint(200, 800)})

    def registry_doc(self) -> dict:
        counts = Counter(u["type"] for u in self.units)
        return {
            "govlist": 1,
            "kind": "registry",
            "id": "bench-registry",
            "title": "XX市示范区机构名录（基准测试）",
            "issuer": "XX市示范区机构编制委员会办公室",
            "effective": "2024-01-01",
            "level": "区",
            "unit": "QU",
            "illustrative": True,
            "source": "govlist 基准测试生成的合成数据",
            "declared": {"items": len(self.units), "breakdowns": [{"field": "type", "partition": True, "counts": dict(counts)}]},
            "units": self.units,
        }

    # -- items by kind --------------------------------------------------------------------------------------------
    def item_name(self, used: set[str], parts: tuple[list[str], ...] = (PLACES, OBJECTS, ACTIONS)) -> str:
        """A name unique in its list (a duplicate name is one of the problems injected on purpose)."""
        rng = self.rng
        for _ in range(200):
            name = "".join(rng.choice(p) for p in parts)
            if name not in used:
                used.add(name)
                return name
        raise RuntimeError("name pool exhausted; add words")

    def withdrawn_name(self) -> str:
        rng = self.rng
        return rng.choice(PLACES) + rng.choice(WITHDRAWN_OBJECTS) + rng.choice(ACTIONS)

    def duty_item(self, code: str, seq: int, name: str, street: dict) -> dict:
        rng = self.rng
        offices = [o for o in self.street_offices if o["parent"] == street["code"]]
        track = rng.choices(TRACKS, [70, 25, 5])[0]
        if track == "上级部门收回事项":
            name = self.withdrawn_name() + f"（{code[-3:]}）"
        item: dict = {"code": code, "seq": seq, "name": name, "content": self.content(60, 150)}
        if rng.random() < 0.5:
            item["basis"] = self.basis()
        item["track"] = track
        jurisdiction = rng.choice(JURISDICTIONS)
        item["jurisdiction"] = jurisdiction
        item["responsible"] = self.ref(rng.choice(offices))
        if track == "配合履职事项":
            item["lead"] = self.ref(rng.choice(self.departments))
        if rng.random() < 0.3:
            item["support"] = [self.ref(u) for u in rng.sample(self.departments, rng.randint(1, 2))]
        steps = rng.sample(PROCESS_STEPS, rng.randint(3, 4))
        handler = rng.choice(offices) if jurisdiction == "块属块管" else rng.choice(self.departments)  # 条属…: a department handles it
        item["handling"] = {"department": self.ref(handler), "process": "→".join(steps), "time_limit": rng.choice(TIME_LIMITS)}
        return item

    def power_item(self, code: str, seq: int, name: str, street: dict, ptype: str) -> dict:
        rng = self.rng
        item: dict = {"seq": seq, "type": ptype, "code": code, "name": name}
        if rng.random() < 0.15:
            item["subitems"] = [{"code": f"{code}-{k:02d}", "name": name + rng.choice(["的处罚", "的检查", "的核查", "的登记"]) + f"（{cn_number(k)}）", "basis": self.basis()} for k in range(1, rng.randint(2, 4))]
        item["basis"] = self.basis()
        item["department"] = self.ref(street)
        stages = STAGES.get(ptype, DEFAULT_STAGES)  # every core stage (power.stages); the text of each kept short
        item["responsibilities"] = [{"stage": s, "content": rng.choice(STAGE_TEXT) + "。"} for s in stages]
        item["accountability"] = "".join(ACCOUNTABILITY[:1] + rng.sample(ACCOUNTABILITY[1:], 1))
        return item

    def territorial_item(self, code: str, seq: int, name: str, street: dict) -> dict:
        rng = self.rng
        item: dict = {"code": code, "name": name, "content": self.content(60, 120)}
        item["basis"] = self.basis()
        item["lead"] = {"unit": self.ref(rng.choice(self.departments)), "duties": self.content(20, 50)}
        communities = [c for c in self.communities if c["parent"] == street["code"]]
        support = [{"unit": self.ref(street), "duties": self.content(16, 40)}]
        if rng.random() < 0.3:
            support.append({"unit": self.ref(rng.choice(communities)), "duties": self.content(20, 50)})
        item["support"] = support
        return item

    def devolution_item(self, code: str, seq: int, name: str, street: dict) -> dict:
        rng = self.rng
        method = rng.choices(DEVOLUTION_METHODS, DEVOLUTION_WEIGHTS)[0]
        source = rng.choice(self.departments)
        withdrawn = rng.random() < 0.03
        if withdrawn:
            name = self.withdrawn_name() + f"（{code[-3:]}）"
        item: dict = {"code": code, "seq": seq, "name": name, "content": self.content(60, 150), "source": self.ref(source), "receiver": self.ref(street) if rng.random() < 0.7 else "街道", "method": method}
        if method == "委托":
            item["entrustor"] = self.ref(source)
        if method == "赋权":
            item["decision"] = {"title": "XX市人民政府关于向街道办事处赋予部分行政执法权的决定", "doc_number": f"XX府发〔{rng.randint(2019, 2023)}〕{rng.randint(1, 40)}号", "date": self.date(2019, 2023)}
        item["basis"] = self.basis()
        handover = self.date(2019, 2023)
        item["effective"] = self.later(handover, 0, 30)  # handed over on or before the start date (devolution.date)
        item["handover"] = handover
        if withdrawn:
            item["status"] = "收回"
            item["withdrawal"] = {"reason": "街道承接能力不足，专业性强", "approval": f"XX府办〔{rng.randint(2022, 2024)}〕{rng.randint(1, 60)}号", "date": self.later(item["effective"], 200, 600)}
        return item

    def community_item(self, code: str, seq: int, name: str, ctype: str, community: dict) -> dict:
        rng = self.rng
        department = rng.choice(self.departments)
        item: dict = {"code": code, "seq": seq, "name": name, "content": self.content(60, 160, COMMUNITY_CLAUSES), "type": ctype}
        if ctype in ("依法履职事项", "协助事项") or rng.random() < 0.5:
            item["basis"] = self.basis()
        if ctype != "依法履职事项":
            item["department"] = self.ref(department)
        if ctype == "协助事项":
            applied = self.date(2020, 2023)  # at least 30 working days before the list's effective date (2024-03-01)
            decided = self.within_working_days(applied, 15)  # community.entry-deadline: decided within 15 working days
            item["application"] = {"department": self.ref(department), "date": applied, "form": "社区工作事项准入审批表"}
            item["approval"] = {"body": "XX市示范区人民政府", "date": decided, "doc_number": f"示范府〔{decided[:4]}〕{rng.randint(1, 80)}号"}
            item["funding"] = {"amount": rng.randrange(2000, 50000, 500), "source": "区财政社区工作经费", "conditions": self.content(12, 30)}
        return item

    # -- files ----------------------------------------------------------------------------------------------------
    def plan(self) -> list[tuple[str, int]]:
        """(kind, item count) of every list file; counts add up to the requested total."""
        files = max(5, min(100, self.total // 100))
        kinds = ["duty"] * 30 + ["power"] * 20 + ["territorial"] * 15 + ["devolution"] * 20 + ["community"] * 15
        chosen = [kinds[(i * 37) % 100] for i in range(files)]
        weights = [self.rng.uniform(0.5, 1.5) * (0.5 if k == "power" else 1.0) for k in chosen]  # power items are bigger
        scale = self.total / sum(weights)
        counts = [max(1, int(w * scale)) for w in weights]
        counts[-1] += self.total - sum(counts)
        while counts[-1] < 1:  # tiny totals
            big = counts.index(max(counts))
            counts[big] -= 1
            counts[-1] += 1
        return list(zip(chosen, counts))

    def list_doc(self, number: int, kind: str, count: int) -> tuple[dict, list[dict]]:
        """One list file's data and the problems injected into it (pointers, to be resolved to lines)."""
        rng = self.rng
        street = self.streets[number % len(self.streets)]
        sname = street["name"].removesuffix("办事处")
        prefix = {"duty": "ZZ", "power": "QZ", "territorial": "SD", "devolution": "XF", "community": "SQ"}[kind]
        lid = f"bench-{kind}-{number:03d}"
        community = rng.choice([c for c in self.communities if c["parent"] == street["code"]])
        header: dict = {
            "govlist": 1,
            "kind": kind,
            "id": lid,
            "title": {"duty": f"{sname}职责任务清单", "power": f"{sname}权责清单", "territorial": f"{sname}“属地管理”事项主体责任和配合责任清单", "devolution": f"区级部门下放{sname}事项目录", "community": f"{community['name']}工作事项清单"}[kind]
            + f"（第{number}号）",
            "issuer": "XX市示范区人民政府办公室",
            "doc_number": f"示范府办〔2024〕{number}号",
            "effective": "2024-03-01",
            "level": "社区" if kind == "community" else "街道",
            "unit": self.ref(community if kind == "community" else street),
            "illustrative": True,
            "source": "govlist 基准测试生成的合成数据（按示例清单的结构和文字长度）",
        }
        used: set[str] = set()
        categories: list[dict] = []
        remaining = count
        c_index = 0
        type_counts: Counter = Counter()
        seq = 0
        while remaining > 0:
            c_index += 1
            size = min(remaining, rng.randint(8, 40))
            remaining -= size
            if kind == "power":
                ctype = rng.choices(POWER_TYPES, POWER_WEIGHTS)[0]
            elif kind == "community":
                ctype = rng.choices(COMMUNITY_TYPES, COMMUNITY_WEIGHTS)[0]
            else:
                ctype = None
            cname = ctype or (rng.choice(OBJECTS) + rng.choice(["管理", "服务", "治理", "保障"]))
            items = []
            for k in range(1, size + 1):
                seq += 1
                code = f"{prefix}-{number:03d}-{c_index:02d}-{k:03d}"
                name = None
                if ctype in ("可出具证明", "不应出具证明"):
                    try:
                        name = self.item_name(used, (CERT_WHO, CERT_MAY if ctype == "可出具证明" else CERT_MAY_NOT, CERT_END))
                    except RuntimeError:  # a very long list: further certificates get ordinary names
                        pass
                if name is None:
                    name = self.item_name(used)
                if kind == "duty":
                    item = self.duty_item(code, seq, name, street)
                elif kind == "power":
                    item = self.power_item(code, seq, name, street, ctype)
                elif kind == "territorial":
                    item = self.territorial_item(code, seq, name, street)
                elif kind == "devolution":
                    item = self.devolution_item(code, seq, name, street)
                else:
                    item = self.community_item(code, seq, name, ctype, community)
                if ctype:
                    type_counts[ctype] += 1
                items.append(item)
            categories.append({"name": f"{cname}（{cn_number(c_index)}）", "code": f"{c_index:02d}", "declared": size, "items": items})
        declared: dict = {"categories": len(categories), "items": count}
        if type_counts:
            declared["breakdowns"] = [{"field": "type", "partition": True, "counts": dict(type_counts), "note": "按类型"}]
        header["declared"] = declared
        header["categories"] = categories
        return header, categories

    def carry_devolved(self, docs: list[tuple[str, dict, list[dict]]]) -> None:
        """A valid item devolved to a street is in that street's duty or power list (links.present): it takes the name
        of an item there, when the street has such a list (and a name not yet in the devolution list)."""
        street = {ref: u["code"] for u in self.streets for ref in (u["name"], u["code"], *u.get("aliases", []))}
        carried: dict[str, list[dict]] = {}
        for _, doc, categories in docs:
            if doc["kind"] in ("duty", "power"):
                carried.setdefault(street[doc["unit"]], []).extend(i for c in categories for i in c["items"] if i.get("track") != "上级部门收回事项")
        for _, doc, categories in docs:
            if doc["kind"] != "devolution":
                continue
            items = [i for c in categories for i in c["items"]]
            used = {i["name"] for i in items}
            for item in items:
                there = carried.get(street.get(item["receiver"], ""))
                if item.get("status") == "收回" or not there:
                    continue
                name = next((n for n in (self.rng.choice(there)["name"] for _ in range(50)) if n not in used), None)
                if name is not None:
                    used.add(name)
                    item["name"] = name

    def inject(self, docs: list[tuple[str, dict, list[dict]]], wanted: int) -> None:
        """Deliberate problems, spread over the files: duplicate name, wrong declared total, unknown unit."""
        rng = self.rng
        kinds = ["duplicate-name", "wrong-total", "unknown-unit"]
        touched: set[tuple[str, int]] = set()  # one injection per category: two wrong totals could cancel out
        for n in range(wanted):
            what = kinds[n % 3]
            for _ in range(100):
                fname, doc, categories = docs[rng.randrange(len(docs))]
                c_index = rng.randrange(len(categories))
                if (fname, c_index) not in touched:
                    break
            touched.add((fname, c_index))
            category = categories[c_index]
            items = category["items"]
            i_index = rng.randrange(len(items))
            if items[i_index].get("status") == "收回" or items[i_index].get("track") == "上级部门收回事项":
                i_index = next((k for k, it in enumerate(items) if it.get("status") != "收回" and it.get("track") != "上级部门收回事项"), i_index)
            base = ("categories", c_index, "items", i_index)
            record = {"type": what, "file": fname, "kind": doc["kind"]}
            if what == "duplicate-name":
                others = [(ci, ii) for ci, c in enumerate(categories) for ii, it in enumerate(c["items"]) if (ci, ii) != (c_index, i_index) and it.get("status") != "收回" and it.get("track") != "上级部门收回事项"]
                if not others:
                    continue
                oc, oi = rng.choice(others)
                items[i_index]["name"] = categories[oc]["items"][oi]["name"]
                record.update(pointer=base + ("name",), other=("categories", oc, "items", oi, "name"), item=items[i_index].get("code"))
            elif what == "wrong-total":
                category["declared"] += rng.choice([1, 2, -1]) if category["declared"] > 2 else 1
                record.update(pointer=("categories", c_index, "declared"), item=None)
            else:
                item = items[i_index]
                ghost = rng.choice(["XX市示范区物联网管理局", "示范区城市大脑运营中心", "区数据资源局", "XX市示范区海事处"])
                field = {"duty": "responsible", "power": "department", "devolution": "source", "community": None, "territorial": "lead"}[doc["kind"]]
                if field == "lead":
                    item["lead"]["unit"] = ghost
                    pointer = base + ("lead", "unit")
                elif field is None:
                    item["department"] = ghost
                    pointer = base + ("department",)
                else:
                    item[field] = ghost
                    pointer = base + (field,)
                record.update(pointer=pointer, item=item.get("code"), unit=ghost)
            self.injections.append(record)

    def write(self, out: Path) -> dict:
        out.mkdir(parents=True, exist_ok=True)
        plan = self.plan()
        docs: list[tuple[str, dict, list[dict]]] = []
        for number, (kind, count) in enumerate(plan, start=1):
            street_no = number % len(self.streets)
            fname = f"{street_no + 1:02d}-{STREETS[street_no]}/{kind}-{number:03d}.yaml"
            data, categories = self.list_doc(number, kind, count)
            docs.append((fname, data, categories))
        self.carry_devolved(docs)
        self.inject(docs, max(3, round(self.total * 0.001)))
        wanted: dict[str, set[tuple]] = {}
        for record in self.injections:
            wanted.setdefault(record["file"], set()).add(record["pointer"])
            if "other" in record:
                wanted[record["file"]].add(record["other"])
        files = [("registry.yaml", self.registry_doc())] + [(f, d) for f, d, _ in docs]
        total_bytes = 0
        for fname, data in files:
            schema = "registry" if fname == "registry.yaml" else data["kind"]
            comment = f"# yaml-language-server: $schema={'../' * (fname.count('/') + 2)}schemas/{schema}.schema.json"
            writer = Writer(wanted.get(fname, set()), [comment])
            writer.mapping(data, 0, ())
            text = writer.text()
            path = out / fname
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            total_bytes += len(text.encode("utf-8"))
            for record in self.injections:
                if record["file"] == fname:
                    record["line"] = writer.found[record["pointer"]]
                    if "other" in record:
                        record["other_line"] = writer.found[record["other"]]
        project = (
            "govlist: 1\nkind: project\nname: 基准测试清单库\nregion:\n  name: XX市示范区\n  division: \"110199\"\n"
            "vocabularies:\n  power_types:\n    values: [" + ", ".join(POWER_TYPES + ["行政征收", "行政裁决"]) + "]\n"
            "    aliases: {其他职权: 其他行政权力}\n"
            "forbidden_functions:\n  街道: [招商引资, 协税护税]\n  社区: [招商引资, 协税护税, 经济发展指标]\n"
            "repealed:\n  - {title: 《城市房屋拆迁管理条例》, date: \"2011-01-21\"}\nrules: {}\n"
        )
        (out / "govlist.yaml").write_text(project, encoding="utf-8")
        total_bytes += len(project.encode("utf-8"))
        entry_rules = (
            "govlist: 1\nkind: entry-rules\nid: bench-entry-rules\ntitle: XX市示范区社区工作事项准入规则\nlevel: 社区\n"
            "procedure:\n  - {step: 部门申请, by: 区级部门, form: 社区工作事项准入审批表}\n  - {step: 区政府审定, by: 区政府}\n"
            "deadlines: {apply_ahead_working_days: 30, decide_within_working_days: 15}\n"
            "required:\n  assist: [application, approval, funding]\n  approval: [body, date, doc_number]\n"
        )
        (out / "entry-rules.yaml").write_text(entry_rules, encoding="utf-8")
        total_bytes += len(entry_rules.encode("utf-8"))
        manifest = {
            "generator": GENERATOR_VERSION,
            "items": self.total,
            "seed": None,
            "files": len(files) + 2,
            "bytes": total_bytes,
            "units": len(self.units),
            "by_kind": dict(Counter(k for k, _ in plan)),
            "injections": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in r.items()} for r in self.injections],
        }
        return manifest


def reuse_or_clear(out: Path, keep: bool, wanted: dict) -> dict | None:
    """The manifest of the set in `out` when `keep` and it was made as `wanted` says (its manifest has those values);
    else None, with `out` emptied (refused when it holds anything not made by a benchmark: no manifest)."""
    marker = out / MANIFEST
    if keep and marker.is_file():
        manifest = json.loads(marker.read_text(encoding="utf-8"))
        if all(manifest.get(key) == value for key, value in wanted.items()):
            print(f"reusing {out} ({manifest['files']} files, {manifest['bytes'] / 1e6:.1f} MB)")
            return manifest
    if out.exists() and any(out.iterdir()) and not marker.is_file():
        sys.exit(f"refusing to overwrite {out}: it is not empty and has no {MANIFEST} (not made by this script)")
    if out.exists():
        shutil.rmtree(out)
    return None


def prepare(out: Path, items: int, seed: int, keep: bool) -> dict:
    reused = reuse_or_clear(out, keep, {"items": items, "seed": seed, "generator": GENERATOR_VERSION})
    if reused is not None:
        return reused
    marker = out / MANIFEST
    started = time.perf_counter()
    manifest = Generator(items, seed).write(out)
    manifest["seed"] = seed
    marker.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"generated {items:,} items in {manifest['files']} files, {manifest['bytes'] / 1e6:.1f} MB ({manifest['bytes'] / items:.0f} bytes/item) in {time.perf_counter() - started:.1f}s -> {out}")
    return manifest


# --------------------------------------------------------------------------------------------------------------------
# Measurements
# --------------------------------------------------------------------------------------------------------------------


def yaml_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())


def bare_load(files: list[Path]) -> float:
    gc.collect()
    started = time.perf_counter()
    for path in files:
        with open(path, "rb") as handle:
            yaml.load(handle, Loader=yaml.CSafeLoader)
    return time.perf_counter() - started
