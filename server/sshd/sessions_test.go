package sshd

import "testing"

// TestSSHOpenEndsLateSessions: endAll ends what is open, and a session
// that registers after it (one that connected during the shutdown) is
// ended at once instead of holding the drain.
func TestSSHOpenEndsLateSessions(t *testing.T) {
	var o sshOpen
	var ended []string
	end := func(name string) func(string) { return func(why string) { ended = append(ended, name+": "+why) } }
	o.add(end("early"))
	removed := o.add(end("gone"))
	removed()
	o.endAll()
	o.add(end("late"))
	want := []string{"early: " + whyShutdown, "late: " + whyShutdown}
	if len(ended) != 2 || ended[0] != want[0] || ended[1] != want[1] {
		t.Fatalf("ended %q, want %q", ended, want)
	}
}
