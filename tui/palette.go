package tui

// Shade is one colour of the palette: a hex value for a light background and
// one for a dark background.
type Shade struct{ Light, Dark string }

// Palette is every colour pamps draws with, the TUI's and the CLI's tables
// alike, so that both front ends look like one program.
type Palette struct {
	Accent, Subtle, Blue, Red, Pink, Green, Amber, Border Shade
}

// Colours returns the palette.
func Colours() Palette {
	return Palette{
		Accent: Shade{"#5A2CA0", "#C7A6FF"},
		Subtle: Shade{"#6B6B6B", "#8C8C8C"},
		Blue:   Shade{"#0B6E99", "#5FC8F0"},
		Red:    Shade{"#B3261E", "#FF8A80"},
		Pink:   Shade{"#C2185B", "#FF80AB"},
		Green:  Shade{"#1E7D32", "#7BD88F"},
		Amber:  Shade{"#8A5A00", "#E0B050"},
		Border: Shade{"#B0B0B0", "#4A4A4A"},
	}
}
