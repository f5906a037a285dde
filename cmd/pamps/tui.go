package main

import (
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/pamps/pamps/tui"
	"github.com/spf13/cobra"
)

func newTUICmd(a *App) *cobra.Command {
	var as string
	cmd := &cobra.Command{
		Use:     "tui [--as NAME]",
		Short:   "Open the interactive, live timeline in the terminal",
		GroupID: groupRun,
		Long: `Open a full-screen timeline: sign in, read Home, Everyone, Mine, Liked and
People, open threads and profiles, write, reply, like and follow. New posts
appear by themselves. Press ? inside for every key. --as NAME skips the sign-in
screen, for an operator acting as NAME.`,
		Example: `  pamps tui
  pamps tui --as ann
  NO_COLOR=1 pamps tui`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			in, inOK := a.In.(*os.File)
			out, outOK := a.Out.(*os.File)
			if !inOK || !outOK || !isTerminal(in) || !isTerminal(out) {
				return fail("pamps tui needs a terminal: run it in an interactive shell (for scripts, use the other commands)")
			}
			st, err := a.Store(cmd.Context())
			if err != nil {
				return err
			}
			model := tui.New(tui.Options{Store: st, Live: a.events(), As: as, Dark: tui.DarkFromEnv(a.Getenv), RepaintOnKey: true})
			defer model.Close()
			opts := []tea.ProgramOption{tea.WithInput(in), tea.WithOutput(out), tea.WithContext(cmd.Context())}
			if a.flags.noColor || a.Getenv("NO_COLOR") != "" {
				opts = append(opts, tea.WithColorProfile(colorprofile.Ascii))
			}
			p := tea.NewProgram(model, opts...)
			if _, err := p.Run(); err != nil && cmd.Context().Err() == nil {
				return err
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&as, "as", "", "act as this user, without signing in")
	return cmd
}
