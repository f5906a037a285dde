package main

import (
	"github.com/pamps/pamps/server/api"
	"github.com/spf13/cobra"
)

func newOpenAPICmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "openapi",
		Short:   "Print the OpenAPI document of pamps serve",
		GroupID: groupSetup,
		Example: `  pamps openapi > openapi.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.Config()
			if err != nil {
				return err
			}
			// The document does not depend on the data: no database is opened.
			srv := api.New(nil, api.Options{Tokens: tokens(cfg)})
			p := &printer{format: formatJSON, w: a.Out}
			return p.JSON(srv.OpenAPI())
		},
	}
}
