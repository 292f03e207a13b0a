"""The export-like workbook of issue #15: what a school's systems hand the bursar, not what the
bursar keeps by hand (shared/REAL-FORMATS.md §1 and §3).

Two sheets, lean as machine-written files are (no merged data cells, no hidden rows, no
subtotals, no amounts typed as text on the cards):

- **资产卡片** — the asset system's card export: a title, a line with 单位名称 and 导出时间, one
  header row of 26 columns; 资产分类代码 (GB/T 14885-2010, 7 digits, text) beside 资产分类名称 (the
  detailed class, not the top one); 数量/面积 (buildings give their area in 平方米); 价值(元) and
  no 单价; 累计折旧(元), 净值(元), 使用年限(月), 已提月数; 取得日期 and 财务入账日期 as text
  (`2019-03-06`); 资产编号 a 15-digit string (class code + year + number), never a number;
  使用状况 including 出租 and 待处置; a 合计 row whose 数量 adds areas and counts together.
- **科目余额表** — the finance software's trial balance: title, 编制单位 / 期间 / 单位 line, a
  two-level header (科目编码 and 科目名称 merged down; 期初余额, 本期发生额, 本年累计, 期末余额 each
  over 借方 | 贷方, the sub-header cells padded with spaces), **every** account of the
  government accounting chart a school uses (assets, liabilities, net assets, revenue,
  expenses, and the budget accounts 6xxx–8xxx), blank rows between the groups, amounts as text
  with thousands separators and a trailing space, zeros as blank cells, child accounts
  written `固定资产—通用设备` or indented, and a 合计 row (blank code) over the level-1 accounts.

Consistent by construction, as the bursar-style sets are:
- every row: 期初 + 借方发生 − 贷方发生 = 期末 on the balance's side; every parent = Σ children;
  the 合计 row balances (Σ 借 = Σ 贷 in every column pair) — all entries are double entries;
- 1601's children (期末) = Σ 价值 per top class of the cards not 已报废; their 本期 / 本年 借方 =
  the cards booked (财务入账日期) this month / this year; 本年 贷方 = the cards scrapped this year;
- 1602's children (期末, 贷方) = Σ 累计折旧 per top class of the cards not 已报废; 本期 贷方 =
  this month's depreciation of those cards, 本年 贷方 = this year's.

The cards come from the same `make_assets` as the bursar-style register (same catalogue,
departments, rooms, statuses, acquisition dates), so 50,000 cards per scale.

    .venv-bench/bin/python bench/generate.py --export 1
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import generate as g

EXPORT_SEED = g.SEED + 15  # its own stream: the cards' extra fields do not shift the ledger set
EXPORT_TIME = "2026-12-01 09:12:37"
PERIOD_START = dt.date(2026, 11, 1)

# Each catalogue entry's detailed class: (GB/T 14885-2010 code, its name). The first digit is
# the top class and agrees with the entry's category. Codes are taken from the standard's table
# (shared/data/gbt14885-2010.csv) where it has the item; a few are plausible neighbours.
CLASS_OF: dict[str, tuple[str, str]] = {
    "教学楼": ("1020601", "教育用房"),
    "塑胶跑道": ("1032005", "露天体育场、训练场"),
    "自行车棚": ("1031899", "其他车库"),
    "交互式一体机": ("2020700", "触控一体机"),
    "台式电脑": ("2010104", "台式机"),
    "笔记本电脑": ("2010105", "便携式计算机"),
    "投影仪": ("2020200", "投影仪"),
    "激光打印机": ("2010601", "打印设备"),
    "数码复印机": ("2020100", "复印机"),
    "空调": ("2101905", "空调机组"),
    "服务器": ("2010103", "PC服务器"),
    "监控摄像机": ("2321007", "视频监控设备"),
    "数码相机": ("2020400", "照相机及器材"),
    "钢琴": ("3730101", "钢琴"),
    "电子琴": ("3730105", "电子琴"),
    "学生显微镜": ("3510301", "教学显微镜"),
    "篮球架": ("3710302", "篮球设备"),
    "乒乓球台": ("3710304", "乒乓球设备"),
    "消毒柜": ("3111603", "清理消毒设备"),
    "蒸饭柜": ("3141000", "饮食炊事机械"),
    "图书": ("5010101", "普通图书"),
    "课桌椅": ("6010200", "台、桌类"),
    "书架": ("6010600", "架类"),
    "会议桌": ("6010200", "台、桌类"),
    "办公桌": ("6010200", "台、桌类"),
    "学生餐桌": ("6010200", "台、桌类"),
}
TOP_DIGIT = {"土地房屋及构筑物": "1", "通用设备": "2", "专用设备": "3", "图书档案": "5",
             "家具用具装具及动植物": "6"}
# Buildings and grounds are carded by area; yuan per 平方米 as such things cost.
AREA_RATE = {"教学楼": (1_500, 3_000), "塑胶跑道": (120, 260), "自行车棚": (400, 1_200)}

CARD_HEADER = ["序号", "资产编号", "资产名称", "资产分类代码", "资产分类名称", "规格型号", "计量单位",
               "数量/面积", "价值(元)", "累计折旧(元)", "净值(元)", "取得方式", "取得日期", "财务入账日期",
               "会计凭证号", "使用部门", "使用人", "存放地点", "使用状况", "折旧状态", "折旧方法",
               "使用年限(月)", "已提月数", "价值类型", "品牌", "备注"]


class Card:
    """One card of the export: an Asset of the ledger set with what the asset system adds."""

    def __init__(self, asset: g.Asset, rng: random.Random) -> None:
        self.asset = asset
        code, class_name = CLASS_OF[asset.name]
        if code[0] != TOP_DIGIT[asset.category]:
            raise AssertionError(f"{asset.name}: class {code} is not in {asset.category}")
        self.code, self.class_name = code, class_name
        self.value = asset.value_fen
        if asset.name in AREA_RATE:
            low, high = AREA_RATE[asset.name]
            self.quantity: Any = round(self.value / 100 / rng.uniform(low, high), 2)
            self.unit = "平方米"
        else:
            self.quantity, self.unit = asset.quantity, asset.unit
        self.life_months = g.LIFE_YEARS[asset.category] * 12
        self.depreciation = self.depreciation_at(g.PERIOD_END)
        if asset.category == "土地房屋及构筑物":
            self.how = "自建" if asset.name == "教学楼" else "新购"
        else:
            self.how = rng.choices(["新购", "调拨", "捐赠", "置换"], [93, 4, 2, 1])[0]
        self.booked = min(asset.acquired_on + dt.timedelta(days=rng.randint(0, 25)), g.PERIOD_END)
        self.voucher = f"记-{rng.randint(1, 380):04d}"
        status = asset.status
        if status == "闲置" and rng.random() < 0.3:
            status = "出租"
        elif status == "待报废" and rng.random() < 0.3:
            status = "待处置"
        self.status = status
        self.value_kind = "暂估值" if asset.acquired_on >= PERIOD_START and rng.random() < 0.2 else "原值"
        brand = asset.spec.split(" ")[0] if " " in asset.spec else ""
        self.brand = brand if asset.category in ("通用设备", "专用设备") else ""
        self.card_id = ""  # numbered once all cards are made (class code + year + number)

    def months_used(self, on: dt.date) -> int:
        """Months depreciated by the end of `on`'s month: from the month of acquisition itself
        (政府会计准则: 当月增加，当月计提), as LEDGERS.md and the bursar-style set count them."""
        acquired = self.asset.acquired_on
        return max((on.year - acquired.year) * 12 + on.month - acquired.month + 1, 0)

    def depreciation_at(self, on: dt.date) -> int:
        if self.life_months == 0:
            return 0
        return min(self.value, self.value * self.months_used(on) // self.life_months)

    @property
    def scrapped(self) -> bool:
        return self.status == "已报废"

    @property
    def scrapped_this_year(self) -> bool:
        return self.scrapped and self.asset.note.startswith(f"{g.PERIOD_END.year}年")

    def row(self, number: int) -> list[Any]:
        a = self.asset
        if self.life_months == 0:
            state, method, used = "不提折旧", None, 0
        elif self.depreciation >= self.value:
            state, method, used = "提完折旧", "年限平均法", self.life_months
        else:
            state, method, used = "提折旧", "年限平均法", self.months_used(g.PERIOD_END)
        return [number, self.card_id, a.name, self.code, self.class_name, a.spec, self.unit,
                self.quantity, g.yuan(self.value), g.yuan(self.depreciation),
                g.yuan(self.value - self.depreciation), self.how, f"{a.acquired_on:%Y-%m-%d}",
                f"{self.booked:%Y-%m-%d}", self.voucher, a.department, a.custodian, a.location,
                self.status, state, method, self.life_months, used, self.value_kind,
                self.brand or None, a.note or None]


def make_cards(count: int) -> list[Card]:
    rng = random.Random(g.SEED)  # the same assets as the ledger set of this scale
    assets = g.make_assets(count, rng)
    extra = random.Random(EXPORT_SEED)
    cards = [Card(a, extra) for a in assets]
    # Card numbers as the asset system gives them: class code + year + a running number.
    cards.sort(key=lambda c: (c.code, c.asset.acquired_on, c.asset.asset_id))
    running: dict[tuple[str, int], int] = {}
    for c in cards:
        key = (c.code, c.asset.acquired_on.year)
        running[key] = running.get(key, 0) + 1
        c.card_id = f"{c.code}{key[1]}{running[key]:04d}"
    if len({c.card_id for c in cards}) != len(cards):
        raise AssertionError("card numbers repeat")
    return cards  # exports list the cards by card number, that is by class


def write_cards(book: Any, formats: dict[str, Any], cards: list[Card]) -> None:
    sheet = g.Sheet(book, "资产卡片", formats)
    ws = sheet.ws
    ws.set_column(0, len(CARD_HEADER) - 1, 12)
    ws.merge_range(0, 0, 0, len(CARD_HEADER) - 1, "资产卡片信息列表", formats["title"])
    ws.write_string(1, 0, f"单位名称：{g.SCHOOL}")
    ws.write_string(1, CARD_HEADER.index("使用部门"), f"导出时间：{EXPORT_TIME}")
    sheet.row = 2
    g._header(sheet, CARD_HEADER)
    totals = [0.0, 0, 0]
    for number, card in enumerate(cards, 1):
        sheet.put(card.row(number))
        totals[0] += card.quantity
        totals[1] += card.value
        totals[2] += card.depreciation
    quantity = round(totals[0], 2)
    sheet.put(["合计", None, None, None, None, None, None,
               int(quantity) if quantity == int(quantity) else quantity, g.yuan(totals[1]),
               g.yuan(totals[2]), g.yuan(totals[1] - totals[2])] + [None] * 15)


# ---- 科目余额表 ---------------------------------------------------------------------------------

# (code, name, nature) — nature D: a debit balance is normal; C: credit. Children follow their
# parent. The government accounting chart (政府会计制度) as a primary school keeps it.
CLASS_ACCOUNTS = [("01", "房屋及构筑物", "1"), ("02", "通用设备", "2"), ("03", "专用设备", "3"),
                  ("04", "文物和陈列品", "4"), ("05", "图书、档案", "5"),
                  ("06", "家具、用具、装具及动植物", "6")]
DEPRECIATED = ("01", "02", "03", "06")  # books and relics are not depreciated: no sub-account
ACCOUNTS: list[tuple[str, str, str]] = [
    ("1001", "库存现金", "D"), ("1002", "银行存款", "D"), ("1011", "零余额账户用款额度", "D"),
    ("1021", "其他货币资金", "D"), ("1201", "财政应返还额度", "D"), ("1212", "应收账款", "D"),
    ("1214", "预付账款", "D"), ("1218", "其他应收款", "D"), ("1302", "库存物品", "D"),
    ("1601", "固定资产", "D"),
    *[(f"1601{k}", f"固定资产—{name}", "D") for k, name, _ in CLASS_ACCOUNTS],
    ("1602", "固定资产累计折旧", "C"),
    *[(f"1602{k}", f"    {name}", "C") for k, name, _ in CLASS_ACCOUNTS if k in DEPRECIATED],
    ("1611", "工程物资", "D"), ("1613", "在建工程", "D"), ("1701", "无形资产", "D"),
    ("1702", "无形资产累计摊销", "C"),
    ("2103", "应缴财政款", "C"), ("2201", "应付职工薪酬", "C"), ("220101", "  基本工资", "C"),
    ("220102", "  国家统一规定的津贴补贴", "C"), ("220103", "  规范津贴补贴（绩效工资）", "C"),
    ("220104", "  社会保险费", "C"), ("2302", "应付账款", "C"), ("2307", "其他应付款", "C"),
    ("3001", "累计盈余", "C"), ("3101", "专用基金", "C"),
    ("4001", "财政拨款收入", "C"), ("4101", "事业收入", "C"), ("4609", "其他收入", "C"),
    ("5001", "业务活动费用", "D"), ("500101", "  工资福利费用", "D"),
    ("500102", "  商品和服务费用", "D"), ("500103", "  固定资产折旧费", "D"),
    ("5101", "单位管理费用", "D"), ("5801", "资产处置费用", "D"),
    ("6001", "财政拨款预算收入", "C"), ("7201", "事业支出", "D"), ("8001", "资金结存", "D"),
    ("8101", "财政拨款结转", "C"),
]


class Books:
    """Double entries for January–October and for November, in fen, per leaf account."""

    def __init__(self) -> None:
        self.debit = {"year": {}, "month": {}}
        self.credit = {"year": {}, "month": {}}

    def post(self, month: int, debit: str, credit: str, fen: int) -> None:
        if fen <= 0:
            return
        for span in ("year", "month") if month == g.PERIOD_END.month else ("year",):
            self.debit[span][debit] = self.debit[span].get(debit, 0) + fen
            self.credit[span][credit] = self.credit[span].get(credit, 0) + fen


def post_year(cards: list[Card], scale: float, rng: random.Random) -> Books:
    books = Books()
    year = g.PERIOD_END.year
    top_of = {digit: k for k, _, digit in CLASS_ACCOUNTS}
    added: dict[tuple[int, str], int] = {}
    for c in cards:
        if c.booked.year == year and not c.scrapped:
            key = (c.booked.month, top_of[c.code[0]])
            added[key] = added.get(key, 0) + c.value
    for month in range(1, g.PERIOD_END.month + 1):
        # Depreciation of the cards on the books, this month.
        end = dt.date(year, month, 28)
        before = dt.date(year - 1, 12, 28) if month == 1 else dt.date(year, month - 1, 28)
        by_class: dict[str, int] = {}
        for c in cards:
            if c.life_months and not c.scrapped:
                step = c.depreciation_at(end) - c.depreciation_at(before)
                if step:
                    k = top_of[c.code[0]]
                    by_class[k] = by_class.get(k, 0) + step
        for k, fen in by_class.items():
            books.post(month, "500103", f"1602{k}", fen)
        salaries = [round(v * scale) for v in (68_000_000, 21_000_000, 30_000_000, 17_500_000)]
        services = round(scale * rng.randint(18_000_000, 32_000_000))
        purchases = sum(fen for (m, _k), fen in added.items() if m == month)
        stores = round(scale * rng.randint(2_000_000, 4_000_000))
        grant = sum(salaries) + services + purchases + stores
        books.post(month, "1011", "4001", grant)
        books.post(month, "8001", "6001", grant)
        for leaf, fen in zip(("220101", "220102", "220103", "220104"), salaries, strict=True):
            books.post(month, "500101", leaf, fen)
            books.post(month, leaf, "1011", fen)
        books.post(month, "500102", "1011", services)
        for (m, k), fen in sorted(added.items()):
            if m == month:
                books.post(month, f"1601{k}", "1011", fen)
        books.post(month, "1302", "1011", stores)
        books.post(month, "500102", "1302", stores - round(scale * rng.randint(0, 300_000)))
        books.post(month, "7201", "8001", grant)
        if month in (3, 9, 10, 11):  # the term's fees collected for the finance office
            fees = round(scale * rng.randint(40_000_000, 90_000_000))
            books.post(month, "1002", "2307", fees)
            books.post(month, "2307", "1002", fees - round(scale * 2_000_000))
        books.post(month, "1001", "1002", round(scale * 500_000))
        books.post(month, "5101", "1001", round(scale * rng.randint(300_000, 500_000)))
        books.post(month, "1002", "4609", round(scale * rng.randint(10_000, 90_000)))
    # Cards scrapped this year leave the books in the spring: value out of 1601, depreciation
    # out of 1602, the rest to 资产处置费用.
    for c in cards:
        if c.scrapped_this_year:
            k = top_of[c.code[0]]
            books.post(4, f"1602{k}", f"1601{k}", c.depreciation)
            books.post(4, "5801", f"1601{k}", c.value - c.depreciation)
    return books


def trial_balance(cards: list[Card], scale: float, rng: random.Random) -> list[tuple]:
    """Rows (code, name, level, opening, month D, month C, year D, year C, closing), balances
    signed debit-positive, in fen."""
    books = post_year(cards, scale, rng)
    leaves = {code for code, _, _ in ACCOUNTS} - {code[:4] for code, _, _ in ACCOUNTS if len(code) > 4}
    closing: dict[str, int] = {}
    top_of = {digit: k for k, _, digit in CLASS_ACCOUNTS}
    for c in cards:
        if not c.scrapped:
            k = top_of[c.code[0]]
            closing[f"1601{k}"] = closing.get(f"1601{k}", 0) + c.value
            if k in DEPRECIATED:
                closing[f"1602{k}"] = closing.get(f"1602{k}", 0) - c.depreciation
    # Opening of the year for the other real accounts; nominal accounts open at zero.
    year_start = {code: round(scale * fen) for code, fen in {
        "1001": 600_000, "1002": 85_000_000, "1214": 2_000_000, "1218": 1_500_000,
        "1302": 6_000_000, "1701": 12_000_000, "1702": -4_000_000, "2302": -3_500_000,
        "3101": -5_000_000, "8001": 50_000_000, "8101": -50_000_000}.items()}

    def net(span: str, code: str) -> int:
        return books.debit[span].get(code, 0) - books.credit[span].get(code, 0)

    for code, fen in closing.items():  # the cards fix the closing; the start follows from it
        year_start[code] = fen - net("year", code)
    year_start["3001"] = -sum(year_start.values())  # 累计盈余 balances the opening books
    rows = []
    for code, name, _nature in ACCOUNTS:
        members = [leaf for leaf in leaves if leaf == code or (len(code) == 4 and leaf.startswith(code)
                                                                and len(leaf) > 4)]

        def total(values: dict[str, int], members: list[str] = members) -> int:
            return sum(values.get(m, 0) for m in members)

        start = total(year_start)
        end = start + total(books.debit["year"]) - total(books.credit["year"])
        opening = end - total(books.debit["month"]) + total(books.credit["month"])
        rows.append((code, name, 1 if len(code) == 4 else 2, opening, total(books.debit["month"]),
                     total(books.credit["month"]), total(books.debit["year"]),
                     total(books.credit["year"]), end))
    for code, fen in closing.items():
        row = next(r for r in rows if r[0] == code)
        if row[8] != fen:
            raise AssertionError(f"{code}: closing {row[8]} is not the cards' {fen}")
    return rows


def _amount(fen: int) -> str | None:
    """As the finance software prints an amount: text, thousands separators, a trailing space;
    a zero is a blank cell."""
    if fen == 0:
        return None
    return f"{fen // 100:,}.{fen % 100:02d} "


def _sides(balance: int) -> list[str | None]:
    return [_amount(balance), None] if balance >= 0 else [None, _amount(-balance)]


def write_balances(book: Any, formats: dict[str, Any], rows: list[tuple]) -> None:
    sheet = g.Sheet(book, "科目余额表", formats)
    ws = sheet.ws
    ws.set_column(0, 0, 12)
    ws.set_column(1, 1, 30)
    ws.set_column(2, 9, 16)
    ws.merge_range(0, 0, 0, 9, "科目余额表", formats["title"])
    ws.write_string(1, 0, f"编制单位：{g.SCHOOL}")
    ws.write_string(1, 4, f"期间：{g.PERIOD_END.year}年{g.PERIOD_END.month}月")
    ws.write_string(1, 9, "单位：元")
    header = formats["header"]
    # Written top row, merges, then the row below, in order (see generate.write_stock).
    for c, text in enumerate(["科目编码", "科目名称", "期初余额", None, "本期发生额", None, "本年累计",
                              None, "期末余额", None]):
        if text:
            ws.write_string(2, c, text, header)
    ws.merge_range(2, 0, 3, 0, None)
    ws.merge_range(2, 1, 3, 1, None)
    for c in (2, 4, 6, 8):
        ws.merge_range(2, c, 2, c + 1, None)
    for c in range(2, 10):
        ws.write_string(3, c, "借方  " if c % 2 == 0 else "  贷方", header)
    sheet.row = 4
    sums = [0] * 8
    group = None
    for code, name, level, opening, md, mc, yd, yc, closing in rows:
        if group is not None and code[0] != group:
            sheet.row += 1  # a blank row between the groups of accounts
        group = code[0]
        cells = [*_sides(opening), _amount(md), _amount(mc), _amount(yd), _amount(yc), *_sides(closing)]
        sheet.put([code, name, *cells])
        if level == 1:
            for i, fen in enumerate([*_split(opening), md, mc, yd, yc, *_split(closing)]):
                sums[i] += fen
    if sums[0] != sums[1] or sums[6] != sums[7] or sums[2] != sums[3] or sums[4] != sums[5]:
        raise AssertionError(f"the trial balance does not balance: {sums}")
    sheet.put([None, "合计", *[_amount(fen) for fen in sums]])


def _split(balance: int) -> list[int]:
    return [balance, 0] if balance >= 0 else [0, -balance]


# ---- entry point ------------------------------------------------------------------------------


def export_path(scale: float, strings: str = "shared") -> Path:
    suffix = "" if strings == "shared" else f"_{strings}"
    return g.DATA_DIR / f"export_{g.scale_name(scale)}{suffix}.xlsx"


def generate_export(scale: float, path: Path | None = None, strings: str = "shared") -> Path:
    """Card export of 50,000 × scale cards and the trial balance that agrees with it."""
    path = path or export_path(scale, strings)
    path.parent.mkdir(parents=True, exist_ok=True)
    cards = make_cards(round(g.ASSETS_PER_SCALE * scale))
    rows = trial_balance(cards, scale, random.Random(EXPORT_SEED + 1))
    tmp = path.with_suffix(".tmp.xlsx")
    book = g.new_workbook(tmp, strings)
    formats = g._formats(book)
    write_cards(book, formats, cards)
    write_balances(book, formats, rows)
    book.close()
    tmp.replace(path)
    return path
