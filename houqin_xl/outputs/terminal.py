"""The page `houqin-xl check` prints when no output file is asked for: a bursar's page.

Chinese names throughout (ledgers, finding kinds, rules), columns aligned by display width (a
Chinese character takes two columns of a console), every line within 100 columns, the
mismatches first and the matches only counted, and, where a list is cut, how many more there
are and where to see them.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from .. import __version__
from ..findings import KINDS, CheckResult, Reconciliation
from .report import (
    LEDGER_TITLES,
    OUTCOME_TEXT,
    SEVERITY_TEXT,
    chinese_part,
    key_text,
    mismatch_reason,
    rule_title,
    rule_titles,
    text_width,
)

if TYPE_CHECKING:
    from ..check import Checked

WIDTH = 100
FIRST_FINDINGS = 20
FIRST_MISMATCHES = 30


def fit(text: str, width: int) -> str:
    """Cut text to a display width, marking the cut with …."""
    if text_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = text_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, width: int) -> str:
    """Left-aligned in a column of this display width (cut when longer)."""
    text = fit(text, width)
    return text + " " * (width - text_width(text))


def rpad(text: str, width: int) -> str:
    text = fit(text, width)
    return " " * (width - text_width(text)) + text


def _line(w, text: str = "") -> None:
    w(fit(text, WIDTH) + "\n")


def print_summary(checked: Checked, stream: TextIO, files: int | None = None) -> None:
    """The page: what was read, what was not, the findings, the reconciliations."""
    result: CheckResult = checked.result
    w = stream.write
    titles = {**LEDGER_TITLES, **{t.name: t.ledger.schema.title for t in checked.ledgers}}
    school = f"{result.school}　" if result.school else ""
    _line(w, f"houqin-xl {__version__}　{school}期间 {result.period or '—'}"
          + (f"　文件 {files} 个" if files is not None else ""))
    _line(w, "─" * 50)
    for notice in result.notices:
        _line(w, f"注意：{notice}")

    _line(w, f"台账（{len(result.ledgers)} 本）")
    for info in result.ledgers:
        where = f"{Path(info.path).name} / {info.sheet}"
        rows = "、".join(str(r) for r in info.header_rows)
        _line(w, f"  {pad(titles.get(info.ledger, info.ledger), 18)}{pad(where, 54)} "
                 f"表头第{rows}行　{info.rows} 行")
        for label, text in info.context.items():
            _line(w, f"  {'':<18}{label}：{chinese_part(text)}")

    not_read = [o for o in result.files if o.outcome != "read"]
    if not_read or result.unread_sheets:
        _line(w, f"未作为台账读取（{len(not_read)} 个文件，{len(result.unread_sheets)} 个工作表）")
        for o in not_read:
            _line(w, f"  {pad(Path(o.path).name, 36)}{OUTCOME_TEXT[o.outcome]}："
                     f"{chinese_part(o.reason or '')}")
        for u in result.unread_sheets:
            _line(w, f"  {pad(f'{Path(u.path).name} / {u.sheet}', 36)}{chinese_part(u.reason)}")

    _findings(w, result, titles)
    _reconciliations(w, result)
    for skipped in result.skipped_rules:
        _line(w, f"  未执行：{skipped.get('title') or skipped['rule']}（{chinese_part(skipped['reason'])}）")
    _line(w)
    _line(w, f"合计：错误 {result.errors} 条，警告 {result.warnings} 条"
             + ("" if result.errors or result.warnings else "　台账核对无误"))


def _findings(w, result: CheckResult, titles: dict[str, str]) -> None:
    findings = result.findings
    _line(w)
    if not findings:
        _line(w, "发现：无")
        return
    _line(w, f"发现：错误 {result.errors} 条，警告 {result.warnings} 条")
    by_kind = Counter(f.kind for f in findings)
    for kind in KINDS:
        if by_kind[kind]:
            per_ledger = Counter(titles.get(f.ledger, f.ledger) for f in findings if f.kind == kind)
            detail = "，".join(f"{name} {n}" for name, n in per_ledger.most_common())
            _line(w, f"  {pad(KINDS[kind].title, 10)}{rpad(str(by_kind[kind]), 6)}　{detail}")
    # Cells first (what the bursar can go and fix), then the totals they add up to.
    ordered = sorted(findings, key=lambda f: f.row is None)
    shown = ordered[:FIRST_FINDINGS]
    several_files = len({f.path for f in findings if f.path}) > 1
    _line(w, f"前 {len(shown)} 条：")
    for f in shown:
        if f.row is not None:
            where = f"{f.sheet}!{f.column or ''}{f.row}"
            if several_files:
                where = f"{Path(f.path or '').stem}/{where}"
        else:
            where = f"{f.sheet or ''}（合计）"
        _line(w, f"  [{SEVERITY_TEXT[f.severity]}] {pad(KINDS[f.kind].title, 10)} {pad(where, 24)} "
                 f"{f.message}")
    if len(findings) > len(shown):
        _line(w, f"  还有 {len(findings) - len(shown)} 条，见 --report 写出的核对报告（校验报告）"
                 "或 --json")


def _reconciliations(w, result: CheckResult) -> None:
    recs: list[Reconciliation] = result.reconciliations
    if not recs:
        return
    titles = rule_titles()
    bad = [r for r in recs if r.status != "ok"]
    _line(w)
    _line(w, f"对账：核对 {len(recs)} 项，相符 {len(recs) - len(bad)} 项，不符 {len(bad)} 项")
    per_rule = Counter((rule_title(r.rule, titles), r.status) for r in recs)
    for name in dict.fromkeys(rule_title(r.rule, titles) for r in recs):
        ok, mismatch = per_rule[(name, "ok")], per_rule[(name, "mismatch")]
        _line(w, f"  {pad(name, 40)}相符 {rpad(str(ok), 5)}　不符 {rpad(str(mismatch), 5)}")
    if bad:
        _line(w, "不符的项目：")
    for r in bad[:FIRST_MISMATCHES]:
        _line(w, f"  {rule_title(r.rule, titles)}　{key_text(r.key, r.rule)}")
        _line(w, f"      {r.left_label or '左方'} {r.left}｜{r.right_label or '右方'} {r.right}"
                 f"｜差 {r.difference}")
        _line(w, f"      原因：{mismatch_reason(r, result.findings)}")
    if len(bad) > FIRST_MISMATCHES:
        _line(w, f"  还有 {len(bad) - FIRST_MISMATCHES} 项不符，见核对报告的“对账结果”")
