"""The summary `houqin-xl check` prints when no output file is asked for."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..findings import KINDS, CheckResult

if TYPE_CHECKING:
    from ..check import Checked

FIRST_FINDINGS = 20


def print_summary(checked: Checked, stream, files: int | None = None) -> None:
    """A readable summary: ledgers, counts by ledger × kind, the first findings, reconciliations."""
    result: CheckResult = checked.result
    w = stream.write
    w(f"houqin-xl {__version__}  期间 period: {result.period or '—'}"
      + (f"  工作簿 files: {files}" if files is not None else "") + "\n\n")
    w("台账 ledgers\n")
    for info in result.ledgers:
        w(f"  {info.ledger:<14} {Path(info.path).name} / {info.sheet}  表头行 {info.header_rows}"
          f"  数据 {info.rows} 行\n")
        for label, text in info.context.items():
            w(f"  {'':<14} {label}：{text}\n")
    not_read = [o for o in result.files if o.outcome != "read"]
    if not_read or result.unread_sheets:
        w("\n未读取 not read as ledgers\n")
        for o in not_read:
            w(f"  {Path(o.path).name}: {o.outcome} — {o.reason or ''}\n")
        for u in result.unread_sheets:
            w(f"  {Path(u.path).name} / {u.sheet}: {u.reason}\n")
    counts = Counter((f.ledger, f.kind) for f in result.findings)
    if counts:
        kinds = [k for k in KINDS if any(kind == k for _, kind in counts)]
        ledgers = sorted({ledger for ledger, _ in counts})
        w("\n发现 findings (ledger × kind)\n")
        w("  " + f"{'':<14}" + "".join(f"{k:>17}" for k in kinds) + f"{'total':>8}\n")
        for ledger in ledgers:
            row = [counts.get((ledger, k), 0) for k in kinds]
            w("  " + f"{ledger:<14}" + "".join(f"{n:>17}" for n in row) + f"{sum(row):>8}\n")
        w(f"\n前{min(FIRST_FINDINGS, len(result.findings))}条 first findings\n")
        for f in result.findings[:FIRST_FINDINGS]:
            where = f"{Path(f.path).name}/{f.sheet}!{f.column or ''}{f.row or ''}" if f.path else "—"
            w(f"  [{f.severity:<7}] {f.kind:<16} {where:<34} {f.message}\n")
    if result.reconciliations:
        w("\n对账 reconciliations\n")
        w(f"  {'rule':<18} {'key':<28} {'left':>14} {'right':>14} {'difference':>12}  status\n")
        for r in result.reconciliations:
            key = ",".join(f"{v}" for v in r.key.values())
            w(f"  {r.rule:<18} {key:<28} {r.left:>14} {r.right:>14} {r.difference:>12}  {r.status}\n")
    for skipped in result.skipped_rules:
        w(f"  跳过 skipped {skipped['rule']}: {skipped['reason']}\n")
    w(f"\n合计 summary: 错误 errors {result.errors}, 警告 warnings {result.warnings}\n")
