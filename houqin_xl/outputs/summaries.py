"""Pivot summaries over the typed ledgers: what the bursar reads on the 汇总 sheets.

Plain pandas over `Checked.ledgers`, no Excel: the .xlsx writer, the annotated copy and the
Excel buttons all render these same frames. Every frame has Chinese column names and ends with
a totals row whose first column reads 合计. Money is summed in integer fen and handed back in
yuan (float), so a column of two-decimal amounts adds up to the fen.

Choices a bursar would expect, stated once here:
- assets by category × department leave out disposed assets (已报废, and 报废 / 处置 in older
  exports: not on the books any more, the same rule the general-ledger comparison follows); the
  status table shows them all;
- 净值 is the stated net value, or 原值 − 累计折旧 where the cell is blank;
- a stock issue is an outgoing movement (出库数量 or 出库金额 given) that is not a write-off
  (摘要 报损 / 盘亏): it is what departments consumed;
- a fee row whose 备注 says 作废 is a voided receipt and carries no money;
- 欠费 = 应收 − 减免 − 实收; 收缴率 = 实收 ÷ (应收 − 减免), empty when nothing was due.

Summary headers deliberately avoid the ledgers' own header words (原值合计, not 原值; 物品, not
物品名称), so a workbook carrying these sheets is never mistaken for a ledger when read again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from ..config import Config
from ..errors import InputError
from ..ledgers.money import to_fen
from ..ledgers.statuses import disposed_mask
from ..ledgers.typed import TypedLedger

TOTAL_LABEL = "合计"
BLANK_LABEL = "（未填）"
DISPOSED = "已报废"
STATUS_ORDER = ["在用", "闲置", "出租", "出借", "待处置", "待报废", DISPOSED, "报废", "处置", "已处置"]
TOP_ITEMS = 10
_COUNT_COLUMNS = frozenset({"资产数", "领用笔数", "笔数"})


def _stacked(ledgers: Iterable[TypedLedger], name: str, fields: list[str]) -> pd.DataFrame:
    """Every sheet of one ledger kind as one frame with the requested columns (absent → empty)."""
    parts = []
    for typed in ledgers:
        if typed.name != name:
            continue
        frame = typed.frame
        parts.append(pd.DataFrame({
            f: frame[f].to_numpy() if f in frame.columns else np.full(len(frame), None, dtype=object)
            for f in fields
        }))
    if not parts:
        return pd.DataFrame({f: pd.Series(dtype=object) for f in fields})
    return pd.concat(parts, ignore_index=True)


def _fen(values: pd.Series) -> np.ndarray:
    """Money as integer fen for summing; blank counts as 0."""
    return np.nan_to_num(to_fen(pd.to_numeric(values, errors="coerce").to_numpy(float)), nan=0.0)


def _by_distinct(values: pd.Series, convert: Callable[[Any], Any], empty: Any) -> pd.Series:
    """convert() applied once per distinct value (labels repeat down a column), `empty` for
    blank cells."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[: len(uniques)] = [convert(v) for v in uniques]
    table[-1] = empty  # code -1: None / NaN
    return pd.Series(table[codes], index=values.index)


Codes = tuple[np.ndarray, np.ndarray]  # each row's code, and the sorted labels they stand for


def _coded(values: pd.Series, convert: Callable[[Any], Any], empty: Any) -> tuple[np.ndarray, Codes]:
    """What _by_distinct gives (as an array), with the rows' codes for grouping: the few
    distinct results are numbered in sorted order, so grouping rows on the codes puts the
    groups in the order of the label texts."""
    codes, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[: len(uniques)] = [convert(v) for v in uniques]
    table[-1] = empty  # code -1: None / NaN
    label_codes, labels = factorize_in_order(table)
    return table[codes], (label_codes[codes], labels)


_NUMERALS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_RUNS = re.compile(r"\d+|[一二三四五六七八九十]+|[^\d一二三四五六七八九十]+")


