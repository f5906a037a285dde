// Package tui is `pamps tui`: a live, full-screen Bubble Tea timeline over the
// store, to read, post, reply, like and follow.
package tui

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
)

// Styles are every colour and border of the TUI, in one place. Adaptive
// colours read on light and dark backgrounds; with NO_COLOR the renderer
// drops colour and the layout stays.
type Styles struct {
	App, Header, Brand, Tab, ActiveTab, Me      lipgloss.Style
	Author, Meta, Text, Liked, Selected, Item   lipgloss.Style
	Status, StatusErr, Help, Dim, Title, Banner lipgloss.Style
	Over, Box, Input                            lipgloss.Style
}

// NewStyles builds the styles on a renderer; noColor forces monochrome.
func NewStyles(r *lipgloss.Renderer, noColor bool) Styles {
	if noColor {
		r.SetColorProfile(termenv.Ascii)
	}
	c := func(light, dark string) lipgloss.AdaptiveColor {
		return lipgloss.AdaptiveColor{Light: light, Dark: dark}
	}
	accent := c("#5A2CA0", "#C7A6FF")
	subtle := c("#6B6B6B", "#8C8C8C")
	return Styles{
		App:       r.NewStyle().Padding(0, 1),
		Header:    r.NewStyle().MarginBottom(1),
		Brand:     r.NewStyle().Bold(true).Foreground(accent).MarginRight(2),
		Tab:       r.NewStyle().Padding(0, 1).Foreground(subtle),
		ActiveTab: r.NewStyle().Padding(0, 1).Bold(true).Underline(true).Foreground(accent),
		Me:        r.NewStyle().Foreground(c("#0B6E99", "#5FC8F0")),
		Author:    r.NewStyle().Bold(true).Foreground(c("#0B6E99", "#5FC8F0")),
		Meta:      r.NewStyle().Foreground(subtle),
		Text:      r.NewStyle(),
		Liked:     r.NewStyle().Foreground(c("#C2185B", "#FF80AB")),
		Selected:  r.NewStyle().Border(lipgloss.ThickBorder(), false, false, false, true).BorderForeground(accent).PaddingLeft(1),
		Item:      r.NewStyle().Border(lipgloss.HiddenBorder(), false, false, false, true).PaddingLeft(1),
		Status:    r.NewStyle().Foreground(c("#1E7D32", "#7BD88F")),
		StatusErr: r.NewStyle().Bold(true).Foreground(c("#B3261E", "#FF8A80")),
		Help:      r.NewStyle().Foreground(subtle),
		Dim:       r.NewStyle().Foreground(subtle),
		Title:     r.NewStyle().Bold(true).Foreground(accent),
		Banner:    r.NewStyle().Bold(true).Foreground(c("#8A5A00", "#E0B050")),
		Over:      r.NewStyle().Bold(true).Foreground(c("#B3261E", "#FF8A80")),
		Box:       r.NewStyle().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		Input:     r.NewStyle().Border(lipgloss.NormalBorder(), false, false, true, false).BorderForeground(subtle),
	}
}
