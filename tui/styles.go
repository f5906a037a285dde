// Package tui is `pamps tui`: a live, full-screen Bubble Tea timeline over the
// store, to read, post, reply, like and follow.
package tui

import (
	"image/color"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
)

// Styles are every colour and border of the TUI, in one place. Each colour
// has a shade for light and one for dark backgrounds; Bubble Tea brings them
// down to what the terminal shows, to none with NO_COLOR or --no-color.
type Styles struct {
	App, Header, Brand, Tab, ActiveTab, Me      lipgloss.Style
	Author, Meta, Text, Liked, Selected, Item   lipgloss.Style
	Status, StatusErr, Help, Dim, Title, Banner lipgloss.Style
	Over, Box, Input                            lipgloss.Style
	Mention, Match, Badge, Unread               lipgloss.Style
}

// NewStyles builds the styles for a dark or a light background.
func NewStyles(dark bool) Styles {
	pick := lipgloss.LightDark(dark)
	c := func(sh Shade) color.Color { return pick(lipgloss.Color(sh.Light), lipgloss.Color(sh.Dark)) }
	p := Colours()
	accent, subtle, blue, red := c(p.Accent), c(p.Subtle), c(p.Blue), c(p.Red)
	s := lipgloss.NewStyle
	return Styles{
		App:       s().Padding(0, 1),
		Header:    s().MarginBottom(1),
		Brand:     s().Bold(true).Foreground(accent).MarginRight(2),
		Tab:       s().Padding(0, 1).Foreground(subtle),
		ActiveTab: s().Padding(0, 1).Bold(true).Underline(true).Foreground(accent),
		Me:        s().Foreground(blue),
		Author:    s().Bold(true).Foreground(blue),
		Meta:      s().Foreground(subtle),
		Text:      s(),
		Liked:     s().Foreground(c(p.Pink)),
		Selected:  s().Border(lipgloss.ThickBorder(), false, false, false, true).BorderForeground(accent).PaddingLeft(1),
		Item:      s().Border(lipgloss.HiddenBorder(), false, false, false, true).PaddingLeft(1),
		Status:    s().Foreground(c(p.Green)),
		StatusErr: s().Bold(true).Foreground(red),
		Help:      s().Foreground(subtle),
		Dim:       s().Foreground(subtle),
		Title:     s().Bold(true).Foreground(accent),
		Banner:    s().Bold(true).Foreground(c(p.Amber)),
		Over:      s().Bold(true).Foreground(red),
		Box:       s().Border(lipgloss.RoundedBorder()).BorderForeground(accent).Padding(0, 1),
		Input:     s().Border(lipgloss.NormalBorder(), false, false, true, false).BorderForeground(subtle),
		Mention:   s().Foreground(blue),
		Match:     s().Bold(true).Foreground(c(p.Amber)),
		Badge:     s().Bold(true).Foreground(c(p.Pink)),
		Unread:    s().Foreground(c(p.Pink)),
	}
}

// DarkFromEnv guesses the background from COLORFGBG ("15;0": light text on
// black), which many terminals set, without asking the terminal: dark unless
// it says otherwise. The TUI corrects it when the terminal answers.
func DarkFromEnv(getenv func(string) string) bool {
	v := getenv("COLORFGBG")
	i := strings.LastIndexByte(v, ';')
	if i < 0 {
		return true
	}
	bg, err := strconv.Atoi(v[i+1:])
	if err != nil {
		return true
	}
	return bg < 7 || bg == 8 // 7 and 9–15 are light
}
