"""The messy layout (set 2): the same figures kept the way bursars really keep them."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..read.grid import column_letter
from . import data
from .books import CATEGORY_ORDER, SEED, Books, Table, to_money
from .layout import Formula, Layout, save_openpyxl, save_xlsxwriter, save_xlwt, sum_numbers

_DATE_FORMS = ("date", "serial", "dots", "slashes", "dashes", "chinese", "compact")


def _date_as(day: dt.date, form: str) -> Any:
    if form == "date":
        return day
    if form == "serial":
        return (day - dt.date(1899, 12, 30)).days
    if form == "dots":
        return f"{day.year}.{day.month}.{day.day}"
    if form == "slashes":
        return f"{day:%Y/%m/%d}"
    if form == "dashes":
        return f"{day.year}-{day.month}-{day.day}"
    if form == "chinese":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day:%Y%m%d}"


def _money_as(value: Decimal, form: str) -> Any:
    if form == "thousands":
        return f"{value:,.2f}"
    if form == "yuan_sign":
        return f"￥{value.normalize():f}" if value == value.to_integral() else f"￥{value}"
    if form == "yuan_word":
        return f"{value.normalize():f}元" if value == value.to_integral() else f"{value}元"
    if form == "fullwidth":
        return str(int(value)).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    return value


def _title(layout: Layout, width: int, title: str, unit_line: str, left_line: str = "") -> int:
    """Title merged across, a line with the school and the unit, a blank row; returns the header row."""
    layout.merge(1, 1, 1, width, title, "title")
    if left_line:
        layout.merge(2, 1, 2, max(2, width // 2), left_line)
    layout.put(2, width - 1, unit_line)
    return 4


def _footer(layout: Layout, row: int, width: int, when: str = "2026年11月30日") -> None:
    layout.put(row, 2, f"制表人：{data.BURSAR}")
    layout.put(row, max(4, width // 2), f"审核：{data.AUDITOR}")
    layout.put(row, width - 2, f"日期：{when}")


def _merge_runs(layout: Layout, col: int, runs: list[tuple[int, Any]], hidden: set[int]) -> None:
    """Merge a column down over consecutive rows with the same value, the way bursars do."""
    i = 0
    while i < len(runs):
        j = i
        while (j + 1 < len(runs) and runs[j + 1][1] == runs[i][1] and runs[j + 1][0] == runs[j][0] + 1
               and runs[j + 1][0] not in hidden and runs[i][0] not in hidden):
            j += 1
        if j > i:
            layout.merge(runs[i][0], col, runs[j][0], col, runs[i][1], "center")
        else:
            layout.put(runs[i][0], col, runs[i][1])
        i = j + 1


def messy_assets(table: Table, rng: random.Random) -> Layout:
    headers = ["序号", "资产编码", "品名", "资产类别", "规格型号", "计量\n单位", "数量", "单价\n（元）",
               "账面原值\n（元）", "购置日期", "使用部门", "存放地点", "责任人", "使用状况",
               "折旧年限\n（年）", "累计折旧", "账面净值", "备注"]
    col = {name: i + 1 for i, name in enumerate(
        ["seq", "asset_id", "name", "category", "spec", "unit", "quantity", "unit_price",
         "original_value", "acquired_on", "department", "location", "custodian", "status",
         "life_years", "accumulated_depreciation", "net_value", "note"])}
    layout = Layout("资产明细账")
    header = _title(layout, len(headers), f"{data.SCHOOL}固定资产台账（截至2026年11月30日）", "单位：元",
                    "填报单位：阳光实验小学总务处（盖章）")
    for i, text in enumerate(headers, start=1):
        layout.put(header, i, text, "header")
    layout.freeze = (header + 1, 3)
    widths = [5, 11, 16, 18, 22, 6, 6, 11, 13, 12, 10, 12, 8, 8, 8, 11, 13, 24]
    layout.widths = {i: w for i, w in enumerate(widths, start=1)}
    row = header + 1
    seq = 0
    subtotal_rows = []
    letters = {name: column_letter(c) for name, c in col.items()}
    hidden_done = False
    for category in CATEGORY_ORDER:
        block = sorted((r for r in table.rows if r["category"] == category),
                       key=lambda r: (r["department"], r["asset_id"]))
        if not block:
            continue
        first = row
        departments = []
        for record in block:
            seq += 1
            form = rng.choice(["number", "number", "number", "thousands", "yuan_sign", "yuan_word"])
            layout.put(row, col["seq"], seq, "center")
            for name in ("asset_id", "name", "category", "spec", "unit", "location", "custodian",
                         "status", "life_years", "note"):
                if record.get(name) is not None:
                    layout.put(row, col[name], record[name])
            quantity = record["quantity"]
            layout.put(row, col["quantity"], _money_as(Decimal(quantity), "fullwidth")
                       if quantity >= 10 and rng.random() < 0.3 else quantity)
            layout.put(row, col["unit_price"], _money_as(record["unit_price"], form))
            if form == "number":
                layout.put(row, col["original_value"], Formula(
                    f"={letters['quantity']}{row}*{letters['unit_price']}{row}", record["original_value"]))
            else:
                layout.put(row, col["original_value"], _money_as(record["original_value"], "thousands"))
            layout.put(row, col["acquired_on"], _date_as(record["acquired_on"], rng.choice(_DATE_FORMS)))
            depreciation = record["accumulated_depreciation"]
            layout.put(row, col["accumulated_depreciation"], depreciation or "-")
            layout.put(row, col["net_value"], Formula(
                f"={letters['original_value']}{row}-{letters['accumulated_depreciation']}{row}",
                record["net_value"]))
            departments.append((row, record["department"]))
            if not hidden_done and category == "通用设备" and record["status"] == "闲置":
                layout.hidden.add(row)  # 闲置 equipment hidden from the printout, still on the books
                hidden_done = True
            row += 1
        _merge_runs(layout, col["department"], departments, layout.hidden)
        last = row - 1
        layout.put(row, col["asset_id"], f"{category}小计", "total")
        for name in ("quantity", "original_value", "accumulated_depreciation", "net_value"):
            values = [r[name] for r in block]
            layout.put(row, col[name], Formula(
                f"=SUM({letters[name]}{first}:{letters[name]}{last})", sum_numbers(values)), "total")
        subtotal_rows.append(row)
        row += 2  # a blank row between blocks
    layout.put(row, col["asset_id"], "合计", "total")
    for name in ("quantity", "original_value", "accumulated_depreciation", "net_value"):
        refs = ",".join(f"{letters[name]}{r}" for r in subtotal_rows)
        layout.put(row, col[name], Formula(f"=SUM({refs})", sum_numbers([r[name] for r in table.rows])),
                   "total")
    _footer(layout, row + 2, len(headers))
    return layout


def messy_gl(table: Table) -> Layout:
    """The finance office prints 1601 and 1602 in 万元: the month's 借方 | 贷方 (a zero left
    blank) and the balance as 方向 | 金额."""
    layout = Layout("科目余额表")
    headers = ["科目编码", "科目名称", "数量", "本月借方", "本月贷方", "方向", "期末余额", "备注"]
    header = _title(layout, len(headers), f"{data.SCHOOL} 固定资产总账科目余额表", "单位：万元",
                    "会计期间：2026年11月")
    for i, text in enumerate(headers, start=1):
        layout.put(header, i, text, "header")
    layout.widths = {1: 12, 2: 22, 3: 10, 4: 14, 5: 14, 6: 6, 7: 16, 8: 16}
    row = header + 1
    for record in table.rows:
        balance = record["balance"]
        child = record["category"] is not None
        layout.put(row, 1, record["account_code"])
        layout.put(row, 2, ("  " if child else "") + record["account_name"])
        if record["quantity"] is not None:
            layout.put(row, 3, record["quantity"])
        # Six decimals of 万元 keep every fen.
        for col, name in ((4, "debit"), (5, "credit")):
            if record[name]:
                layout.put(row, col, float(record[name] / 10000), "money")
        layout.put(row, 6, "借" if balance > 0 else "贷" if balance < 0 else "平", "center")
        layout.put(row, 7, float(abs(balance) / 10000), "money")
        row += 1
    layout.put(row + 1, 1, "会计：张玉兰")
    layout.put(row + 1, 5, "财务负责人：周国平")
    return layout


def messy_count(table: Table) -> Layout:
    layout = Layout("盘点表")
    headers = ["序号", "卡片编号", "名称", "存放位置", "盘点数量", "清查人", "清查日期", "备注"]
    header = _title(layout, len(headers), f"{data.SCHOOL}2026年度资产清查盘点表", "单位：台/件/套",
                    "盘点时间：2026年11月23日—25日")
    for i, text in enumerate(headers, start=1):
        layout.put(header, i, text, "header")
    layout.widths = {1: 5, 2: 12, 3: 18, 4: 14, 5: 9, 6: 16, 7: 13, 8: 10}
    row = header + 1
    rooms = []
    for seq, record in enumerate(table.rows, start=1):
        layout.put(row, 1, seq, "center")
        layout.put(row, 2, record["asset_id"])
        layout.put(row, 3, record["name"])
        rooms.append((row, record["location"]))
        layout.put(row, 5, record["counted_quantity"])
        layout.put(row, 6, record["counted_by"])
        layout.put(row, 7, _date_as(record["counted_on"], "chinese" if seq % 2 else "dots"))
        if record.get("note"):
            layout.put(row, 8, record["note"])
        row += 1
    _merge_runs(layout, 4, rooms, set())
    layout.put(row, 1, "合计", "total")
    layout.put(row, 5, sum(r["counted_quantity"] for r in table.rows), "total")
    layout.put(row + 2, 2, "盘点负责人：王建国")
    layout.put(row + 2, 5, "监盘人：周国平")
    return layout


def messy_stock(table: Table, rng: random.Random) -> Layout:
    """The storekeeper's book: 入库 / 领用 / 结存 over 数量|单价|金额, a 本月合计 and 本年累计
    under each month."""
    layout = Layout("物资收发存")
    width = 17
    _title(layout, width, f"{data.SCHOOL}物资出入库登记簿（2026年秋季）", "单位：元", "保管：总务处仓库")
    top, sub = 3, 4
    for c, text in enumerate(["日期", "单据号", "物品名称", "规格", "单位", "摘要"], start=1):
        layout.merge(top, c, sub, c, text, "header")
    for c, text, span in ((7, "入库", ["数量", "单价", "金额"]), (10, "领用", ["数量", "金额"]),
                          (12, "结存", ["数量", "单价", "金额"])):
        layout.merge(top, c, top, c + len(span) - 1, text, "header")
        for k, child in enumerate(span):
            layout.put(sub, c + k, child, "header")
    for c, text in ((15, "领用部门"), (16, "领用人\n签名"), (17, "备注")):
        layout.merge(top, c, sub, c, text, "header")
    layout.widths = {1: 11, 2: 13, 3: 11, 4: 20, 5: 5, 6: 9, 7: 7, 8: 8, 9: 10, 10: 7, 11: 10,
                     12: 7, 13: 8, 14: 10, 15: 10, 16: 9, 17: 16}
    layout.freeze = (sub + 1, 4)
    price_of = {item: to_money(price) for item, _s, _u, price, *_ in data.STOCK_ITEMS}
    row = sub + 1
    year_totals: Counter[str] = Counter()
    months = sorted({r["date"].month for r in table.rows})
    for month in months:
        block = [r for r in table.rows if r["date"].month == month]
        month_totals: Counter[str] = Counter()
        for record in block:
            layout.put(row, 1, _date_as(record["date"], rng.choice(("date", "dots", "slashes", "chinese"))))
            for c, name in ((2, "doc_no"), (3, "item"), (4, "spec"), (5, "unit"), (6, "summary"),
                            (15, "department"), (16, "person"), (17, "note")):
                if record.get(name) is not None:
                    layout.put(row, c, record[name])
            if record.get("in_qty"):
                layout.put(row, 7, record["in_qty"])
                layout.put(row, 8, _money_as(record["in_price"], rng.choice(("number", "yuan_word"))))
                layout.put(row, 9, record["in_amount"])
            if record.get("out_qty"):
                layout.put(row, 10, record["out_qty"])
                layout.put(row, 11, record["out_amount"])
            price = price_of[record["item"]]
            layout.put(row, 12, record["balance_qty"])
            layout.put(row, 13, price)
            layout.put(row, 14, to_money(price * record["balance_qty"]))
            for name in ("in_qty", "in_amount", "out_qty", "out_amount"):
                month_totals[name] += record.get(name) or 0
            row += 1
        for label, sums in ((f"{month}月本月合计", month_totals), ("本年累计", None)):
            if sums is None:
                year_totals.update(month_totals)
                sums = year_totals
            layout.merge(row, 1, row, 6, label, "total")
            layout.put(row, 7, sums["in_qty"], "total")
            layout.put(row, 9, to_money(sums["in_amount"]), "total")
            layout.put(row, 10, sums["out_qty"], "total")
            layout.put(row, 11, to_money(sums["out_amount"]), "total")
            row += 1
    layout.put(row + 1, 2, f"保管员：{data.BURSAR}")
    layout.put(row + 1, 9, f"审核：{data.AUDITOR}")
    return layout


def messy_fees(table: Table, rng: random.Random) -> Layout:
    """Class by class, as the class teachers hand in their lists: 年级 and 班级 merged down,
    a 小计 under each class and a 合计 at the end."""
    headers = ["年级", "班级", "学籍号", "学生姓名", "收费项目", "应收\n金额", "减免\n金额", "实收\n金额",
               "退费\n金额", "收据号", "收费日期", "退费日期", "经手人", "备注"]
    layout = Layout("2026秋收费登记")
    header = _title(layout, len(headers), f"{data.SCHOOL}{data.TERM}代收费登记表", "单位：元",
                    "收费依据：阳价费〔2025〕9号等")
    for i, text in enumerate(headers, start=1):
        layout.put(header, i, text, "header")
    layout.widths = {1: 8, 2: 10, 3: 10, 4: 9, 5: 11, 6: 9, 7: 9, 8: 9, 9: 9, 10: 11, 11: 13,
                     12: 13, 13: 8, 14: 22}
    layout.freeze = (header + 1, 5)
    row = header + 1
    classes: dict[str, list[dict[str, Any]]] = {}
    for record in table.rows:
        classes.setdefault(record["class"], []).append(record)
    hidden_done = False
    for class_name, block in classes.items():
        first = row
        for record in block:
            layout.put(row, 3, record["student_id"])
            layout.put(row, 4, record["student_name"])
            layout.put(row, 5, record["item"])
            for c, name in ((6, "due"), (7, "waived"), (8, "paid"), (9, "refunded")):
                value = record[name]
                if not value:
                    layout.put(row, c, rng.choice(["-", None, 0]) if name != "due" else value)
                else:
                    layout.put(row, c, _money_as(value, rng.choice(
                        ["number", "number", "number", "thousands", "yuan_sign", "yuan_word"])))
            if record.get("receipt_no"):
                layout.put(row, 10, record["receipt_no"])
            if record.get("paid_on"):
                layout.put(row, 11, _date_as(record["paid_on"], rng.choice(_DATE_FORMS)))
            if record.get("refunded_on"):
                layout.put(row, 12, _date_as(record["refunded_on"], "chinese"))
            if record.get("cashier"):
                layout.put(row, 13, record["cashier"])
            if record.get("note"):
                layout.put(row, 14, record["note"])
            if not hidden_done and record["refunded"]:
                layout.hidden.add(row)  # a refunded row hidden after the 清退 was signed off
                hidden_done = True
            row += 1
        last = row - 1
        layout.merge(first, 1, last, 1, block[0]["grade"], "center")
        layout.merge(first, 2, last, 2, class_name, "center")
        layout.merge(row, 1, row, 5, f"{class_name}小计", "total")
        for c, name in ((6, "due"), (7, "waived"), (8, "paid"), (9, "refunded")):
            letter = column_letter(c)
            layout.put(row, c, Formula(f"=SUM({letter}{first}:{letter}{last})",
                                       sum_numbers([r[name] for r in block])), "total")
        row += 1
    layout.merge(row, 1, row, 5, "合计", "total")
    for c, name in ((6, "due"), (7, "waived"), (8, "paid"), (9, "refunded")):
        layout.put(row, c, sum_numbers([r[name] for r in table.rows]), "total")
    _footer(layout, row + 2, len(headers))
    return layout


def messy_standards(table: Table) -> Layout:
    layout = Layout("收费标准")
    header = _title(layout, 4, f"{data.SCHOOL}{data.TERM}收费项目及标准（公示）", "单位：元/生·学期")
    for i, text in enumerate(["项目", "适用年级", "标准（元）", "依据"], start=1):
        layout.put(header, i, text, "header")
    layout.widths = {1: 14, 2: 10, 3: 12, 4: 22}
    row = header + 1
    runs = []
    for record in table.rows:
        runs.append((row, record["item"]))
        layout.put(row, 2, record["grade"])
        layout.put(row, 3, record["amount"])
        layout.put(row, 4, record["basis"])
        row += 1
    _merge_runs(layout, 1, runs, set())
    layout.put(row + 1, 1, "注：收费标准已在校务公开栏公示，监督电话 0000-12345678")
    return layout


def messy_deposits(table: Table) -> Layout:
    layout = Layout("缴款登记")
    header = _title(layout, 5, f"{data.SCHOOL}代收费银行缴款登记簿", "单位：元")
    for i, text in enumerate(["日期", "缴款书号", "金额（元）", "缴入账户", "备注"], start=1):
        layout.put(header, i, text, "header")
    layout.widths = {1: 14, 2: 14, 3: 14, 4: 20, 5: 14}
    row = header + 1
    for month in sorted({r["date"].month for r in table.rows}):
        block = [r for r in table.rows if r["date"].month == month]
        for record in block:
            layout.put(row, 1, _date_as(record["date"], "chinese" if month % 2 else "slashes"))
            layout.put(row, 2, record["slip_no"])
            layout.put(row, 3, _money_as(record["amount"], "thousands"))
            layout.put(row, 4, record["account"])
            layout.put(row, 5, record["note"])
            row += 1
        layout.put(row, 1, f"{month}月本月合计", "total")
        layout.put(row, 3, sum_numbers([r["amount"] for r in block]), "total")
        row += 1
    layout.put(row, 1, "合计", "total")
    layout.put(row, 3, sum_numbers([r["amount"] for r in table.rows]), "total")
    layout.put(row + 2, 1, "出纳：张玉兰")
    layout.put(row + 2, 3, f"复核：{data.BURSAR}")
    return layout


def messy_disposals(table: Table) -> Layout:
    """The 报废审批 book: a two-level header (审批 over 单位 | 文号 | 日期, the other headers merged
    down over both rows), 处置单号 merged down over the assets of one 处置单, Chinese dates, a
    合计 and the signatures."""
    singles = [("序号", "seq", 5), ("报废单号", "disposal_no", 11), ("资产编码", "asset_id", 11),
               ("品名", "name", 14), ("规格型号", "spec", 18), ("数量", "quantity", 6),
               ("购置日期", "acquired_on", 14), ("处置方式", "method", 8), ("报废原因", "reason", 24),
               ("处置日期", "disposed_on", 14), ("账面原值", "original_value", 12),
               ("已提折旧", "accumulated_depreciation", 12), ("账面净值", "net_value", 10)]
    approval = [("单位", "approval_level", 9), ("文号", "approval_no", 18), ("日期", "approved_on", 14)]
    width = len(singles) + len(approval) + 1
    layout = Layout("报废审批登记")
    top = _title(layout, width, f"{data.SCHOOL}固定资产报废（处置）审批登记表", "单位：元",
                 "登记部门：总务处")
    col = {}
    for i, (text, name, chars) in enumerate(singles, start=1):
        layout.merge(top, i, top + 1, i, text, "header")
        col[name], layout.widths[i] = i, chars
    first = len(singles) + 1
    layout.merge(top, first, top, first + len(approval) - 1, "审批", "header")
    for k, (text, name, chars) in enumerate(approval):
        layout.put(top + 1, first + k, text, "header")
        col[name], layout.widths[first + k] = first + k, chars
    layout.merge(top, width, top + 1, width, "备注", "header")
    layout.widths[width] = 16
    row = top + 2
    numbers: list[tuple[int, Any]] = []
    for seq, record in enumerate(table.rows, start=1):
        layout.put(row, col["seq"], seq, "center")
        for name in ("asset_id", "name", "spec", "quantity", "method", "reason", "original_value",
                     "accumulated_depreciation", "net_value", "approval_level", "approval_no"):
            if record.get(name) is not None:
                layout.put(row, col[name], record[name])
        for name in ("acquired_on", "disposed_on", "approved_on"):
            if record.get(name) is not None:
                layout.put(row, col[name], _date_as(record[name], "chinese"))
        numbers.append((row, record["disposal_no"]))
        row += 1
    _merge_runs(layout, col["disposal_no"], numbers, set())
    layout.merge(row, 1, row, col["quantity"] - 1, "合计", "total")
    for name in ("quantity", "original_value", "accumulated_depreciation", "net_value"):
        layout.put(row, col[name], sum_numbers([r[name] for r in table.rows]), "total")
    _footer(layout, row + 2, width)
    return layout


def write_messy(books: Books, folder: Path, seed: int = SEED) -> list[Path]:
    rng = random.Random(seed + 2)
    files = [
        (folder / "固定资产台账（2026年11月）.xlsx", lambda p: save_xlsxwriter(
            [messy_assets(books.assets, rng)], p)),
        (folder / "总账资产分类余额（财务室导出）.xls", lambda p: save_xlwt([messy_gl(books.gl)], p)),
        (folder / "资产清查盘点表.xlsx", lambda p: save_openpyxl([messy_count(books.count)], p)),
        (folder / "物资出入库登记簿.xlsm", lambda p: save_openpyxl(
            [messy_stock(books.stock, rng)], p, macro_enabled=True)),
        (folder / "代收费登记表（2026秋）.xlsx", lambda p: save_openpyxl([messy_fees(books.fees, rng)], p)),
        (folder / "收费标准（公示）.xlsx", lambda p: save_openpyxl([messy_standards(books.standards)], p)),
        (folder / "银行缴款登记簿.xlsx", lambda p: save_openpyxl([messy_deposits(books.deposits)], p)),
        (folder / "固定资产报废审批登记表.xlsx", lambda p: save_openpyxl([messy_disposals(books.disposals)], p)),
    ]
    for path, writer in files:
        writer(path)
    return [p for p, _ in files]
