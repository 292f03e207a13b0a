"""Sets 5 and 6 hold what the systems and the bursar really hand over, and their figures are
right by the rules themselves — checked here from the files' own bytes and cells, without the
tool's layouts, so a sample cannot agree with the tool by sharing its mistake.

The depreciation figures are recomputed by the rule of LEDGERS.md (monthly straight line from
the month of acquisition, no residual value, books and 名义金额 not depreciated), so set 5 stays
clean when the depreciation checks arrive.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from houqin_xl.read import read_paths
from houqin_xl.samples.books import ACCOUNT_BOOKS, EXPORTS
from houqin_xl.samples.demo import SampleSet, build_samples

CENT = Decimal("0.01")
PERIOD = (2026, 11)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SampleSet]:
    return build_samples(tmp_path_factory.mktemp("shapes"))


def _file(sample: SampleSet, suffix: str, word: str = "") -> Path:
    return next(p for p in sample.paths if p.suffix == suffix and word in p.name)


def _grids(path: Path) -> dict[str, list[list[object]]]:
    """Each sheet's rows from A1, every row as wide as the widest (rows end at their last value)."""
    out = {}
    for grid in read_paths([path]):
        rows = [[]] * (grid.first_row - 1) + [[None] * (grid.first_col - 1) + list(r) for r in grid.rows]
        width = max((len(r) for r in rows), default=0)
        out[grid.sheet] = [r + [None] * (width - len(r)) for r in rows]
    return out


def _merges(path: Path, sheet: str) -> list[tuple[int, int, int, int]]:
    return next(g.merged for g in read_paths([path]) if g.sheet == sheet)


def _money(text: object) -> Decimal:
    """An amount as the exports print it: '1,239,790.35 ', '6850000.00', blank for zero."""
    if text is None or str(text).strip() == "":
        return Decimal("0.00")
    return Decimal(str(text).replace(",", "").strip())


def _day(value: object) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[return-value]


def _table(grid: list[list[object]], header_row: int) -> list[dict[str, object]]:
    """The rows under a one-row header as dicts, up to the 合计 row."""
    header = [str(v) for v in grid[header_row - 1]]
    out = []
    for line in grid[header_row:]:
        record = dict(zip(header, line, strict=False))
        if record.get("序号") == "合计" or not any(v not in (None, "") for v in line):
            break
        out.append(record)
    return out


def _gbk_text(path: Path) -> str:
    """The file's text, which is GBK as the asset system writes it, not UTF-8."""
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    return raw.decode("gbk")


def test_the_card_export_is_an_html_table_in_gbk_as_the_asset_system_writes_it(
        samples: dict[str, SampleSet]) -> None:
    path = _file(samples[EXPORTS], ".xls", "资产卡片")
    text = _gbk_text(path)
    assert text.startswith("<html") and "charset=gb2312" in text and "<x:Name>资产卡片信息列表</x:Name>" in text
    assert 'mso-number-format:"\\@"' in text
    grid = _grids(path)["资产卡片信息列表"]
    assert grid[0][0] == "资产卡片信息列表" and str(grid[1][0]).startswith("单位名称：")
    cards = _table(grid, 3)
    header = [str(v) for v in grid[2]]
    assert {"资产分类代码", "资产分类名称", "数量/面积", "价值(元)", "累计折旧(元)", "净值(元)", "取得日期",
            "财务入账日期", "使用年限(月)"} <= set(header)
    assert "单价" not in header
    assert all(re.fullmatch(r"\d{18}", c["资产编号"]) for c in cards)
    assert all(re.fullmatch(r"[1-6]\d{6}", c["资产分类代码"]) for c in cards)  # GB/T 14885-2010 detail
    assert {c["使用状况"] for c in cards} >= {"在用", "闲置", "出租", "待处置"}
    assert any(c["计量单位"] == "平方米" for c in cards), "buildings counted by floor area"
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", c["取得日期"]) for c in cards)
    total = next(line for line in grid if line[0] == "合计")
    assert _money(total[8]) == sum(_money(c["价值(元)"]) for c in cards)


def _expected_depreciation(card: dict[str, object]) -> Decimal:
    """LEDGERS.md: 原值 × min(months, life) ÷ life, months counted from the acquisition month
    through the period's; nothing for 图书、档案 or 名义金额."""
    value = _money(card["价值(元)"])
    if str(card["资产分类代码"]).startswith("5") or card["价值类型"] == "名义金额":
        return Decimal("0.00")
    acquired = dt.date.fromisoformat(str(card["取得日期"]))
    months = (PERIOD[0] - acquired.year) * 12 + PERIOD[1] - acquired.month + 1
    life = int(card["使用年限(月)"])
    return (value * min(months, life) / life).quantize(CENT, rounding=ROUND_HALF_UP)


