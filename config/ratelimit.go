package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// RateLimit is "N/period" (period: second, minute, hour, or a Go duration such
// as 15m); "off" or "0" disables limiting.
type RateLimit struct {
	Attempts int
	Window   time.Duration
}

// Enabled reports whether the limit applies.
func (r RateLimit) Enabled() bool { return r.Attempts > 0 && r.Window > 0 }

// String renders the limit in the form it is written in.
func (r RateLimit) String() string {
	if !r.Enabled() {
		return "off"
	}
	switch r.Window {
	case time.Second:
		return fmt.Sprintf("%d/second", r.Attempts)
	case time.Minute:
		return fmt.Sprintf("%d/minute", r.Attempts)
	case time.Hour:
		return fmt.Sprintf("%d/hour", r.Attempts)
	}
	return fmt.Sprintf("%d/%s", r.Attempts, r.Window)
}

// ParseRateLimit reads the "N/period" form.
func ParseRateLimit(s string) (RateLimit, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "off" || s == "0" || s == "false" {
		return RateLimit{}, nil
	}
	n, period, ok := strings.Cut(s, "/")
	if !ok {
		return RateLimit{}, fmt.Errorf(`expected "N/minute" (or /second, /hour, /15m) or "off", got %q`, s)
	}
	attempts, err := strconv.Atoi(strings.TrimSpace(n))
	if err != nil || attempts < 0 {
		return RateLimit{}, fmt.Errorf("expected a whole number of attempts before '/', got %q", n)
	}
	var window time.Duration
	switch p := strings.TrimSpace(period); p {
	case "s", "sec", "second":
		window = time.Second
	case "m", "min", "minute":
		window = time.Minute
	case "h", "hour":
		window = time.Hour
	default:
		window, err = time.ParseDuration(p)
		if err != nil || window <= 0 {
			return RateLimit{}, fmt.Errorf("expected second, minute, hour or a duration after '/', got %q", p)
		}
	}
	return RateLimit{Attempts: attempts, Window: window}, nil
}
