"""The Excel buttons: each handler is a plain function of an xlwings Book (the active workbook).

The ribbon (houqin.xlam) and the template's sheet buttons call `dispatch(name)` through
xlwings' RunPython; tests drive the same handlers through xlwings' remote engine
(`xw.Book(json=...)`) and replay the actions it returns. Every handler takes the one path:
grids from the live book → `check()` → `build_report()` / `summaries` → the book.

Rules kept here:
- Data cells are never written. The tool only adds or replaces its own sheets (校验报告,
  对账结果, 汇总-…, 汇总数据, and the hidden _houqin_marks) and its own marks.
- Writes are bulk: one values call per report block, fills batched per band of rows, never a
  call per cell for values. Notes are the exception: Excel keeps one note per cell.
- Marks are reversible: before a cell is first marked, its own fill and note are recorded in
  the hidden sheet _houqin_marks; 清除标记 puts exactly those back.
- Running a button twice gives the same workbook as running it once: the old marks are
  undone (from the record) before the new ones are made, and report sheets are replaced.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..check import Checked
from ..outputs.report import (
    build_report,
)
from .marks import mark_findings, recorded_marks, undo_marks, write_marks_record
from .pivots import pivots_supported, write_pivot_summaries, write_table_summaries
from .sheets import alert, local_file, run_check, status, write_report_sheet

# ---- the buttons ----------------------------------------------------------------------------


def _counts(checked: Checked) -> str:
    result = checked.result
    return f"错误 {result.errors} 条，警告 {result.warnings} 条"


def validate(book: Any, checked: Checked | None = None) -> str:
    """校验台账: the 校验报告 sheet, and every offending cell filled and noted."""
    checked = checked or run_check(book, lambda text: status(book, text))
    status(book, "正在写校验报告…")
    write_report_sheet(book, build_report(checked)[0])
    status(book, "正在标记单元格…")
    marked, possible = mark_findings(book, checked)
    message = f"校验完成：{_counts(checked)}，已在台账中标出 {marked} 个单元格。详见“校验报告”。"
    if not possible:
        message = (f"校验完成：{_counts(checked)}。详见“校验报告”。"
                   "（此Excel客户端无法读取单元格原有底色和批注，为保证可以恢复，未在台账中做标记。）")
    return message


def reconcile(book: Any, checked: Checked | None = None) -> str:
    """对账: the 对账结果 sheet, every comparison, matched or not."""
    checked = checked or run_check(book, lambda text: status(book, text))
    status(book, "正在写对账结果…")
    write_report_sheet(book, build_report(checked)[1])
    recs = checked.result.reconciliations
    bad = sum(1 for r in recs if r.status != "ok")
    return f"对账完成：核对 {len(recs)} 项，相符 {len(recs) - bad} 项，不符 {bad} 项。详见“对账结果”。"


def summarise(book: Any, checked: Checked | None = None) -> str:
    """汇总: PivotTables on 汇总-资产, 汇总-出入库, 汇总-收费 (formatted tables where the
    client cannot make PivotTables)."""
    checked = checked or run_check(book, lambda text: status(book, text))
    status(book, "正在生成汇总…")
    if pivots_supported(book):
        written = write_pivot_summaries(book, checked)
        return "汇总完成：已生成数据透视表（" + "、".join(written) + "）。"
    written = write_table_summaries(book, checked)
    return "汇总完成：" + "、".join(written) + "（此Excel不支持数据透视表，以表格列出）。"


def clear_marks(book: Any) -> str:
    """清除标记: only the tool's marks go; each cell gets back its own fill and note."""
    status(book, "正在清除标记…")
    marks = recorded_marks(book)
    restored = undo_marks(book, marks)
    write_marks_record(book, [])
    return f"已清除 {restored} 个单元格的标记，恢复了原来的底色和批注。"


def report_path(book: Any, checked: Checked) -> Path | None:
    local = local_file(book)
    if local is None:
        return None
    period = checked.result.period or dt.date.today().strftime("%Y-%m")
    return local.with_name(f"{local.stem}-核对报告-{period}.xlsx")


def monthly(book: Any) -> str:
    """月度对账: validate, reconcile and summarise from one check, and the report workbook
    saved beside the ledger."""
    from ..outputs.safe_write import write_bytes_atomic
    from ..outputs.write import report_bytes

    checked = run_check(book, lambda text: status(book, text))
    messages = [validate(book, checked), reconcile(book, checked), summarise(book, checked)]
    target = report_path(book, checked)
    if target is not None:
        status(book, "正在保存核对报告…")
        write_bytes_atomic(target, report_bytes(checked))
        messages.append(f"核对报告已保存：{target}")
    else:
        messages.append("工作簿尚未保存到磁盘，核对报告未另存。")
    return "\n".join(messages)


HANDLERS: dict[str, Callable[..., str]] = {
    "validate": validate,
    "reconcile": reconcile,
    "summarise": summarise,
    "clear_marks": clear_marks,
    "monthly": monthly,
}


def run_handler(book: Any, name: str) -> str:
    """Run one handler on `book`; show progress in the status bar and the result in a short
    message. Returns the message."""
    from ..errors import InputError

    if name not in HANDLERS:
        raise ValueError(f"unknown button {name!r}; known: {', '.join(HANDLERS)}")
    try:
        message = HANDLERS[name](book)
    except InputError as exc:
        message = f"无法核对：{exc}"
        status(book, False)
        alert(book, message, critical=True)
        return message
    status(book, message.splitlines()[0])
    alert(book, message)
    return message


def dispatch(name: str) -> str:
    """Entry point of every button: `RunPython "import houqin_xl.excel as h; h.dispatch('…')"`."""
    import xlwings as xw

    # The result stays in the status bar until Excel's next message replaces it.
    return run_handler(xw.Book.caller(), name)