def _numeral(run: str) -> int:
    if run.isdigit():
        return int(run)
    if run == "十":
        return 10
    if run.startswith("十"):
        return 10 + _NUMERALS[run[1]]
    if len(run) == 2 and run[1] == "十":
        return _NUMERALS[run[0]] * 10
    if len(run) == 3 and run[1] == "十":
        return _NUMERALS[run[0]] * 10 + _NUMERALS[run[2]]
    return _NUMERALS[run[0]] if len(run) == 1 else sum(_NUMERALS[c] for c in run)


def _category_rank() -> dict[str, int]:
    """The asset classes in the order of their codes (1 土地房屋及构筑物 … 6), for either edition."""
    from ..ledgers.categories import load_categories

    rank: dict[str, int] = {}
    for edition in ("gb2010", "gb2022"):
        try:
            listed = load_categories(Config(category_set=edition))
        except InputError:
            continue
        for name in listed.names:  # in the order of their codes
            rank.setdefault(name, len(rank))
    return rank


def natural_key(label: Any) -> tuple:
    """The order a bursar expects: asset classes by code, grades 一 … 六 (and 初一, 高二),
    classes by number (三(2)班 before 三(10)班), blanks last; other text as text."""
    text = str(label)
    if text == BLANK_LABEL:
        return (3,)
    rank = _category_ranks().get(text)
    if rank is not None:
        return (0, rank)
    parts: list[tuple[int, Any]] = []
    for run in _RUNS.findall(text):
        if run[0].isdigit() or run[0] in _NUMERALS:
            try:
                parts.append((0, _numeral(run)))
                continue
            except KeyError:
                pass
        parts.append((1, run))
    return (1, tuple(parts))


_CATEGORY_RANKS: dict[str, int] = {}


def _category_ranks() -> dict[str, int]:
    if not _CATEGORY_RANKS:
        _CATEGORY_RANKS.update(_category_rank())
    return _CATEGORY_RANKS


