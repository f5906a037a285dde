package main

import "github.com/charmbracelet/lipgloss"

// styles are every colour the CLI uses, in one place. Adaptive colours read
// on light and dark backgrounds alike.
type styles struct {
	header, border, dim, name, id, good, bad, accent lipgloss.Style
}

func newStyles(r *lipgloss.Renderer) styles {
	c := func(light, dark string) lipgloss.AdaptiveColor {
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	return styles{
		header: r.NewStyle().Bold(true).Foreground(c("#5A2CA0", "#C7A6FF")),
		border: r.NewStyle().Foreground(c("#B0B0B0", "#4A4A4A")),
		dim:    r.NewStyle().Foreground(c("#6B6B6B", "#8C8C8C")),
		name:   r.NewStyle().Bold(true).Foreground(c("#0B6E99", "#5FC8F0")),
		id:     r.NewStyle().Foreground(c("#8A5A00", "#E0B050")),
		good:   r.NewStyle().Foreground(c("#1E7D32", "#7BD88F")),
		bad:    r.NewStyle().Foreground(c("#B3261E", "#FF8A80")),
		accent: r.NewStyle().Foreground(c("#C2185B", "#FF80AB")),
	}
}
