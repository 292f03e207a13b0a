"""The school's assets as the provincial asset system holds them (set 5): one card per asset of
`data.ASSETS`, with an 18-digit card number, its detailed GB/T 14885-2010 class, its life in
months and its 累计折旧 worked out by the rule of LEDGERS.md — so that a depreciation check
recomputing every card finds exactly what the card says.

The rule (政府会计准则第3号 and 财会〔2017〕4号): monthly straight line, no residual value,
from the month of acquisition (当月增加，当月计提) through the period's month, at most the whole
life; 图书、档案 and assets at 名义金额 are not depreciated. 累计折旧 = 原值 × min(months, life)
÷ life, rounded to the fen. Lives are at least the class minimums of 财会〔2017〕4号: brick-concrete
buildings 30 years, structures 8 (10 here), computers and office equipment 6, machinery (空调机组
is 2101905, under 机械设备) 10, broadcasting 5 (6 here), teaching, sport and art equipment 5,
kitchen machinery 10, furniture 15.

The system also holds three cards the hand register of sets 1–2 does not list: the shop fronts
let to a stationer (出租), a donated 古筝 kept at 名义金额, and a laptop bought this month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from . import data

CENT = Decimal("0.01")
UNIT_CODE = "361102"  # the school's code in the asset system, the first six digits of a card

# name → (GB/T 14885-2010 code, its name in the standard, life in months or None, 取得方式)
CLASSES: dict[str, tuple[str, str, int | None, str]] = {
    "1号教学楼": ("1020601", "教育用房", 360, "自建"),
    "临街门面房": ("1020300", "商业及服务业用房", 360, "自建"),
    "塑胶跑道": ("1032005", "露天体育场、训练场", 120, "自建"),
    "不锈钢旗杆": ("1039900", "其他构筑物", 120, "新购"),
    "交互式一体机": ("2020700", "触控一体机", 72, "新购"),
    "台式电脑": ("2010104", "台式机", 72, "新购"),
    "笔记本电脑": ("2010105", "便携式计算机", 72, "新购"),
    "服务器": ("2010103", "PC服务器", 72, "新购"),
    "投影仪": ("2020200", "投影仪", 72, "新购"),
    "激光打印机": ("2010601", "打印设备", 72, "新购"),
    "数码复印机": ("2020100", "复印机", 72, "新购"),
    "数码相机": ("2020400", "照相机及器材", 72, "新购"),
    "空调": ("2101905", "空调机组", 120, "新购"),
    "视频监控系统": ("2321007", "视频监控设备", 72, "新购"),
    "校园广播系统": ("2320301", "广播专用录放音设备", 72, "新购"),
    "钢琴": ("3700104", "键盘乐器", 60, "新购"),
    "电子琴": ("3700104", "键盘乐器", 60, "新购"),
    "古筝（校友捐赠）": ("3700199", "其他乐器", None, "捐赠"),
    "学生显微镜": ("3601399", "其他教学专用仪器", 60, "新购"),
    "篮球架": ("3710302", "篮球设备", 60, "新购"),
    "乒乓球台": ("3710304", "乒乓球设备", 60, "新购"),
    "足球门": ("3710301", "足球设备", 60, "新购"),
    "跳高架": ("3719900", "其他体育设备", 60, "新购"),
    "消毒柜": ("3141000", "饮食炊事机械", 120, "新购"),
    "蒸饭柜": ("3141000", "饮食炊事机械", 120, "新购"),
    "冷藏柜": ("3141000", "饮食炊事机械", 120, "新购"),
    "课桌椅": ("6010200", "台、桌类", 180, "新购"),
    "会议桌": ("6010200", "台、桌类", 180, "新购"),
    "办公桌": ("6010200", "台、桌类", 180, "新购"),
    "学生餐桌": ("6010200", "台、桌类", 180, "新购"),
    "图书馆书架": ("6010600", "架类", 180, "新购"),
    "教室书柜": ("6010500", "柜类", 180, "新购"),
}
BOOKS = ("5010101", "普通图书", None, "新购")

# Cards of the asset system beyond the hand register's lines, in data.ASSETS's shape.
EXTRA_ASSETS: list[tuple] = [
    ("临街门面房", "土地房屋及构筑物", "砖混1层 2间 86㎡", "平方米", "3000.00", 86, "总务处", "校门东侧",
     dt.date(2008, 8, 20), "出租", "出租给阳光文具店，租期2025年9月—2028年8月，租金上缴财政"),
    ("古筝（校友捐赠）", "专用设备", "敦煌 694KK 163cm", "台", "1.00", 1, "音乐组", "音乐室",
     dt.date(2025, 5, 20), "在用", "校友捐赠，无发票，按名义金额入账"),
    # Bought this month: one month of depreciation already (当月增加，当月计提).
    ("笔记本电脑", "通用设备", "华为 MateBook D14", "台", "4999.00", 1, "总务处", "行政楼2楼",
     dt.date(2026, 11, 12), "在用", "政府采购，11月新增"),
]
# The system's words for what the hand register calls otherwise.
SYSTEM_STATUS = {"待报废": "待处置"}
# The month each disposed asset left the books (its card's note says so).
DISPOSED_IN = {("台式电脑", "戴尔 OptiPlex 380"): (2026, 10), ("跳高架", "升降式 铝合金"): (2026, 9),
               ("课桌椅", "双人固定式"): (2026, 9)}
BOOKING_DELAY = dt.timedelta(days=7)  # the finance office books a purchase a week after it


def months_through(acquired: dt.date, year: int, month: int) -> int:
    """Months of depreciation by the end of (year, month): the acquisition month counts."""
    return max(0, (year - acquired.year) * 12 + month - acquired.month + 1)


@dataclass
class Card:
    """One asset card as the asset system exports it."""

    number: int
    card_id: str
    name: str
    category: str          # the top class, in the school's wording (data.ASSETS)
    code: str              # detailed GB/T 14885-2010 class
    code_name: str
    spec: str
    unit: str
    quantity: int          # an area in 平方米 for buildings
    value: Decimal
    acquired: dt.date
    booked: dt.date        # 财务入账日期: when the finance office booked it
    voucher: str
    how: str               # 取得方式
    department: str
    user: str
    location: str
    status: str
    life: int | None       # months; None: not depreciated
    value_type: str        # 原值 or 名义金额
    note: str
    disposed_in: tuple[int, int] | None = None

    def depreciation(self, year: int, month: int) -> Decimal:
        """累计折旧 at the end of (year, month) by the rule, rounded to the fen."""
        if self.life is None:
            return Decimal("0.00")
        months = min(months_through(self.acquired, year, month), self.life)
        return (self.value * months / self.life).quantize(CENT, rounding=ROUND_HALF_UP)

    def months_depreciated(self, year: int, month: int) -> int:
        return 0 if self.life is None else min(months_through(self.acquired, year, month), self.life)

    def depreciation_status(self, year: int, month: int) -> str:
        if self.life is None:
            return "不提折旧"
        return "提完折旧" if months_through(self.acquired, year, month) >= self.life else "提折旧"

    def on_books(self, year: int, month: int) -> bool:
        """Booked by the end of (year, month) and not yet disposed of."""
        if (self.booked.year, self.booked.month) > (year, month):
            return False
        return self.disposed_in is None or self.disposed_in > (year, month)


def _area(spec: str) -> int | None:
    """The floor area a building's spec gives (`砖混4层 3600㎡` → 3600)."""
    for word in spec.split():
        if word.endswith("㎡") and word[:-1].isdigit():
            return int(word[:-1])
    return None


