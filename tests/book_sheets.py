"""Stores books as bursars and accounting software keep them, for the account-book tests.

`hand_book()` is one item's page of a 数量金额式明细账 kept by hand: title, the item's block in
merged cells with full-width colons, `2026年` merged over 月 | 日, 收　　入 / 发　　出 / 结　　存
(ideographic spaces) over 数量 | 单价 | 金额, 上年结转, a month written once and carried down,
本月合计 and 本年累计 after each month, 过次页 / 承前页 in the middle of February, a footer.
Every figure agrees with every other. Rows (Excel numbering):

    6 上年结转 60    7 1-08 +140 =200    8 1-22 −25 =175    9 本月合计   10 本年累计
    11 2-03 −15 =160    12 过次页    13 承前页    14 2-20 +40 =200    15 本月合计    16 本年累计
    18 会计主管：…

Columns: A 月, B 日, C 凭证号数, D 摘要, E–G 收入, H–J 发出, K–M 结存.
"""

from __future__ import annotations

from typing import Any

BOOK_MERGES = ["A1:M1", "A2:D2", "E2:I2", "J2:M2", "A3:D3", "E3:I3", "J3:M3",
               "A4:B4", "C4:C5", "D4:D5", "E4:G4", "H4:J4", "K4:M4"]
_HEAD = [
    ["2026年", None, "凭证号数", "摘要", "收\u3000\u3000入", None, None, "发\u3000\u3000出", None, None,
     "结\u3000\u3000存", None, None],
    ["月", "日", None, None, "数量", "单价", "金额", "数量", "单价", "金额", "数量", "单价", "金额"],
]


def _line(month: Any, day: Any, doc: Any, summary: str, received: tuple = (), issued: tuple = (),
          balance: tuple = ()) -> list[Any]:
    def three(values: tuple) -> list[Any]:
        return [*values, *([None] * (3 - len(values)))]
    return [month, day, doc, summary, *three(received), *three(issued), *three(balance)]


def title_rows(item: str = "A4复印纸", spec: str = "70g 500张/包", unit: str = "包",
               code: str = "BG-001") -> list[list[Any]]:
    return [
        ["库存物资明细账", *([None] * 12)],
        [f"品名：{item}", None, None, None, f"规格：{spec}", None, None, None, None,
         f"计量单位：{unit}", None, None, None],
        ["类别：办公用品", None, None, None, f"编号：{code}", None, None, None, None,
         "存放地点：后勤仓库", None, None, None],
    ]


def body_rows() -> list[list[Any]]:
    return [
        _line(1, 1, None, "上年结转", balance=(60, 23.5, 1410)),
        _line(1, 8, "入-0101", "采购入库", (140, 23.5, 3290), balance=(200, 23.5, 4700)),
        _line(None, 22, "出-0102", "教务处领用", issued=(25, 23.5, 587.5), balance=(175, 23.5, 4112.5)),
        _line(None, None, None, "本月合计", (140, None, 3290), (25, None, 587.5), (175, 23.5, 4112.5)),
        _line(None, None, None, "本年累计", (140, None, 3290), (25, None, 587.5), (175, 23.5, 4112.5)),
        _line(2, 3, "出-0201", "总务处领用", issued=(15, 23.5, 352.5), balance=(160, 23.5, 3760)),
        _line(None, None, None, "过次页", balance=(160, 23.5, 3760)),
        _line(None, None, None, "承前页", balance=(160, 23.5, 3760)),
        _line(None, 20, "入-0202", "购入", (40, 23.5, 940), balance=(200, 23.5, 4700)),
        _line(None, None, None, "本月合计", (40, None, 940), (15, None, 352.5), (200, 23.5, 4700)),
        _line(None, None, None, "本年累计", (180, None, 4230), (40, None, 940), (200, 23.5, 4700)),
    ]


def footer_rows() -> list[list[Any]]:
    return [[None] * 13,
            ["会计主管：王建国", None, None, None, "记账：李秀英", None, None, None, "保管：吴强",
             None, None, None, None]]


def book_head() -> list[list[Any]]:
    """The page's two header rows (rows 4 and 5)."""
    return [list(r) for r in _HEAD]


def hand_book(**title: str) -> list[list[Any]]:
    """One item's page, 18 rows (see the module's docstring)."""
    return [*title_rows(**title), *book_head(), *body_rows(), *footer_rows()]


def set_cell(rows: list[list[Any]], ref: str, value: Any) -> None:
    """rows[...] at an Excel reference such as 'K11'."""
    column = ord(ref[0]) - ord("A")
    rows[int(ref[1:]) - 1][column] = value


