package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2"
)

// Options says where to find the layers. Nothing is read from the process
// environment except through Environ, so tests stay hermetic.
type Options struct {
	Defaults   []byte     // default.toml, normally the embedded copy
	Dir        string     // where settings.toml and .secrets.toml live; "" is the working directory
	ConfigFile string     // --config FILE: read instead of settings.toml; .secrets.toml comes from its folder
	Env        string     // --env NAME; overrides PAMPS_ENV
	Environ    []string   // KEY=VALUE pairs, normally os.Environ()
	Overrides  []Override // flags, applied last
}

// Override is a value set by a flag.
type Override struct {
	Key    string // "db.uri"
	Value  string // parsed like an environment variable
	Source string // "flag --db"
}

// Error is a configuration mistake: where it is, which key, what was expected.
type Error struct {
	Source string // "settings.toml [development]", "env PAMPS_DB__URI", ...
	Key    string
	Msg    string
}

func (e *Error) Error() string {
	if e.Key == "" {
		return fmt.Sprintf("config: %s: %s", e.Source, e.Msg)
	}
	return fmt.Sprintf("config: %s: %s: %s", e.Source, e.Key, e.Msg)
}

// setting is one value from one layer.
type setting struct {
	value  any
	raw    string // the text of an environment variable or flag, for string keys
	isText bool
	source string
}

// Load reads every layer and returns the effective configuration.
func Load(opts Options) (*Config, error) {
	env := environMap(opts.Environ)
	name := opts.Env
	if name == "" {
		name = env["PAMPS_ENV"]
	}
	if name == "" {
		name = "development"
	}
	name = strings.ToLower(name)

	l := &loader{known: knownKeys(), settings: map[string]setting{}, env: name,
		envs: map[string]bool{"default": true, "development": true, "testing": true, "production": true}}
	if err := l.file("default.toml", opts.Defaults); err != nil {
		return nil, err
	}
	files, err := settingsFiles(opts, env)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := os.ReadFile(f.path)
		if errors.Is(err, os.ErrNotExist) && f.optional {
			continue
		}
		if err != nil {
			return nil, &Error{Source: f.path, Msg: "cannot read: " + unwrapPathError(err)}
		}
		if err := l.file(f.label, data); err != nil {
			return nil, err
		}
	}
	if err := l.environ(opts.Environ); err != nil {
		return nil, err
	}
	if !l.envs[name] {
		source := "env PAMPS_ENV"
		if opts.Env != "" {
			source = "flag --env"
		}
		known := make([]string, 0, len(l.envs))
		for e := range l.envs {
			known = append(known, e)
		}
		sort.Strings(known)
		return nil, &Error{Source: source, Msg: fmt.Sprintf("unknown environment %q; known: %s (a settings file may add its own table)", name, strings.Join(known, ", "))}
	}
	for _, o := range opts.Overrides {
		l.set(o.Key, textSetting(o.Value, o.Source))
	}

	cfg := &Config{Env: name, sources: map[string]string{}, environ: env, Warnings: l.warnings}
	if err := decode(cfg, l.settings); err != nil {
		return nil, err
	}
	if err := validate(cfg); err != nil {
		return nil, err
	}
	return cfg, nil
}

type settingsFile struct {
	path, label string
	optional    bool
}

// settingsFiles lists settings.toml (or --config / PAMPS_SETTINGS_FILES) and .secrets.toml.
func settingsFiles(opts Options, env map[string]string) ([]settingsFile, error) {
	var files []settingsFile
	dir := opts.Dir
	switch {
	case opts.ConfigFile != "":
		files = append(files, settingsFile{path: opts.ConfigFile, label: opts.ConfigFile})
		dir = filepath.Dir(opts.ConfigFile)
	case env["PAMPS_SETTINGS_FILES"] != "":
		for i, p := range strings.Split(env["PAMPS_SETTINGS_FILES"], ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			if !filepath.IsAbs(p) && opts.Dir != "" {
				p = filepath.Join(opts.Dir, p)
			}
			if i == 0 {
				dir = filepath.Dir(p)
			}
			files = append(files, settingsFile{path: p, label: p})
		}
	default:
		files = append(files, settingsFile{path: filepath.Join(dir, "settings.toml"), label: "settings.toml", optional: true})
	}
	secrets := filepath.Join(dir, ".secrets.toml")
	label := secrets
	if dir == opts.Dir {
		label = ".secrets.toml"
	}
	files = append(files, settingsFile{path: secrets, label: label, optional: true})
	return files, nil
}

