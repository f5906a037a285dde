package main

import (
	"strings"

	"github.com/spf13/cobra"
)

// asArgs is exactArgs for a command that acts --as a user: given one
// argument too many and no --as, the first was meant as the user.
func asArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == n+1 && !cmd.Flags().Changed("as") {
			return usage("%s takes %d argument(s), got %d; did you mean: %s --as %s?", cmd.CommandPath(), n, len(args), cmd.CommandPath(), strings.Join(args, " "))
		}
		return exactArgs(n)(cmd, args)
	}
}

func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != n {
			return usage("%s takes %d argument(s), got %d; see %s --help", cmd.CommandPath(), n, len(args), cmd.CommandPath())
		}
		return nil
	}
}
