"""houqin_xl: a school logistics office's Excel ledgers, validated and reconciled."""

__version__ = "0.1.0"
