// Package enum names the values of the library's enumerated types (streams,
// measures, vintages, rules) as its data files and flags write them.
package enum
