"""Seeded defects (sets 3 and 4), each with the finding a correct check must report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from . import data
from .books import (
    ASSETS_FAMILY,
    DEPRECIATION_FAMILY,
    Books,
    Table,
    deposits_from_fees,
    depreciation_of,
    shift_gl,
    to_money,
)
from .layout import sum_numbers
from .tidy import tidy_column, tidy_row, tidy_total_row


def _find(table: Table, start: int = 0, **wanted: Any) -> int:
    """Index of the first record from `start` whose fields have the values wanted."""
    for index in range(start, len(table.rows)):
        record = table.rows[index]
        if all(record.get(k) == v for k, v in wanted.items()):
            return index
    raise LookupError(f"no {table.ledger} record with {wanted}")


def _expect(kind: str, table: Table, index: int | None = None, field_name: str | None = None,
            key: dict[str, Any] | None = None, note: str = "") -> dict[str, Any]:
    """One finding a correct check must report, pointing where the contract says it stands."""
    return {
        "kind": kind, "ledger": table.ledger, "sheet": table.sheet,
        "row": tidy_row(table, index) if index is not None else None,
        "column": tidy_column(table, field_name) if index is not None and field_name else None,
        "field": field_name, "key": key, "说明": note,
    }


def seed_cell_errors(books: Books) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """One defect of every cell-level kind, each where a bursar would plausibly make it.

    Returns the 合计 cells to overwrite and the expected findings. Every 合计 other than the
    deliberately wrong one is what Excel's SUM gives over the defective cells."""
    assets, fees, stock = books.assets, books.fees, books.stock
    expected: list[dict[str, Any]] = []

    def spoil(table: Table, index: int, name: str, value: Any, kind: str, note: str) -> None:
        table.rows[index][name] = value
        expected.append(_expect(kind, table, index, name, note=note))

    a = assets.rows
    spoil(assets, _find(assets, name="激光打印机", department="总务处"), "name", None,
          "missing", "资产名称漏填")
    spoil(assets, _find(assets, name="数码复印机"), "department", None, "missing", "使用部门漏填")
    spoil(assets, _find(assets, name="台式电脑", department="教务处"), "unit_price", "肆仟叁佰",
          "bad_type", "单价写成大写汉字")
    spoil(assets, _find(assets, name="服务器"), "net_value", "#REF!", "bad_type",
          "净值公式引用被删除的列，显示 #REF!")
    spoil(assets, _find(assets, name="视频监控系统"), "acquired_on", "2021.9.31", "bad_type",
          "取得日期不存在（9月没有31日）")
    i = _find(assets, name="会议桌")
    a[i]["net_value"] = a[i]["original_value"] + a[i]["accumulated_depreciation"]
    spoil(assets, i, "accumulated_depreciation", -a[i]["accumulated_depreciation"], "bad_value",
          "累计折旧按贷方记成负数")
    # The recomputation says so too, with the figure it should be.
    expected.append(_expect("depreciation", assets, i, "accumulated_depreciation",
                            note="累计折旧记成负数，与按年限平均法复核的金额不符"))
    spoil(assets, _find(assets, name="数码相机"), "category", "电子设备", "bad_value",
          "资产分类不在GB/T 14885-2010目录中")
    spoil(assets, _find(assets, name="乒乓球台"), "status", "在修", "bad_value",
          "使用状况不是 在用/闲置/出借/待报废/已报废")
    i = _find(assets, name="笔记本电脑")
    spoil(assets, i, "quantity", 0, "bad_value", "数量填了0")
    expected.append(_expect("arithmetic", assets, i, "original_value",
                            note="数量为0，原值 5200 不等于 数量×单价"))
    spoil(assets, _find(assets, name="图书（绘本）"), "acquired_on", dt.date(2026, 12, 6), "bad_value",
          "取得日期晚于本期期末（11月误写成12月）")
    earlier = _find(assets, name="交互式一体机", location="101教室")
    spoil(assets, _find(assets, name="足球门"), "asset_id", a[earlier]["asset_id"], "duplicate",
          "资产编号与交互式一体机重复")
    i = _find(assets, name="课桌椅", location="301教室")
    # The 累计折旧 and 净值 formulas follow the mistyped 原值: only the 原值 is wrong.
    a[i]["accumulated_depreciation"] = depreciation_of(
        Decimal("14500.00"), a[i]["acquired_on"], a[i]["life_years"] * 12)
    a[i]["net_value"] = Decimal("14500.00") - a[i]["accumulated_depreciation"]
    spoil(assets, i, "original_value", Decimal("14500.00"), "arithmetic",
          "原值 14500 不等于 40套×350")
    i = _find(assets, name="钢琴", location="音乐室")
    spoil(assets, i, "net_value", a[i]["original_value"], "arithmetic", "净值忘记扣减累计折旧")
    stale_total = sum_numbers([r["original_value"] for r in a]) - Decimal("18000.00")
    expected.append({**_expect("arithmetic", assets, None, None, note="合计原值未加上10月新增的钢琴"),
                     "row": tidy_total_row(assets), "column": tidy_column(assets, "original_value"),
                     "field": "original_value"})

    _seed_depreciation_errors(books, expected)
    _seed_disposal_errors(books, expected)

    spoil(fees, 17, "student_name", None, "missing", "学生姓名漏填")
    _duplicate_last_receipt(fees, expected)

    purchases = [i for i, r in enumerate(stock.rows) if r.get("in_qty")]
    spoil(stock, purchases[3], "in_price", "#DIV/0!", "bad_type", "单价公式除以0，显示 #DIV/0!")
    i = purchases[6]
    spoil(stock, i, "in_amount", stock.rows[i]["in_amount"] + 10, "arithmetic",
          "入库金额不等于 数量×单价（多记10元）")
    return {"fixed_assets": {"original_value": stale_total}}, expected


