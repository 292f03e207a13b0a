"""The Excel buttons: each handler is a plain function of the workbook it was clicked in.

The ribbon (houqin.xlam) and the template's sheet buttons call `dispatch(name)` through
xlwings' RunPython; tests drive the same handlers through xlwings' remote engine
(`xw.Book(json=...)`) and replay the actions it returns, with desktop Excel's behaviour added.
Every handler takes the one path: grids from the live book → `check()` → `build_report()` /
`summaries` → the book.

Rules kept here:
- Data cells are never written. The tool only adds or replaces its own sheets (校验报告,
  对账结果, 汇总-…, 汇总数据, and the hidden _houqin_marks) and its own marks.
- Writes are bulk: one values call per report block, fills per run of rows, never a call per
  cell for values. Notes are the exception: Excel keeps one note per cell.
- Marks are reversible and recorded before they are painted (marks.py).
- Running a button twice gives the same workbook as running it once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..outputs.report import build_report
from . import engine
from .marks import mark_findings, recorded_marks, undo_marks, write_marks_record
from .pivots import pivots_supported, write_pivot_summaries, write_table_summaries
from .sheets import LiveCheck, Workspace, alert, local_file, run_check, status, write_report_sheet

# Range.add_note arrived in xlwings 0.37.5; the PivotTable API in 0.37.3.
MIN_XLWINGS = (0, 37, 5)


def _counts(live: LiveCheck) -> str:
    result = live.checked.result
    return f"错误 {result.errors} 条，警告 {result.warnings} 条"


def _check(space: Workspace) -> LiveCheck:
    return run_check(space.book, lambda text: status(space.book, text), own=space.ours)


# ---- the buttons ----------------------------------------------------------------------------


def validate(space: Workspace, live: LiveCheck | None = None) -> str:
    """校验台账: the 校验报告 sheet, and every offending cell filled and noted."""
    live = live or _check(space)
    status(space.book, "正在写校验报告…")
    write_report_sheet(space, build_report(live.checked)[0])
    status(space.book, "正在标记单元格…")
    outcome = mark_findings(space, live)
    if not outcome.possible:
        return (f"校验完成：{_counts(live)}。详见“校验报告”。"
                "（此Excel客户端无法读取单元格原有底色和批注，为保证可以恢复，未在台账中做标记。）")
    return (f"校验完成：{_counts(live)}，已在台账中标出 {outcome.marked} 个单元格。详见“校验报告”。"
            + outcome.skipped_text())


def reconcile(space: Workspace, live: LiveCheck | None = None) -> str:
    """对账: the 对账结果 sheet, every comparison, matched or not."""
    live = live or _check(space)
    status(space.book, "正在写对账结果…")
    write_report_sheet(space, build_report(live.checked)[1])
    recs = live.checked.result.reconciliations
    bad = sum(1 for r in recs if r.status != "ok")
    return f"对账完成：核对 {len(recs)} 项，相符 {len(recs) - bad} 项，不符 {bad} 项。详见“对账结果”。"


def summarise(space: Workspace, live: LiveCheck | None = None) -> str:
    """汇总: one PivotTable on each 汇总 sheet (formatted tables where the client cannot make
    PivotTables)."""
    live = live or _check(space)
    status(space.book, "正在生成汇总…")
    if pivots_supported(space.book):
        written = write_pivot_summaries(space, live.checked)
        return "汇总完成：已生成数据透视表（" + "、".join(written) + "）。"
    written = write_table_summaries(space, live.checked)
    return "汇总完成：" + "、".join(written) + "（此Excel不支持数据透视表，以表格列出）。"


def clear_marks(space: Workspace) -> str:
    """清除标记: only the tool's marks go; each cell gets back what the record says it had."""
    status(space.book, "正在清除标记…")
    marks = recorded_marks(space.book)
    restored, kept = undo_marks(space.book, marks)
    write_marks_record(space, kept)
    message = f"已清除 {restored} 个单元格的标记，恢复了原来的底色和批注。"
    if kept:
        sheets = "、".join(sorted({m.sheet for m in kept}))
        message += (f"另有 {len(kept)} 个单元格未能恢复（工作表“{sheets}”受保护）："
                    "撤销保护后再点“清除标记”。")
    return message


def report_path(book: Any, live: LiveCheck) -> Path | None:
    local = local_file(book)
    if local is None:
        return None
    period = live.checked.result.period or dt.date.today().strftime("%Y-%m")
    return local.with_name(f"{local.stem}-核对报告-{period}.xlsx")


def monthly(space: Workspace) -> str:
    """月度对账: validate, reconcile and summarise from one check, and the report workbook
    saved beside the ledger. A report file that cannot be saved (a read-only folder, the file
    open in Excel) is said so, not taken for a failed check."""
    from ..outputs.safe_write import write_bytes_atomic
    from ..outputs.write import report_bytes

    live = _check(space)
    # The report file comes from the check alone: save it before the sheets, so that nothing
    # going wrong in the workbook (a refused pivot, a bug of ours) loses it.
    target = report_path(space.book, live)
    if target is None:
        saved = "工作簿尚未保存到磁盘，核对报告未另存。"
    else:
        status(space.book, "正在保存核对报告…")
        try:
            write_bytes_atomic(target, report_bytes(live.checked))
        except (InputError, OSError) as exc:
            saved = f"各表已写好，但核对报告未能保存：{exc}"
        else:
            saved = f"核对报告已保存：{target}"
    messages = [validate(space, live), reconcile(space, live), summarise(space, live), saved]
    return "\n".join(messages)


HANDLERS: dict[str, Callable[[Workspace], str]] = {
    "validate": validate,
    "reconcile": reconcile,
    "summarise": summarise,
    "clear_marks": clear_marks,
    "monthly": monthly,
}


def xlwings_too_old(version: str) -> str | None:
    """The message for an xlwings older than the buttons need, else None."""
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    if tuple(parts) >= MIN_XLWINGS or version in ("dev", "0.0.0"):
        return None
    need = ".".join(map(str, MIN_XLWINGS))
    return (f"xlwings {version} 太旧，按钮至少需要 {need}。请在命令提示符运行："
            f'py -m pip install -U "xlwings>={need}"，再运行 py -m xlwings.cli addin install，然后重新打开 Excel。'
            f" / xlwings {version} is too old; {need} or later is needed")


def run_handler(book: Any, name: str) -> str:
    """Run one handler on `book`; show progress in the status bar and the result in a short
    message. Returns the message."""
    import xlwings as xw

    if name not in HANDLERS:
        raise ValueError(f"unknown button {name!r}; known: {', '.join(HANDLERS)}")
    try:
        too_old = xlwings_too_old(xw.__version__)
        if too_old:
            raise InputError(too_old)
        if engine.structure_protected(book):
            raise InputError("工作簿结构受保护（审阅 → 保护工作簿），不能添加报告表。请先撤销保护再点按钮 / "
                             "the workbook structure is protected")
        with engine.screen_still(book):
            message = HANDLERS[name](Workspace(book))
    except InputError as exc:
        message = f"无法核对：{exc}"
        status(book, False)
        alert(book, message, critical=True)
        return message
    except BaseException:
        # A bug of ours still gives the status bar back (xlwings shows the traceback): on
        # Windows a text left there stays for good.
        status(book, False)
        raise
    status(book, False)
    alert(book, message)
    return message


def dispatch(name: str) -> str:
    """Entry point of every button: `RunPython "import houqin_xl.excel as h; h.dispatch('…')"`."""
    import xlwings as xw

    return run_handler(xw.Book.caller(), name)
