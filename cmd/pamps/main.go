// Command pamps is the Pamps social network: operator CLI, TUI and HTTP API
// in one binary.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	app := NewApp(os.Stdin, os.Stdout, os.Stderr, os.Environ())
	code := app.Run(ctx, os.Args[1:])
	stop()
	os.Exit(code)
}