def factorize_in_order(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """pd.factorize with the labels in natural_key order (codes follow that order, so grouping
    on them gives the groups in it); -1 stays -1 for blanks."""
    codes, uniques = pd.factorize(values)
    uniques = np.asarray(uniques, dtype=object)
    order = sorted(range(len(uniques)), key=lambda i: natural_key(uniques[i]))
    rank = np.empty(len(order) + 1, dtype=np.int64)
    rank[np.asarray(order, dtype=np.int64)] = np.arange(len(order))
    rank[-1] = -1
    return rank[codes], uniques[order]


def _label(value: Any) -> str:
    if isinstance(value, float) and np.isnan(value):
        return BLANK_LABEL
    return str(value).strip() or BLANK_LABEL


def _text(value: Any) -> str:
    """Text as shown ('' stands for a blank cell)."""
    return str(value).strip()


def _text_contains(values: pd.Series, pattern: str) -> pd.Series:
    """Whether each cell's text (_text, '' for blank) contains the regex `pattern`, searched
    once per distinct value instead of once per row."""
    regex = re.compile(pattern)
    found = _by_distinct(values, lambda v: regex.search(str(v).strip()) is not None,
                         regex.search("") is not None)
    return found.astype(bool)


def _months(dates: pd.Series) -> tuple[np.ndarray, Codes]:
    """'2026-11' per date, （未填） where there is none, coded as _coded does: each distinct
    date is formatted once (strftime is a Python call per value)."""
    codes, days = pd.factorize(dates)
    table = np.empty(len(days) + 1, dtype=object)
    table[:-1] = pd.Series(days).dt.strftime("%Y-%m").to_numpy(dtype=object)
    table[-1] = BLANK_LABEL  # code -1: NaT
    label_codes, labels = pd.factorize(table, sort=True)
    return table[codes], (label_codes[codes], np.asarray(labels, dtype=object))


# kind and ledger ids → (the ledgers, the base frame, its label columns' codes: _key_codes)
_MEMO: dict[tuple, tuple[list, pd.DataFrame, dict[str, Codes]]] = {}


def _memoised(kind: str, ledgers: Iterable[TypedLedger],
              build: Callable[[list[TypedLedger]], tuple[pd.DataFrame, dict[str, Codes]]]
              ) -> pd.DataFrame:
    """The base frame of one kind, built once per set of ledgers: each base feeds several
    tables (the report asks for three asset tables, two stock tables, three fee tables)."""
    ledgers = list(ledgers)
    key = (kind, tuple(id(t) for t in ledgers))
    hit = _MEMO.get(key)
    if hit is not None and all(a is b for a, b in zip(hit[0], ledgers, strict=True)):
        return hit[1]
    if len(_MEMO) > 8:
        _MEMO.clear()
    frame, codes = build(ledgers)
    _MEMO[key] = (ledgers, frame, codes)  # the ledgers are kept, so their ids stay theirs
    return frame


def _key_codes(frame: pd.DataFrame, column: str) -> Codes:
    """A label column as integer codes and the sorted labels they stand for. Hashing the
    label texts is what grouping costs: the base frames come with their codes, made while
    the labels were (_coded), and every table grouped on a column shares them."""
    codes: dict[str, Codes] = {}
    for _, base, known in _MEMO.values():
        if base is frame:
            codes = known
            break
    hit = codes.get(column)
    if hit is None:
        found, labels = factorize_in_order(frame[column].to_numpy(dtype=object))
        hit = codes[column] = (found, labels)
    return hit


def _grouped(frame: pd.DataFrame, keys: list[str], sums: list[str], first: tuple[str, ...] = (),
             rows: pd.Series | None = None) -> pd.DataFrame:
    """What `frame[rows].groupby(keys, sort=True)` gives, one row per group (reset_index): the
    keys, `size`, the Σ of each column of `sums` and the first value of each of `first`.
    Grouped on the keys' sorted integer codes, so the groups come in the order of the label
    texts and every group sums its rows in row order, exactly as grouping on the texts."""
    coded = [f"_key{i}" for i in range(len(keys))]
    work = pd.DataFrame({c: _key_codes(frame, k)[0] for c, k in zip(coded, keys, strict=True)})
    for column in (*sums, *first):
        work[column] = frame[column].to_numpy()
    if rows is not None:
        work = work[rows.to_numpy(bool)]
    groups = work.groupby(coded, sort=True)
    out = groups[sums].sum()
    out["size"] = groups.size()
    for column in first:
        out[column] = groups[column].first()
    out = out.reset_index()
    for c, k in zip(coded, keys, strict=True):
        out[k] = pd.Series(_key_codes(frame, k)[1][out[c].to_numpy()], dtype=frame[k].dtype)
    return out.drop(columns=coded)


def _yuan(fen: pd.Series | np.ndarray | float) -> pd.Series | np.ndarray | float:
    return np.round(np.asarray(fen, dtype=float) / 100, 2) if not np.isscalar(fen) else round(fen / 100, 2)


def _with_total(frame: pd.DataFrame, label_columns: list[str], sum_columns: list[str]) -> pd.DataFrame:
    """Append the 合计 row: sums of the given columns, the first label column reading 合计."""
    total: dict[str, object] = {c: None for c in frame.columns}
    total[label_columns[0]] = TOTAL_LABEL
    for c in label_columns[1:]:
        total[c] = ""
    for c in sum_columns:
        values = pd.to_numeric(frame[c], errors="coerce")
        if c in _COUNT_COLUMNS:
            total[c] = int(values.fillna(0).sum())
        else:
            total[c] = round(float(np.round(values.fillna(0).to_numpy() * 100).sum()) / 100, 2)
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)


# ---- fixed assets -------------------------------------------------------------------------

_ASSET_FIELDS = ["category", "department", "status", "quantity", "original_value",
                 "accumulated_depreciation", "net_value"]


def asset_rows(ledgers: Iterable[TypedLedger]) -> pd.DataFrame:
    """One row per asset (category, department, status labels; quantity; 原值 and 净值 in fen):
    the base of the asset tables and of the buttons' PivotTable source. Read-only: shared."""
    return _memoised("assets", ledgers, _build_assets)


