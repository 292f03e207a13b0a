"""The closed vocabulary of findings, and the result of a check.

Every finding kind is declared once here, with its Chinese title, default severity and
message template (the way frictionless-py declares its error types). The JSON report, the
Excel report and the marks in a ledger all render from these declarations.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
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


# A column gone wrong as a whole (every 原值 a text, a date column in another format) would list
# every one of its cells — 100,000 findings take minutes and gigabytes to report, and say
# nothing more than the first ones. Past this many findings of one kind in one column of one
# ledger, the rest are counted in one finding that says so (row null, key {"omitted": N}).
LISTED_PER_COLUMN = 1_000


def _listing_group(f: Finding) -> tuple:
    return (f.path, f.sheet, f.ledger, f.kind, f.field)


def is_omitted_summary(f: Finding) -> bool:
    return bool(f.key) and "omitted" in f.key


def omitted_summary(first: Finding, count: int) -> Finding:
    """The one finding standing for `count` more like `first` in the same column."""
    where = first.header or first.field or "本列"
    return Finding(
        kind=first.kind, severity=first.severity, ledger=first.ledger, path=first.path,
        sheet=first.sheet, row=None, column=first.column, field=first.field, header=first.header,
        value=None, key={"column": where, "omitted": count},
        message=(f"{where}：另有 {count:,} 处{KINDS[first.kind].title}未逐一列出（每列每类只列前 "
                 f"{LISTED_PER_COLUMN:,} 处）；这一列可能整体有误，请先修正已列出的几处再重新核对"),
    )


class Listing:
    """Counts findings per kind and column as they are made: `admit` says whether the next one
    is listed, `summaries` gives the findings standing for those that were not."""

    def __init__(self, limit: int = LISTED_PER_COLUMN) -> None:
        self.limit = limit
        self.listed: dict[tuple, Finding] = {}
        self.counts: dict[tuple, int] = {}
        self.omitted: dict[tuple, int] = {}

    def admit(self, key: tuple) -> bool:
        count = self.counts.get(key, 0)
        if count < self.limit:
            self.counts[key] = count + 1
            return True
        self.omitted[key] = self.omitted.get(key, 0) + 1
        return False

    def listed_first(self, key: tuple, finding: Finding) -> None:
        self.listed.setdefault(key, finding)

    def summaries(self) -> list[Finding]:
        return [omitted_summary(self.listed[key], count) for key, count in self.omitted.items()
                if key in self.listed]


def once(findings: list[Finding]) -> list[Finding]:
    """Each finding once, in its first place. A wide fee row is several records (one per item)
    sharing its 收据号 and 缴费日期 cells; a rule on those cells finds the same thing once per
    record — one blank receipt is one error, not four."""
    seen: set[tuple] = set()
    kept = []
    for f in findings:
        ident = (f.kind, f.message, f.ledger, f.path, f.sheet, f.row, f.column, f.field, f.header,
                 f.value, f.severity, repr(sorted(f.key.items())) if f.key else None)
        if ident not in seen:
            seen.add(ident)
            kept.append(f)
    return kept


def cap_listed(findings: list[Finding], limit: int = LISTED_PER_COLUMN) -> list[Finding]:
    """At most `limit` findings of each kind in each column of each ledger, in their order; the
    rest (and any summaries already made) in one summary finding per column."""
    kept: list[Finding] = []
    counts: dict[tuple, int] = {}
    first: dict[tuple, Finding] = {}
    omitted: dict[tuple, int] = {}
    for f in findings:
        group = _listing_group(f)
        if is_omitted_summary(f):
            omitted[group] = omitted.get(group, 0) + int(f.key["omitted"])
            first.setdefault(group, f)
            continue
        first.setdefault(group, f)
        if counts.get(group, 0) < limit:
            counts[group] = counts.get(group, 0) + 1
            kept.append(f)
        else:
            omitted[group] = omitted.get(group, 0) + 1
    for group, count in omitted.items():
        template = first[group]
        kept.append(omitted_summary(template, count) if not is_omitted_summary(template) else
                    omitted_summary(replace(template, key=None), count))
    return kept


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
