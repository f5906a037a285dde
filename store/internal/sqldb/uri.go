package sqldb

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// createPrivate makes the SQLite file readable by its owner only (0600, in a
// folder made 0700): it holds password hashes and emails. SQLite gives its
// -wal and -shm files the mode of the database file. An existing file keeps
// its mode: the operator chose it.
func createPrivate(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("cannot create the database folder: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot create the database file: %w", err)
	}
	return f.Close()
}