def _seed_depreciation_errors(books: Books, expected: list[dict[str, Any]]) -> None:
    """Wrong 累计折旧 (净值 kept = 原值 − 累计折旧, so only the depreciation is wrong)."""
    assets = books.assets

    def misstate(index: int, depreciation: Decimal, note: str) -> None:
        record = assets.rows[index]
        record["accumulated_depreciation"] = depreciation
        record["net_value"] = record["original_value"] - depreciation
        expected.append(_expect("depreciation", assets, index, "accumulated_depreciation", note=note))

    i = _find(assets, name="交互式一体机", location="201教室")
    record = assets.rows[i]
    a_year_on = dt.date(record["acquired_on"].year + 1, 11, 30)
    misstate(i, depreciation_of(record["original_value"], record["acquired_on"], record["life_years"] * 12,
                                a_year_on),
             "累计折旧多提一年：2023年8月取得，应提40个月，按52个月计提")
    i = _find(assets, name="图书（科普读物）")
    record = assets.rows[i]
    misstate(i, depreciation_of(record["original_value"], record["acquired_on"], 60),
             "图书不计提折旧，却按5年计提了14个月")


def _seed_disposal_errors(books: Books, expected: list[dict[str, Any]]) -> None:
    """A disposal approved below its tier, and a 已报废 row with no disposal record."""
    assets, disposals = books.assets, books.disposals
    gone = _find(disposals, name="课桌椅")
    asset_id = disposals.rows[gone]["asset_id"]
    del disposals.rows[gone]
    i = _find(assets, asset_id=asset_id)
    expected.append(_expect("ledger_mismatch", assets, i, "status", key={"asset_id": asset_id},
                            note="台账标为已报废，资产处置登记中没有它的处置记录"))
    i = _find(disposals, name="台式电脑")
    disposals.rows[i].update({"approval_level": "学校（校务会）", "approval_no": "阳光小校〔2026〕12号"})
    expected.append(_expect("bad_value", disposals, i, "approval_level",
                            note="30台电脑原值119400元，达到主管部门审批限额，只经校务会审批"))


def _duplicate_last_receipt(fees: Table, expected: list[dict[str, Any]]) -> None:
    """Book A's last receipt written with the number of the receipt before it: a duplicate,
    and no gap, since nothing after it is missing."""
    numbered = [(r["receipt_no"], i) for i, r in enumerate(fees.rows) if r.get("receipt_no", "")[:1] == "A"]
    numbered.sort()
    last_number, last = numbered[-1]
    # the copied number must stand on an earlier row, so the later row is the one reported
    earlier = max((n, i) for n, i in numbered[:-1] if i < last)
    fees.rows[last]["receipt_no"] = earlier[0]
    expected.append(_expect("duplicate", fees, last, "receipt_no",
                            note=f"票据号与第{tidy_row(fees, earlier[1])}行重复（{last_number} 写成 {earlier[0]}）"))


def _item_key(stock: Table, index: int) -> dict[str, str]:
    """A stock item is its name and spec together (LEDGERS.md)."""
    record = stock.rows[index]
    return {"item": f"{record['item']} {record['spec']}"}


