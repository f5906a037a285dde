package tui

import (
	"image/color"
	"reflect"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// TestBackgroundAnswerPicksTheShades: the model starts with the guessed
// background's shades and takes the other set when the terminal answers.
func TestBackgroundAnswerPicksTheShades(t *testing.T) {
	dark, light := NewStyles(true), NewStyles(false)
	if reflect.DeepEqual(dark.Brand.GetForeground(), light.Brand.GetForeground()) {
		t.Fatal("the dark and light shades are the same")
	}
	m := New(Options{Dark: true})
	if !reflect.DeepEqual(m.styles.Brand.GetForeground(), dark.Brand.GetForeground()) {
		t.Fatal("did not start with the dark shades")
	}
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if !reflect.DeepEqual(m.styles.Brand.GetForeground(), light.Brand.GetForeground()) {
		t.Fatal("a white background did not bring the light shades")
	}
	if !reflect.DeepEqual(m.help.Styles.ShortDesc.GetForeground(), light.Help.GetForeground()) {
		t.Fatal("the help line kept the dark shades")
	}
}

func TestDarkFromEnv(t *testing.T) {
	for v, want := range map[string]bool{
		"": true, "15;0": true, "0;15": false, "0;7": false, "7;8": true, "12;default;0": true,
		"0;default;15": false, "garbage": true, "1;x": true,
	} {
		if got := DarkFromEnv(func(string) string { return v }); got != want {
			t.Errorf("COLORFGBG=%q: dark %v, want %v", v, got, want)
		}
	}
}

// TestPadAppIsTheAppStyle: the screen's padding, drawn by hand for speed,
// is what the App style draws, for ragged, wide and styled lines.
func TestPadAppIsTheAppStyle(t *testing.T) {
	st := NewStyles(true)
	for _, s := range []string{
		"", "one", "a\nlonger line\n\nx",
		"日本語\nab", "\x1b[1mbold\x1b[m and plain\nshort", "trailing \n",
	} {
		if got, want := padApp(s), st.App.Render(s); got != want {
			t.Errorf("padApp(%q) = %q, App.Render = %q", s, got, want)
		}
	}
}
