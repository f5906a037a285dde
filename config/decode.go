package config

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"
)

// keyInfo locates a setting in Config.
type keyInfo struct {
	section, field int
	secret         bool
}

var (
	durationType  = reflect.TypeFor[time.Duration]()
	rateLimitType = reflect.TypeFor[RateLimit]()
)

// keyInfo plus the name, in the order Config declares the settings.
type namedKey struct {
	name string
	keyInfo
}

// walkKeys lists every "section.key" of Config, in declaration order.
func walkKeys() []namedKey {
	var out []namedKey
	t := reflect.TypeFor[Config]()
	for i := range t.NumField() {
		sf := t.Field(i)
		section := sf.Tag.Get("toml")
		if section == "" || section == "-" || sf.Type.Kind() != reflect.Struct {
			continue
		}
		for j := range sf.Type.NumField() {
			kf := sf.Type.Field(j)
			out = append(out, namedKey{section + "." + kf.Tag.Get("toml"), keyInfo{section: i, field: j, secret: kf.Tag.Get("secret") == "true"}})
		}
	}
	return out
}

// knownKeys maps every setting name to its place in Config.
func knownKeys() map[string]keyInfo {
	keys := map[string]keyInfo{}
	for _, k := range walkKeys() {
		keys[k.name] = k.keyInfo
	}
	return keys
}

// Keys lists every known setting name, in the order Config declares them.
func Keys() []string {
	var out []string
	for _, k := range walkKeys() {
		out = append(out, k.name)
	}
	return out
}

func decode(cfg *Config, settings map[string]setting) error {
	v := reflect.ValueOf(cfg).Elem()
	for key, info := range knownKeys() {
		s, ok := settings[key]
		if !ok {
			continue
		}
		field := v.Field(info.section).Field(info.field)
		if err := assign(field, s); err != nil {
			return &Error{Source: s.source, Key: key, Msg: err.Error()}
		}
		cfg.sources[key] = s.source
	}
	return nil
}

func assign(field reflect.Value, s setting) error {
	val := s.value
	switch {
	case field.Type() == durationType:
		switch x := val.(type) {
		case string:
			d, err := time.ParseDuration(x)
			if err != nil || d < 0 {
				return fmt.Errorf(`expected a duration such as "10s" or "1m30s", got %q`, x)
			}
			field.SetInt(int64(d))
		case int64:
			if x < 0 || x > math.MaxInt64/int64(time.Second) {
				return fmt.Errorf("expected a non-negative number of seconds, got %d", x)
			}
			field.SetInt(x * int64(time.Second))
		default:
			return expected("a duration such as \"10s\"", val)
		}
	case field.Type() == rateLimitType:
		text, ok := val.(string)
		if s.isText {
			text, ok = s.raw, true
		}
		if !ok {
			if n, isInt := val.(int64); isInt && n == 0 {
				text, ok = "off", true
			} else if b, isBool := val.(bool); isBool && !b {
				text, ok = "off", true
			}
		}
		if !ok {
			return expected(`a limit such as "10/minute" or "off"`, val)
		}
		r, err := ParseRateLimit(text)
		if err != nil {
			return err
		}
		field.Set(reflect.ValueOf(r))
	case field.Kind() == reflect.String:
		if s.isText {
			field.SetString(s.raw)
			return nil
		}
		x, ok := val.(string)
		if !ok {
			return expected("a string", val)
		}
		field.SetString(x)
	case field.Kind() == reflect.Bool:
		x, ok := val.(bool)
		if !ok {
			return expected("true or false", val)
		}
		field.SetBool(x)
	case field.Kind() == reflect.Int || field.Kind() == reflect.Int64:
		x, ok := val.(int64)
		if !ok {
			return expected("an integer", val)
		}
		if field.OverflowInt(x) {
			return fmt.Errorf("expected an integer in range, got %d", x)
		}
		field.SetInt(x)
	case field.Kind() == reflect.Slice && field.Type().Elem().Kind() == reflect.String:
		var out []string
		switch x := val.(type) {
		case []any:
			for _, e := range x {
				str, ok := e.(string)
				if !ok {
					return expected("a list of strings", val)
				}
				out = append(out, str)
			}
		case string: // "a,b" from an environment variable
			for _, part := range strings.Split(x, ",") {
				if part = strings.TrimSpace(part); part != "" {
					out = append(out, part)
				}
			}
		default:
			return expected("a list of strings", val)
		}
		field.Set(reflect.ValueOf(out))
	default:
		return fmt.Errorf("unsupported setting type %s", field.Type())
	}
	return nil
}

func expected(what string, got any) error {
	return fmt.Errorf("expected %s, got %s", what, describe(got))
}

func describe(v any) string {
	switch x := v.(type) {
	case string:
		return fmt.Sprintf("string %q", x)
	case int64:
		return fmt.Sprintf("integer %d", x)
	case float64:
		return fmt.Sprintf("number %v", x)
	case bool:
		return fmt.Sprintf("boolean %v", x)
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}