def _build_assets(ledgers: list[TypedLedger]) -> tuple[pd.DataFrame, dict[str, Codes]]:
    raw = _stacked(ledgers, "fixed_assets", _ASSET_FIELDS)
    original = _fen(raw["original_value"])
    depreciation = _fen(raw["accumulated_depreciation"])
    stated_net = to_fen(pd.to_numeric(raw["net_value"], errors="coerce").to_numpy(float))
    net = np.where(np.isnan(stated_net), original - depreciation, stated_net)
    labels, codes = {}, {}
    for name in ("category", "department", "status"):
        labels[name], codes[name] = _coded(raw[name], _label, BLANK_LABEL)
    return pd.DataFrame({
        **labels,
        "quantity": pd.to_numeric(raw["quantity"], errors="coerce").fillna(0).to_numpy(float),
        "original_fen": original,
        "net_fen": net,
    }), codes


def _asset_groups(assets: pd.DataFrame, keys: list[str], names: list[str],
                  rows: pd.Series | None = None) -> pd.DataFrame:
    """The asset table grouped by `keys`, over the `rows` of the base frame (all by default)."""
    columns = [*names, "资产数", "数量", "原值合计", "净值合计"]
    if assets.empty or (rows is not None and not rows.any()):
        return _with_total(pd.DataFrame(columns=columns), names, columns[len(names):])
    grouped = _grouped(assets, keys, ["quantity", "original_fen", "net_fen"], rows=rows)
    frame = pd.DataFrame({n: grouped[k] for k, n in zip(keys, names, strict=True)})
    frame["资产数"] = grouped["size"].astype(int)
    frame["数量"] = grouped["quantity"].round(4)
    frame["原值合计"] = _yuan(grouped["original_fen"].to_numpy())
    frame["净值合计"] = _yuan(grouped["net_fen"].to_numpy())
    return _with_total(frame, names, ["资产数", "数量", "原值合计", "净值合计"])


def _not_disposed(assets: pd.DataFrame) -> pd.Series:
    return pd.Series(~disposed_mask(assets["status"]), index=assets.index)


def assets_by_category(ledgers: Iterable[TypedLedger]) -> pd.DataFrame:
    """Per 资产分类: 资产数 (register rows), 数量, 原值合计, 净值合计 — 已报废 left out."""
    assets = asset_rows(ledgers)
    return _asset_groups(assets, ["category"], ["资产分类"], rows=_not_disposed(assets))


def assets_by_category_department(ledgers: Iterable[TypedLedger]) -> pd.DataFrame:
    """Per 资产分类 × 使用部门: 资产数, 数量, 原值合计, 净值合计 — 已报废 left out."""
    assets = asset_rows(ledgers)
    return _asset_groups(assets, ["category", "department"], ["资产分类", "使用部门"],
                         rows=_not_disposed(assets))


def assets_by_status(ledgers: Iterable[TypedLedger]) -> pd.DataFrame:
    """Per 使用状况, every asset including 已报废, in the usual order of the status list."""
    frame = _asset_groups(asset_rows(ledgers), ["status"], ["使用状况"])
    body, total = frame.iloc[:-1], frame.iloc[-1:]
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    body = body.sort_values("使用状况", key=lambda s: s.map(lambda v: rank.get(v, len(rank))),
                            kind="stable")
    return pd.concat([body, total], ignore_index=True)


# ---- stock --------------------------------------------------------------------------------

_STOCK_FIELDS = ["date", "item", "spec", "unit", "summary", "out_qty", "out_amount", "department"]
_WRITE_OFF = ("报损", "盘亏")


def stock_issues(ledgers: Iterable[TypedLedger]) -> pd.DataFrame:
    """The outgoing movements that are consumption (not write-offs), one row each."""
    return _memoised("stock", ledgers, _build_stock_issues)


