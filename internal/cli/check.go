package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/sqlguard"
)

func init() { extraCommands = append(extraCommands, newCheckCmd) }

func newCheckCmd(a *app) *cobra.Command {
	var dialect, policySource string
	var asJSON, lines bool
	var maxRows int
	cmd := &cobra.Command{
		Use:   `check --dialect postgres|redshift|mysql|sqlite|duckdb|trino [--json] [--policy-source NAME] "SQL"`,
		Short: "Check SQL with the guard without running it",
		Long: `Check SQL with the guard: exactly one read-only query, allowed functions only,
no system catalogs, and the source's table and column policy. Exits 0 when the
query is accepted and 1 when it is refused.

With --lines, read standard input with one statement per line (anything after a
TAB is ignored, so BIRD's "SQL<TAB>db_id" gold files work as they are) and print
one JSON object per line.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if lines {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.ExactArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			d, ok := catalog.ParseDialect(dialect)
			if !ok {
				return &usageError{fmt.Errorf("--dialect %q: must be one of postgres, redshift, mysql, sqlite, duckdb, trino (athena)", dialect)}
			}
			if policySource != "" {
				if _, ok := a.cfg.Sources[policySource]; !ok {
					return &usageError{fmt.Errorf("--policy-source %q is not a configured source (%s)", policySource, strings.Join(a.cfg.SourceNames(), ", "))}
				}
			}
			opts := a.guardOptions(policySource, d, maxRows)
			if strings.EqualFold(strings.TrimSpace(dialect), catalog.ProfileRedshift) {
				// PostgreSQL's parser with Redshift's functions and TOP n.
				opts.Profile = catalog.ProfileRedshift
			}
			if policySource != "" {
				opts.Catalog = a.policyCatalog(cmd.Context(), policySource)
			}
			if lines {
				return a.checkLines(opts)
			}
			v := sqlguard.Check(args[0], opts)
			if asJSON {
				if err := writeJSON(a.stdout, v); err != nil {
					return err
				}
			} else {
				writeVerdict(a.stdout, v)
			}
			if !v.Accepted {
				return &exitError{code: ExitRejected}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&dialect, "dialect", "", "SQL dialect: postgres, mysql, sqlite, duckdb or trino (athena) (required)")
	f.StringVar(&policySource, "policy-source", "", "apply this source's policy from askdb.yaml")
	f.BoolVar(&asJSON, "json", false, "print the verdict as JSON")
	f.BoolVar(&lines, "lines", false, "check one statement per line of standard input")
	f.IntVar(&maxRows, "max-rows", 0, "add or tighten a LIMIT to this many rows")
	_ = cmd.MarkFlagRequired("dialect")
	return cmd
}

// guardOptions builds guard options from the named source's policy (may be
// "") and the global function allowlist extensions.
func (a *app) guardOptions(srcName string, d catalog.Dialect, maxRows int) sqlguard.Options {
	opts := sqlguard.Options{Dialect: d, MaxRows: maxRows, Functions: a.cfg.Guard.Functions[string(d)]}
	if srcName != "" {
		opts.Policy = a.cfg.Sources[srcName].Policy
	}
	return opts
}

// policyCatalog reads the policy source's schema, so that the guard
// resolves names against its real tables and columns (attribute notation,
// foreign tables, unqualified names). The check still works, more
// conservatively, when the source cannot be reached.
func (a *app) policyCatalog(ctx context.Context, name string) *catalog.Catalog {
	ctx, cancel := context.WithTimeout(ctx, policyCatalogTimeout)
	defer cancel()
	src, err := a.source(ctx, name)
	if err != nil {
		a.logger.Warn("checking without the source's schema", "source", name, "err", err)
		return nil
	}
	// The checked dialect may differ from the source's: read the schema
	// whatever the source's kind.
	return a.introspectForGuard(ctx, src)
}

// policyCatalogTimeout bounds opening and introspecting the policy source.
const policyCatalogTimeout = 10 * time.Second

func writeVerdict(w io.Writer, v sqlguard.Verdict) {
	if v.Accepted {
		fmt.Fprintf(w, "accepted: one read-only query\n%s\n", v.SQL)
		return
	}
	fmt.Fprintf(w, "rejected (%s)", v.Rule)
	if v.Line > 0 {
		fmt.Fprintf(w, " at line %d, column %d", v.Line, v.Column)
	}
	fmt.Fprintf(w, ": %s\n", v.Message)
}

type lineVerdict struct {
	Line     int           `json:"line"`
	Accepted bool          `json:"accepted"`
	Rule     sqlguard.Rule `json:"rule"`
	Message  string        `json:"message"`
}

// checkLines checks each line of stdin. It exits 1 when any line is refused.
func (a *app) checkLines(opts sqlguard.Options) error {
	sc := bufio.NewScanner(a.stdin)
	sc.Buffer(make([]byte, 64<<10), maxSQLBytes)
	rejected, n := 0, 0
	for sc.Scan() {
		n++
		text, _, _ := strings.Cut(sc.Text(), "\t")
		if strings.TrimSpace(text) == "" {
			continue
		}
		v := sqlguard.Check(text, opts)
		if !v.Accepted {
			rejected++
		}
		line := lineVerdict{Line: n, Accepted: v.Accepted, Rule: v.Rule, Message: v.Message}
		if err := writeJSONLine(a.stdout, line); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read standard input: %w", err)
	}
	if rejected > 0 {
		fmt.Fprintf(a.stderr, "askdb: %d of %s rejected\n", rejected, counted(n, "statement"))
		return &exitError{code: ExitRejected}
	}
	return nil
}