type loader struct {
	known    map[string]keyInfo
	settings map[string]setting
	env      string
	envs     map[string]bool // the environments: the shipped three and every file's tables
	warnings []string
}

func (l *loader) set(key string, s setting) {
	key = strings.ToLower(key)
	if _, ok := l.known[key]; !ok {
		l.warn(s.source, key)
		return
	}
	l.settings[key] = s
}

func (l *loader) warn(source, key string) {
	msg := fmt.Sprintf("%s: unknown key %s", source, key)
	if s := closest(key, l.known); s != "" {
		msg += fmt.Sprintf(" (did you mean %s?)", s)
	}
	l.warnings = append(l.warnings, msg)
}

// file applies the [default] table of a TOML document, then the table of the
// current environment.
func (l *loader) file(label string, data []byte) error {
	var doc map[string]any
	if err := toml.Unmarshal(data, &doc); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, col := de.Position()
			return &Error{Source: label, Msg: fmt.Sprintf("line %d, column %d: %s", row, col, de.Error())}
		}
		return &Error{Source: label, Msg: err.Error()}
	}
	for top, v := range doc {
		if _, ok := v.(map[string]any); !ok {
			l.warn(label, top)
			continue
		}
		l.envs[strings.ToLower(top)] = true
	}
	for _, envName := range []string{"default", l.env} {
		table, ok := doc[envName].(map[string]any)
		if !ok {
			continue
		}
		source := fmt.Sprintf("%s [%s]", label, envName)
		l.table(source, table)
		if envName == "default" && l.env == "default" {
			break
		}
	}
	return nil
}

func (l *loader) table(source string, table map[string]any) {
	sections := make([]string, 0, len(table))
	for s := range table {
		sections = append(sections, s)
	}
	sort.Strings(sections)
	for _, section := range sections {
		if strings.EqualFold(section, "dynaconf_merge") {
			continue
		}
		keys, ok := table[section].(map[string]any)
		if !ok {
			l.warn(source, section)
			continue
		}
		for key, v := range keys {
			if strings.EqualFold(key, "dynaconf_merge") {
				continue
			}
			l.set(section+"."+key, setting{value: v, source: source})
		}
	}
}

// environ applies PAMPS_<SECTION>__<KEY> variables, matching section and key
// in any case (PAMPS_DB__uri and PAMPS_DB__URI are both db.uri). Two
// spellings of one key are an error naming both: one would silently win.
// Variables without a double underscore (PAMPS_ENV, PAMPS_SETTINGS_FILES,
// ...) are not settings.
func (l *loader) environ(environ []string) error {
	seen := map[string]string{}
	for _, kv := range environ {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, "PAMPS_") {
			continue
		}
		section, key, ok := strings.Cut(name[len("PAMPS_"):], "__")
		if !ok {
			continue
		}
		k := strings.ToLower(section + "." + strings.ReplaceAll(key, "__", "."))
		if other, dup := seen[k]; dup && other != name {
			return &Error{Source: "env " + other + " and env " + name, Key: k, Msg: "two spellings of one setting are set; unset one of them"}
		}
		seen[k] = name
		l.set(k, textSetting(value, "env "+name))
	}
	return nil
}

// textSetting parses text as a TOML scalar (as dynaconf does), keeping the raw
// text for string keys so PAMPS_SECURITY__SECRET_KEY=123 stays a string.
func textSetting(text, source string) setting {
	s := setting{raw: text, isText: true, source: source, value: text}
	var doc struct{ V any }
	if err := toml.Unmarshal([]byte("V = "+text), &doc); err == nil {
		s.value = doc.V
	}
	return s
}

func environMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

func unwrapPathError(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
