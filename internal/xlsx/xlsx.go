package xlsx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/upstream-health/upstream/budget"
)

// MaxText is the most UTF-16 code units a cell's text holds.
const MaxText = 32767

// MaxRowHeight is the tallest a row can be, in points.
const MaxRowHeight = 409

// maxRows and maxCols are a sheet's bounds (XFD1048576); maxStyles is
// the most cell formats a workbook holds.
const (
	maxRows   = 1 << 20
	maxCols   = 16384
	maxStyles = 64000
)

// Style is how cells look. The zero Style is the default: 11 point
// Calibri, the General number format, no wrapping.
type Style struct {
	NumFmt     string  // a number format such as `#,##0.00` or `0.00%`; "" for General
	Bold       bool    // bold text
	Size       float64 // the font's size in points; 0 for 11
	Wrap       bool    // wrap text within the cell
	Vertical   string  // "", "top", "center" or "bottom"
	Horizontal string  // "", "left", "center" or "right"
}

// Props are the workbook's document properties (File > Info).
type Props struct {
	Title, Description, Creator, Language string
}

// Page is how a sheet prints.
type Page struct {
	Landscape bool
	PaperSize int    // the SpreadsheetML paper code: 9 is A4; 0 leaves the printer's own
	FitWidth  int    // pages wide to fit the sheet to, 0 for any; with FitHeight, fits to pages
	FitHeight int    // pages tall, 0 for as many as it needs
	Fit       bool   // scale to FitWidth by FitHeight pages
	Footer    string // the odd pages' footer, in SpreadsheetML's header and footer codes (&L, &P, &N, ...)
	TitleRows int    // rows from the top repeated on every page, 0 for none
}

// Workbook is a workbook being made. Its zero value is not ready: use New.
type Workbook struct {
	sheets   []*Sheet
	styles   []Style
	styleIDs map[Style]int
	props    Props
	strings  map[string]int
	sst      []string
	err      error // the first error, reported by Write
}

// New returns an empty workbook, with the default style as style 0.
func New() *Workbook {
	return &Workbook{styles: []Style{{}}, styleIDs: map[Style]int{{}: 0}, strings: map[string]int{}}
}

// Style returns the number of style s, adding it the first time.
func (w *Workbook) Style(s Style) int {
	if i, ok := w.styleIDs[s]; ok {
		return i
	}
	w.styles = append(w.styles, s)
	w.styleIDs[s] = len(w.styles) - 1
	return len(w.styles) - 1
}

// SetProps sets the document properties.
func (w *Workbook) SetProps(p Props) { w.props = p }

// Sheet is one sheet of a workbook.
type Sheet struct {
	w        *Workbook
	name     string
	rows     []row      // by row number - 1
	cols     []colAttrs // by column number - 1
	freeze   bool       // the first row stays in view
	filter   string     // the range filtered (A1:C9), or ""
	page     *Page
	lastRow  int
	lastCol  int
	selected bool
}

type row struct {
	height float64 // points; 0 for the default
	cells  []cell  // sorted by column
}

type cell struct {
	num   float64
	col   int32
	style int32
	str   int32 // the shared string's index
	kind  byte  // 0 empty (styled only), 'n' number, 's' shared string
}

type colAttrs struct {
	width float64 // characters; 0 for the default
	style int
}

