"""Large, realistic and consistent ledger sets for the benchmark (issue #6, issue #2).

One workbook holds all seven ledgers as sheets, laid out the way a bursar keeps them: a title
merged across the table, a unit line, header aliases with units in brackets, a two-level header
on the stock book (入库 over 数量|单价|金额), 使用部门 merged down over runs of rows, hidden rows,
a few amounts and dates typed as text, 小计 / 本月合计 / 本年累计 / 合计 rows and a footer.

Every number agrees with every other, so `houqin-xl check` must report no error at all: a
finding on a generated set is a bug in this generator or in the core, never noise to ignore.

    .venv-bench/bin/python bench/generate.py --scale 1            # 50k assets, 100k moves, 60k fees
    .venv-bench/bin/python bench/generate.py --scale 1 --strings inline   # issue #6's kind of file
    .venv-bench/bin/python bench/generate.py --export 1           # the export-like workbook (exportlike.py)
    .venv-bench/bin/python bench/generate.py --assets-only 100000 # the register alone (issue #2)

Two ways of storing text, chosen with --strings (issue #15):
- `shared` (the default, ledgers_1x.xlsx): as Excel, WPS and the systems schools use write a
  workbook — every text cell is an index (`t="s"`) into one table, xl/sharedStrings.xml, so a
  department or an item repeated down 100,000 rows is stored and parsed once. XlsxWriter writes
  that table unless in constant_memory mode, so the whole workbook is held in memory until it
  is saved (≈ 1.5 GiB at 1x, growing with the rows).
- `inline` (ledgers_1x_inline.xlsx): XlsxWriter's constant_memory mode streams rows to disk and
  stores every string inline in its cell (`t="inlineStr"`). Issue #6's benchmark used these; no
  spreadsheet program saves a workbook that way, and readers parse every copy of every string.
The cells, formats, merges and hidden rows are the same in both (same seed, same rows).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import xlsxwriter

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED = 20261130
SCHOOL = "阳光实验小学"
PERIOD = "2026-11"
PERIOD_END = dt.date(2026, 11, 30)
YEAR_START = dt.date(2026, 1, 1)
TERM = "2026年秋季学期"
EXCEL_EPOCH = dt.date(1899, 12, 30)

ASSETS_PER_SCALE = 50_000
MOVES_PER_SCALE = 100_000
FEES_PER_SCALE = 60_000

# ---- the school ---------------------------------------------------------------------------

DEPARTMENTS = {
    # department: (custodian, rooms)
    "教务处": ("陈晓燕", ["行政楼201", "行政楼202", "文印室"]),
    "总务处": ("王建国", ["行政楼203", "仓库", "门卫室"]),
    "德育处": ("刘芳", ["行政楼204", "广播室", "升旗台"]),
    "信息中心": ("赵磊", ["计算机教室1", "计算机教室2", "信息中心机房"]),
    "一年级组": ("孙丽", ["101教室", "102教室", "103教室"]),
    "二年级组": ("周敏", ["104教室", "105教室", "106教室"]),
    "三年级组": ("吴红梅", ["201教室", "202教室", "203教室"]),
    "四年级组": ("郑海涛", ["204教室", "205教室", "206教室"]),
    "五年级组": ("冯静", ["301教室", "302教室", "303教室"]),
    "六年级组": ("何志强", ["304教室", "305教室", "306教室"]),
    "音乐组": ("林雪", ["音乐室", "舞蹈室"]),
    "体育组": ("马俊", ["操场", "风雨操场", "体育器材室"]),
    "科学组": ("黄伟", ["科学实验室", "科学准备室"]),
    "食堂": ("朱大军", ["食堂", "食堂库房"]),
    "图书室": ("许文", ["图书室", "阅览室"]),
}
DEPARTMENT_NAMES = list(DEPARTMENTS)

CATEGORIES = ["土地房屋及构筑物", "通用设备", "专用设备", "图书档案", "家具用具装具及动植物"]
LIFE_YEARS = {"土地房屋及构筑物": 50, "通用设备": 6, "专用设备": 10, "图书档案": 0,
              "家具用具装具及动植物": 15}
# How often each category appears on a large register (books and furniture are entered in
# batches, so they are fewer cards than their counts suggest).
CATEGORY_WEIGHTS = [1, 45, 22, 8, 24]

# (name, category, specs, unit, (low, high) unit price in yuan, (low, high) quantity)
# Every unit price is at or above the 1,000-yuan threshold unless the card is a batch worth it
# (quantity × price ≥ 1,000) or books, so the capitalisation warning never fires.
CATALOGUE: list[tuple[str, str, list[str], str, tuple[int, int], tuple[int, int]]] = [
    ("教学楼", "土地房屋及构筑物", ["砖混4层", "框架5层"], "栋", (2_000_000, 9_000_000), (1, 1)),
    ("塑胶跑道", "土地房屋及构筑物", ["200米环形", "300米环形"], "项", (300_000, 600_000), (1, 1)),
    ("自行车棚", "土地房屋及构筑物", ["钢结构 60㎡"], "座", (30_000, 80_000), (1, 1)),
    ("交互式一体机", "通用设备", ["希沃 86英寸 F86EA", "鸿合 75英寸 HD-750"], "台", (9_800, 13_800), (1, 1)),
    ("台式电脑", "通用设备", ["联想启天M430", "联想启天M437", "清华同方超越E500"], "台", (3_800, 5_600), (1, 1)),
    ("笔记本电脑", "通用设备", ["联想ThinkPad E14", "华为MateBook D14"], "台", (4_200, 6_800), (1, 1)),
    ("投影仪", "通用设备", ["爱普生 CB-X06", "明基 MX560"], "台", (2_600, 4_200), (1, 1)),
    ("激光打印机", "通用设备", ["惠普 M227fdw", "兄弟 DCP-7195DW"], "台", (1_600, 2_600), (1, 1)),
    ("数码复印机", "通用设备", ["理光 MP2014AD", "夏普 AR-2348"], "台", (7_200, 9_800), (1, 1)),
    ("空调", "通用设备", ["格力 3匹柜机", "美的 1.5匹挂机"], "台", (2_600, 7_200), (1, 4)),
    ("服务器", "通用设备", ["戴尔 PowerEdge R740", "华为 2288H V5"], "台", (18_000, 36_000), (1, 1)),
    ("监控摄像机", "通用设备", ["海康威视 DS-2CD3T47", "大华 IPC-HFW2433"], "台", (1_050, 1_800), (1, 8)),
    ("数码相机", "通用设备", ["佳能 EOS R50", "尼康 Z30"], "台", (4_600, 6_800), (1, 1)),
    ("钢琴", "专用设备", ["珠江 UP118M", "星海 XU-121"], "台", (14_000, 22_000), (1, 1)),
    ("电子琴", "专用设备", ["雅马哈 PSR-E473", "卡西欧 CT-X3000"], "台", (1_800, 2_900), (1, 6)),
    ("学生显微镜", "专用设备", ["凤凰 XSP-06", "麦克奥迪 BA81"], "台", (560, 980), (20, 40)),
    ("篮球架", "专用设备", ["移动式 KY-401", "地埋式 KY-208"], "副", (6_500, 9_800), (1, 2)),
    ("乒乓球台", "专用设备", ["红双喜 T2023", "双鱼 201A"], "张", (2_200, 3_200), (1, 4)),
    ("消毒柜", "专用设备", ["康宝 RTP700", "美的 MXV-ZLP90"], "台", (3_800, 5_200), (1, 2)),
    ("蒸饭柜", "专用设备", ["24盘 燃气型", "12盘 电热型"], "台", (6_800, 9_800), (1, 1)),
    ("图书", "图书档案", ["儿童文学", "科普读物", "工具书", "教学参考", "低年级绘本"], "册", (18, 80), (50, 800)),
    ("课桌椅", "家具用具装具及动植物", ["单人升降 KZY-01", "双人固定式"], "套", (260, 420), (20, 50)),
    ("书架", "家具用具装具及动植物", ["钢制双面6层", "木制单面5层"], "组", (1_100, 1_600), (1, 20)),
    ("会议桌", "家具用具装具及动植物", ["实木 3600×1400", "钢木 2400×1200"], "张", (3_200, 6_800), (1, 1)),
    ("办公桌", "家具用具装具及动植物", ["1400×700 带柜", "1200×600"], "张", (1_050, 1_400), (1, 18)),
    ("学生餐桌", "家具用具装具及动植物", ["不锈钢 8人位", "玻璃钢 6人位"], "张", (1_200, 1_900), (4, 30)),
]
STATUSES = ["在用", "闲置", "出借", "待报废", "已报废"]
STATUS_WEIGHTS = [90, 3, 1, 2, 4]

# (name, specs, unit, (low, high) price) — supplies, all under the fixed-asset threshold, so
# their receipts are never expected on the register.
SUPPLIES: list[tuple[str, list[str], str, tuple[float, float]]] = [
    ("A4复印纸", ["70g 500张×5包", "80g 500张×5包"], "箱", (120, 175)),
    ("A3复印纸", ["70g 500张×5包"], "箱", (220, 280)),
    ("签字笔", ["晨光K35 0.5mm黑", "得力S01 0.5mm蓝"], "盒", (18, 36)),
    ("粉笔", ["文轩无尘 白色", "文轩无尘 彩色"], "盒", (5, 9)),
    ("墨盒", ["惠普803 黑色", "佳能PG-845"], "个", (90, 160)),
    ("硒鼓", ["惠普CF230A", "兄弟TN-2325"], "个", (260, 420)),
    ("作业本", ["16K 语文", "16K 数学", "32K 英语"], "本", (0.6, 1.2)),
    ("84消毒液", ["500ml", "2.5kg"], "瓶", (6, 28)),
    ("洗洁精", ["立白 1.5kg", "白猫 1kg"], "瓶", (12, 22)),
    ("垃圾袋", ["大号 50只/卷", "中号 50只/卷"], "卷", (4, 8)),
    ("拖把", ["旋转式", "平板式"], "把", (25, 48)),
    ("扫帚", ["塑料 软毛", "竹制"], "把", (8, 18)),
    ("灯管", ["LED T8 1.2米", "LED T5 0.9米"], "支", (15, 32)),
    ("电池", ["南孚 5号", "南孚 7号"], "板", (18, 30)),
    ("档案盒", ["A4 5.5cm", "A4 7.5cm"], "个", (3, 8)),
    ("篮球", ["斯伯丁 7号", "摩腾 5号"], "个", (90, 260)),
    ("跳绳", ["计数 竹节", "钢丝 计时"], "根", (8, 25)),
    ("实验耗材", ["烧杯 250ml", "试管 18×180"], "盒", (20, 65)),
]

FEE_STANDARDS: list[tuple[str, str, int, str]] = [  # (item, grade, fen, basis)
    ("作业本费", "一年级", 4_500, "阳价费〔2025〕9号"),
    ("作业本费", "二年级", 4_500, "阳价费〔2025〕9号"),
    ("作业本费", "三年级", 5_500, "阳价费〔2025〕9号"),
    ("作业本费", "四年级", 5_500, "阳价费〔2025〕9号"),
    ("作业本费", "五年级", 6_000, "阳价费〔2025〕9号"),
    ("作业本费", "六年级", 6_000, "阳价费〔2025〕9号"),
    ("伙食费", "全部", 110_000, "阳教财〔2026〕21号"),
    ("住宿费", "全部", 40_000, "阳价费〔2025〕9号"),
    ("校服费", "一年级", 26_000, "阳教发〔2026〕12号"),
    ("保险费", "全部", 10_000, "学生自愿参保"),
    ("课后服务费", "全部", 60_000, "阳发改〔2024〕33号"),
]
GRADES = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]
CLASSES_PER_GRADE = 20
CAMPUSES = ["", "东校区", "西校区", "南校区", "北校区", "城东分校", "城西分校", "城南分校", "城北分校",
            "新区分校", "高新分校", "滨江分校", "湖滨分校", "江北分校"]
CASHIERS = [("李秀英", "SF2026A"), ("张玉兰", "SF2026B")]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
GIVEN = ["子涵", "欣怡", "梓萱", "浩宇", "宇轩", "一诺", "雨桐", "思远", "诗涵", "俊杰", "梓轩", "可馨",
         "子墨", "若曦", "皓轩", "语桐", "明哲", "嘉怡", "天佑", "沐阳", "佳琪", "博文", "晨曦", "雅琪"]
COUNTERS = ["王建国、李秀英", "赵磊、许文", "马俊、李秀英"]


def serial(day: dt.date) -> int:
    return (day - EXCEL_EPOCH).days


def yuan(fen: int) -> float:
    """Fen → the yuan float Excel stores; round-trips to the same fen in the core."""
    return fen / 100


def text_amount(fen: int, rng: random.Random) -> str:
    """An amount typed as text, the ways bursars do it."""
    yuan_text = f"{fen // 100:,}.{fen % 100:02d}"
    return rng.choice([yuan_text, "¥" + yuan_text, f"{fen / 100:.2f}元"])


def text_date(day: dt.date, rng: random.Random) -> str:
    return rng.choice([f"{day.year}.{day.month}.{day.day}", f"{day.year}/{day.month:02d}/{day.day:02d}",
                       f"{day.year}年{day.month}月{day.day}日", f"{day:%Y%m%d}"])


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def school_days(start: dt.date, end: dt.date) -> list[dt.date]:
    days = []
    day = start
    while day <= end:
        if day.weekday() < 5 and not (dt.date(2026, 10, 1) <= day <= dt.date(2026, 10, 7)):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


# ---- writing ------------------------------------------------------------------------------


class Sheet:
    """A worksheet written top to bottom (constant_memory mode forbids going back, so the
    shared-string mode writes in the same order and the two files hold the same cells)."""

    def __init__(self, book: xlsxwriter.Workbook, name: str, formats: dict[str, Any]) -> None:
        self.ws = book.add_worksheet(name)
        self.formats = formats
        self.row = 0  # the next 0-based row to write

    def title(self, text: str, width: int, unit_line: str) -> None:
        self.ws.merge_range(0, 0, 0, width - 1, text, self.formats["title"])
        self.ws.write_string(1, 0, unit_line)
        self.row = 2

    def put(self, values: list[Any], hidden: bool = False) -> int:
        """Write one row; returns its Excel row number (1-based)."""
        ws, r = self.ws, self.row
        if hidden:
            ws.set_row(r, None, None, {"hidden": True})
        date_format, money_format = self.formats["date"], self.formats["money"]
        for c, v in enumerate(values):
            if v is None:
                continue
            kind = type(v)
            if kind is str:
                ws.write_string(r, c, v)
            elif kind is float:
                ws.write_number(r, c, v, money_format)
            elif kind is int:
                ws.write_number(r, c, v)
            elif kind is dt.date:
                ws.write_number(r, c, serial(v), date_format)
            else:
                raise TypeError(f"cannot write {v!r}")
        self.row += 1
        return r + 1

    def merge_down(self, col: int, rows: int) -> None:
        """Merge the cell just written down over the next `rows` − 1 rows. Called before moving
        on: constant_memory silently drops a merge that starts on a row already flushed. With no
        format XlsxWriter writes no padding cells into the rows below."""
        first = self.row - 1
        if self.ws.merge_range(first, col, first + rows - 1, col, None) != 0:
            raise RuntimeError(f"merge at row {first + 1} was refused")

    def footer(self, text: str) -> None:
        self.row += 1
        self.ws.write_string(self.row, 0, text)
        self.row += 1


def _formats(book: xlsxwriter.Workbook) -> dict[str, Any]:
    return {
        "title": book.add_format({"bold": True, "font_size": 16, "align": "center"}),
        "date": book.add_format({"num_format": "yyyy-mm-dd"}),
        "money": book.add_format({"num_format": "#,##0.00"}),
        "header": book.add_format({"bold": True, "align": "center", "text_wrap": True}),
    }


def _header(sheet: Sheet, names: list[str]) -> None:
    for c, name in enumerate(names):
        sheet.ws.write_string(sheet.row, c, name, sheet.formats["header"])
    sheet.row += 1


# ---- fixed assets, general ledger, count ---------------------------------------------------


@dataclass
class Asset:
    asset_id: str
    name: str
    category: str
    spec: str
    unit: str
    quantity: int
    price_fen: int
    acquired_on: dt.date
    department: str
    location: str
    custodian: str
    status: str
    note: str

    @property
    def value_fen(self) -> int:
        return self.quantity * self.price_fen

    def depreciation_fen(self) -> int:
        """LEDGERS.md: straight line over the register's life (written in its 使用年限 column),
        from the month of acquisition through the period's month (当月增加，当月计提), no
        residual, rounded half up to the fen."""
        life = LIFE_YEARS[self.category] * 12
        if life == 0:
            return 0
        months = (PERIOD_END.year - self.acquired_on.year) * 12 + PERIOD_END.month - self.acquired_on.month + 1
        months = min(max(months, 0), life)
        return (2 * self.value_fen * months + life) // (2 * life)


def make_assets(count: int, rng: random.Random) -> list[Asset]:
    by_category: dict[str, list] = {c: [] for c in CATEGORIES}
    for entry in CATALOGUE:
        by_category[entry[1]].append(entry)
    assets = []
    for n in range(count):
        category = rng.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
        name, _, specs, unit, (low, high), (qlow, qhigh) = rng.choice(by_category[category])
        if category == "图书档案":
            price_fen = rng.randrange(low * 100, high * 100 + 1, 10)
        else:
            price_fen = rng.randrange(low, high + 1) * 100
        quantity = rng.randint(qlow, qhigh)
        if quantity * price_fen < 100_000 and category != "图书档案":
            quantity = -(-100_000 // price_fen)  # a batch worth the threshold, as bought
        # A few cards are this month's additions; the rest spread back over twenty years.
        if rng.random() < 0.004:
            acquired = random_day(rng, dt.date(2026, 11, 1), PERIOD_END)
        else:
            acquired = random_day(rng, dt.date(2006, 1, 1), dt.date(2026, 10, 31))
        department = rng.choice(DEPARTMENT_NAMES)
        custodian, rooms = DEPARTMENTS[department]
        status = rng.choices(STATUSES, STATUS_WEIGHTS)[0] if acquired.year < 2024 else "在用"
        note = ""
        if status == "已报废":
            note = f"{rng.choice([2025, 2026])}年报废，教育局批复"
        elif quantity > 1:
            note = "批量购置"
        assets.append(Asset(f"ZC{n + 1:07d}", name, category, rng.choice(specs), unit, quantity,
                            price_fen, acquired, department, rng.choice(rooms), custodian, status,
                            note))
    # A register is kept by category, and within it by department (so a department's cell can
    # be merged down over its run of rows), then by card number.
    assets.sort(key=lambda a: (CATEGORIES.index(a.category), a.department, a.asset_id))
    return assets


ASSET_HEADER = ["资产编号", "资产名称", "资产分类", "规格型号", "计量单位", "数量", "单价（元）",
                "原值\n(元)", "取得日期", "使用部门", "存放地点", "保管人", "使用状况", "累计折旧",
                "净值", "使用年限", "备注"]
DEPT_COL = ASSET_HEADER.index("使用部门")


def write_assets(book: xlsxwriter.Workbook, formats: dict[str, Any], assets: list[Asset],
                 rng: random.Random) -> None:
    sheet = Sheet(book, "固定资产台账", formats)
    sheet.ws.set_column(0, len(ASSET_HEADER) - 1, 12)
    sheet.title(f"{SCHOOL}固定资产台账（2026年11月）", len(ASSET_HEADER), f"编制单位：{SCHOOL}　　单位：元")
    _header(sheet, ASSET_HEADER)
    grand = [0, 0, 0, 0]
    index = 0
    while index < len(assets):
        category = assets[index].category
        block = [0, 0, 0, 0]
        while index < len(assets) and assets[index].category == category:
            department = assets[index].department
            # A run of up to eight rows of one department shares one merged 使用部门 cell.
            run_end = index
            limit = index + rng.randint(1, 8)
            while (run_end + 1 < len(assets) and run_end + 1 < limit
                   and assets[run_end + 1].category == category
                   and assets[run_end + 1].department == department):
                run_end += 1
            for k in range(index, run_end + 1):
                a = assets[k]
                depreciation = a.depreciation_fen()
                price: Any = yuan(a.price_fen)
                acquired: Any = a.acquired_on
                if rng.random() < 0.01:
                    price = text_amount(a.price_fen, rng)
                if rng.random() < 0.01:
                    acquired = text_date(a.acquired_on, rng)
                sheet.put([
                    a.asset_id, a.name, a.category, a.spec, a.unit, a.quantity, price,
                    yuan(a.value_fen), acquired, a.department if k == index else None, a.location,
                    a.custodian, a.status, yuan(depreciation), yuan(a.value_fen - depreciation),
                    LIFE_YEARS[a.category] or None, a.note or None,
                ], hidden=rng.random() < 0.002)
                if k == index and run_end > index:
                    sheet.merge_down(DEPT_COL, run_end - index + 1)
                for total in (block, grand):
                    total[0] += a.quantity
                    total[1] += a.value_fen
                    total[2] += depreciation
                    total[3] += a.value_fen - depreciation
            index = run_end + 1
        sheet.put(["小计", None, category, None, None, block[0], None, yuan(block[1]), None, None,
                   None, None, None, yuan(block[2]), yuan(block[3]), None, None])
    sheet.put(["合计", None, None, None, None, grand[0], None, yuan(grand[1]), None, None, None,
               None, None, yuan(grand[2]), yuan(grand[3]), None, None])
    sheet.footer("制表人：李秀英　　　审核：王建国　　　校长：张志明")


def write_gl(book: xlsxwriter.Workbook, formats: dict[str, Any], assets: list[Asset]) -> None:
    """The finance office's balances: exactly the register's assets not disposed."""
    sheet = Sheet(book, "总账", formats)
    sheet.title("固定资产分类汇总（总账）", 4, "2026年11月30日　　单位：元")
    _header(sheet, ["资产分类", "数量", "期末余额", "备注"])
    quantity = dict.fromkeys(CATEGORIES, 0)
    value = dict.fromkeys(CATEGORIES, 0)
    for a in assets:
        if a.status != "已报废":
            quantity[a.category] += a.quantity
            value[a.category] += a.value_fen
    for c in CATEGORIES:
        sheet.put([c, quantity[c], yuan(value[c]), None])
    sheet.put(["合计", sum(quantity.values()), yuan(sum(value.values())), None])
    sheet.footer("财务负责人：周会计")


def write_count(book: xlsxwriter.Workbook, formats: dict[str, Any], assets: list[Asset],
                rng: random.Random) -> None:
    """Everything not disposed, found where the register says, room by room."""
    sheet = Sheet(book, "盘点表", formats)
    sheet.title(f"{SCHOOL}资产清查盘点表", 7, "盘点基准日：2026年11月25日")
    _header(sheet, ["资产编号", "资产名称", "实际存放地点", "实盘数量", "盘点人", "盘点日期", "备注"])
    found = sorted((a for a in assets if a.status != "已报废"), key=lambda a: (a.location, a.asset_id))
    counters = {}
    for a in found:
        counters.setdefault(a.location, (rng.choice(COUNTERS), dt.date(2026, 11, rng.randint(23, 27))))
        by, on = counters[a.location]
        sheet.put([a.asset_id, a.name, a.location, a.quantity, by, on, None])
    sheet.put(["合计", None, None, sum(a.quantity for a in found), None, None, None])
    sheet.footer("盘点负责人：王建国　　监盘人：周会计")


# ---- stock ---------------------------------------------------------------------------------

STOCK_TOP = ["日期", "单据号", "物品名称", "规格", "单位", "摘要", "入库", None, None, "出库", None,
             "结存", None, "领用部门", "领用人", "备注"]
STOCK_SUB = [None, None, None, None, None, None, "数量", "单价", "金额", "数量", "金额", "数量", "金额",
             None, None, None]


def write_stock(book: xlsxwriter.Workbook, formats: dict[str, Any], moves_wanted: int,
                assets: list[Asset], rng: random.Random) -> None:
    """A year's stock book in date order, with correct running balances per item; this month's
    fixed-asset additions are received and issued the same day, as the register says."""
    sheet = Sheet(book, "物资出入库", formats)
    ws = sheet.ws
    sheet.title(f"{SCHOOL}物资出入库登记簿（2026年度）", len(STOCK_TOP), "单位：元")
    # Two-level header: a single-level title spans two rows, a group spans its children. The
    # top row is written whole before the merges (with no format, so no padding cells go into
    # the row below) and before the row below: constant_memory cannot go back to a row.
    top, sub = sheet.row, sheet.row + 1
    header_format = formats["header"]
    for c, name in enumerate(STOCK_TOP):
        if name is not None:
            ws.write_string(top, c, name, header_format)
    c = 0
    while c < len(STOCK_TOP):
        span = 1
        while c + span < len(STOCK_TOP) and STOCK_TOP[c + span] is None:
            span += 1
        if STOCK_SUB[c] is None:
            ws.merge_range(top, c, sub, c, None)
        else:
            ws.merge_range(top, c, top, c + span - 1, None)
        c += span
    for c, name in enumerate(STOCK_SUB):
        if name is not None:
            ws.write_string(sub, c, name, header_format)
    sheet.row = sub + 1

    n_items = max(30, round(moves_wanted / 200))
    items = []
    kinds = [(name, spec, unit, prices) for name, specs, unit, prices in SUPPLIES for spec in specs]
    for k in range(n_items):
        name, spec, unit, (low, high) = kinds[k % len(kinds)]
        batch = k // len(kinds)
        if batch:
            spec = f"{spec} 第{batch}批"  # the same supply bought under another contract
        price_fen = round(rng.uniform(low, high) * 100)
        typical = max(1, round(3000 / max(price_fen / 100, 1)))  # cheaper things move in bulk
        items.append({"name": name, "spec": spec, "unit": unit, "price": price_fen,
                      "typical": typical, "balance": typical * rng.randint(3, 10)})

    days = school_days(dt.date(2026, 1, 2), PERIOD_END)
    # This month's fixed-asset additions pass through the store: received and issued.
    additions = sorted((a for a in assets if a.acquired_on >= dt.date(2026, 11, 1) and a.price_fen >= 100_000),
                       key=lambda a: (a.acquired_on, a.asset_id))
    # (date, tie-break, item index): the book is kept in date order, items interleaved.
    n_moves = max(moves_wanted - n_items - 2 * len(additions), 0)
    moves = [(rng.choice(days), rng.random(), rng.randrange(n_items)) for _ in range(n_moves)]
    moves.sort()

    rk = ly = 0
    month_sums = [0, 0, 0, 0]  # in_qty, in_amount fen, out_qty, out_amount fen
    year_sums = [0, 0, 0, 0]

    def close_month(month: int) -> None:
        # This month's fixed-asset additions, then the month's and the year's totals.
        for a in additions:
            if a.acquired_on.month == month:
                _pass_through(sheet, a, month_sums, year_sums)
        label = f"{month}月"
        sheet.put([None, None, f"本月合计（{label}）", None, None, None, month_sums[0], None,
                   yuan(month_sums[1]), month_sums[2], yuan(month_sums[3]), None, None, None, None, None])
        sheet.put([None, None, f"本年累计（1–{label}）", None, None, None, year_sums[0], None,
                   yuan(year_sums[1]), year_sums[2], yuan(year_sums[3]), None, None, None, None, None])
        month_sums[:] = [0, 0, 0, 0]

    for it in items:
        sheet.put([YEAR_START, None, it["name"], it["spec"], it["unit"], "上年结转", None, None, None, None,
                   None, it["balance"], yuan(it["balance"] * it["price"]), None, None, None])

    month = 1
    for day, _order, k in moves:
        while day.month != month:
            close_month(month)
            month += 1
        it = items[k]
        # Restock when running low; otherwise issue to a department (or now and then a write-off).
        if it["balance"] < it["typical"] * 2 or rng.random() < 0.12:
            qty = it["typical"] * rng.randint(4, 12)
            rk += 1
            amount = qty * it["price"]
            in_price: Any = yuan(it["price"])
            if rng.random() < 0.01:
                in_price = text_amount(it["price"], rng)
            it["balance"] += qty
            sheet.put([day, f"RK{rk:06d}", it["name"], it["spec"], it["unit"], "购入", qty, in_price,
                       yuan(amount), None, None, it["balance"], yuan(it["balance"] * it["price"]),
                       None, "李秀英", None])
            _add(month_sums, year_sums, qty, amount, 0, 0)
        else:
            qty = rng.randint(1, min(it["typical"] * 2, it["balance"]))
            writeoff = rng.random() < 0.01
            department = rng.choice(DEPARTMENT_NAMES)
            ly += 1
            amount = qty * it["price"]
            it["balance"] -= qty
            sheet.put([day, f"LY{ly:06d}", it["name"], it["spec"], it["unit"],
                       "报损" if writeoff else "领用", None, None, None, qty, yuan(amount),
                       it["balance"], yuan(it["balance"] * it["price"]),
                       "总务处" if writeoff else department,
                       "王建国" if writeoff else DEPARTMENTS[department][0],
                       "受潮损坏" if writeoff else None], hidden=rng.random() < 0.001)
            _add(month_sums, year_sums, 0, 0, qty, amount)
    while month <= PERIOD_END.month:
        close_month(month)
        month += 1
    sheet.footer("保管员：李秀英　　审核：王建国")


def _add(month_sums: list[int], year_sums: list[int], in_qty: int, in_fen: int, out_qty: int,
         out_fen: int) -> None:
    for sums in (month_sums, year_sums):
        sums[0] += in_qty
        sums[1] += in_fen
        sums[2] += out_qty
        sums[3] += out_fen


def _pass_through(sheet: Sheet, a: Asset, month_sums: list[int], year_sums: list[int]) -> None:
    """A fixed-asset addition received into the store and issued to its department the same day."""
    doc = a.asset_id.replace("ZC", "GD")
    sheet.put([a.acquired_on, doc + "R", a.name, a.spec, a.unit, "购入", a.quantity, yuan(a.price_fen),
               yuan(a.value_fen), None, None, a.quantity, yuan(a.value_fen), None, "王建国",
               "固定资产入库"])
    sheet.put([a.acquired_on, doc + "C", a.name, a.spec, a.unit, "领用", None, None, None, a.quantity,
               yuan(a.value_fen), 0, 0.0, a.department, a.custodian, f"转入固定资产 {a.asset_id}"])
    _add(month_sums, year_sums, a.quantity, a.value_fen, a.quantity, a.value_fen)


# ---- fees, standards, deposits ---------------------------------------------------------------


def write_fees(book: xlsxwriter.Workbook, formats: dict[str, Any], rows_wanted: int,
               rng: random.Random) -> dict[dt.date, int]:
    """One row per student and item, class by class with a 小计 per class; returns the money
    to deposit per day (paid − refunded, by the refund's own date)."""
    standard = {(item, grade): fen for item, grade, fen, _ in FEE_STANDARDS}
    days = school_days(dt.date(2026, 9, 1), PERIOD_END)
    first_week = days[:5]
    late_days = days[5:]
    students_per_class = 48
    rows: list[dict] = []
    student_no = 0
    class_no = 0
    while len(rows) < rows_wanted:
        grade = GRADES[class_no % len(GRADES)]
        # At most 20 classes a grade on one campus; a larger set is a school group's campuses
        # (a bursar never writes 一年级（100）班, and 3-digit numbers in a label are not totals).
        campus_no, index = divmod(class_no // len(GRADES), CLASSES_PER_GRADE)
        campus = CAMPUSES[campus_no] if campus_no < len(CAMPUSES) else f"分校{campus_no}"
        class_name = f"{campus}{grade}（{index + 1}）班"
        class_no += 1
        for _ in range(students_per_class):
            student_no += 1
            sid = f"G{2026 - GRADES.index(grade):04d}{student_no:06d}"
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            poor = rng.random() < 0.03
            items = ["作业本费", "伙食费"]
            if grade == "一年级":
                items.append("校服费")
            if rng.random() < 0.9:
                items.append("保险费")
            if rng.random() < 0.8:
                items.append("课后服务费")
            if rng.random() < 0.1:
                items.append("住宿费")
            for item in items:
                due = standard.get((item, grade), standard.get((item, "全部")))
                waived = 0
                if poor and item in ("伙食费", "住宿费", "作业本费"):
                    waived = due if rng.random() < 0.5 else due // 2
                payable = due - waived
                roll = rng.random()
                if payable == 0:
                    paid = 0
                elif roll < 0.015:
                    paid = 0  # 欠费: not yet paid, no receipt, no date
                elif roll < 0.025:
                    paid = payable // 2  # paid half so far
                else:
                    paid = payable
                day = rng.choice(first_week) if rng.random() < 0.85 else rng.choice(late_days)
                refunded = 0
                refund_day = None
                if item == "课后服务费" and paid and rng.random() < 0.03:
                    refunded = rng.choice([10_000, 20_000, 30_000])
                    refund_day = rng.choice([d for d in late_days if d > day] or [day])
                rows.append({
                    "grade": grade, "class": class_name, "sid": sid, "name": name, "item": item,
                    "due": due, "waived": waived, "paid": paid, "refunded": refunded,
                    "day": day if paid else None, "refund_day": refund_day, "void": False,
                    "note": "特困生减免" if waived else None,
                })
        rows.append({"subtotal": class_name})
    # A spoiled receipt is kept as its own row marked 作废, just before the row reissued.
    with_voids: list[dict] = []
    for row in rows:
        if "subtotal" not in row and row["paid"] and rng.random() < 0.003:
            with_voids.append({**row, "paid": 0, "waived": 0, "refunded": 0, "refund_day": None,
                               "void": True, "note": "作废（填写错误）"})
        with_voids.append(row)
    # Receipts are numbered per cashier in the order the money came in.
    paid_rows = [r for r in with_voids if "subtotal" not in r and (r["paid"] or r["void"])]
    for r in paid_rows:
        r["cashier"] = rng.randrange(len(CASHIERS))
    order = sorted(range(len(paid_rows)), key=lambda i: (paid_rows[i]["day"], i))
    next_number = [1, 1]
    for i in order:
        r = paid_rows[i]
        who, prefix = CASHIERS[r["cashier"]]
        r["receipt"] = f"{prefix}{next_number[r['cashier']]:06d}"
        next_number[r["cashier"]] += 1

    deposits = _takings(with_voids)
    for r in with_voids:
        # A refund paid out on a day that took in less is dated back to the payment instead,
        # so every day's deposit stays positive (a slip for a negative amount is no slip).
        if r.get("refund_day") and deposits[r["refund_day"]] <= 0:
            r["refund_day"] = None
    deposits = _takings(with_voids)

    sheet = Sheet(book, "收费台账", formats)
    header = ["学期", "年级", "班级", "学号", "姓名", "收费项目", "应收金额", "减免金额", "实收金额",
              "退费金额", "票据号", "缴费日期", "退费日期", "收款人", "备注"]
    sheet.title(f"{SCHOOL}{TERM}代收费登记表", len(header), f"收费单位：{SCHOOL}　　单位：元")
    _header(sheet, header)
    block = [0, 0, 0, 0]
    grand = [0, 0, 0, 0]
    for r in with_voids:
        if "subtotal" in r:
            sheet.put([None, None, r["subtotal"] + " 小计", None, None, None, yuan(block[0]), yuan(block[1]),
                       yuan(block[2]), yuan(block[3]), None, None, None, None, None])
            block = [0, 0, 0, 0]
            continue
        paid_cell: Any = yuan(r["paid"])
        if r["paid"] and rng.random() < 0.01:
            paid_cell = text_amount(r["paid"], rng)
        day_cell: Any = r["day"] if (r["paid"] or r["void"]) else None
        if day_cell is not None and rng.random() < 0.01:
            day_cell = text_date(r["day"], rng)
        sheet.put([TERM, r["grade"], r["class"], r["sid"], r["name"], r["item"], yuan(r["due"]),
                   yuan(r["waived"]) if r["waived"] else None, paid_cell,
                   yuan(r["refunded"]) if r["refunded"] else None, r.get("receipt"), day_cell,
                   r["refund_day"], CASHIERS[r["cashier"]][0] if "cashier" in r else None, r["note"]])
        amounts = (r["due"], r["waived"], r["paid"], r["refunded"])
        for k in range(4):
            block[k] += amounts[k]
            grand[k] += amounts[k]
    sheet.put([None, None, "合计", None, None, None, yuan(grand[0]), yuan(grand[1]), yuan(grand[2]),
               yuan(grand[3]), None, None, None, None, None])
    sheet.footer("制表人：李秀英　　收款人：李秀英、张玉兰　　审核：王建国")
    return deposits


def _takings(rows: list[dict]) -> dict[dt.date, int]:
    """Money to bank per day: paid on its day, refunds on theirs; voided rows carry none."""
    per_day: dict[dt.date, int] = {}
    for r in rows:
        if "subtotal" in r or r["void"]:
            continue
        if r["paid"]:
            per_day[r["day"]] = per_day.get(r["day"], 0) + r["paid"]
        if r["refunded"]:
            day = r["refund_day"] or r["day"]
            per_day[day] = per_day.get(day, 0) - r["refunded"]
    return per_day


def write_standards(book: xlsxwriter.Workbook, formats: dict[str, Any]) -> None:
    sheet = Sheet(book, "收费标准", formats)
    sheet.title(f"{TERM}收费标准", 4, "单位：元")
    _header(sheet, ["收费项目", "适用年级", "收费标准", "批准文号"])
    for item, grade, fen, basis in FEE_STANDARDS:
        sheet.put([item, grade, yuan(fen), basis])


def write_deposits(book: xlsxwriter.Workbook, formats: dict[str, Any], per_day: dict[dt.date, int],
                   rng: random.Random) -> None:
    """Each day's takings banked the same day, in slips of at most 200,000 yuan."""
    sheet = Sheet(book, "银行缴款登记", formats)
    sheet.title("代收费缴存银行登记", 5, "单位：元")
    _header(sheet, ["缴款日期", "缴款金额", "缴款单号", "账户", "备注"])
    slip = 0
    total = 0
    for day in sorted(per_day):
        amount = per_day[day]
        if amount <= 0:
            raise AssertionError(f"refunds exceed takings on {day}: the generator must avoid it")
        while amount > 0:
            part = min(amount, 20_000_000)
            slip += 1
            sheet.put([day, yuan(part), f"JK2026{slip:05d}", "财政专户", None])
            amount -= part
            total += part
    sheet.put(["合计", yuan(total), None, None, None])


# ---- entry points ----------------------------------------------------------------------------


def scale_name(scale: float) -> str:
    return f"{scale:g}x"


STRINGS = ("shared", "inline")


def set_path(scale: float, strings: str = "shared") -> Path:
    suffix = "" if strings == "shared" else f"_{strings}"
    return DATA_DIR / f"ledgers_{scale_name(scale)}{suffix}.xlsx"


def assets_only_path(rows: int, strings: str = "shared") -> Path:
    suffix = "" if strings == "shared" else f"_{strings}"
    return DATA_DIR / f"assets_{rows}{suffix}.xlsx"


def new_workbook(path: Path, strings: str) -> xlsxwriter.Workbook:
    """`shared`: text in the shared-string table, as Excel writes it; `inline`: streamed, each
    string in its own cell (see the module's docstring)."""
    if strings not in STRINGS:
        raise ValueError(f"strings must be one of {STRINGS}, not {strings!r}")
    return xlsxwriter.Workbook(str(path), {"constant_memory": strings == "inline"})


def generate_set(scale: float, path: Path | None = None, strings: str = "shared") -> Path:
    """All seven ledgers at `scale` × (50k assets, 100k stock moves, 60k fee rows)."""
    path = path or set_path(scale, strings)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    assets = make_assets(round(ASSETS_PER_SCALE * scale), rng)
    tmp = path.with_suffix(".tmp.xlsx")
    book = new_workbook(tmp, strings)
    formats = _formats(book)
    write_assets(book, formats, assets, rng)
    write_gl(book, formats, assets)
    write_count(book, formats, assets, rng)
    write_stock(book, formats, round(MOVES_PER_SCALE * scale), assets, rng)
    per_day = write_fees(book, formats, round(FEES_PER_SCALE * scale), rng)
    write_standards(book, formats)
    write_deposits(book, formats, per_day, rng)
    book.close()
    tmp.replace(path)  # a half-written file never carries the final name
    return path


def generate_assets_only(rows: int, path: Path | None = None, strings: str = "shared") -> Path:
    """The register alone (with its general ledger), `rows` asset cards: issue #2's workbook."""
    path = path or assets_only_path(rows, strings)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    assets = make_assets(rows, rng)
    tmp = path.with_suffix(".tmp.xlsx")
    book = new_workbook(tmp, strings)
    formats = _formats(book)
    write_assets(book, formats, assets, rng)
    write_gl(book, formats, assets)
    book.close()
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate large consistent ledger workbooks.")
    parser.add_argument("--scale", default="0.1",
                        help="comma-separated scales; 1 = 50k assets, 100k moves, 60k fee rows")
    parser.add_argument("--strings", choices=STRINGS, default="shared",
                        help="shared: text in a shared-string table, as Excel writes (default); "
                             "inline: streamed, as issue #6's benchmark wrote")
    parser.add_argument("--export", metavar="SCALES",
                        help="instead, write the export-like workbook (card export + 科目余额表) "
                             "at these comma-separated scales")
    parser.add_argument("--assets-only", type=int, metavar="N",
                        help="instead, write a register of N asset rows (and its general ledger)")
    parser.add_argument("--out", type=Path, help="output file (default: bench/data/…)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.assets_only:
        path = generate_assets_only(args.assets_only, args.out, args.strings)
        print(f"{path}  ({path.stat().st_size / 2**20:.1f} MiB, {time.perf_counter() - started:.1f} s)")
        return 0
    if args.export:
        import exportlike  # beside this file; it builds on this module's assets

        for text in args.export.split(","):
            t0 = time.perf_counter()
            path = exportlike.generate_export(float(text), args.out, args.strings)
            print(f"{path}  ({path.stat().st_size / 2**20:.1f} MiB, {time.perf_counter() - t0:.1f} s)")
        return 0
    for text in args.scale.split(","):
        t0 = time.perf_counter()
        path = generate_set(float(text), args.out, args.strings)
        print(f"{path}  ({path.stat().st_size / 2**20:.1f} MiB, {time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
