package sqldb

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
)

// The driver wrapper is the one place driver errors become the store's
// (GoToSocial's internal/db/postgres/driver.go is the model): every
// connection database/sql opens is wrapped, so no statement, bun's or the
// store's own, can return an untranslated error. Statements outside a
// transaction that PostgreSQL failed to break a deadlock or a
// serialization conflict run again here too (retry.go).

// connector wraps a driver's connector.
type connector struct {
	driver.Connector
	translate func(error) error
	sig       *signal
}

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	dc, err := c.Connector.Connect(ctx)
	if err != nil {
		return nil, c.translate(err)
	}
	return &conn{Conn: dc, translate: c.translate, sig: c.sig}, nil
}

// conn wraps one connection. inTx is set between BeginTx and the end of
// the transaction, when a failed statement must not run again on its own;
// changed, when a statement in it may have written live events, to signal
// at COMMIT (evented.go).
type conn struct {
	driver.Conn
	translate func(error) error
	sig       *signal
	inTx      bool
	changed   bool
}

// Unwrap gives the driver's own connection (seeding reaches pgx through it).
func (c *conn) Unwrap() driver.Conn { return c.Conn }

// fail translates an error, but for the sentinels database/sql compares
// as they are: io.EOF ends rows, ErrSkip and ErrRemoveArgument steer it,
// and ErrBadConn (kept as the cause of what translate returns) makes it
// try another connection.
func fail(translate func(error) error, err error) error {
	if err == nil || err == io.EOF || errors.Is(err, driver.ErrSkip) || errors.Is(err, driver.ErrRemoveArgument) {
		return err
	}
	return translate(err)
}

func (c *conn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	var st driver.Stmt
	var err error
	if p, ok := c.Conn.(driver.ConnPrepareContext); ok {
		st, err = p.PrepareContext(ctx, query)
	} else {
		st, err = c.Conn.Prepare(query)
	}
	if err != nil {
		return nil, fail(c.translate, err)
	}
	return &stmt{Stmt: st, translate: c.translate, conn: c, evented: writesEvents(query)}, nil
}

func (c *conn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	var t driver.Tx
	var err error
	if b, ok := c.Conn.(driver.ConnBeginTx); ok {
		t, err = b.BeginTx(ctx, opts)
	} else {
		//lint:ignore SA1019 the driver offers nothing else
		t, err = c.Conn.Begin()
	}
	if err != nil {
		return nil, fail(c.translate, err)
	}
	c.inTx, c.changed = true, false
	return &tx{Tx: t, conn: c}, nil
}

func (c *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	e, ok := c.Conn.(driver.ExecerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	var res driver.Result
	err := retry(ctx, !c.inTx, func() (err error) {
		res, err = e.ExecContext(ctx, query, args)
		return err
	})
	if err == nil && writesEvents(query) {
		c.wrote()
	}
	return res, fail(c.translate, err)
}

func (c *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := c.Conn.(driver.QueryerContext)
	if !ok {
		return nil, driver.ErrSkip
	}
	var r *rows
	err := retry(ctx, !c.inTx, func() error {
		dr, err := q.QueryContext(ctx, query, args)
		if err != nil {
			return err
		}
		r = &rows{Rows: dr, translate: c.translate}
		if writesEvents(query) { // an INSERT ... RETURNING: done when its rows are
			r.done = c.wrote
		}
		// PostgreSQL reports a statement's failure (a deadlock among them)
		// with or before its first row: reading it here lets a failed
		// statement run again before the caller has seen anything.
		if err := r.peek(); err != nil {
			dr.Close()
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fail(c.translate, err)
	}
	return r, nil
}

func (c *conn) Ping(ctx context.Context) error {
	if p, ok := c.Conn.(driver.Pinger); ok {
		return fail(c.translate, p.Ping(ctx))
	}
	return nil
}

func (c *conn) ResetSession(ctx context.Context) error {
	if r, ok := c.Conn.(driver.SessionResetter); ok {
		return r.ResetSession(ctx) // ErrBadConn stays as it is: database/sql compares it
	}
	return nil
}

func (c *conn) IsValid() bool {
	if v, ok := c.Conn.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// CheckNamedValue lets pgx take its own arguments (a query exec mode).
func (c *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := c.Conn.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// tx wraps a transaction: a failed COMMIT (a serialization failure, a
// deferred constraint) is translated too.
type tx struct {
	driver.Tx
	conn *conn
}

func (t *tx) Commit() error {
	t.conn.inTx = false
	err := t.Tx.Commit()
	if err == nil && t.conn.changed {
		t.conn.sig.fire()
	}
	t.conn.changed = false
	return fail(t.conn.translate, err)
}

func (t *tx) Rollback() error {
	t.conn.inTx, t.conn.changed = false, false
	return fail(t.conn.translate, t.Tx.Rollback())
}

// stmt wraps a prepared statement (database/sql prepares when a driver
// skips ExecContext or QueryContext).
type stmt struct {
	driver.Stmt
	translate func(error) error
	conn      *conn
	evented   bool // it may write live events (evented.go)
}

// wrote signals an evented statement's write (conn.wrote).
func (s *stmt) wrote(err error) {
	if err == nil && s.evented {
		s.conn.wrote()
	}
}

// rows wraps a result, signalled when closed if the statement is evented.
func (s *stmt) rows(r driver.Rows) *rows {
	out := &rows{Rows: r, translate: s.translate}
	if s.evented {
		out.done = s.conn.wrote
	}
	return out
}

func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	//lint:ignore SA1019 database/sql calls it for drivers without ExecContext
	res, err := s.Stmt.Exec(args)
	s.wrote(err)
	return res, fail(s.translate, err)
}

func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	//lint:ignore SA1019 as Exec
	r, err := s.Stmt.Query(args)
	if err != nil {
		return nil, fail(s.translate, err)
	}
	return s.rows(r), nil
}

func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	e, ok := s.Stmt.(driver.StmtExecContext)
	if !ok { // database/sql does not fall back from a statement's ErrSkip
		return s.Exec(values(args))
	}
	res, err := e.ExecContext(ctx, args)
	s.wrote(err)
	return res, fail(s.translate, err)
}

func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	q, ok := s.Stmt.(driver.StmtQueryContext)
	if !ok {
		return s.Query(values(args))
	}
	r, err := q.QueryContext(ctx, args)
	if err != nil {
		return nil, fail(s.translate, err)
	}
	return s.rows(r), nil
}

func (s *stmt) CheckNamedValue(nv *driver.NamedValue) error {
	if n, ok := s.Stmt.(driver.NamedValueChecker); ok {
		return n.CheckNamedValue(nv)
	}
	return driver.ErrSkip
}

// values drops the names (which no store statement uses) for a driver
// without the context methods.
func values(args []driver.NamedValue) []driver.Value {
	v := make([]driver.Value, len(args))
	for i, a := range args {
		v[i] = a.Value
	}
	return v
}
