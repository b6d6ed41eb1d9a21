"""Elastic-tabstop column alignment, as ``docker ps`` / ``docker images`` tables use it.

A port of Go's text/tabwriter in the variant docker/cli ships as
``cli/command/formatter/tabwriter`` (a copy of the standard library that measures
cells with ``go-runewidth`` instead of counting runes, so CJK characters and most
emoji take two columns).  docker/cli's formatter uses
``tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)``: minimum cell width 10 including
padding, 3 spaces of padding, no flags.

Semantics kept from Go: text is split into cells by ``\\t`` (and ``\\v``), lines by
``\\n`` (and ``\\f``, which also ends every column block).  Only tab-*terminated*
cells belong to a column; the last cell of a line is written as-is, unpadded.  A
column block is a run of consecutive lines that all have a cell in that column, so
a line with fewer cells cuts the block and the lines below it are aligned anew.
The HTML-filter and escape-character options are not ported: Docker never sets
them and the 0xff escape byte cannot occur in a Python ``str``.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = [
    "ALIGN_RIGHT",
    "DEBUG",
    "DISCARD_EMPTY_COLUMNS",
    "TAB_INDENT",
    "display_width",
    "tabwrite",
]

ALIGN_RIGHT = 4
DISCARD_EMPTY_COLUMNS = 8
TAB_INDENT = 16
DEBUG = 32

_ZERO_WIDTH = {0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF}


def _rune_width(ch: str) -> int:
    """go-runewidth RuneWidth for a non-East-Asian locale (ambiguous runes are narrow)."""
    cp = ord(ch)
    if cp < 0x20 or 0x7F <= cp <= 0x9F or cp == 0xAD:
        return 0
    if cp < 0x300:
        return 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    if cp in _ZERO_WIDTH or 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF:
        return 0
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return 2
    return 1


def display_width(text: str) -> int:
    """Terminal column width of ``text`` as go-runewidth's StringWidth measures it.

    runewidth works on grapheme clusters and takes the width of each cluster's first
    non-zero-width rune; summing per code point with zero-width marks and joiners
    gives the same result except inside multi-emoji ZWJ sequences.
    """
    return sum(_rune_width(ch) for ch in text)


@dataclass
class _Cell:
    text: str
    width: int
    htab: bool


class _Writer:
    """Go's tabwriter.Writer, fed the whole text in one Write followed by Flush."""

    def __init__(self, minwidth: int, tabwidth: int, padding: int, padchar: str, flags: int):
        if minwidth < 0 or tabwidth < 0 or padding < 0:
            raise ValueError("negative minwidth, tabwidth, or padding")
        if len(padchar) != 1:
            raise ValueError("padchar must be a single character")
        if padchar == "\t":
            flags &= ~ALIGN_RIGHT  # tab padding enforces left-alignment
        self.minwidth, self.tabwidth, self.padding = minwidth, tabwidth, padding
        self.padchar, self.flags = padchar, flags
        self.out: list[str] = []
        self.lines: list[list[_Cell]] = [[]]
        self.widths: list[int] = []
        self.cell = ""

    def _padding(self, textw: int, cellw: int, use_tabs: bool) -> None:
        if self.padchar == "\t" or use_tabs:
            if self.tabwidth == 0:
                return  # tabs have no width - can't do any padding
            cellw = (cellw + self.tabwidth - 1) // self.tabwidth * self.tabwidth
            self.out.append("\t" * ((cellw - textw + self.tabwidth - 1) // self.tabwidth))
            return
        self.out.append(self.padchar * (cellw - textw))

    def _write_lines(self, line0: int, line1: int) -> None:
        for i in range(line0, line1):
            use_tabs = bool(self.flags & TAB_INDENT)
            for j, c in enumerate(self.lines[i]):
                if j > 0 and self.flags & DEBUG:
                    self.out.append("|")
                if not c.text:
                    if j < len(self.widths):
                        self._padding(c.width, self.widths[j], use_tabs)
                    continue
                use_tabs = False
                if self.flags & ALIGN_RIGHT:
                    if j < len(self.widths):
                        self._padding(c.width, self.widths[j], False)
                    self.out.append(c.text)
                else:
                    self.out.append(c.text)
                    if j < len(self.widths):
                        self._padding(c.width, self.widths[j], False)
            if i + 1 == len(self.lines):
                self.out.append(self.cell)  # last buffered line has no newline
            else:
                self.out.append("\n")

    def _format(self, line0: int, line1: int) -> None:
        column = len(self.widths)
        this = line0
        while this < line1:
            if column >= len(self.lines[this]) - 1:
                this += 1
                continue
            # This line has a cell in this column: print the lines above, then
            # measure the block of consecutive lines sharing the column.
            self._write_lines(line0, this)
            line0 = this
            width, discardable = self.minwidth, True
            while this < line1:
                line = self.lines[this]
                if column >= len(line) - 1:
                    break
                c = line[column]
                width = max(width, c.width + self.padding)
                if c.width > 0 or c.htab:
                    discardable = False
                this += 1
            if discardable and self.flags & DISCARD_EMPTY_COLUMNS:
                width = 0
            self.widths.append(width)
            self._format(line0, this)
            self.widths.pop()
            line0 = this
        self._write_lines(line0, line1)

    def _terminate_cell(self, htab: bool) -> int:
        line = self.lines[-1]
        line.append(_Cell(self.cell, display_width(self.cell), htab))
        self.cell = ""
        return len(line)

    def _flush(self) -> None:
        if self.cell:
            self._terminate_cell(False)
        self._format(0, len(self.lines))
        self.lines, self.widths, self.cell = [[]], [], ""

    def write(self, text: str) -> None:
        start = 0
        for i, ch in enumerate(text):
            if ch not in "\t\v\n\f":
                continue
            self.cell += text[start:i]
            start = i + 1
            ncells = self._terminate_cell(ch == "\t")
            if ch in "\n\f":
                self.lines.append([])
                if ch == "\f" or ncells == 1:
                    # A one-cell line cannot affect later columns: flush early, as Go does.
                    self._flush()
                    if ch == "\f" and self.flags & DEBUG:
                        self.out.append("---\n")
        self.cell += text[start:]


def tabwrite(
    text: str,
    minwidth: int = 10,
    tabwidth: int = 1,
    padding: int = 3,
    padchar: str = " ",
    flags: int = 0,
) -> str:
    """Align tab-terminated cells of ``text`` into columns, exactly like Go's tabwriter.

    The defaults are docker/cli's table settings.  ``flags`` takes ALIGN_RIGHT,
    DISCARD_EMPTY_COLUMNS, TAB_INDENT and DEBUG, with Go's meanings.
    """
    writer = _Writer(minwidth, tabwidth, padding, padchar, flags)
    writer.write(text)
    writer._flush()
    return "".join(writer.out)