# ---- the accounting software ---------------------------------------------------------------

SOFTWARE_MERGES = ["A1:L1", "A2:F2", "G2:I2", "J2:L2", "A3:A4", "B3:B4", "C3:C4", "D3:F3", "G3:I3",
                   "J3:L3"]


def software_book(code: str, name: str, unit: str, opening: tuple, moves: list[tuple],
                  month_rows: bool = True) -> list[list[Any]]:
    """A 数量金额式明细账 as the software exports it for one account: 日期 | 凭证字号 | 摘要 |
    借方 / 贷方 / 余额 each 数量 | 单价 | 金额, 上年结转, then per month its movements, 本月合计
    and 本年累计. `opening` is (qty, price); `moves` are (date, doc, summary, in_qty, out_qty)
    at the opening's price."""
    qty, price = opening
    rows: list[list[Any]] = [
        ["数量金额式明细账", *([None] * 11)],
        [f"科目：{code} {name}", None, None, None, None, None, f"计量单位：{unit}", None, None,
         "期间：2026.01-2026.11", None, None],
        ["日期", "凭证字号", "摘要", "借方", None, None, "贷方", None, None, "余额", None, None],
        [None, None, None, "数量", "单价", "金额", "数量", "单价", "金额", "数量", "单价", "金额"],
        ["2026-01-01", None, "上年结转", None, None, None, None, None, None, qty, price,
         round(qty * price, 2)],
    ]
    year_in = year_out = 0
    by_month: dict[str, list[tuple]] = {}
    for move in moves:
        by_month.setdefault(move[0][:7], []).append(move)
    for month_moves in by_month.values():
        month_in = month_out = 0
        for date, doc, summary, received, issued in month_moves:
            qty += received - issued
            month_in, month_out = month_in + received, month_out + issued
            rows.append([date, doc, summary,
                         received or None, price if received else None,
                         round(received * price, 2) if received else None,
                         issued or None, price if issued else None,
                         round(issued * price, 2) if issued else None,
                         qty, price, round(qty * price, 2)])
        year_in, year_out = year_in + month_in, year_out + month_out
        if month_rows:
            for label, received, issued in (("本月合计", month_in, month_out),
                                            ("本年累计", year_in, year_out)):
                rows.append([None, None, label, received or None, None,
                             round(received * price, 2) if received else None,
                             issued or None, None, round(issued * price, 2) if issued else None,
                             qty, price, round(qty * price, 2)])
    return rows


SUMMARY_MERGES = ["A1:O1", "A2:E2", "F2:J2", "K2:O2", "A3:A4", "B3:B4", "C3:C4", "D3:G3", "H3:I3",
                  "J3:K3", "L3:O3"]


def summary_row(code: str, name: str, unit: str, price: float, opening: float, received: float,
                issued: float) -> list[Any]:
    """One item of a 数量金额余额表 whose figures agree with themselves."""
    closing = opening + received - issued

    def side(q: float) -> str:
        return "借" if q else "平"
    return [code, name, unit, side(opening), opening or None, price if opening else None,
            round(opening * price, 2) or None, received or None, round(received * price, 2) or None,
            issued or None, round(issued * price, 2) or None, side(closing), closing or None,
            price if closing else None, round(closing * price, 2) or None]


def balance_summary(items: list[list[Any]], parent: tuple[str, str] | None = ("1403000", "原材料"),
                    period: str = "2026.11-2026.11") -> list[list[Any]]:
    """The software's 数量金额余额表: a parent account over its items, and a 合计 row."""
    rows: list[list[Any]] = [
        ["数量金额余额表", *([None] * 14)],
        ["编制单位：阳光实验小学", None, None, None, None, f"期间：{period}", None, None, None, None,
         "单位：元", None, None, None, None],
        ["科目编码", "科目名称", "单位", "期初余额", None, None, None, "本期借方", None, "本期贷方",
         None, "期末余额", None, None, None],
        [None, None, None, "方向", "数量", "单价", "金额", "数量", "金额", "数量", "金额", "方向",
         "数量", "单价", "金额"],
    ]

    def total(column: int) -> float | None:
        value = round(sum(r[column] or 0 for r in items), 2)
        return value or None
    sums = {c: total(c) for c in (6, 8, 10, 14)}
    if parent is not None:
        rows.append([parent[0], parent[1], None, "借", None, None, sums[6], None, sums[8], None,
                     sums[10], "借", None, None, sums[14]])
    rows.extend(items)
    rows.append([None, "合计", None, "借", None, None, sums[6], None, sums[8], None, sums[10], "借",
                 None, None, sums[14]])
    return rows
