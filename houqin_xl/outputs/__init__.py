"""outputs/ — a check's result → what people read.

`summaries.py` (pivot tables over the typed ledgers), `report.py` (the report's sheets as data,
independent of any writer), `write.py` (the report workbook, XlsxWriter), `annotate.py` (the
marked copy of a ledger, openpyxl), `terminal.py` (the printed summary), `progress.py` (the
progress bar), `safe_write.py` (atomic writes with a backup).

May import: `checks/`, `ledgers/`, `read/`, `errors`, `config`, `period`, `findings`, and
`check.Checked` for type hints only.
"""
