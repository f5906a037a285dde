package conns

import (
	"context"
	"errors"
	"time"
)

// ServeUntil runs serve until it fails or ctx ends; then shutdown drains
// within timeout (0 is 10s), and closeNow ends what is left after it.
// closed is what serve returns once shut down. HTTP and SSH stop alike.
func ServeUntil(ctx context.Context, timeout time.Duration, serve func() error, shutdown func(context.Context) error, closeNow func() error, closed error) error {
	errc := make(chan error, 1)
	go func() { errc <- serve() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	sctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	if err := shutdown(sctx); err != nil {
		closeNow()
		<-errc
		return errors.New("shutdown timed out; remaining connections were closed")
	}
	if err := <-errc; err != nil && !errors.Is(err, closed) {
		return err
	}
	return nil
}
