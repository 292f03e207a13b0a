"""Sets 5–7: the school's books in the shapes systems export and bursars keep.

- 示例5-系统导出 (`write_exports_set`): the asset system's card export (HTML .xls), the finance
  software's 科目余额表 (SpreadsheetML .xls), the stocktake app's CSV, the asset system's
  资产处置明细 (HTML .xls) — see exports.py;
- 示例6-账簿与宽表 (`write_books_set`): the stores book as a 数量金额式明细账, the fees kept wide
  with wide standards, the cashier's 银行存款日记账 — see stores_book.py and fee_book.py;
- 示例7 (shape_defects.py): all eight files with a few seeded defects.

Everything derives from `books.make_books()` — the same assets, stock movements and students as
sets 1–4 — and fixed seeds, so a rerun writes the same files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .books import Books
from .cards import Card, exported, make_cards
from .exports import CardShown, Counted, count_lines, write_exports
from .fee_book import (
    ClassSheet,
    JournalLine,
    daily_takings,
    journal_lines,
    make_classes,
    write_fee_books,
)
from .stores_book import ItemPage, make_pages, write_stores_book
from .trial_balance import AccountRow, Posting, balance_rows, make_books

PERIOD_MONTH = 11


@dataclass
class ShapeBooks:
    """What sets 5–7 write, before it is laid out: each part can be spoiled on its own."""

    seed: int
    cards: list[Card]                 # every card, the disposed ones too
    count: list[Counted]
    pages: list[ItemPage]
    classes: list[ClassSheet]
    extra_postings: tuple[Posting, ...] = ()
    shown: dict[str, CardShown] = field(default_factory=dict)

    @property
    def listed(self) -> list[Card]:
        """The cards the export lists, in its order."""
        return exported(self.cards)

    def gl(self) -> list[AccountRow]:
        return balance_rows(make_books(self.cards, self.seed + 5, PERIOD_MONTH, self.extra_postings),
                            PERIOD_MONTH)

    def journal(self) -> list[JournalLine]:
        """The bank book: each day's takings deposited that day (收支两条线)."""
        return journal_lines(daily_takings(self.classes))


def make_shape_books(books: Books, seed: int) -> ShapeBooks:
    cards = make_cards()
    return ShapeBooks(seed=seed, cards=cards, count=count_lines(exported(cards), seed + 6),
                      pages=make_pages(books.stock.rows, seed + 7), classes=make_classes(books.fees.rows))


def write_exports_set(shapes: ShapeBooks, folder: Path) -> list[Path]:
    return write_exports(folder, shapes.cards, shapes.gl(), shapes.count, shapes.shown)


def write_books_set(shapes: ShapeBooks, folder: Path) -> list[Path]:
    return [write_stores_book(shapes.pages, folder), *write_fee_books(shapes.classes, shapes.journal(), folder)]