// AddSheet adds a sheet named name after the others. A name is 1 to 31
// characters, none of []:*?/\, not starting or ending with ', and unlike
// every other sheet's without regard to case.
func (w *Workbook) AddSheet(name string) (*Sheet, error) {
	n := TextLen(name)
	switch {
	case strings.TrimSpace(name) == "" || n > 31 || strings.ContainsAny(name, `[]:*?/\`) ||
		strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'") || checkText("sheet", name) != nil ||
		strings.ContainsFunc(name, unicode.IsControl):
		return nil, fmt.Errorf("sheet %q: %w: a sheet's name has 1 to 31 characters, none of []:*?/\\ or a control character, and does not start or end with '", name, budget.ErrRange)
	case strings.EqualFold(name, "History"):
		return nil, fmt.Errorf("sheet %q: %w: a spreadsheet program keeps the name for itself", name, budget.ErrRange)
	}
	for _, s := range w.sheets {
		if strings.EqualFold(s.name, name) {
			return nil, fmt.Errorf("sheet %q: %w: the workbook has a sheet %q (names are compared without case)", name, budget.ErrDuplicate, s.name)
		}
	}
	s := &Sheet{w: w, name: name, selected: len(w.sheets) == 0}
	w.sheets = append(w.sheets, s)
	return s, nil
}

// TextLen is how many characters v is as a spreadsheet counts them, in
// UTF-16 code units: a cell holds MaxText.
func TextLen(v string) int {
	n := 0
	for _, r := range v {
		n += utf16.RuneLen(r)
	}
	return n
}

// Name is the sheet's name.
func (s *Sheet) Name() string { return s.name }

// fail records the first error of the workbook.
func (s *Sheet) fail(err error) {
	if s.w.err == nil {
		s.w.err = err
	}
}

// at returns the cell at row r, column c, making it (in its column's
// style) the first time; nil if r or c is out of the sheet's bounds.
func (s *Sheet) at(r, c int) *cell {
	if r < 1 || r > maxRows || c < 1 || c > maxCols {
		s.fail(fmt.Errorf("sheet %q: row %d, column %d: %w: a sheet has rows 1 to %d and columns 1 to %d", s.name, r, c, budget.ErrRange, maxRows, maxCols))
		return nil
	}
	for len(s.rows) < r {
		s.rows = append(s.rows, row{})
	}
	rw := &s.rows[r-1]
	if n := len(rw.cells); n == 0 || int(rw.cells[n-1].col) < c {
		// Cells are mostly set left to right.
		rw.cells = append(rw.cells, cell{col: int32(c), style: s.colStyle(c)})
		s.lastRow, s.lastCol = max(s.lastRow, r), max(s.lastCol, c)
		return &rw.cells[n]
	}
	i, found := slices.BinarySearchFunc(rw.cells, c, func(x cell, c int) int { return int(x.col) - c })
	if !found {
		rw.cells = slices.Insert(rw.cells, i, cell{col: int32(c), style: s.colStyle(c)})
		s.lastRow, s.lastCol = max(s.lastRow, r), max(s.lastCol, c)
	}
	return &rw.cells[i]
}

// colStyle is the style of column c, which a new cell in it takes.
func (s *Sheet) colStyle(c int) int32 {
	if c <= len(s.cols) {
		return int32(s.cols[c-1].style)
	}
	return 0
}

// SetText sets the cell at row r, column c to the text v.
func (s *Sheet) SetText(r, c int, v string) {
	if !utf8.ValidString(v) {
		s.fail(fmt.Errorf("sheet %q, cell %s: %q: %w: text is not valid UTF-8", s.name, CellName(r, c), v, budget.ErrSyntax))
		return
	}
	if n := TextLen(v); n > MaxText {
		s.fail(fmt.Errorf("sheet %q, cell %s: %w: %d characters of text, and a cell holds %d", s.name, CellName(r, c), budget.ErrRange, n, MaxText))
		return
	}
	x := s.at(r, c)
	if x == nil {
		return
	}
	i, ok := s.w.strings[v]
	if !ok {
		if len(s.w.sst) == math.MaxInt32 {
			s.fail(fmt.Errorf("sheet %q, cell %s: %w: a workbook holds at most %d different texts", s.name, CellName(r, c), budget.ErrRange, math.MaxInt32))
			return
		}
		i = len(s.w.sst)
		s.w.strings[v] = i
		s.w.sst = append(s.w.sst, v)
	}
	x.kind, x.str = 's', int32(i)
}

// SetNumber sets the cell at row r, column c to the number v, which must
// be finite.
func (s *Sheet) SetNumber(r, c int, v float64) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		s.fail(fmt.Errorf("sheet %q, cell %s: %v: %w: a number in a workbook is finite", s.name, CellName(r, c), v, budget.ErrRange))
		return
	}
	if x := s.at(r, c); x != nil {
		x.kind, x.num = 'n', v
	}
}

// SetStyle sets the style of the cells from row r1, column c1 to row r2,
// column c2, making those not set yet.
func (s *Sheet) SetStyle(r1, c1, r2, c2, style int) {
	if style < 0 || style >= len(s.w.styles) {
		s.fail(fmt.Errorf("sheet %q: style %d: %w: not made by Workbook.Style", s.name, style, budget.ErrRange))
		return
	}
	for r := min(r1, r2); r <= max(r1, r2); r++ {
		for c := min(c1, c2); c <= max(c1, c2); c++ {
			x := s.at(r, c)
			if x == nil {
				return
			}
			x.style = int32(style)
		}
	}
}

// cols returns the attributes of columns c1 to c2, made the first time.
func (s *Sheet) colRange(c1, c2 int) []colAttrs {
	if c1 < 1 || c2 > maxCols || c1 > c2 {
		s.fail(fmt.Errorf("sheet %q: columns %d to %d: %w: a sheet has columns 1 to %d", s.name, c1, c2, budget.ErrRange, maxCols))
		return nil
	}
	for len(s.cols) < c2 {
		s.cols = append(s.cols, colAttrs{})
	}
	return s.cols[c1-1 : c2]
}

// SetColWidth sets the width of columns c1 to c2 in characters.
func (s *Sheet) SetColWidth(c1, c2 int, width float64) {
	if !(width >= 0 && width <= 255) {
		s.fail(fmt.Errorf("sheet %q: column width %v: %w: 0 to 255 characters", s.name, width, budget.ErrRange))
		return
	}
	for i := range s.colRange(c1, c2) {
		s.cols[c1-1+i].width = width
	}
}

// SetColStyle sets the style of columns c1 to c2: the cells set in them
// already take it, and so do those set later.
func (s *Sheet) SetColStyle(c1, c2, style int) {
	if style < 0 || style >= len(s.w.styles) {
		s.fail(fmt.Errorf("sheet %q: style %d: %w: not made by Workbook.Style", s.name, style, budget.ErrRange))
		return
	}
	for i := range s.colRange(c1, c2) {
		s.cols[c1-1+i].style = style
	}
	for r := range s.rows {
		for k := range s.rows[r].cells {
			if c := int(s.rows[r].cells[k].col); c >= c1 && c <= c2 {
				s.rows[r].cells[k].style = int32(style)
			}
		}
	}
}

// SetRowHeight sets the height of row r in points.
func (s *Sheet) SetRowHeight(r int, height float64) {
	if r < 1 || r > maxRows || !(height >= 0 && height <= MaxRowHeight) {
		s.fail(fmt.Errorf("sheet %q: row %d, height %v: %w: rows 1 to %d, 0 to %d points", s.name, r, height, budget.ErrRange, maxRows, MaxRowHeight))
		return
	}
	for len(s.rows) < r {
		s.rows = append(s.rows, row{})
	}
	s.rows[r-1].height = height
	s.lastRow = max(s.lastRow, r)
}

// FreezeHeader keeps the first row in view as the sheet scrolls.
func (s *Sheet) FreezeHeader() { s.freeze = true }

// AutoFilter lets each column of the table from A1 to row lastRow,
// column lastCol be filtered.
func (s *Sheet) AutoFilter(lastRow, lastCol int) {
	if lastRow < 1 || lastRow > maxRows || lastCol < 1 || lastCol > maxCols {
		s.fail(fmt.Errorf("sheet %q: filter to row %d, column %d: %w", s.name, lastRow, lastCol, budget.ErrRange))
		return
	}
	s.filter = "$A$1:$" + ColumnName(lastCol) + "$" + strconv.Itoa(lastRow)
}

// SetPage sets how the sheet prints.
func (s *Sheet) SetPage(p Page) {
	if p.TitleRows < 0 || p.TitleRows > maxRows || p.FitWidth < 0 || p.FitHeight < 0 || p.PaperSize < 0 {
		s.fail(fmt.Errorf("sheet %q: page %+v: %w", s.name, p, budget.ErrRange))
		return
	}
	s.page = &p
}

// ColumnName is column c's letters: 1 is A, 27 is AA.
func ColumnName(c int) string { return string(appendColumn(nil, c)) }

// appendColumn appends column c's letters to b.
func appendColumn(b []byte, c int) []byte {
	var l [4]byte // XFD, the last column, has three
	n := len(l)
	for ; c > 0 && n > 0; c = (c - 1) / 26 {
		n--
		l[n] = byte('A' + (c-1)%26)
	}
	return append(b, l[n:]...)
}

// CellName is the name of the cell at row r, column c: B3 for 3, 2.
func CellName(r, c int) string { return ColumnName(c) + strconv.Itoa(r) }

// Write writes the workbook to out, or reports the first error of the
// calls that made it.
func (w *Workbook) Write(out io.Writer) error {
	if w.err != nil {
		return w.err
	}
	for _, t := range [][2]string{{"title", w.props.Title}, {"description", w.props.Description}, {"creator", w.props.Creator}, {"language", w.props.Language}} {
		if err := checkText("workbook property "+t[0], t[1]); err != nil {
			return err
		}
	}
	if len(w.styles) > maxStyles {
		return fmt.Errorf("workbook: %d styles: %w: a workbook holds at most %d", len(w.styles), budget.ErrRange, maxStyles)
	}
	for _, st := range w.styles {
		if err := checkText("number format", st.NumFmt); err != nil {
			return err
		}
		if !(st.Size == 0 || st.Size >= 1 && st.Size <= 409) {
			return fmt.Errorf("style: font size %v: %w: 1 to 409 points, or 0 for 11", st.Size, budget.ErrRange)
		}
		for _, a := range [][2]string{{"vertical", st.Vertical}, {"horizontal", st.Horizontal}} {
			if !slices.Contains([]string{"", "top", "center", "bottom", "left", "right"}, a[1]) || a[0] == "vertical" && (a[1] == "left" || a[1] == "right") || a[0] == "horizontal" && (a[1] == "top" || a[1] == "bottom") {
				return fmt.Errorf("style: %s alignment %q: %w", a[0], a[1], budget.ErrRange)
			}
		}
	}
	for _, sh := range w.sheets {
		if sh.page != nil {
			if err := checkText("sheet "+strconv.Quote(sh.name)+": footer", sh.page.Footer); err != nil {
				return err
			}
		}
	}
	if len(w.sheets) == 0 {
		return fmt.Errorf("workbook: %w: no sheets", budget.ErrNoData)
	}
	z := zip.NewWriter(out)
	// Each part is written as it is made, through a buffer, not held
	// whole: a Data sheet of every ICB is some hundreds of MB of XML.
	buf := bufio.NewWriterSize(nil, 64<<10)
	part := func(name string, body func(b writer)) error {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		buf.Reset(f)
		buf.WriteString(xml.Header)
		body(buf)
		return buf.Flush()
	}
	parts := []struct {
		name string
		body func(writer)
	}{
		{"[Content_Types].xml", w.contentTypes},
		{"_rels/.rels", rootRels},
		{"docProps/app.xml", appProps},
		{"docProps/core.xml", w.coreProps},
		{"xl/workbook.xml", w.workbook},
		{"xl/_rels/workbook.xml.rels", w.workbookRels},
		{"xl/styles.xml", w.stylesheet},
	}
	for i, s := range w.sheets {
		parts = append(parts, struct {
			name string
			body func(writer)
		}{fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), s.worksheet})
	}
	parts = append(parts, struct {
		name string
		body func(writer)
	}{"xl/sharedStrings.xml", w.sharedStrings})
	for _, p := range parts {
		if err := part(p.name, p.body); err != nil {
			return err
		}
	}
	return z.Close()
}

const (
	nsMain = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsPkg  = "http://schemas.openxmlformats.org/package/2006/relationships"
	ctSML  = "application/vnd.openxmlformats-officedocument.spreadsheetml."
)

func (w *Workbook) contentTypes(b writer) {
	b.WriteString(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`)
	b.WriteString(`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`)
	b.WriteString(`<Default Extension="xml" ContentType="application/xml"/>`)
	b.WriteString(`<Override PartName="/xl/workbook.xml" ContentType="` + ctSML + `sheet.main+xml"/>`)
	b.WriteString(`<Override PartName="/xl/styles.xml" ContentType="` + ctSML + `styles+xml"/>`)
	b.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="` + ctSML + `sharedStrings+xml"/>`)
	for i := range w.sheets {
		fmt.Fprintf(b, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="`+ctSML+`worksheet+xml"/>`, i+1)
	}
	b.WriteString(`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`)
	b.WriteString(`<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`)
	b.WriteString(`</Types>`)
}

