package alloc

import (
	"fmt"
	"sync"

	"github.com/upstream-health/upstream/budget"
	"github.com/upstream-health/upstream/budget/dataset"
)

// An Engine restates and projects the allocations of one data set,
// keeping what it restates for later calls: the data on each footprint
// (by its name) and the published cells on each basis (by footprint and
// basis), so that a program running many scenarios restates each once. It
// is safe for concurrent use. Make one with NewEngine.
type Engine struct {
	data  *dataset.Data
	mu    sync.Mutex
	feet  map[string]*engineEntry[*dataset.Data]
	cells map[cellsKey]*engineEntry[[]Cell]
}

type cellsKey struct {
	footprint string
	basis     AllocationBasis
}

// engineEntry is one cached value, made once for any number of callers.
type engineEntry[V any] struct {
	once sync.Once
	v    V
	err  error
}

// NewEngine returns an engine for the data d (its allocations as
// published, on the footprint of 2022).
func NewEngine(d *dataset.Data) *Engine {
	return &Engine{data: d, feet: map[string]*engineEntry[*dataset.Data]{}, cells: map[cellsKey]*engineEntry[[]Cell]{}}
}

// Data is the data the engine was made for (nil for a nil engine).
func (e *Engine) Data() *dataset.Data {
	if e == nil {
		return nil
	}
	return e.data
}

// ready reports an engine that has no data: nil, or not made by NewEngine.
func (e *Engine) ready() error {
	if e == nil || e.data == nil || e.feet == nil || e.cells == nil {
		return fmt.Errorf("allocations engine: %w: no data (use NewEngine)", budget.ErrNoData)
	}
	return nil
}

// entry returns the entry of key k in m, made if new.
func entry[K comparable, V any](mu *sync.Mutex, m map[K]*engineEntry[V], k K) *engineEntry[V] {
	mu.Lock()
	defer mu.Unlock()
	en, ok := m[k]
	if !ok {
		en = &engineEntry[V]{}
		m[k] = en
	}
	return en
}

// OnFootprint is the function OnFootprint on the engine's data, restated
// once per footprint.
func (e *Engine) OnFootprint(name string) (*dataset.Data, error) {
	if err := e.ready(); err != nil {
		return nil, err
	}
	if name == "" {
		name = dataset.DefaultFootprint()
	}
	en := entry(&e.mu, e.feet, name)
	en.once.Do(func() {
		en.v, en.err = OnFootprint(e.data, name)
	})
	return en.v, en.err
}

// Project projects the engine's data, restated on a footprint (as
// OnFootprint names it: dataset.Footprint2022 for the data as published,
// "" for dataset.DefaultFootprint) and shown on basis b, to the horizon
// under a settlement, as the function ProjectOn does; the footprint's data
// and the basis's published cells are built once.
func (e *Engine) Project(footprint string, s Settlement, horizon budget.Year, b AllocationBasis) (*Projection, error) {
	d, err := e.OnFootprint(footprint)
	if err != nil {
		return nil, err
	}
	if err := b.Validate(); err != nil {
		return nil, err
	}
	b = b.orDefault()
	return projectOn(d.Allocations, d.Populations, s, horizon, b, func() []Cell {
		en := entry(&e.mu, e.cells, cellsKey{d.FootprintName(), b})
		en.once.Do(func() { en.v = basisCells(d.Allocations, b) })
		return en.v
	})
}
