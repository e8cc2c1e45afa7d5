package scenario

import (
	"sync"

	"github.com/upstream-health/upstream/budget"
)

// rowIndex finds rows by key (period, area, measure, basis), built on
// first use. It keeps, for each measure and area, the positions of its
// rows in row order (a few periods on a few bases), so that a look-up
// hashes two short strings and compares a handful of rows: some 8 bytes a
// row, where a map of whole keys costs some 100.
type rowIndex struct {
	once  sync.Once
	group map[groupKey]int32
	start []int32 // group g's rows are pos[start[g]:start[g+1]]
	pos   []int32
}

type groupKey struct {
	measure Measure
	area    string
}

// rowsOf reads n rows by position.
type rowsOf interface {
	len() int
	row(i int) *budget.Row
}

// build indexes rs.
func (ix *rowIndex) build(rs rowsOf) {
	n := rs.len()
	ix.group = make(map[groupKey]int32)
	of := make([]int32, n) // each row's group
	var count []int32
	for i := range n {
		r := rs.row(i)
		k := groupKey{r.Measure, r.Area}
		g, ok := ix.group[k]
		if !ok {
			g = int32(len(count))
			ix.group[k] = g
			count = append(count, 0)
		}
		of[i] = g
		count[g]++
	}
	ix.start = make([]int32, len(count)+1)
	for g, c := range count {
		ix.start[g+1] = ix.start[g] + c
	}
	next := count // reused: where group g's next position goes
	copy(next, ix.start)
	ix.pos = make([]int32, n)
	for i, g := range of {
		ix.pos[next[g]] = int32(i)
		next[g]++
	}
}

// at is the position of the first of rs's rows with key k, as indexed
// when the index was built; false if there was none.
func (ix *rowIndex) at(rs rowsOf, k rowKey) (int, bool) {
	ix.once.Do(func() { ix.build(rs) })
	g, ok := ix.group[groupKey{k.measure, k.area}]
	if !ok {
		return 0, false
	}
	for _, i := range ix.pos[ix.start[g]:ix.start[g+1]] {
		if int(i) >= rs.len() {
			return 0, false
		}
		if r := rs.row(int(i)); r.Period == k.period && r.Basis == k.basis {
			return int(i), true
		}
	}
	return 0, false
}

// rowSets are sets of rows read one after the other (a result's Rows,
// then its Summary).
type rowSets [][]budget.Row

func (s rowSets) len() int {
	n := 0
	for _, rows := range s {
		n += len(rows)
	}
	return n
}

func (s rowSets) row(i int) *budget.Row {
	for _, rows := range s {
		if i < len(rows) {
			return &rows[i]
		}
		i -= len(rows)
	}
	return nil
}

// compareRows are a Comparison's rows.
type compareRows []CompareRow

func (c compareRows) len() int              { return len(c) }
func (c compareRows) row(i int) *budget.Row { return &c[i].Row }