func rootRels(b writer) {
	b.WriteString(`<Relationships xmlns="` + nsPkg + `">`)
	b.WriteString(`<Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/>`)
	b.WriteString(`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>`)
	b.WriteString(`<Relationship Id="rId3" Type="` + nsRel + `/extended-properties" Target="docProps/app.xml"/>`)
	b.WriteString(`</Relationships>`)
}

func appProps(b writer) {
	b.WriteString(`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Upstream</Application></Properties>`)
}

func (w *Workbook) coreProps(b writer) {
	b.WriteString(`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">`)
	el := func(name, v string) {
		if v != "" {
			b.WriteString("<" + name + ">")
			plain(b, v)
			b.WriteString("</" + name + ">")
		}
	}
	el("dc:title", w.props.Title)
	el("dc:creator", w.props.Creator)
	el("dc:description", w.props.Description)
	el("cp:lastModifiedBy", w.props.Creator)
	el("dc:language", w.props.Language)
	b.WriteString(`</cp:coreProperties>`)
}

// quoteSheet is a sheet's name as a reference gives it: 'Name', with any
// ' doubled.
func quoteSheet(name string) string { return "'" + strings.ReplaceAll(name, "'", "''") + "'" }

func (w *Workbook) workbook(b writer) {
	b.WriteString(`<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">`)
	b.WriteString(`<bookViews><workbookView activeTab="0"/></bookViews><sheets>`)
	for i, s := range w.sheets {
		b.WriteString(`<sheet name="`)
		plain(b, s.name)
		fmt.Fprintf(b, `" sheetId="%d" r:id="rId%d"/>`, i+1, i+1)
	}
	b.WriteString(`</sheets>`)
	var names bytes.Buffer
	for i, s := range w.sheets {
		if s.filter != "" {
			fmt.Fprintf(&names, `<definedName name="_xlnm._FilterDatabase" localSheetId="%d" hidden="1">`, i)
			plain(&names, quoteSheet(s.name)+"!"+s.filter)
			names.WriteString(`</definedName>`)
		}
	}
	for i, s := range w.sheets {
		if s.page != nil && s.page.TitleRows > 0 {
			fmt.Fprintf(&names, `<definedName name="_xlnm.Print_Titles" localSheetId="%d">`, i)
			plain(&names, fmt.Sprintf("%s!$1:$%d", quoteSheet(s.name), s.page.TitleRows))
			names.WriteString(`</definedName>`)
		}
	}
	if names.Len() > 0 {
		b.WriteString(`<definedNames>`)
		b.Write(names.Bytes())
		b.WriteString(`</definedNames>`)
	}
	b.WriteString(`</workbook>`)
}

