package sqldb

import (
	"database/sql/driver"
	"io"
	"reflect"
)

// rows wraps a result: errors met while reading are translated. The first
// row may have been read ahead (peek) to see a statement's failure before
// anything reached the caller.
type rows struct {
	driver.Rows
	translate func(error) error
	first     []driver.Value // the row read ahead, until Next hands it out
	firstErr  error          // io.EOF when the result had no rows
	peeked    bool
	done      func() // called once closed without error (evented.go)
}

// peek reads the first row ahead and returns the statement's error, if it
// failed; the end of an empty result is not one.
func (r *rows) peek() error {
	r.first = make([]driver.Value, len(r.Rows.Columns()))
	r.peeked = true
	r.firstErr = r.Rows.Next(r.first)
	if r.firstErr != nil && r.firstErr != io.EOF {
		return r.firstErr
	}
	return nil
}

func (r *rows) Next(dest []driver.Value) error {
	if r.peeked {
		r.peeked = false
		if r.firstErr != nil {
			return fail(r.translate, r.firstErr)
		}
		copy(dest, r.first)
		r.first = nil
		return nil
	}
	return fail(r.translate, r.Rows.Next(dest))
}

func (r *rows) Close() error {
	err := r.Rows.Close()
	if err == nil && r.done != nil {
		r.done()
		r.done = nil
	}
	return fail(r.translate, err)
}

// The column descriptions pass through when the driver has them.

func (r *rows) ColumnTypeDatabaseTypeName(i int) string {
	if c, ok := r.Rows.(driver.RowsColumnTypeDatabaseTypeName); ok {
		return c.ColumnTypeDatabaseTypeName(i)
	}
	return ""
}

func (r *rows) ColumnTypeScanType(i int) reflect.Type {
	if c, ok := r.Rows.(driver.RowsColumnTypeScanType); ok {
		return c.ColumnTypeScanType(i)
	}
	return reflect.TypeFor[any]()
}

func (r *rows) ColumnTypeNullable(i int) (nullable, ok bool) {
	if c, ok := r.Rows.(driver.RowsColumnTypeNullable); ok {
		return c.ColumnTypeNullable(i)
	}
	return false, false
}

func (r *rows) ColumnTypeLength(i int) (length int64, ok bool) {
	if c, ok := r.Rows.(driver.RowsColumnTypeLength); ok {
		return c.ColumnTypeLength(i)
	}
	return 0, false
}

func (r *rows) ColumnTypePrecisionScale(i int) (precision, scale int64, ok bool) {
	if c, ok := r.Rows.(driver.RowsColumnTypePrecisionScale); ok {
		return c.ColumnTypePrecisionScale(i)
	}
	return 0, 0, false
}
