"""The closed vocabulary of findings, and the result of a check.

Every finding kind is declared once here, with its Chinese title, default severity and
message template (the way frictionless-py declares its error types). The JSON report, the
Excel report and the marks in a ledger all render from these declarations.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class FindingKind:
    """One kind of finding: what it is called and how it is said to a bursar."""

    kind: str
    title: str
    severity: str
    description: str


_KINDS = [
    FindingKind("missing", "必填项为空", "error", "A required value is empty."),
    FindingKind("bad_type", "格式错误", "error",
                "Not a number / date / text where one is needed (also Excel errors like #REF!)."),
    FindingKind("bad_value", "数值不合规", "error",
                "Out of range, not in the allowed list, not the approved standard."),
    FindingKind("duplicate", "重复", "error", "A key that must be unique appears twice."),
    FindingKind("arithmetic", "计算不符", "error", "A row's or a stated total's arithmetic is wrong."),
    FindingKind("ledger_mismatch", "账账不符", "error", "Two ledgers' totals disagree."),
    FindingKind("count_missing", "盘亏", "error", "On the register, not found in the count."),
    FindingKind("count_extra", "盘盈", "error", "Found in the count, not on the register."),
    FindingKind("count_diff", "账实不符", "error", "Found, but quantity or location differs."),
    FindingKind("stock_balance", "结存不符", "error", "A stock running balance is broken or negative."),
    FindingKind("fee_balance", "收费不平", "error",
                "A fee row's paid / waived / refunded do not fit its due."),
    FindingKind("receipt_gap", "票据断号", "error", "A receipt number is missing from a sequence."),
    FindingKind("deposit_mismatch", "缴存不符", "error",
                "Money collected and money deposited disagree."),
    FindingKind("depreciation", "折旧不符", "error",
                "An asset's 累计折旧 differs from what its value, life and months give."),
]

KINDS: dict[str, FindingKind] = {k.kind: k for k in _KINDS}

# Each ledger's name as the bursar calls it (schemas/*.yaml say the same in their `title`).
LEDGER_TITLES = {"fixed_assets": "固定资产台账", "gl_balances": "总账资产分类余额",
                 "asset_count": "资产盘点表", "stock_moves": "物资出入库登记", "fees": "收费台账",
                 "fee_standards": "收费标准", "deposits": "银行缴款登记", "disposals": "资产处置登记"}
SEVERITIES = ("error", "warning")


_CONTRACT_ORDER = ("kind", "severity", "ledger", "path", "sheet", "row", "column", "field", "header",
                   "value", "key", "message")


@dataclass
class Finding:
    """One thing the bursar must look at, pointing at the Excel cell where it stands."""

    kind: str
    message: str
    ledger: str
    path: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    field: str | None = None
    header: str | None = None
    value: str | None = None
    key: dict[str, Any] | None = None
    severity: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown finding kind {self.kind!r}")
        if not self.severity:
            self.severity = KINDS[self.kind].severity
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        return {name: out[name] for name in _CONTRACT_ORDER}

    def sort_key(self) -> tuple:
        return (self.path or "", self.sheet or "", self.row or 0, self.column or "", self.kind)


@dataclass
class Reconciliation:
    """One comparison made between two sides, matched or not (the datacompy habit)."""

    rule: str
    key: dict[str, Any]
    left: str
    right: str
    difference: str
    status: str  # "ok" or "mismatch"
    left_label: str = ""
    right_label: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class LedgerInfo:
    """Where a recognised ledger was found, and what its layout read or left outside the
    table (`context`: 表下说明 → the rows under the table taken for notes, not data)."""

    ledger: str
    path: str
    sheet: str
    header_rows: list[int]
    rows: int
    # What the layout read from outside the table, and what it did not check (an account
    # book's item from its title block, 本年累计未复核 …): said in the report, never silent.
    context: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        if not self.context:
            del out["context"]  # a plain table says nothing more than before
        return out


FILE_OUTCOMES = ("read", "not_a_ledger", "unreadable", "duplicate")


@dataclass
class FileOutcome:
    """What became of one input file: read (with its ledgers), not a ledger, unreadable, or a
    duplicate of another input — never skipped without a word."""

    path: str
    outcome: str
    reason: str | None = None

    def __post_init__(self) -> None:
        if self.outcome not in FILE_OUTCOMES:
            raise ValueError(f"unknown file outcome {self.outcome!r}")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "outcome": self.outcome}
        if self.reason:
            out["reason"] = self.reason
        return out


@dataclass
class UnreadSheet:
    """A sheet of a read file that was not read as a ledger, and why."""

    path: str
    sheet: str
    reason: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class CheckResult:
    """Everything one run of `check()` found: the report is data first, text second."""

    period: str | None
    ledgers: list[LedgerInfo] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    reconciliations: list[Reconciliation] = field(default_factory=list)
    skipped_rules: list[dict[str, str]] = field(default_factory=list)
    files: list[FileOutcome] = field(default_factory=list)
    unread_sheets: list[UnreadSheet] = field(default_factory=list)
    # What the bursar must know about the run as a whole (the period looks wrong …).
    notices: list[str] = field(default_factory=list)
    school: str = ""
    checked_at: str = ""  # local time of the check, YYYY-MM-DD HH:MM
    # Small summaries for other tools, JSON-ready (money as strings with two decimals):
    # `depreciation` — the month's charge per class and per department.
    summaries: dict[str, Any] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def to_json(self, version: str) -> dict[str, Any]:
        return {
            "tool": "houqin-xl",
            "version": version,
            "school": self.school,
            "checked_at": self.checked_at,
            "period": self.period,
            "notices": self.notices,
            "ledgers": [info.to_json() for info in self.ledgers],
            "files": [f.to_json() for f in self.files],
            "unread_sheets": [u.to_json() for u in self.unread_sheets],
            "findings": [f.to_json() for f in self.findings],  # check() keeps them sorted
            "reconciliations": [r.to_json() for r in self.reconciliations],
            "skipped_rules": self.skipped_rules,
            "summaries": self.summaries,
            "summary": {"errors": self.errors, "warnings": self.warnings},
        }
