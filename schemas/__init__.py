"""Declarative ledger schemas (YAML), shipped as package data."""
