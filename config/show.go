package config

import (
	"fmt"
	"reflect"
	"strings"
	"time"
)

// Entry is one effective setting, as `pamps config show` prints it.
type Entry struct {
	Key    string `json:"key"`
	Value  any    `json:"value"`
	Source string `json:"source"`
}

// Entries lists every setting with the layer it came from, secrets masked.
func (c *Config) Entries() []Entry {
	known := knownKeys()
	v := reflect.ValueOf(c).Elem()
	var out []Entry
	for _, key := range Keys() {
		info := known[key]
		var val any = v.Field(info.section).Field(info.field).Interface()
		switch x := val.(type) {
		case time.Duration:
			val = x.String()
		case RateLimit:
			val = x.String()
		case []string:
			if x == nil {
				val = []string{}
			}
		}
		if info.secret {
			val = mask(fmt.Sprint(val))
		}
		src := c.sources[key]
		if src == "" {
			src = "built-in"
		}
		switch key {
		case "db.uri":
			val = RedactURI(fmt.Sprint(val))
			if c.DB.URI == "" { // the database actually used: the embedded default
				val, src = c.DatabaseURI(), "built-in: empty db.uri is the embedded SQLite file"
			}
		case "db.read_uris":
			uris := make([]string, len(c.DB.ReadURIs))
			for i, u := range c.DB.ReadURIs {
				uris[i] = RedactURI(u)
			}
			val = uris
		}
		out = append(out, Entry{Key: key, Value: val, Source: src})
	}
	return out
}

func mask(s string) string {
	if s == "" {
		return ""
	}
	return strings.Repeat("*", 8)
}
