package main

import (
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version and commit are set at build time: -ldflags "-X main.version=v1.2.3
// -X main.commit=abc1234" (Dockerfile.dev); else they come from the build's
// VCS stamp, when there is one.
var (
	version = "dev"
	commit  = ""
)

// buildInfo describes this binary.
type buildInfo struct {
	Version string `json:"version"`
	Commit  string `json:"commit"`
	Go      string `json:"go"`
}

func currentBuild() buildInfo {
	b := buildInfo{Version: version, Commit: "unknown", Go: runtime.Version()}
	if info, ok := debug.ReadBuildInfo(); ok {
		if b.Version == "dev" && info.Main.Version != "" && info.Main.Version != "(devel)" {
			b.Version = info.Main.Version
		}
		dirty := false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				b.Commit = s.Value
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if dirty {
			b.Commit += "-dirty"
		}
	}
	if commit != "" {
		b.Commit = commit
	}
	return b
}

func newVersionCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version, commit and Go version",
		GroupID: groupSetup,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			b := currentBuild()
			return a.done(b, "pamps %s (commit %s, %s)", b.Version, b.Commit, b.Go)
		},
	}
}
