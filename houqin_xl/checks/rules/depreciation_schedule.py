"""What an auditor recomputes: every asset's 累计折旧 at the period's end, and the month's charge.

LEDGERS.md "Depreciation (折旧)", after 政府会计准则第3号 and its 应用指南 (财会〔2017〕4号):

- straight line by the month (年限平均法), no residual value;
- from the month of acquisition (当月增加，当月计提): months = the acquisition month through the
  period's month, both counted — the 取得日期, never the 财务入账日期 (the booking date is taken
  only where a register gives no acquisition date at all, and the message says so);
- capped at the life: once fully depreciated, no more, even if still in use;
- expected 累计折旧 = 原值 × min(months, life) ÷ life, rounded to the fen;
- not depreciated at all: 文物和陈列品, 图书、档案, 动植物, land, assets at 名义金额;
- the life is the register's own (使用年限 / 折旧年限, kept in months) where it gives one, else
  the default of the asset's class (`depreciation_lives.py`).

The month's charge (本月应提折旧, what the bursar books in the month's voucher) is the expected
累计折旧 at the period's end less that at the end of the month before. Disposed assets (已报废)
are off the books: neither recomputed nor charged.

One frame row per register record; the rules (`rules/depreciation.py`), the summaries and the
JSON all read the same schedule, built once per run (a small memo keyed on the ledgers). Not
a rule itself: it lives beside the rules that use it, as base.py does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...ledgers.money import fen_text, to_fen
from ...ledgers.parse import BAD, parse_text
from ...ledgers.statuses import disposed_mask
from ...ledgers.typed import ROW
from ..depreciation_lives import Life, LifeTable, life_of, load_life_table
from .base import POSITION, SOURCE, contains_column, per_distinct, stack

if TYPE_CHECKING:
    from ...config import Config
    from ...ledgers.categories import CategoryList
    from ...ledgers.typed import TypedLedger
    from ...period import Period

_FIELDS = ["category", "category_code", "category_name", "name", "spec", "department", "status",
           "original_value", "accumulated_depreciation", "acquired_on", "booked_on",
           "useful_life_months", "value_type"]

# Why an asset's 累计折旧 was not recomputed (the column `skipped`; "" when it was).
DISPOSED = "已报废"
NO_VALUE = "原值为空或无法读取"
NO_DATE = "缺少取得日期"
LATER = "取得日期晚于本期"
NO_LIFE = "使用年限未填，且资产分类不在折旧年限表中"
NO_CLASS = "使用年限未填，且资产分类无法确定"


@dataclass
class Schedule:
    """Per register record (stacked like rules.base.stack: SOURCE, POSITION, `_row`):

    category, department — labels; disposed (bool); original (fen, NaN when unreadable);
    stated (the register's 累计折旧 in fen, NaN when blank); start (the date months count from),
    booked (True when that is the 财务入账日期); months (acquisition month through the period's,
    NaN without a date); life (months used, NaN when none), life_given (the register's own,
    NaN when blank), minimum (months, NaN), basis (where the life comes from), school (the
    default is the school's setting), never (not depreciated); expected, opening, charge (fen; NaN when not recomputed); skipped (why not,
    "" when recomputed)."""

    frame: pd.DataFrame
    registers: list[TypedLedger]
    period: Period
    category_order: list[str]

    @property
    def recomputed(self) -> pd.Series:
        return self.frame["skipped"] == ""

    @property
    def on_books(self) -> pd.Series:
        return ~self.frame["disposed"]


def _months(dates: pd.Series, period: Period) -> np.ndarray:
    """Months from each date's month through the period's month, both counted (NaN: no date)."""
    values = dates.to_numpy(dtype="datetime64[ns]")
    month = values.astype("datetime64[M]")
    ordinal = month.astype(np.int64).astype(float)  # months since 1970-01
    ordinal[np.isnat(values)] = np.nan
    end = (period.year - 1970) * 12 + (period.month - 1)
    return end - ordinal + 1


def _straight_line(original: np.ndarray, months: np.ndarray, life: np.ndarray) -> np.ndarray:
    """原值 × min(months, life) ÷ life in fen, rounded half up, for rows where all are known
    (NaN elsewhere); 0 for months ≤ 0. Integer arithmetic: a float product of 10^10 fen by
    600 months is exact, but its division must round the way a bursar's system does."""
    out = np.full(len(original), np.nan)
    ok = ~np.isnan(original) & ~np.isnan(months) & ~np.isnan(life) & (life > 0)
    value = original[ok].astype(np.int64)
    taken = np.clip(months[ok], 0, life[ok]).astype(np.int64)
    whole = life[ok].astype(np.int64)
    out[ok] = (2 * value * taken + whole) // (2 * whole)
    return out


def _raw_categories(registers: list[TypedLedger]) -> np.ndarray:
    """Each record's category cell as written (the frame's column holds the top class)."""
    parts = []
    for typed in registers:
        raw = typed.ledger.raw.get("category")
        if raw is None:
            parts.append(np.full(len(typed.frame), None, dtype=object))
            continue
        # Each distinct cell read once: a register's classes repeat down its 10,000 cards.
        parts.append(per_distinct(pd.Series(raw, dtype=object), _category_texts, blank=None))
    return np.concatenate(parts) if parts else np.empty(0, dtype=object)


def _category_texts(cells: np.ndarray) -> list[str | None]:
    return [None if (text := parse_text(v)) is BAD else text for v in cells]


def _lives(frame: pd.DataFrame, raw_category: np.ndarray, table: LifeTable,
           categories: CategoryList) -> list[Life | None]:
    """The table's life per record, worked out once per distinct record (a class, a name and a
    spec repeat down a register of 10,000 cards)."""
    nominal = contains_column(frame["value_type"], "名义")
    keys = np.empty(len(frame), dtype=object)
    columns = [frame[f].to_numpy(dtype=object) for f in
               ("category", "category_code", "category_name", "name", "spec")]
    keys[:] = list(zip(*columns, raw_category, nominal, strict=True))
    codes, uniques = pd.factorize(keys)
    found: list[Life | None] = []
    known = set(categories.names)
    for label, code, name_cell, name, spec, category_cell, is_nominal in uniques:
        if label not in known and not is_nominal:
            # A class that cannot be placed is reported on its cell already; its life is not
            # guessed from the name (only the register's own life is used for it).
            found.append(None)
            continue
        found.append(life_of(table, categories, label, code, category_cell, name_cell, name, spec,
                             bool(is_nominal)))
    return [found[c] for c in codes]


# A life column the reader took for years (使用年限, 折旧年限: the word 年 and no unit written)
# whose figures are months all the same: computers at 72 "years", buildings at 600. Judged on the
# whole column against the class defaults — years give lives near the table's, months twelve
# times them — so a register of buildings at 50 years stays in years.
_MONTHS_RATIO = 6.0
LIFE_NOTE = "使用年限"


def _months_as_written(frame: pd.DataFrame, registers: list[TypedLedger], given: np.ndarray,
                       default: np.ndarray, never: np.ndarray) -> np.ndarray:
    out = given.copy()
    sources = frame[SOURCE].to_numpy()
    for source, typed in enumerate(registers):
        if typed.ledger.units.get("useful_life_months", 1) != 12:
            continue
        mine = sources == source
        known = mine & (given > 0) & (default > 0) & ~never
        if not known.any() or np.median(given[known] / default[known]) < _MONTHS_RATIO:
            continue
        out[mine] = given[mine] / 12
        header = typed.ledger.header_of("useful_life_months")
        typed.ledger.context[LIFE_NOTE] = (f"“{header}”的数值是月数（如 72 即 6 年，为各类默认年限的12倍上下），"
                                           "按月读取 / read as months")
    return out


def build_schedule(registers: list[TypedLedger], config: Config, categories: CategoryList,
                   period: Period) -> Schedule:
    table = load_life_table(config, categories)
    frame = stack(registers, _FIELDS)
    raw_category = _raw_categories(registers)
    disposed = disposed_mask(frame["status"]) if len(frame) else np.zeros(0, dtype=bool)
    original = to_fen(frame["original_value"].to_numpy(float))
    original[original < 0] = np.nan  # a negative 原值 is reported already: nothing to compute
    stated = to_fen(frame["accumulated_depreciation"].to_numpy(float))
    acquired = pd.to_datetime(frame["acquired_on"])
    booked = pd.to_datetime(frame["booked_on"])
    use_booked = acquired.isna() & booked.notna()
    start = acquired.where(~use_booked, booked)
    months = _months(start, period)
    lives = _lives(frame, raw_category, table, categories)
    never = np.array([life is not None and life.never for life in lives], dtype=bool)
    default = np.array([np.nan if life is None or life.months is None else life.months
                        for life in lives], dtype=float)
    minimum = np.array([np.nan if life is None or life.minimum is None else life.minimum
                        for life in lives], dtype=float)
    basis = np.array(["" if life is None else life.basis for life in lives], dtype=object)
    by_school = np.array([life is not None and life.school for life in lives], dtype=bool)
    given = _months_as_written(frame, registers, frame["useful_life_months"].to_numpy(float),
                               default, never)
    given = np.round(given)
    given[~(given > 0)] = np.nan
    life = np.where(np.isnan(given), default, given)
    life[never] = np.nan

    skipped = np.full(len(frame), "", dtype=object)
    classed = frame["category"].isin(categories.names).to_numpy()
    skipped[np.isnan(life) & ~never] = NO_LIFE
    skipped[np.isnan(life) & ~never & ~classed] = NO_CLASS
    skipped[months < 1] = LATER
    skipped[np.isnan(months)] = NO_DATE
    skipped[np.isnan(original)] = NO_VALUE
    skipped[disposed] = DISPOSED
    computed = skipped == ""

    expected = _straight_line(original, months, life)
    opening = _straight_line(original, months - 1, life)
    expected[never & computed] = 0.0
    opening[never & computed] = 0.0
    expected[~computed] = np.nan
    opening[~computed] = np.nan
    out = pd.DataFrame({
        SOURCE: frame[SOURCE].to_numpy(), POSITION: frame[POSITION].to_numpy(),
        ROW: frame[ROW].to_numpy(),
        "category": frame["category"].to_numpy(dtype=object),
        "department": frame["department"].to_numpy(dtype=object),
        "disposed": disposed, "original": original, "stated": stated,
        "start": start.to_numpy(), "booked": use_booked.to_numpy(), "months": months,
        "life": life, "life_given": given, "minimum": minimum, "basis": basis, "never": never,
        "school": by_school,
        "expected": expected, "opening": opening, "charge": expected - opening,
        "skipped": skipped,
    })
    return Schedule(out, registers, period, list(categories.names))


# ---- one run's schedule -------------------------------------------------------------------------

# The rules and check() both ask for the schedule of the same registers: built once. Keyed on
# the ids of the very objects, which the entry keeps alive so that no id is reused meanwhile.
_MEMO: list[tuple[tuple[int, ...], tuple[Any, ...], Schedule]] = []


def depreciation_schedule(registers: list[TypedLedger], config: Config, categories: CategoryList,
                          period: Period | None) -> Schedule | None:
    """The schedule of these registers at the period's end; None without a register or a
    period (the months cannot be counted)."""
    if not registers or period is None:
        return None
    held = (*registers, config, categories)
    key = (*(id(obj) for obj in held), period.year, period.month)
    for known, _objects, schedule in _MEMO:
        if known == key:
            return schedule
    schedule = build_schedule(registers, config, categories, period)
    _MEMO.insert(0, (key, held, schedule))
    del _MEMO[2:]
    return schedule


# ---- the month's charge by class and by department -------------------------------------------


SUMMARY_COLUMNS = ("assets", "original", "opening", "charge", "closing", "net", "stated")


def charge_table(schedule: Schedule, by: str) -> pd.DataFrame:
    """Per `by` ('category' or 'department') over the assets on the books: assets, 原值, 累计折旧
    at the start and end of the period, the month's charge, 净值 (原值 − 期末累计折旧) and the
    register's own Σ 累计折旧 — all in fen, with a last row 合计. An asset whose depreciation
    could not be recomputed counts with the register's figure and no charge (`not_recomputed`
    counts them)."""
    frame = schedule.frame[schedule.on_books]
    stated = np.nan_to_num(frame["stated"].to_numpy(float))
    computed = (frame["skipped"] == "").to_numpy()
    closing = np.where(computed, frame["expected"].to_numpy(float), stated)
    opening = np.where(computed, frame["opening"].to_numpy(float), stated)
    original = np.nan_to_num(frame["original"].to_numpy(float))
    labels = per_distinct(frame[by], _label_or_blank, blank="（未填）")
    work = pd.DataFrame({
        "key": labels, "assets": 1, "original": original,
        "opening": np.nan_to_num(opening), "charge": np.nan_to_num(closing - opening),
        "closing": np.nan_to_num(closing), "stated": stated,
        "not_recomputed": (~computed).astype(int),
    })
    grouped = work.groupby("key", sort=False).sum()
    if by == "category":
        rank = {name: i for i, name in enumerate(schedule.category_order)}
        order = sorted(grouped.index, key=lambda k: (rank.get(k, len(rank)), k))
    else:
        order = sorted(grouped.index, key=lambda k: (k == "（未填）", k))
    grouped = grouped.loc[order]
    grouped["net"] = grouped["original"] - grouped["closing"]
    total = grouped.sum().to_frame().T
    total.index = ["合计"]
    out = pd.concat([grouped, total])
    out.index.name = by
    return out.reset_index()


def _label_or_blank(values: np.ndarray) -> list[str]:
    return [v if isinstance(v, str) and v.strip() else "（未填）" for v in values]


def summary_json(schedule: Schedule | None) -> dict[str, Any]:
    """The depreciation summary of the JSON report (`summaries.depreciation`): per class and per
    department, money as strings with two decimals."""
    if schedule is None:
        return {}

    def rows(by: str, name: str) -> list[dict[str, Any]]:
        out = []
        for record in charge_table(schedule, by).to_dict("records"):
            entry: dict[str, Any] = {name: record[by], "assets": int(record["assets"])}
            for column, label in (("original", "original_value"), ("opening", "opening_depreciation"),
                                  ("charge", "charge"), ("closing", "closing_depreciation"),
                                  ("net", "net_value"), ("stated", "stated_depreciation")):
                entry[label] = fen_text(record[column])
            if record["not_recomputed"]:
                entry["not_recomputed"] = int(record["not_recomputed"])
            out.append(entry)
        return out

    return {"period": f"{schedule.period.year:04d}-{schedule.period.month:02d}",
            "by_category": rows("category", "category"),
            "by_department": rows("department", "department")}
