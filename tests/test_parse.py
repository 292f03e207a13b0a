"""Numbers and dates as bursars type them: every form in LEDGERS.md, and round-trips."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from houqin_xl.ledgers.parse import BAD, display, parse_date, parse_number, parse_text
from houqin_xl.read.grid import ExcelError

FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


@pytest.mark.parametrize(("text", "expected"), [
    ("1,200.00", "1200.00"), ("¥1200", "1200"), ("￥1200", "1200"), ("1200元", "1200"),
    ("１２００", "1200"), (" 350 ", "350"), ("-", "0"), ("—", "0"), ("(300)", "-300"),
    ("¥1,234.50", "1234.50"), ("1,234.50元", "1234.50"), ("人民币1200元整", "1200"),
    ("-¥1,234.50", "-1234.50"), ("¥-12", "-12"), ("\u3000350\u3000", "350"), ("12,345,678", "12345678"),
    ("０.５", "0.5"), ("1e3", "1000"), ("\u2212300", "-300"), ("－300", "-300"),
])
def test_number_forms_bursars_type(text: str, expected: str) -> None:
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["五百", "1,2345", "12.3.4", "abc", "1200元5", "¥", "#REF!", "1 200 元x"])
def test_text_that_is_not_a_number_is_bad(text: str) -> None:
    assert parse_number(text) is BAD


def test_empty_cells_are_none_not_bad() -> None:
    assert parse_number(None) is None
    assert parse_number("   ") is None
    assert parse_date("") is None
    assert parse_text("  ") is None


def test_excel_errors_are_bad_never_empty() -> None:
    for code in ("#REF!", "#DIV/0!", "#N/A"):
        assert parse_number(ExcelError(code)) is BAD
        assert parse_date(ExcelError(code)) is BAD
        assert parse_text(ExcelError(code)) is BAD


def test_real_numbers_are_exact() -> None:
    assert parse_number(0.1) == Decimal("0.1")
    assert parse_number(1234.5) == Decimal("1234.5")
    assert parse_number(7) == Decimal(7)
    assert parse_number(float("nan")) is BAD
    assert parse_number(True) is BAD


@pytest.mark.parametrize("text", ["1e999999999", "9" * 400, "-1e40"])
def test_absurdly_large_numbers_are_bad_not_a_crash(text: str) -> None:
    assert parse_number(text) is BAD


@pytest.mark.parametrize(("value", "expected"), [
    ("2026.9.1", dt.date(2026, 9, 1)), ("2026/09/01", dt.date(2026, 9, 1)),
    ("2026-9-1", dt.date(2026, 9, 1)), ("2026年9月1日", dt.date(2026, 9, 1)),
    ("20260901", dt.date(2026, 9, 1)), ("２０２６年９月１日", dt.date(2026, 9, 1)),
    ("2026 年 9 月 1 日", dt.date(2026, 9, 1)), ("2026-09-01 10:30", dt.date(2026, 9, 1)),
    (46266, dt.date(2026, 9, 1)), (46266.5, dt.date(2026, 9, 1)), ("46266", dt.date(2026, 9, 1)),
    (20260901, dt.date(2026, 9, 1)), (dt.datetime(2026, 9, 1, 8, 0), dt.date(2026, 9, 1)),
    (dt.date(2026, 9, 1), dt.date(2026, 9, 1)),
])
def test_date_forms_bursars_type(value: object, expected: dt.date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2026.13.40", "2026-02-30", "明天", "12", 5, "2026年", True])
def test_what_is_not_a_date_is_bad(value: object) -> None:
    assert parse_date(value) is BAD


def test_text_keeps_codes_as_shown() -> None:
    assert parse_text(1001.0) == "1001"
    assert parse_text("Ａ００１") == "A001"
    assert parse_text(dt.datetime(2026, 9, 1)) == "2026-09-01"
    assert display(1200.0) == "1200"
    assert display("") is None


# ---- round-trips -------------------------------------------------------------------------

amounts = st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"),
                      places=2, allow_nan=False, allow_infinity=False)


def _grouped(value: Decimal) -> str:
    return f"{value:,.2f}"


def _yen(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral() else format(value, "f")
    return ("-¥" + text[1:]) if text.startswith("-") else "¥" + text


@given(amounts, st.sampled_from(["grouped", "yen", "fullwidth_yen", "yuan", "fullwidth", "spaced"]))
@settings(max_examples=300, deadline=None)
def test_any_amount_formatted_as_bursars_do_parses_back_exactly(value: Decimal, form: str) -> None:
    plain = f"{value:.2f}"
    text = {
        "grouped": _grouped(value),                    # 1,234.50
        "yen": _yen(value),                            # ¥1234.5
        "fullwidth_yen": "￥" + plain if value >= 0 else "-￥" + plain[1:],
        "yuan": plain + "元",                          # 1234.50元
        "fullwidth": _grouped(value).translate(FULL_WIDTH),  # １，２３４．５０
        "spaced": f"  {plain} \u3000",
    }[form]
    assert parse_number(text) == value, text


dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 12, 31))
DATE_FORMS = {
    "dots": lambda d: f"{d.year}.{d.month}.{d.day}",
    "slashes": lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    "dashes": lambda d: f"{d.year}-{d.month}-{d.day}",
    "chinese": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "compact": lambda d: f"{d:%Y%m%d}",
    "iso": lambda d: d.isoformat(),
    "fullwidth": lambda d: f"{d.year}年{d.month}月{d.day}日".translate(FULL_WIDTH),
    "serial": lambda d: (d - dt.date(1899, 12, 30)).days,
    "serial_text": lambda d: str((d - dt.date(1899, 12, 30)).days),
    "datetime": lambda d: dt.datetime(d.year, d.month, d.day, 9, 30),
}


@given(dates, st.sampled_from(sorted(DATE_FORMS)))
@settings(max_examples=300, deadline=None)
def test_any_date_in_each_form_parses_back(day: dt.date, form: str) -> None:
    assert parse_date(DATE_FORMS[form](day)) == day


cell_values = st.one_of(
    st.none(), st.text(), st.integers(), st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(), st.decimals(allow_nan=False), st.dates(), st.datetimes(),
    st.sampled_from([ExcelError(c) for c in ("#REF!", "#DIV/0!", "#N/A")]),
    st.from_regex(r"[-+(¥￥ ]{0,2}[0-9０-９,，.e]{0,12}[元)年月日/.-]{0,3}[0-9]{0,4}", fullmatch=True),
)


@given(cell_values)
@settings(max_examples=500, deadline=None)
def test_garbage_never_raises(value: object) -> None:
    number = parse_number(value)
    assert number is None or number is BAD or isinstance(number, Decimal)
    day = parse_date(value)
    assert day is None or day is BAD or isinstance(day, dt.date)
    text = parse_text(value)
    assert text is None or text is BAD or isinstance(text, str)
    display(value)
