package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/sqlguard"
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
			cat, err := src.Introspect(cmd.Context())
			if err != nil {
				return err
			}
			// What the policy hides is not listed either.
			cat = sqlguard.Visible(cat, a.cfg.Sources[src.Name()].Policy)
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
