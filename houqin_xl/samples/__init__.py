"""samples/ — the demo workbooks of 阳光实验小学 that `houqin-xl demo` writes into `workbooks/`.

`data.py` holds the school's fixed figures and `books.py` builds its ledgers as consistent
tables (each asset's life taken from its card in cards.py, so every set carries the same 累计折旧); `tidy.py`, `messy.py` and `defects.py` lay out sets 1–4; `shapes.py` (with cards.py,
trial_balance.py, exports.py, stores_book.py, fee_book.py and shape_defects.py) writes sets 5–7 in
the shapes systems export and account books keep; `demo.py` builds every set and checks each
defect set against its 预期发现.json.

Outside the flow: it writes workbooks and runs the whole tool on them, so it may import anything.
"""
