package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/pamps/pamps/store"
)

// pruneEvery is how often pamps serve prunes the notifications older
// than notifications.keep_days. The lists leave them out meanwhile.
const pruneEvery = time.Hour

// pruneNotifications prunes at once, then every pruneEvery until ctx ends.
// Every replica does it: a delete of nothing is cheap, and none is special.
func pruneNotifications(ctx context.Context, st *store.Store, logger *slog.Logger) {
	tick := time.NewTicker(pruneEvery)
	defer tick.Stop()
	for {
		if n, err := st.PruneNotifications(ctx); err != nil && ctx.Err() == nil {
			logger.Warn("pruning notifications", "err", err)
		} else if n > 0 {
			logger.Info("pruned notifications", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