def test_every_card_carries_the_depreciation_the_rule_gives(samples: dict[str, SampleSet]) -> None:
    grid = _grids(_file(samples[EXPORTS], ".xls", "资产卡片"))["资产卡片信息列表"]
    cards = _table(grid, 3)
    for card in cards:
        stated = _money(card["累计折旧(元)"])
        assert stated == _expected_depreciation(card), card["资产名称"]
        assert _money(card["净值(元)"]) == _money(card["价值(元)"]) - stated
    this_month = [c for c in cards if str(c["取得日期"]).startswith("2026-11") and c["使用年限(月)"]]
    assert this_month and all(int(c["已提月数"]) == 1 for c in this_month), "bought this month: one month"
    assert any(c["折旧状态"] == "提完折旧" for c in cards) and any(c["价值类型"] == "名义金额" for c in cards)


# The minimum lives of 财会〔2017〕4号 as LEDGERS.md lists them, by GB/T 14885-2010 code prefix:
# brick-concrete buildings 30 years, structures 8, computers and office equipment 6, machinery
# (空调机组 2101905 is under 210 机械设备) 10, broadcasting 5, instruments 5, 专用设备 for
# teaching, sport and the arts 5, kitchen machinery (314) 10, furniture 15.
MINIMUM_MONTHS = {"102": 360, "103": 96, "201": 72, "202": 72, "210": 120, "232": 60, "360": 60,
                  "370": 60, "371": 60, "314": 120, "601": 180}


def test_no_card_is_written_off_faster_than_its_class_allows(samples: dict[str, SampleSet]) -> None:
    cards = _table(_grids(_file(samples[EXPORTS], ".xls", "资产卡片"))["资产卡片信息列表"], 3)
    for card in cards:
        if not card["使用年限(月)"]:
            assert card["折旧状态"] == "不提折旧"
            continue
        code = str(card["资产分类代码"])
        assert int(card["使用年限(月)"]) >= MINIMUM_MONTHS[code[:3]], card["资产名称"]


def _accounts(grid: list[list[object]]) -> dict[str, list[object]]:
    return {str(line[0]).strip(): line for line in grid if line and line[0] and str(line[0]).strip().isdigit()}


def test_the_general_ledger_is_a_balanced_trial_balance_agreeing_with_the_cards(
        samples: dict[str, SampleSet]) -> None:
    path = _file(samples[EXPORTS], ".xls", "科目余额表")
    text = path.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0"') and '<?mso-application progid="Excel.Sheet"?>' in text
    assert 'ss:MergeDown="1"' in text and 'ss:MergeAcross="1"' in text
    grid = _grids(path)["科目余额表"]
    accounts = _accounts(grid)
    assert {"1001", "1002", "1011", "1302", "1601", "1602", "2201", "3001", "4001", "5001"} <= set(accounts)
    figures = [v for line in accounts.values() for v in line[2:10] if v not in (None, "")]
    assert figures and all(isinstance(v, str) and v.endswith(" ") for v in figures), "text, a trailing space"
    total = next(line for line in grid if line[1] == "合计")
    for debit in (2, 4, 6, 8):  # 期初, 本期, 本年累计, 期末: 借方 = 贷方
        assert _money(total[debit]) == _money(total[debit + 1]) > 0
    cards = _table(_grids(_file(samples[EXPORTS], ".xls", "资产卡片"))["资产卡片信息列表"], 3)
    values: dict[str, Decimal] = defaultdict(Decimal)
    written_off: dict[str, Decimal] = defaultdict(Decimal)
    for card in cards:
        values[str(card["资产分类代码"])[0]] += _money(card["价值(元)"])
        written_off[str(card["资产分类代码"])[0]] += _money(card["累计折旧(元)"])
    for code, line in accounts.items():
        if len(code) == 6 and code.startswith("1601"):
            assert _money(line[8]) - _money(line[9]) == values[code[-1]], code
        if len(code) == 6 and code.startswith("1602"):
            assert _money(line[9]) - _money(line[8]) == written_off[code[-1]], code
    assert _money(accounts["1601"][8]) == sum(values.values())
    assert _money(accounts["1602"][9]) == sum(written_off.values())


def test_the_disposal_export_lists_the_cards_gone_from_the_books_with_their_approval(
        samples: dict[str, SampleSet]) -> None:
    path = _file(samples[EXPORTS], ".xls", "资产处置")
    assert _gbk_text(path).startswith("<html")
    grid = _grids(path)["资产处置明细"]
    disposed = _table(grid, 3)
    cards = _table(_grids(_file(samples[EXPORTS], ".xls", "资产卡片"))["资产卡片信息列表"], 3)
    assert disposed and not {d["资产编号"] for d in disposed} & {c["资产编号"] for c in cards}
    assert {d["处置方式"] for d in disposed} == {"报废"}
    # Fully depreciated when they left; a 处置单 of 100,000 yuan or more went to the education
    # bureau (the illustrative default tiers), a smaller one was the school's.
    batches: dict[str, Decimal] = defaultdict(Decimal)
    for line in disposed:
        assert _money(line["累计折旧(元)"]) == _money(line["价值(元)"]) and _money(line["净值(元)"]) == 0
        assert line["批复日期"] <= line["处置日期"]
        batches[line["处置单号"]] += _money(line["价值(元)"])
    for line in disposed:
        assert (line["审批单位"] == "教育局") == (batches[line["处置单号"]] >= 100000), line["资产名称"]
    # 1601 was credited this year with exactly what was disposed (本年累计 贷方).
    accounts = _accounts(_grids(_file(samples[EXPORTS], ".xls", "科目余额表"))["科目余额表"])
    assert _money(accounts["1601"][7]) == sum(_money(d["价值(元)"]) for d in disposed) > 0


