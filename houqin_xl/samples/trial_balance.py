"""The finance office's books for 2026 as double entry (set 5's 科目余额表): a chart of accounts
in the government chart (政府会计制度), the year's opening balances, every month's postings
from January to the period's month, and the balances a 科目余额表 prints from them.

The fixed assets are posted from the asset cards: each card when the finance office booked it
(Dr 1601 class / Cr 1011), each month's depreciation by class as the cards' 累计折旧 grows
(Dr 业务活动费用 / Cr 1602 class), each disposal (Dr 1602 / Cr 1601; every disposed card was fully
depreciated). So at the period's end every 1601 child is the cards' Σ 价值 of that class and
every 1602 child their Σ 累计折旧, while the rest of the ledger (payroll, running costs, the
stores, rent handed to the treasury, the fees account) is ordinary school business. Income and
expense accounts are closed into 3301 本期盈余 each month, as the government chart has it, so
they print movements and no balance. Every posting has both sides: the trial balance balances.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .cards import CENT, Card

YEAR = 2026

# (code, name) in the order the software lists them; a child's code starts with its parent's.
CHART: list[tuple[str, str]] = [
    ("1001", "库存现金"),
    ("1002", "银行存款"), ("100201", "基本存款户"), ("100202", "代收费专户"),
    ("1011", "零余额账户用款额度"),
    ("1218", "其他应收款"),
    ("1302", "库存物品"),
    ("1601", "固定资产"), ("160101", "房屋及构筑物"), ("160102", "通用设备"), ("160103", "专用设备"),
    ("160104", "文物和陈列品"), ("160105", "图书档案"), ("160106", "家具、用具、装具及动植物"),
    ("1602", "固定资产累计折旧"), ("160201", "房屋及构筑物"), ("160202", "通用设备"),
    ("160203", "专用设备"), ("160206", "家具、用具、装具及动植物"),
    ("1701", "无形资产"),
    ("1702", "无形资产累计摊销"),
    ("2103", "应缴财政款"),
    ("2201", "应付职工薪酬"),
    ("2302", "应付账款"),
    ("2307", "其他应付款"),
    ("3001", "累计盈余"),
    ("3301", "本期盈余"),
    ("4001", "财政拨款收入"),
    ("4609", "其他收入"),
    ("5001", "业务活动费用"), ("500101", "工资福利费用"), ("500102", "商品和服务费用"),
    ("500103", "固定资产折旧费"),
    ("5101", "单位管理费用"), ("510101", "工资福利费用"), ("510102", "商品和服务费用"),
    ("510103", "无形资产摊销费"),
]
# The class of a card (data's wording) → its 1601 and 1602 children.
ASSET_ACCOUNT = {"土地房屋及构筑物": "160101", "通用设备": "160102", "专用设备": "160103",
                 "文物和陈列品": "160104", "图书档案": "160105", "家具用具装具及动植物": "160106"}
DEPRECIATION_ACCOUNT = {"土地房屋及构筑物": "160201", "通用设备": "160202", "专用设备": "160203",
                        "家具用具装具及动植物": "160206"}
SOFTWARE = ("无形资产", "智慧校园管理平台", Decimal("68000.00"), (2023, 9), 120)  # amortised over 10 years


def parent_of(code: str) -> str | None:
    codes = {c for c, _ in CHART}
    for length in range(len(code) - 2, 3, -2):
        if code[:length] in codes:
            return code[:length]
    return None


LEAVES = [c for c, _ in CHART if not any(o != c and o.startswith(c) for o, _ in CHART)]


@dataclass
class Books:
    """Balances signed 借 + / 贷 −, per leaf account: the year's opening and each month's
    postings (debit, credit)."""

    opening: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    debits: dict[tuple[int, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    credits: dict[tuple[int, str], Decimal] = field(default_factory=lambda: defaultdict(Decimal))

    def post(self, month: int, debit: str, credit: str, amount: Decimal) -> None:
        if not amount:
            return
        if amount < 0:
            raise ValueError(f"a posting is never negative: {debit}/{credit} {amount}")
        self.debits[(month, debit)] += amount
        self.credits[(month, credit)] += amount

    def balance(self, code: str, through: int) -> Decimal:
        """A leaf's signed balance at the end of month `through` (0: the year's opening)."""
        moved = sum((self.debits[(m, code)] - self.credits[(m, code)] for m in range(1, through + 1)),
                    Decimal(0))
        return self.opening[code] + moved


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randint(low * 100, high * 100)) / 100


def _amortised(through: tuple[int, int]) -> Decimal:
    _kind, _name, value, (year, month), life = SOFTWARE
    months = min(life, max(0, (through[0] - year) * 12 + through[1] - month + 1))
    return (value * months / life).quantize(CENT, rounding=ROUND_HALF_UP)


def _class_balances(cards: list[Card], month: int) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """1601 and 1602 children at the end of `month` of the year (0: the year's opening)."""
    year, m = (YEAR - 1, 12) if month == 0 else (YEAR, month)
    values: dict[str, Decimal] = defaultdict(Decimal)
    depreciation: dict[str, Decimal] = defaultdict(Decimal)
    for card in cards:
        if card.on_books(year, m):
            values[ASSET_ACCOUNT[card.category]] += card.value
            if card.category in DEPRECIATION_ACCOUNT:
                depreciation[DEPRECIATION_ACCOUNT[card.category]] += card.depreciation(year, m)
    return values, depreciation


def _post_assets(books: Books, cards: list[Card], last_month: int) -> None:
    values, depreciation = _class_balances(cards, 0)
    for code, amount in values.items():
        books.opening[code] = amount
    for code, amount in depreciation.items():
        books.opening[code] = -amount
    for month in range(1, last_month + 1):
        for card in cards:
            if (card.booked.year, card.booked.month) == (YEAR, month):
                books.post(month, ASSET_ACCOUNT[card.category], "1011", card.value)
            if card.disposed_in == (YEAR, month):
                written_off = card.depreciation(YEAR, month - 1) if card.category in DEPRECIATION_ACCOUNT else 0
                if written_off != card.value:
                    raise AssertionError(f"{card.name}: disposed before it was fully depreciated")
                books.post(month, DEPRECIATION_ACCOUNT[card.category], ASSET_ACCOUNT[card.category], card.value)
        before = _class_balances(cards, month - 1)[1]
        after = _class_balances(cards, month)[1]
        for code in DEPRECIATION_ACCOUNT.values():
            written_off = books.debits[(month, code)]
            charge = after[code] - before[code] + written_off
            books.post(month, "500103", code, charge)


Posting = tuple[int, str, str, Decimal]  # (month, debit account, credit account, amount)


def make_books(cards: list[Card], seed: int, last_month: int = 11, extra: tuple[Posting, ...] = ()) -> Books:
    """The year's books through `last_month`, every posting balanced; `extra` are postings the
    cards do not account for (a purchase the finance office booked and the asset office has
    not carded yet)."""
    rng = random.Random(seed)
    books = Books()
    opening = {"1001": Decimal("2356.80"), "100201": Decimal("186420.55"), "100202": Decimal("42360.00"),
               "1218": Decimal("5000.00"), "1302": Decimal("18630.00"), "1701": SOFTWARE[2],
               "1702": -_amortised((YEAR - 1, 12)), "2302": Decimal("-12800.00"),
               "2307": Decimal("-42360.00")}
    books.opening.update(opening)
    _post_assets(books, cards, last_month)
    stock_bought = {2: Decimal("9800.00"), 9: Decimal("12600.00"), 10: Decimal("8400.00")}
    fees_in = {3: Decimal("298700.00"), 9: Decimal("335900.00")}
    school_months = {3, 4, 5, 6, 9, 10, 11}
    for month in range(1, last_month + 1):
        teaching, admin = _money(rng, 281000, 292000), _money(rng, 47000, 50500)
        books.post(month, "500101", "2201", teaching)
        books.post(month, "510101", "2201", admin)
        books.post(month, "2201", "1011", teaching + admin)
        books.post(month, "500102", "1011", _money(rng, 18000, 45000))
        books.post(month, "510102", "1011", _money(rng, 6000, 15000))
        if month == 1:
            books.post(month, "2302", "1011", -books.opening["2302"])
        books.post(month, "1302", "1011", stock_bought.get(month, Decimal(0)))
        if month in school_months:
            books.post(month, "500102", "1302", _money(rng, 1200, 2600))
        previous = (YEAR, month - 1) if month > 1 else (YEAR - 1, 12)
        books.post(month, "510103", "1702", _amortised((YEAR, month)) - _amortised(previous))
        books.post(month, "1001", "100201", Decimal("2000.00"))
        books.post(month, "510102", "1001", _money(rng, 1200, 1900))
        if month in (3, 9):
            books.post(month, "100201", "2103", Decimal("15600.00"))  # half a year's rent
        if month in (4, 10):
            books.post(month, "2103", "100201", Decimal("15600.00"))  # handed to the treasury
        if month in (3, 6, 9):
            books.post(month, "100201", "4609", _money(rng, 180, 420))  # interest
        for when, debit, credit, amount in extra:
            if when == month:
                books.post(month, debit, credit, amount)
        books.post(month, "100202", "2307", fees_in.get(month, Decimal(0)))
        if month in school_months:
            held = books.balance("100202", month)  # pay the canteen and suppliers from the fees
            books.post(month, "2307", "100202", (held * Decimal(rng.randint(18, 32)) / 100).quantize(CENT))
        # 1011 is drawn from the treasury as it is spent: 零余额 at every month's end.
        used = books.credits[(month, "1011")] - books.debits[(month, "1011")]
        books.post(month, "1011", "4001", used)
        _close_month(books, month)
    books.opening["3001"] = -sum((v for c, v in books.opening.items() if c != "3001"), Decimal(0))
    return books


def _close_month(books: Books, month: int) -> None:
    """期末结转: income and expenses of the month into 3301 本期盈余."""
    for code in LEAVES:
        if code[0] == "4":
            books.post(month, code, "3301", books.credits[(month, code)] - books.debits[(month, code)])
        elif code[0] == "5":
            books.post(month, "3301", code, books.debits[(month, code)] - books.credits[(month, code)])


@dataclass
class AccountRow:
    """One line of the 科目余额表, every figure signed 借 + / 贷 −, movements as they are."""

    code: str
    name: str
    level: int
    opening: Decimal
    debit: Decimal
    credit: Decimal
    year_debit: Decimal
    year_credit: Decimal
    closing: Decimal


def balance_rows(books: Books, month: int) -> list[AccountRow]:
    """The accounts as the 余额表 for `month` lists them, parents the sums of their children."""
    rows = []
    for code, name in CHART:
        leaves = [c for c in LEAVES if c.startswith(code)]

        def total(values: list[Decimal]) -> Decimal:
            return sum(values, Decimal(0))
        opening = total([books.balance(c, month - 1) for c in leaves])
        debit = total([books.debits[(month, c)] for c in leaves])
        credit = total([books.credits[(month, c)] for c in leaves])
        year_debit = total([books.debits[(m, c)] for c in leaves for m in range(1, month + 1)])
        year_credit = total([books.credits[(m, c)] for c in leaves for m in range(1, month + 1)])
        level = 1 if parent_of(code) is None else 2
        rows.append(AccountRow(code, name, level, opening, debit, credit, year_debit, year_credit,
                               opening + debit - credit))
    return rows