func (w *Workbook) workbookRels(b writer) {
	b.WriteString(`<Relationships xmlns="` + nsPkg + `">`)
	for i := range w.sheets {
		fmt.Fprintf(b, `<Relationship Id="rId%d" Type="`+nsRel+`/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
	}
	n := len(w.sheets)
	fmt.Fprintf(b, `<Relationship Id="rId%d" Type="`+nsRel+`/styles" Target="styles.xml"/>`, n+1)
	fmt.Fprintf(b, `<Relationship Id="rId%d" Type="`+nsRel+`/sharedStrings" Target="sharedStrings.xml"/>`, n+2)
	b.WriteString(`</Relationships>`)
}

// defaultWidth is a column's default width as a workbook states it: 8.43
// characters of 11 point Calibri and the padding, 9.140625.
const defaultWidth = "9.140625"

// firstCustomFormat is the id of the first number format a workbook
// defines; those below are built in.
const firstCustomFormat = 164

func (w *Workbook) stylesheet(b writer) {
	type font struct {
		bold bool
		size float64
	}
	var formats []string
	fonts := []font{{size: 11}}
	fontOf := make([]int, len(w.styles))
	formatOf := make([]int, len(w.styles))
	for i, s := range w.styles {
		if s.NumFmt != "" {
			k := slices.Index(formats, s.NumFmt)
			if k < 0 {
				formats = append(formats, s.NumFmt)
				k = len(formats) - 1
			}
			formatOf[i] = firstCustomFormat + k
		}
		f := font{bold: s.Bold, size: s.Size}
		if f.size == 0 {
			f.size = 11
		}
		k := slices.Index(fonts, f)
		if k < 0 {
			fonts = append(fonts, f)
			k = len(fonts) - 1
		}
		fontOf[i] = k
	}
	b.WriteString(`<styleSheet xmlns="` + nsMain + `">`)
	if len(formats) > 0 {
		fmt.Fprintf(b, `<numFmts count="%d">`, len(formats))
		for k, f := range formats {
			fmt.Fprintf(b, `<numFmt numFmtId="%d" formatCode="`, firstCustomFormat+k)
			plain(b, f)
			b.WriteString(`"/>`)
		}
		b.WriteString(`</numFmts>`)
	}
	fmt.Fprintf(b, `<fonts count="%d">`, len(fonts))
	for _, f := range fonts {
		b.WriteString(`<font>`)
		if f.bold {
			b.WriteString(`<b/>`)
		}
		fmt.Fprintf(b, `<sz val="%s"/><name val="Calibri"/><family val="2"/></font>`, strconv.FormatFloat(f.size, 'f', -1, 64))
	}
	b.WriteString(`</fonts>`)
	b.WriteString(`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>`)
	b.WriteString(`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>`)
	b.WriteString(`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>`)
	fmt.Fprintf(b, `<cellXfs count="%d">`, len(w.styles))
	for i, s := range w.styles {
		fmt.Fprintf(b, `<xf numFmtId="%d" fontId="%d" fillId="0" borderId="0" xfId="0"`, formatOf[i], fontOf[i])
		if formatOf[i] != 0 {
			b.WriteString(` applyNumberFormat="1"`)
		}
		if fontOf[i] != 0 {
			b.WriteString(` applyFont="1"`)
		}
		if !s.Wrap && s.Vertical == "" && s.Horizontal == "" {
			b.WriteString(`/>`)
			continue
		}
		b.WriteString(` applyAlignment="1"><alignment`)
		if s.Horizontal != "" {
			b.WriteString(` horizontal="`)
			plain(b, s.Horizontal)
			b.WriteString(`"`)
		}
		if s.Vertical != "" {
			b.WriteString(` vertical="`)
			plain(b, s.Vertical)
			b.WriteString(`"`)
		}
		if s.Wrap {
			b.WriteString(` wrapText="1"`)
		}
		b.WriteString(`/></xf>`)
	}
	b.WriteString(`</cellXfs>`)
	b.WriteString(`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>`)
	b.WriteString(`</styleSheet>`)
}

