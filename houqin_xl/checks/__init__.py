"""checks/ — typed ledgers → findings and reconciliations.

`validate.py` runs each ledger's pandera schema (the only module that imports pandera) and maps
every failure case to a finding at its cell; `category_labels.py` gives each record its top
asset class, in the edition the run reports in; `totals.py` re-adds the bursar's 小计/合计 rows;
`rules/` holds the reconciliations, one module per area (assets, stock, fees), each rule
declaring the ledgers it needs.

May import: `ledgers/`, `read.grid`, `errors`, `config`, `period`, `findings`.
"""
