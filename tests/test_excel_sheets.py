"""The tool's own sheets in her workbook: hers are never replaced, the order she chose stays,
the status bar is handed back, and the desktop engines get a frozen header and an autofilter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from excel_client import ExcelClient, desktop_excel  # noqa: F401
from openpyxl import load_workbook

from houqin_xl.excel import engine, sheets

REPO = Path(__file__).resolve().parent.parent
ERRORS_BOOK = REPO / "workbooks" / "示例3-错误台账" / "阳光实验小学后勤台账（含错误）.xlsx"


@pytest.fixture(autouse=True)
def _desktop_behaviour(desktop_excel):  # noqa: F811
    yield


@pytest.fixture
def ledger(tmp_path) -> Path:
    if not ERRORS_BOOK.exists():
        pytest.skip("sample workbooks not generated (houqin-xl demo)")
    target = tmp_path / ERRORS_BOOK.name
    shutil.copy(ERRORS_BOOK, target)
    return target


@pytest.mark.parametrize(("sheet", "button"), [("校验报告", "validate"), ("对账结果", "reconcile"),
                                             ("汇总-资产", "summarise")])
def test_her_own_sheet_called_like_a_report_is_never_replaced(ledger, sheet, button):
    book = load_workbook(ledger)
    hers = book.create_sheet(sheet)
    hers["A1"] = "我自己的记录：十月份已核对"
    book.save(ledger)
    client = ExcelClient(load_workbook(ledger), name=str(ledger))
    client.click(button)
    client.click(button)
    assert client.book[sheet]["A1"].value == "我自己的记录：十月份已核对"
    assert f"{sheet}(2)" in client.book.sheetnames
    assert client.book.sheetnames.count(f"{sheet}(2)") == 1, "ours is replaced in place"
    assert f"{sheet}(3)" not in client.book.sheetnames


def test_the_sheet_order_she_chose_stays_from_run_to_run(ledger):
    client = ExcelClient(load_workbook(ledger), name=str(ledger))
    client.click("monthly")
    # She drags 对账结果 to the front.
    book = client.book
    book.move_sheet("对账结果", offset=-book.sheetnames.index("对账结果"))
    order = list(book.sheetnames)
    client.click("monthly")
    assert book.sheetnames == order
    client.click("validate")
    client.click("summarise")
    assert book.sheetnames == order


def test_the_status_bar_is_handed_back_to_excel(ledger, monkeypatch):
    """On Windows a status-bar text stays until it is reset: every run ends with False."""
    said: list[object] = []
    monkeypatch.setattr(engine, "status", lambda _book, text: said.append(text))
    client = ExcelClient(load_workbook(ledger), name=str(ledger))
    for button in ("validate", "reconcile", "clear_marks"):
        said.clear()
        client.click(button)
        assert said and said[-1] is False and any(isinstance(t, str) for t in said)
    book = load_workbook(ledger)
    book.security.lockStructure = True
    said.clear()
    ExcelClient(book, name=str(ledger)).click("validate")  # refused
    assert said[-1] is False


def test_the_status_bar_is_handed_back_even_when_a_button_meets_a_bug(ledger, monkeypatch):
    from houqin_xl.excel import handlers

    said: list[object] = []
    monkeypatch.setattr(engine, "status", lambda _book, text: said.append(text))

    def broken(_workspace):
        engine.status(None, "正在校验…")
        raise RuntimeError("a bug of ours")

    monkeypatch.setitem(handlers.HANDLERS, "validate", broken)
    with pytest.raises(RuntimeError):
        handlers.run_handler(ExcelClient(load_workbook(ledger), name=str(ledger)).remote_book(), "validate")
    assert said[-1] is False


def test_freeze_panes_refused_by_the_engine_does_not_stop_the_report(ledger):
    """freeze_panes raises NotImplementedError on both desktop engines (and in the layer)."""
    client = ExcelClient(load_workbook(ledger), name=str(ledger))
    message = client.click("validate")
    assert message.startswith("校验完成")
    assert "freezePaneAtRange" not in {a["func"] for a in client.actions}


# ---- what the desktop engines are asked (their native objects recorded) -----------------------


class Recorder:
    """Stands in for a pywin32 / appscript object: records what is set and called, in order."""

    def __init__(self, log: list, path: str = "") -> None:
        object.__setattr__(self, "_log", log)
        object.__setattr__(self, "_path", path)

    def __getattr__(self, name: str) -> Recorder:
        return Recorder(self._log, f"{self._path}.{name}".lstrip("."))

    def __setattr__(self, name: str, value: object) -> None:
        self._log.append((f"{self._path}.{name}".lstrip("."), "=", value))

    def __call__(self, *args: object) -> Recorder:
        self._log.append((self._path, "()", args))
        return Recorder(self._log, self._path + "()")


def _fake_sheet(engine_module: str, log: list):
    impl = type("Impl", (), {"__module__": engine_module})()
    app = type("App", (), {"api": Recorder(log, "Application")})()
    book = type("Book", (), {"app": app, "impl": impl})()

    class Target:
        api = Recorder(log, "Range")

    class Sheet:
        pass

    sheet = Sheet()
    sheet.impl, sheet.book = impl, book
    sheet.activate = lambda: log.append(("Sheet.Activate", "()", ()))
    sheet.range = lambda *_a: Target()
    return sheet


def test_windows_freezes_the_header_through_the_window_as_vba_would():
    log: list = []
    assert engine.freeze_header(_fake_sheet("xlwings._xlwindows", log), 12)
    assert log == [("Sheet.Activate", "()", ()),
                   ("Application.ActiveWindow.FreezePanes", "=", False),
                   ("Application.ActiveWindow.ScrollRow", "=", 1),
                   ("Application.ActiveWindow.ScrollColumn", "=", 1),
                   ("Application.ActiveWindow.SplitColumn", "=", 0),
                   ("Application.ActiveWindow.SplitRow", "=", 11),
                   ("Application.ActiveWindow.FreezePanes", "=", True)]
    log.clear()
    assert engine.add_autofilter(_fake_sheet("xlwings._xlwindows", log), 11, 1, 40, 9)
    assert log == [("Range.AutoFilter", "()", ())]


def test_the_mac_freezes_the_header_through_applescript():
    log: list = []
    assert engine.freeze_header(_fake_sheet("xlwings._xlmac", log), 4)
    assert ("Application.active_window.split_row.set", "()", (3,)) in log
    assert log[-1] == ("Application.active_window.freeze_panes.set", "()", (True,))
    log.clear()
    assert engine.add_autofilter(_fake_sheet("xlwings._xlmac", log), 3, 1, 9, 4)
    assert log == [("Range.autofilter_range", "()", ())]


def test_the_report_asks_for_a_frozen_header_and_a_filter_on_the_findings(ledger, monkeypatch):
    frozen, filtered = [], []
    monkeypatch.setattr(engine, "freeze_header", lambda sheet, row: frozen.append(
        (sheet.name, row)) or True)
    monkeypatch.setattr(engine, "add_autofilter", lambda sheet, *box: filtered.append(
        (sheet.name, box)) or True)
    ExcelClient(load_workbook(ledger), name=str(ledger)).click("validate")
    assert [name for name, _row in frozen] == ["校验报告"]
    (name, (top, left, bottom, right)), = filtered
    assert name == "校验报告" and top == frozen[0][1] - 1 and bottom > top and right == 9
    assert sheets.OWN_MARKER  # the sheet carries the name that makes it ours
