// Package pamps holds the files that ship inside the pamps binary.
package pamps

import _ "embed"

// DefaultTOML is default.toml, embedded so the binary runs with no files on disk.
//
//go:embed default.toml
var DefaultTOML []byte
