"""layouts/ — one module per way a ledger is laid out on a sheet, each ending in `Ledger`.

`table.py`: one record per row under a one- or two-row header (titles, unit lines, merged data
cells, 小计/合计 rows, footers and repeated headers around it). `balance_sheet.py`: the finance
software's 科目余额表 as the general ledger (its header in `balance_header.py`, the account
hierarchy in `accounts.py`). `cells.py`: what every layout
needs to look at cells (merges as the bursar sees them, header texts, unit lines, label cells).
A layout is registered in `recognise.LAYOUTS`.

May import: `ledgers` (schemas, parse, ledger, categories), `read.grid`.
"""