def make_cards() -> list[Card]:
    """Every card the system has ever held for the school, numbered in order of acquisition
    (the disposed ones too: the general ledger still moved them this year)."""
    entries = sorted(enumerate([*data.ASSETS, *EXTRA_ASSETS]), key=lambda e: (e[1][8], e[0]))
    cards = []
    per_month: dict[tuple[int, int], int] = {}
    for number, (_order, entry) in enumerate(entries, start=1):
        name, category, spec, unit, price, quantity, department, location, acquired, status, note = entry
        code, code_name, life, how = BOOKS if category == "图书档案" else CLASSES[name]
        value = (Decimal(price) * quantity).quantize(CENT)
        area = _area(spec) if category == "土地房屋及构筑物" else None
        if area is not None and unit != "平方米":
            quantity, unit = area, "平方米"  # the system counts buildings by floor area
        booked = acquired + BOOKING_DELAY
        key = (booked.year, booked.month)
        per_month[key] = per_month.get(key, 0) + 1
        cards.append(Card(
            number=number, card_id=f"{UNIT_CODE}{acquired.year}{number:08d}", name=name,
            category=category, code=code, code_name=code_name, spec=spec, unit=unit,
            quantity=quantity, value=value, acquired=acquired, booked=booked,
            voucher=f"记-{booked:%Y%m}-{per_month[key] * 7:03d}", how=how, department=department,
            user=data.STAFF[department], location=location,
            status=SYSTEM_STATUS.get(status, status), life=life,
            value_type="名义金额" if how == "捐赠" and value <= 1 else "原值", note=note,
            disposed_in=DISPOSED_IN.get((name, spec)) if status == "已报废" else None))
    return cards


def exported(cards: list[Card]) -> list[Card]:
    """The cards an export of the unit's current assets lists: disposed ones are gone from it."""
    return [c for c in cards if c.disposed_in is None]