def test_the_stocktake_csv_is_gbk_and_lists_every_card_as_counted(samples: dict[str, SampleSet]) -> None:
    path = _file(samples[EXPORTS], ".csv")
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    first = raw.decode("gbk").splitlines()[1]
    assert re.match(r'^="\d{18}",', first), "ids kept as text the way Excel reads them"
    grid = next(iter(_grids(path).values()))
    counted = _table(grid, 1)
    cards = _table(_grids(_file(samples[EXPORTS], ".xls", "资产卡片"))["资产卡片信息列表"], 3)
    assert sorted(c["资产编号"] for c in counted) == sorted(c["资产编号"] for c in cards)
    assert {c["盘点状态"] for c in counted} == {"已盘"}
    assert all(c["账面数量"] == c["实盘数量"] and c["账面存放地点"] == c["实际存放地点"] for c in counted)
    assert all(re.fullmatch(r"2026-11-2[345] \d\d:\d\d:\d\d", c["盘点时间"]) for c in counted)


def test_the_stores_book_has_a_page_per_item_kept_as_the_printed_book(samples: dict[str, SampleSet]) -> None:
    path = _file(samples[ACCOUNT_BOOKS], ".xlsx", "明细账")
    grids = _grids(path)
    assert list(grids)[0] == "目录" and len(grids) == 11
    carried = 0
    for sheet, grid in list(grids.items())[1:]:
        assert grid[1][0] == f"品名：{sheet}" and str(grid[2][4]).startswith("编号：")
        assert grid[3][0] == "2026年" and grid[4][:2] == ["月", "日"]
        assert (4, 1, 4, 2) in _merges(path, sheet), "2026年 over 月 | 日"
        assert grid[5][:2] == [1, 1] and grid[5][3] == "上年结转"
        labels = [line[3] for line in grid[5:]]
        assert labels.count("本月合计") == labels.count("本年累计") >= 5
        carried += labels.count("过次页") == labels.count("承前页") == 1
        balances = [(line[10], line[12]) for line in grid[5:] if isinstance(line[10], int | float)]
        assert all(amount == pytest.approx(qty * grid[5][11]) for qty, amount in balances)
    assert carried >= 8, "a long year runs over a printed page"


def test_the_fee_book_is_wide_a_sheet_per_class_beside_wide_standards_and_the_bank_book(
        samples: dict[str, SampleSet]) -> None:
    sample = samples[ACCOUNT_BOOKS]
    classes = _grids(_file(sample, ".xlsx", "代收费登记表"))
    assert len(classes) == 12 and all(re.fullmatch(r"[一二三四五六]\(\d\)班", s) for s in classes)
    takings: dict[dt.date, Decimal] = defaultdict(Decimal)
    blanks = 0
    for sheet, grid in classes.items():
        assert grid[1][0] == f"班级：{sheet}"
        top, sub = grid[3], grid[4]
        assert top[3:7] == ["作业本费", "校服费", "保险费", "伙食费"] and sub[6:9] == ["应收", "减免", "实收"]
        assert top[11:15] == ["合计", "收据号", "缴费日期", "备注"]
        students = [line for line in grid[5:15] if line[2]]
        assert [line[0] for line in grid[5:15]] == list(range(1, 11)), "a form pre-numbered to 10"
        blanks += sum(line[c] in (None, "") for line in students for c in (3, 4, 5, 9, 10))
        for line in students:
            assert _money(line[11]) == sum(_money(line[c]) for c in (3, 4, 5, 8, 9, 10))
            if line[12]:
                takings[_day(line[13])] += _money(line[11])
        assert grid[15][0] == "合计"
    assert blanks > 100, "items a student does not take are left blank"
    standards = next(iter(_grids(_file(sample, ".xlsx", "标准")).values()))
    assert [line[0] for line in standards[3:9]] == ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级"]
    journal = next(iter(_grids(_file(sample, ".xls", "日记账")).values()))
    assert journal[2][:8] == ["日期", "凭证号", "摘要", "对方科目", "借方", "贷方", "方向", "余额"]
    assert journal[3][2] == "上年结转"
    deposits = {_day(line[0]): _money(line[4]) for line in journal[4:]
                if isinstance(line[0], dt.date) and line[0].month >= 9 and line[4]}
    assert deposits == dict(takings), "each day's takings banked that day"