func (w *Workbook) sharedStrings(b writer) {
	fmt.Fprintf(b, `<sst xmlns="`+nsMain+`" uniqueCount="%d">`, len(w.sst))
	for _, v := range w.sst {
		b.WriteString(`<si><t`)
		if v != strings.TrimSpace(v) || strings.ContainsAny(v, "\n\t\r") {
			b.WriteString(` xml:space="preserve"`)
		}
		b.WriteString(`>`)
		escape(b, v)
		b.WriteString(`</t></si>`)
	}
	b.WriteString(`</sst>`)
}

// num is v in the fewest digits that read back as v.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func (s *Sheet) worksheet(b writer) {
	b.WriteString(`<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">`)
	if s.page != nil && s.page.Fit {
		b.WriteString(`<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>`)
	}
	dim := "A1"
	if s.lastRow > 0 && s.lastCol > 0 {
		dim = "A1:" + CellName(s.lastRow, s.lastCol)
	}
	b.WriteString(`<dimension ref="` + dim + `"/>`)
	b.WriteString(`<sheetViews><sheetView`)
	if s.selected {
		b.WriteString(` tabSelected="1"`)
	}
	b.WriteString(` workbookViewId="0">`)
	if s.freeze {
		b.WriteString(`<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>`)
	}
	b.WriteString(`</sheetView></sheetViews>`)
	b.WriteString(`<sheetFormatPr defaultRowHeight="15"/>`)
	if len(s.cols) > 0 {
		b.WriteString(`<cols>`)
		for c := 0; c < len(s.cols); {
			e := c
			for e+1 < len(s.cols) && s.cols[e+1] == s.cols[c] {
				e++
			}
			if a := s.cols[c]; a != (colAttrs{}) {
				fmt.Fprintf(b, `<col min="%d" max="%d"`, c+1, e+1)
				if a.width > 0 {
					fmt.Fprintf(b, ` width="%s" customWidth="1"`, num(a.width))
				} else {
					// A column without a width shows as none in Excel: give
					// it the default's, 8.43 characters of Calibri 11.
					b.WriteString(` width="` + defaultWidth + `"`)
				}
				if a.style != 0 {
					fmt.Fprintf(b, ` style="%d"`, a.style)
				}
				b.WriteString(`/>`)
			}
			c = e + 1
		}
		b.WriteString(`</cols>`)
	}
	b.WriteString(`<sheetData>`)
	var buf []byte // one row's XML, made without a string for each cell
	for i, rw := range s.rows {
		if len(rw.cells) == 0 && rw.height == 0 {
			continue
		}
		r := strconv.Itoa(i + 1)
		buf = append(buf[:0], `<row r="`...)
		buf = append(buf, r...)
		buf = append(buf, '"')
		if rw.height > 0 {
			buf = append(buf, ` ht="`...)
			buf = strconv.AppendFloat(buf, rw.height, 'f', -1, 64)
			buf = append(buf, `" customHeight="1"`...)
		}
		buf = append(buf, '>')
		for _, x := range rw.cells {
			buf = append(buf, `<c r="`...)
			buf = appendColumn(buf, int(x.col))
			buf = append(buf, r...)
			buf = append(buf, '"')
			if x.style != 0 {
				buf = append(buf, ` s="`...)
				buf = strconv.AppendInt(buf, int64(x.style), 10)
				buf = append(buf, '"')
			}
			switch x.kind {
			case 'n':
				buf = append(buf, `><v>`...)
				buf = strconv.AppendFloat(buf, x.num, 'f', -1, 64)
				buf = append(buf, `</v></c>`...)
			case 's':
				buf = append(buf, ` t="s"><v>`...)
				buf = strconv.AppendInt(buf, int64(x.str), 10)
				buf = append(buf, `</v></c>`...)
			default:
				buf = append(buf, `/>`...)
			}
		}
		buf = append(buf, `</row>`...)
		_, _ = b.Write(buf)
	}
	b.WriteString(`</sheetData>`)
	if s.filter != "" {
		b.WriteString(`<autoFilter ref="` + strings.ReplaceAll(s.filter, "$", "") + `"/>`)
	}
	if p := s.page; p != nil {
		b.WriteString(`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`)
		b.WriteString(`<pageSetup`)
		if p.PaperSize > 0 {
			fmt.Fprintf(b, ` paperSize="%d"`, p.PaperSize)
		}
		if p.Fit {
			fmt.Fprintf(b, ` fitToWidth="%d" fitToHeight="%d"`, p.FitWidth, p.FitHeight)
		}
		if p.Landscape {
			b.WriteString(` orientation="landscape"`)
		} else {
			b.WriteString(` orientation="portrait"`)
		}
		b.WriteString(`/>`)
		if p.Footer != "" {
			b.WriteString(`<headerFooter><oddFooter>`)
			plain(b, p.Footer)
			b.WriteString(`</oddFooter></headerFooter>`)
		}
	}
	b.WriteString(`</worksheet>`)
}

