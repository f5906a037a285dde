package main

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/pamps/pamps/tui"
)

// styles are every style the CLI uses, in one place, in the TUI's palette.
// Adaptive colours read on light and dark backgrounds alike.
type styles struct {
	header, border, dim, name, id, good, bad, accent lipgloss.Style
}

func newStyles(r *lipgloss.Renderer) styles {
	c := func(sh tui.Shade) lipgloss.AdaptiveColor {
		return lipgloss.AdaptiveColor{Light: sh.Light, Dark: sh.Dark}
	}
	p := tui.Colours()
	return styles{
		header: r.NewStyle().Bold(true).Foreground(c(p.Accent)),
		border: r.NewStyle().Foreground(c(p.Border)),
		dim:    r.NewStyle().Foreground(c(p.Subtle)),
		name:   r.NewStyle().Bold(true).Foreground(c(p.Blue)),
		id:     r.NewStyle().Foreground(c(p.Amber)),
		good:   r.NewStyle().Foreground(c(p.Green)),
		bad:    r.NewStyle().Foreground(c(p.Red)),
		accent: r.NewStyle().Foreground(c(p.Pink)),
	}
}
