"""samples/ — the demo workbooks of 阳光实验小学 that `houqin-xl demo` writes into `workbooks/`.

`data.py` holds the school's fixed figures, `builders.py` builds the ledgers and writes them
tidy, messy and with seeded defects, then checks each set against its 预期发现.json.

Outside the flow: it writes workbooks and runs the whole tool on them, so it may import anything.
"""
