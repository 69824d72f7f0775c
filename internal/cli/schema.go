package cli

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/knowledge"
	"github.com/askdb/askdb/internal/pipeline"
	"github.com/askdb/askdb/internal/schema"
)

func newSchemaCmd(a *app) *cobra.Command {
	var srcName, format string
	cmd := &cobra.Command{
		Use:   "schema",
		Short: "Show the tables, columns and keys of a source",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return &usageError{fmt.Errorf("--format %q: must be text or json", format)}
			}
			src, err := a.source(cmd.Context(), srcName)
			if err != nil {
				return err
			}
			sch, err := a.preparedSchema(cmd.Context(), src.Name())
			if err != nil {
				return err
			}
			cat := sch.Catalog
			if format == "json" {
				return writeJSON(a.stdout, cat)
			}
			return writeCatalogText(a.stdout, cat)
		},
	}
	cmd.Flags().StringVar(&srcName, "source", "", "source name from askdb.yaml")
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

// preparedSchema is the named source's schema as the pipeline sees it
// (package schema): what the policy hides is not listed, the knowledge
// files' descriptions and the enrichment snapshot are applied.
func (a *app) preparedSchema(ctx context.Context, name string) (*schema.Schema, error) {
	opts := pipeline.OptionsFromConfig(a.cfg)
	opts.Sources, opts.Logger = a.sources, a.logger
	if len(a.cfg.Sources[name].Knowledge) > 0 {
		k, _, err := a.knowledge(name)
		if err != nil {
			return nil, err
		}
		opts.Knowledge = map[string]*knowledge.Knowledge{name: k}
	}
	if st := a.optionalStore(ctx); st != nil {
		defer st.Close()
		opts.Store = st
	}
	return pipeline.NewSchemaCache(opts).Get(ctx, name)
}

// writeCatalogText prints a catalog for people: one block per table.
func writeCatalogText(w io.Writer, cat *catalog.Catalog) error {
	var b strings.Builder
	fmt.Fprintf(&b, "source %s (%s", cat.Source, cat.Dialect)
	if cat.Version != "" {
		fmt.Fprintf(&b, ", %s", cat.Version)
	}
	fmt.Fprintf(&b, "): %s\n", counted(len(cat.Tables), "table"))
	for _, t := range cat.Tables {
		fmt.Fprintf(&b, "\n%s %s", t.Kind, t.QualifiedName())
		if t.RowCount >= 0 {
			fmt.Fprintf(&b, " (~%s)", counted(int(t.RowCount), "row"))
		}
		if t.Comment != "" {
			fmt.Fprintf(&b, " -- %s", t.Comment)
		}
		b.WriteByte('\n')
		pk := map[string]bool{}
		for _, c := range t.PrimaryKey {
			pk[c] = true
		}
		width := 0
		for _, c := range t.Columns {
			width = max(width, len(c.Name))
		}
		for _, c := range t.Columns {
			var flags []string
			if pk[c.Name] {
				flags = append(flags, "primary key")
			}
			if !c.Nullable {
				flags = append(flags, "not null")
			}
			fmt.Fprintf(&b, "  %-*s  %s", width, c.Name, c.DBType)
			if len(flags) > 0 {
				fmt.Fprintf(&b, "  [%s]", strings.Join(flags, ", "))
			}
			if c.Comment != "" {
				fmt.Fprintf(&b, "  -- %s", c.Comment)
			}
			b.WriteByte('\n')
		}
		for _, fk := range t.ForeignKeys {
			ref := fk.RefTable
			if fk.RefSchema != "" {
				ref = fk.RefSchema + "." + ref
			}
			fmt.Fprintf(&b, "  foreign key (%s) references %s (%s)\n",
				strings.Join(fk.Columns, ", "), ref, strings.Join(fk.RefColumns, ", "))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