// plain writes v as XML character data. v holds only characters XML 1.0
// can carry (checkText).
func plain(b writer, v string) { _ = xml.EscapeText(b, []byte(v)) }

// writer is where a part is written: a buffer whose errors are kept and
// reported by its Flush (bufio.Writer), or that has none (bytes.Buffer).
type writer interface {
	io.Writer
	io.StringWriter
}

// escape writes a cell's text v as XML character data: a character XML
// 1.0 cannot carry (most control characters, U+FFFE and U+FFFF) as
// SpreadsheetML's _xHHHH_ escape, and the underscore of a literal _xHHHH
// in v escaped, so that it reads back as written. v is valid UTF-8
// (SetText).
func escape(b writer, v string) {
	start := 0
	flush := func(i int) {
		if start < i {
			plain(b, v[start:i])
		}
	}
	for i, r := range v {
		switch {
		case !xmlChar(r):
			flush(i)
			fmt.Fprintf(b, "_x%04X_", r)
			start = i + utf8.RuneLen(r)
		case r == '_' && startsEscape(v[i:]):
			flush(i)
			b.WriteString("_x005F_")
			start = i + 1
		}
	}
	flush(len(v))
}

// xmlChar reports whether XML 1.0 can carry r (its Char production).
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// checkText reports text outside a cell (a property, a footer, a number
// format) that a workbook cannot carry as written: not UTF-8, or with a
// character XML 1.0 cannot carry.
func checkText(what, v string) error {
	if !utf8.ValidString(v) {
		return fmt.Errorf("%s %q: %w: not valid UTF-8", what, v, budget.ErrSyntax)
	}
	for _, r := range v {
		if !xmlChar(r) {
			return fmt.Errorf("%s %q: %w: character %U cannot be written in a workbook's XML", what, v, budget.ErrRange, r)
		}
	}
	return nil
}

// startsEscape reports whether v starts with _xHHHH: a reader takes it for
// an escape when a _ follows, written or starting the next escape.
func startsEscape(v string) bool {
	if len(v) < 6 || v[0] != '_' || v[1] != 'x' && v[1] != 'X' {
		return false
	}
	for _, c := range v[2:6] {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}