def seed_reconciliation_gaps(books: Books) -> list[dict[str, Any]]:
    """Every cell valid, every 合计 right, but one disagreement of every reconciliation kind."""
    assets, gl, count, stock, fees = books.assets, books.gl, books.count, books.stock, books.fees
    expected: list[dict[str, Any]] = []

    # Fees first: the deposits are worked out from them afterwards.
    i = _find(fees, item="保险费", waived=Decimal("0.00"), paid=Decimal("100.00"))
    fees.rows[i]["waived"], fees.rows[i]["note"] = Decimal("100.00"), "特困生减免"
    expected.append(_expect("fee_balance", fees, i, "paid", note="已全额收费又登记减免：实收+减免 > 应收"))
    i = _find(fees, item="课后服务费", refunded=Decimal("300.00"))
    fees.rows[i]["refunded"] = fees.rows[i]["paid"] + 50
    expected.append(_expect("fee_balance", fees, i, "refunded", note="退费 650 大于实收 600"))
    i = _find(fees, item="作业本费", grade="三年级", paid=Decimal("55.00"))
    fees.rows[i]["due"] = fees.rows[i]["paid"] = Decimal("60.00")
    expected.append(_expect("bad_value", fees, i, "due", note="三年级作业本费标准55元，按60元收取"))
    numbers = sorted(r["receipt_no"] for r in fees.rows if r.get("receipt_no", "")[:1] == "B")
    gap = numbers[len(numbers) // 2]
    for record in fees.rows:
        number = record.get("receipt_no")
        if number and number[:1] == "B" and number >= gap:
            record["receipt_no"] = f"B{int(number[1:]) + 1:07d}"
    expected.append(_expect("receipt_gap", fees, key={"receipt_no": gap},
                            note="收据缺号，且未登记作废"))
    books.deposits.rows = deposits_from_fees(fees.rows)
    # the largest November deposit, so that the short one is still a positive amount
    deposit = max((r for r in books.deposits.rows if r["date"].month == 11), key=lambda r: r["amount"])
    short_day = deposit["date"]
    deposit["amount"] -= 100
    expected.append(_expect("deposit_mismatch", books.deposits, key={"date": short_day.isoformat()},
                            note="当日实收减退费比缴款多100元（少缴100元）"))

    shift_gl(gl, ASSETS_FAMILY, "通用设备", Decimal("1000.00"))
    expected.append(_expect("ledger_mismatch", gl, key={"category": "通用设备"},
                            note="总账通用设备余额比台账多1000元"))
    expected.append(_expect("ledger_mismatch", gl, key={"category": "合计"},
                            note="总账合计随之比台账多1000元"))
    shift_gl(gl, DEPRECIATION_FAMILY, "专用设备", Decimal("600.00"))
    expected.append(_expect("ledger_mismatch", gl, key={"category": "专用设备"},
                            note="总账1602专用设备累计折旧比台账多600元（折旧账账不符）"))
    expected.append(_expect("ledger_mismatch", gl, key={"category": "合计"},
                            note="总账1602累计折旧合计随之比台账多600元"))

    camera = _find(assets, name="数码相机")
    count.rows = [r for r in count.rows if r["asset_id"] != assets.rows[camera]["asset_id"]]
    expected.append(_expect("count_missing", assets, camera, "asset_id",
                            key={"asset_id": assets.rows[camera]["asset_id"]}, note="数码相机盘点未找到（盘亏）"))
    desks = _find(assets, name="课桌椅", location="201教室")
    counted = _find(count, asset_id=assets.rows[desks]["asset_id"])
    count.rows[counted]["counted_quantity"] = 40
    expected.append(_expect("count_diff", assets, desks, "quantity", key={"asset_id": assets.rows[desks]["asset_id"]},
                            note="课桌椅账面42套，实盘40套"))
    projector = _find(assets, name="投影仪", location="音乐室")
    counted = _find(count, asset_id=assets.rows[projector]["asset_id"])
    count.rows[counted]["location"] = "舞蹈室"
    expected.append(_expect("count_diff", assets, projector, "location",
                            key={"asset_id": assets.rows[projector]["asset_id"]},
                            note="投影仪账面在音乐室，实际在舞蹈室"))
    count.rows.append({"asset_id": "ZC2012007", "name": "实物展台", "location": "仓库", "counted_quantity": 1,
                       "counted_by": "王建国、李秀英", "counted_on": dt.date(2026, 11, 25),
                       "note": "账上无此卡片"})
    expected.append(_expect("count_extra", count, len(count.rows) - 1, "asset_id", key={"asset_id": "ZC2012007"},
                            note="盘点发现账外资产（盘盈）"))

    pens = [i for i, r in enumerate(stock.rows) if r["item"] == "签字笔"]
    stock.rows[pens[-1]]["balance_qty"] += 2
    expected.append(_expect("stock_balance", stock, pens[-1], "balance_qty", key=_item_key(stock, pens[-1]),
                            note="最后一笔结存数量多记2盒"))
    ink = [i for i, r in enumerate(stock.rows) if r["item"] == "墨盒"]
    second_buy = [i for i in ink if stock.rows[i].get("in_qty")][1]
    last_issue = max(i for i in ink if i < second_buy and stock.rows[i].get("out_qty"))
    short = stock.rows[last_issue]["balance_qty"] + 1
    price = to_money(next(p for n, _s, _u, p, *_ in data.STOCK_ITEMS if n == "墨盒"))
    issue, buy = stock.rows[last_issue], stock.rows[second_buy]
    issue["out_qty"] += short
    issue["out_amount"] = to_money(price * issue["out_qty"])
    issue["balance_qty"] = -1
    buy["in_qty"] += short
    buy["in_amount"] = to_money(price * buy["in_qty"])
    buy["note"] = "先领后补入库单"
    expected.append(_expect("stock_balance", stock, last_issue, "balance_qty", key=_item_key(stock, last_issue),
                            note="入库单晚于领用登记，库存出现负数"))
    return expected
