package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newConfigCmd(a *App) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "config",
		Short:   "Inspect the configuration",
		GroupID: groupSetup,
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show",
		Short: "Print every effective setting and the layer it came from (secrets masked)",
		Long: `Print every effective setting with the layer that set it: default.toml
(embedded), settings.toml, .secrets.toml, a PAMPS_<SECTION>__<KEY> variable or a
flag. Secrets are masked and database passwords redacted.`,
		Example: `  pamps config show
  PAMPS_ENV=production pamps config show -o json
  pamps --db sqlite:/tmp/x.db config show`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			p, err := a.printer()
			if err != nil {
				return err
			}
			entries := cfg.Entries()
			if p.format == formatJSON {
				return p.JSON(map[string]any{"env": cfg.Env, "database": redactedDatabase(cfg), "settings": entries})
			}
			rows := make([][]string, 0, len(entries))
			for _, e := range entries {
				rows = append(rows, []string{e.Key, fmt.Sprint(e.Value), e.Source})
			}
			if p.format == formatTable {
				fmt.Fprintf(p.w, "%s %s   %s %s\n", p.st.dim.Render("environment"), p.st.name.Render(cfg.Env),
					p.st.dim.Render("database"), redactedDatabase(cfg))
			}
			return p.Table([]string{"KEY", "VALUE", "SOURCE"}, rows)
		},
	})
	return cmd
}
