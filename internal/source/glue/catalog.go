package glue

import (
	"context"
	"fmt"

	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/source"
)

func init() {
	source.RegisterCatalog("glue", source.CatalogKind{Check: check, Open: open})
}

// check requires the database the source's tables are described in.
func check(e *source.Entry) error {
	if e.Source.Catalog.Database == "" {
		return e.Errorf("catalog", "kind glue needs database: the Glue database that describes the source's tables")
	}
	return nil
}

func open(ctx context.Context, name string, cfg config.Source, opts source.Options) (source.CatalogReader, error) {
	c := cfg.Catalog
	awsCfg, err := LoadAWS(ctx, c.Region, opts.Logger)
	if err != nil {
		return nil, err
	}
	return &sourceCatalog{reader: Reader{Client: awsglue.NewFromConfig(awsCfg), CatalogID: c.CatalogID}, database: c.Database, region: awsCfg.Region}, nil
}

// sourceCatalog describes another engine's tables from one Glue database.
// The tables keep no schema: the Glue database groups them, and the
// engine's SQL does not name it.
type sourceCatalog struct {
	reader   Reader
	database string
	region   string
}

func (s *sourceCatalog) Tables(ctx context.Context) ([]catalog.Table, error) {
	tables, err := s.reader.Tables(ctx, []string{s.database})
	if err != nil {
		return nil, err
	}
	for i := range tables {
		tables[i].Schema = ""
	}
	return tables, nil
}

func (s *sourceCatalog) Describe() string {
	return fmt.Sprintf("AWS Glue Data Catalog database %q in %s", s.database, s.region)
}