def _build_stock_issues(ledgers: list[TypedLedger]) -> tuple[pd.DataFrame, dict[str, Codes]]:
    raw = _stacked(ledgers, "stock_moves", _STOCK_FIELDS)
    qty = pd.to_numeric(raw["out_qty"], errors="coerce")
    amount = pd.to_numeric(raw["out_amount"], errors="coerce")
    outgoing = (qty.fillna(0) != 0) | (amount.fillna(0) != 0)
    write_off = _text_contains(raw["summary"], "|".join(_WRITE_OFF))
    keep = outgoing & ~write_off
    dates = pd.to_datetime(raw["date"], errors="coerce")
    columns = {
        "month": _months(dates),
        "department": _coded(raw["department"], _label, BLANK_LABEL),
        "item": _coded(raw["item"], _label, BLANK_LABEL),
        "spec": _coded(raw["spec"], _text, ""),
        "unit": _coded(raw["unit"], _text, ""),
    }
    rows = keep.to_numpy(bool)
    frame = pd.DataFrame({name: labels[rows] for name, (labels, _) in columns.items()})
    frame["qty"] = qty[keep].fillna(0).to_numpy(float)
    frame["amount_fen"] = _fen(amount[keep])
    codes = {name: (found[rows], names) for name, (_, (found, names)) in columns.items()}
    return frame, codes


def stock_issues_by_month_department(ledgers: Iterable[TypedLedger]) -> pd.DataFrame:
    """领用金额 per 领用部门 (rows) × 月份 (columns, '2026-11'), with a 合计 column and row:
    the amounts, since quantities of different items do not add up."""
    issues = stock_issues(ledgers)
    if issues.empty:
        return _with_total(pd.DataFrame(columns=["领用部门", TOTAL_LABEL]), ["领用部门"], [TOTAL_LABEL])
    # Summed per (department, month) on the codes, then spread over the months: the
    # pivot_table of the rows, with pivoting left to the few sums.
    sums = _grouped(issues, ["department", "month"], ["amount_fen"])
    table = sums.set_index(["department", "month"])["amount_fen"].unstack(fill_value=0.0)
    months = sorted(table.columns)
    frame = pd.DataFrame({"领用部门": table.index.to_numpy()})
    for month in months:
        frame[month] = _yuan(table[month].to_numpy())
    frame[TOTAL_LABEL] = _yuan(table[months].sum(axis=1).to_numpy())
    frame = frame.sort_values(TOTAL_LABEL, ascending=False, kind="stable").reset_index(drop=True)
    return _with_total(frame, ["领用部门"], [*months, TOTAL_LABEL])


def top_items_consumed(ledgers: Iterable[TypedLedger], limit: int = TOP_ITEMS) -> pd.DataFrame:
    """The items consumed most, by amount then quantity: 物品, 规格, 单位, 领用数量合计,
    领用金额合计, 领用笔数. The totals row adds up the items shown."""
    issues = stock_issues(ledgers)
    names = ["物品", "规格", "单位"]
    sums = ["领用数量合计", "领用金额合计", "领用笔数"]
    if issues.empty:
        return _with_total(pd.DataFrame(columns=[*names, *sums]), names, sums)
    grouped = _grouped(issues, ["item", "spec"], ["qty", "amount_fen"], first=("unit",)).rename(
        columns={"amount_fen": "amount", "size": "count"})
    grouped = grouped.sort_values(["amount", "qty", "item"], ascending=[False, False, True],
                                  kind="stable").head(limit)
    frame = pd.DataFrame({"物品": grouped["item"], "规格": grouped["spec"], "单位": grouped["unit"],
                          "领用数量合计": grouped["qty"].round(4),
                          "领用金额合计": _yuan(grouped["amount"].to_numpy()),
                          "领用笔数": grouped["count"].astype(int)})
    return _with_total(frame.reset_index(drop=True), names, sums)


# ---- fees ---------------------------------------------------------------------------------

_FEE_FIELDS = ["grade", "class", "item", "due", "waived", "paid", "refunded", "note"]
FEE_MONEY = ["应收", "减免", "实收", "退费", "欠费"]


