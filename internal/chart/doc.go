// Package chart draws a picture once, lines, filled shapes, dots and
// text, and writes it as SVG or as PNG: what the library's charts need,
// on the standard library and golang.org/x/image, with the Liberation
// Sans font (SIL Open Font License; metric-compatible with Arial).
//
// It exists so that a program that links it starts no heavier: a Go
// program initialises every package it links when it starts, writing
// files or not, and the chart library it replaces (gonum.org/v1/plot)
// parsed sixteen fonts then, 0.7 ms and 275 KB in every run of hewitt,
// compare and uncertainty. Here the font is parsed when a canvas is made.
//
// # Conventions
//
//   - Lengths are in points (1/72 inch), from the top left corner, y
//     running down, as on a page. A PNG is drawn at a resolution chosen
//     when it is written; an SVG keeps points as its user unit.
//   - A canvas records what is drawn, in order, and writes the same
//     picture in either form: text is laid out with the font's advance
//     widths, so a label aligned or measured for the PNG sits the same in
//     the SVG, where it is text a reader can select and search.
//   - The same drawing gives the same bytes: no clock, no map order, and
//     numbers in SVG written to a hundredth of a point.
//   - Colours are color.NRGBA: not premultiplied, alpha 255 opaque.
//   - A PNG sets text glyph by glyph, left to right, in Liberation Sans:
//     Latin, Greek and Cyrillic as they are written; a character the font
//     lacks (an emoji, Arabic) as its missing-glyph box, and right-to-left
//     text unreordered. An SVG leaves text to its viewer, which shapes it
//     and may fall back to another font.
//   - What cannot be drawn is an error from the writers, naming the first:
//     a position not finite or beyond 1e9 points, a width or size beyond
//     1,000 points, a PNG of more than 64 million pixels.
package chart
