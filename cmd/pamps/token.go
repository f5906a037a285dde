package main

import (
	"fmt"
	"time"

	"github.com/pamps/pamps/config"
	"github.com/pamps/pamps/server/auth"
	"github.com/spf13/cobra"
)

// tokens builds the token issuer from the configuration.
func tokens(cfg *config.Config) auth.Tokens {
	return auth.Tokens{
		Secret:       []byte(cfg.Security.SecretKey),
		AccessTTL:    time.Duration(cfg.Security.AccessTokenExpireMinutes) * time.Minute,
		RefreshTTL:   time.Duration(cfg.Security.RefreshTokenExpireMinutes) * time.Minute,
		AcceptLegacy: cfg.Security.AcceptLegacyTokens,
	}
}

func newTokenCmd(a *App) *cobra.Command {
	return &cobra.Command{
		Use:     "token NAME",
		Short:   "Print a fresh access token for NAME, to try the API with curl",
		GroupID: groupUsers,
		Example: `  curl -H "Authorization: Bearer $(pamps token ann)" localhost:8000/user/me/`,
		Args:    exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, u, err := a.storeAndUser(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			if err := a.cfg.CheckSecret(); err != nil {
				return err
			}
			tk := tokens(a.cfg)
			access, err := tk.Access(u, true)
			if err != nil {
				return err
			}
			p, err := a.printer()
			if err != nil {
				return err
			}
			if p.format == formatJSON {
				refresh, jti, expires, err := tk.Refresh(u)
				if err != nil {
					return err
				}
				if err := st.AddRefreshToken(cmd.Context(), u.ID, jti, expires); err != nil {
					return err
				}
				return p.JSON(map[string]string{"access_token": access, "refresh_token": refresh, "token_type": "bearer"})
			}
			_, err = fmt.Fprintln(a.Out, access)
			return err
		},
	}
}