def fee_rows(ledgers: Iterable[TypedLedger]) -> pd.DataFrame:
    """One row per fee row not voided (grade, class, item; due, waived, paid, refunded, owing
    in fen): the base of the fee tables and of the PivotTable source. Read-only: shared."""
    return _memoised("fees", ledgers, _build_fees)


def _build_fees(ledgers: list[TypedLedger]) -> tuple[pd.DataFrame, dict[str, Codes]]:
    raw = _stacked(ledgers, "fees", _FEE_FIELDS)
    voided = _text_contains(raw["note"], re.escape("作废"))
    raw = raw[~voided]
    due, waived, paid = _fen(raw["due"]), _fen(raw["waived"]), _fen(raw["paid"])
    labels, codes = {}, {}
    labels["grade"], codes["grade"] = _coded(raw["grade"], _text, "")
    for name in ("class", "item"):
        labels[name], codes[name] = _coded(raw[name], _label, BLANK_LABEL)
    return pd.DataFrame({
        **labels,
        "due": due, "waived": waived, "paid": paid, "refunded": _fen(raw["refunded"]),
        "owing": due - waived - paid,
    }), codes


def _rate(paid_fen: float, due_fen: float, waived_fen: float) -> float | None:
    expected = due_fen - waived_fen
    return round(paid_fen / expected, 4) if expected > 0 else None


def _fee_groups(fees: pd.DataFrame, keys: list[str], names: list[str]) -> pd.DataFrame:
    columns = [*names, "笔数", *FEE_MONEY, "收缴率"]
    if fees.empty:
        frame = pd.DataFrame(columns=columns)
        total = _with_total(frame, names, ["笔数", *FEE_MONEY])
        total["收缴率"] = [None]
        return total
    grouped = _grouped(fees, keys, ["due", "waived", "paid", "refunded", "owing"])
    frame = pd.DataFrame({n: grouped[k] for k, n in zip(keys, names, strict=True)})
    frame["笔数"] = grouped["size"].astype(int)
    for source, label in zip(["due", "waived", "paid", "refunded", "owing"], FEE_MONEY, strict=True):
        frame[label] = _yuan(grouped[source].to_numpy())
    frame["收缴率"] = [_rate(p, d, w) for p, d, w in
                    zip(grouped["paid"], grouped["due"], grouped["waived"], strict=True)]
    out = _with_total(frame, names, ["笔数", *FEE_MONEY])
    out.loc[out.index[-1], "收缴率"] = _rate(fees["paid"].sum(), fees["due"].sum(),
                                           fees["waived"].sum())
    return out


def _class_keys(fees: pd.DataFrame) -> tuple[list[str], list[str]]:
    """年级 is shown only when the ledger has it (班级 often already says 三(2)班)."""
    if (fees["grade"] != "").any():
        return ["grade", "class"], ["年级", "班级"]
    return ["class"], ["班级"]


def fees_by_class_item(ledgers: Iterable[TypedLedger]) -> pd.DataFrame:
    """Per 班级 × 收费项目: 笔数 (rows), 应收, 减免, 实收, 退费, 欠费, 收缴率."""
    fees = fee_rows(ledgers)
    keys, names = _class_keys(fees)
    return _fee_groups(fees, [*keys, "item"], [*names, "收费项目"])


def fees_by_class(ledgers: Iterable[TypedLedger]) -> pd.DataFrame:
    """Per 班级, all items together: the collection rate by class (what the chart shows)."""
    fees = fee_rows(ledgers)
    keys, names = _class_keys(fees)
    return _fee_groups(fees, keys, names)


def fees_by_item(ledgers: Iterable[TypedLedger]) -> pd.DataFrame:
    """Per 收费项目, all classes together."""
    return _fee_groups(fee_rows(ledgers), ["item"], ["收费项目"])


def has_ledger(ledgers: Iterable[TypedLedger], name: str) -> bool:
    return any(typed.name == name for typed in ledgers)
