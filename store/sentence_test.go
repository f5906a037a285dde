package store_test

import (
	"testing"

	"github.com/pamps/pamps/store"
)

// TestSentence: every front end writes its messages in sentence case
// ("Text must not be empty" beside "User not found"), leaving a message
// that begins with a command as it is.
func TestSentence(t *testing.T) {
	for in, want := range map[string]string{
		"text must not be empty":                "Text must not be empty",
		"User not found":                        "User not found",
		"pamps follow takes 1 argument(s)":      "pamps follow takes 1 argument(s)",
		"--before and --after go one at a time": "--before and --after go one at a time",
		"élan":                                  "Élan",
		"":                                      "",
	} {
		if got := store.Sentence(in); got != want {
			t.Errorf("Sentence(%q) = %q, want %q", in, got, want)
		}
	}
}
