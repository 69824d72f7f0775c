package glue

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/askdb/askdb/internal/catalog"
)

// API is the part of the Glue client the reader calls.
type API interface {
	awsglue.GetDatabasesAPIClient
	awsglue.GetTablesAPIClient
}

// Reader reads table definitions from one Glue Data Catalog.
type Reader struct {
	Client API
	// CatalogID is the account that owns the catalog; empty: the caller's.
	CatalogID string
}

// Databases lists every database of the catalog, following NextToken.
func (r Reader) Databases(ctx context.Context) ([]string, error) {
	p := awsglue.NewGetDatabasesPaginator(r.Client, &awsglue.GetDatabasesInput{CatalogId: r.catalogID()})
	var names []string
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("glue GetDatabases: %w", Classify(err))
		}
		for _, db := range page.DatabaseList {
			names = append(names, aws.ToString(db.Name))
		}
	}
	sort.Strings(names)
	return names, nil
}

// Tables reads the tables of each database (every database of the catalog
// when none is named), following NextToken. Each table's Schema is its
// database.
func (r Reader) Tables(ctx context.Context, databases []string) ([]catalog.Table, error) {
	if len(databases) == 0 {
		var err error
		if databases, err = r.Databases(ctx); err != nil {
			return nil, err
		}
	}
	var out []catalog.Table
	for _, db := range databases {
		p := awsglue.NewGetTablesPaginator(r.Client, &awsglue.GetTablesInput{DatabaseName: aws.String(db), CatalogId: r.catalogID()})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("glue GetTables of database %q: %w", db, Classify(err))
			}
			for i := range page.TableList {
				out = append(out, Table(db, &page.TableList[i]))
			}
		}
	}
	return out, nil
}

func (r Reader) catalogID() *string {
	if r.CatalogID == "" {
		return nil
	}
	return aws.String(r.CatalogID)
}

// Table maps one Glue table onto a catalog table: its columns, then its
// partition keys (which Athena queries as ordinary columns). Glue declares
// no keys and no NOT NULL, so every column is nullable.
func Table(database string, t *types.Table) catalog.Table {
	out := catalog.Table{
		Schema:   database,
		Name:     aws.ToString(t.Name),
		Kind:     tableKind(aws.ToString(t.TableType)),
		Comment:  tableComment(t),
		RowCount: rowCount(t.Parameters),
	}
	if sd := t.StorageDescriptor; sd != nil {
		for _, c := range sd.Columns {
			out.Columns = append(out.Columns, Column(c, ""))
		}
	}
	for _, c := range t.PartitionKeys {
		out.Columns = append(out.Columns, Column(c, "partition key"))
	}
	return out
}

// Column maps a Glue column; note, when set, leads its comment
// ("partition key: day of the filing").
func Column(c types.Column, note string) catalog.Column {
	typ := aws.ToString(c.Type)
	comment := aws.ToString(c.Comment)
	if note != "" {
		comment = strings.TrimSuffix(note+": "+comment, ": ")
	}
	return catalog.Column{Name: aws.ToString(c.Name), DBType: typ, Type: NormalizeType(typ), Nullable: true, Comment: comment}
}

// NormalizeType maps a Glue (Hive) type onto askdb's types. Complex types
// (array<…>, map<…>, struct<…>) are TypeOther, whatever their elements.
func NormalizeType(typ string) catalog.Type {
	t := strings.ToLower(strings.TrimSpace(typ))
	if strings.ContainsAny(t, "<") {
		return catalog.TypeOther
	}
	return catalog.NormalizeType(t)
}

func tableKind(tableType string) catalog.TableKind {
	if tableType == "VIRTUAL_VIEW" {
		return catalog.KindView
	}
	return catalog.KindTable
}

// tableComment is the table's description, else its "comment" parameter
// (what CREATE TABLE … COMMENT writes), followed by the facts in its
// parameters that help someone read it: the file format and partitioning
// hints such as projection.
func tableComment(t *types.Table) string {
	parts := []string{}
	if d := aws.ToString(t.Description); d != "" {
		parts = append(parts, d)
	} else if c := t.Parameters["comment"]; c != "" && c != "Presto View" { // what Athena writes on every view
		parts = append(parts, c)
	}
	if f := t.Parameters["classification"]; f != "" {
		parts = append(parts, "format "+f)
	}
	if len(t.PartitionKeys) > 0 {
		names := make([]string, len(t.PartitionKeys))
		for i, k := range t.PartitionKeys {
			names[i] = aws.ToString(k.Name)
		}
		parts = append(parts, "partitioned by "+strings.Join(names, ", ")+" (filter on them to scan less)")
	}
	return strings.Join(parts, "; ")
}

// rowCount reads the row count a crawler or ANALYZE left in the
// parameters; -1 when there is none.
func rowCount(params map[string]string) int64 {
	for _, key := range []string{"numRows", "recordCount"} {
		if n, err := strconv.ParseInt(params[key], 10, 64); err == nil && n >= 0 {
			return n
		}
	}
	return -1
}
