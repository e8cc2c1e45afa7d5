// Package xlsx writes Office Open XML workbooks (.xlsx, ECMA-376 /
// ISO/IEC 29500 SpreadsheetML): sheets of text and numbers, cell and
// column styles (number format, bold, font size, wrapping, alignment),
// column widths, row heights, a frozen header row with filters, and print
// settings (paper, orientation, fit to pages, footer, titles repeated on
// every page).
//
// It writes what the library's deliverables need, with the standard
// library alone, so that a program that links it starts no heavier: a Go
// program initialises every package it links at start, writing files or
// not. It does not read workbooks; the tests read what it writes with an
// independent reader (github.com/xuri/excelize/v2).
//
// # Conventions
//
//   - Rows and columns count from 1, as a spreadsheet shows them (row 1,
//     column 1 is A1).
//   - Styles are made once with Workbook.Style and named by the number it
//     returns; 0 is the default style. The same Style gives the same
//     number.
//   - A cell set again takes the new value and keeps its style; a new cell
//     takes its column's style, as a spreadsheet program gives it; a
//     column style set later restyles the column's cells already set.
//   - Text is stored once in the shared strings, in order of first use,
//     and reads back as written: a character XML cannot carry (a control
//     character, U+FFFE, U+FFFF) is stored as SpreadsheetML's _xHHHH_, and
//     the underscore of a literal _xHHHH escaped. Numbers are written in
//     the fewest digits that read back as the same float64 (strconv 'f',
//     -1).
//   - What a workbook cannot hold is an error, named by sheet and cell and
//     reported by Workbook.Write: a number that is not finite, a text
//     longer than a cell holds (MaxText, 32,767 UTF-16 units), a row
//     taller than MaxRowHeight (budget.ErrRange), text that is not UTF-8
//     (budget.ErrSyntax), a sheet name a spreadsheet refuses, and a
//     property, footer or number format with a character XML cannot carry.
//   - The same calls give the same bytes: no clock time is written, and
//     the zip entries are in a fixed order with a fixed date.
package xlsx
