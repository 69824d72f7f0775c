package mcpserver

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/askdb/askdb/internal/display"
)

// Resource URIs.
const (
	MetricsURI        = "askdb://metrics"
	schemaURIPrefix   = "askdb://sources/"
	schemaURISuffix   = "/schema"
	schemaURITemplate = "askdb://sources/{name}/schema"
	schemaMIMEType    = "application/sql"
	metricsMIMEType   = "application/json"
)

// SchemaURI is the resource URI of a source's schema.
func SchemaURI(source string) string { return schemaURIPrefix + source + schemaURISuffix }

func (s *Server) addResources() {
	for _, name := range s.opts.Sources.Names() {
		cfg := s.opts.Sources.Config(name)
		s.mcp.AddResource(&mcp.Resource{
			URI:         SchemaURI(name),
			Name:        name + " schema",
			Title:       "Schema of " + name,
			Description: strings.TrimSpace("CREATE TABLE statements of source " + name + ". " + cfg.Description),
			MIMEType:    schemaMIMEType,
		}, s.readSchema)
	}
	s.mcp.AddResourceTemplate(&mcp.ResourceTemplate{
		URITemplate: schemaURITemplate,
		Name:        "source schema",
		Description: "CREATE TABLE statements of a source; name is a source from list_sources",
		MIMEType:    schemaMIMEType,
	}, s.readSchema)
	s.mcp.AddResource(&mcp.Resource{
		URI:         MetricsURI,
		Name:        "metrics",
		Title:       "Metrics dictionary",
		Description: "Business metrics with their definitions and SQL, as JSON",
		MIMEType:    metricsMIMEType,
	}, s.readMetrics)
}

func (s *Server) readSchema(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	uri := req.Params.URI
	name, ok := strings.CutPrefix(uri, schemaURIPrefix)
	if ok {
		name, ok = strings.CutSuffix(name, schemaURISuffix)
	}
	if !ok || name == "" || strings.Contains(name, "/") {
		return nil, mcp.ResourceNotFoundError(uri)
	}
	if _, err := s.opts.Sources.Resolve(name); err != nil {
		return nil, mcp.ResourceNotFoundError(uri)
	}
	sch, schemaDDL, err := s.schema(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("schema of source %q: %w", name, err)
	}
	cat := sch.Catalog
	ddl := fmt.Sprintf("-- source %s (%s): %s\n%s", name, cat.Dialect, display.Count(len(cat.Tables), "table"), schemaDDL)
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: uri, MIMEType: schemaMIMEType, Text: ddl}}}, nil
}

func (s *Server) readMetrics(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	var metrics any = []any{}
	if s.opts.Metrics != nil {
		m, err := s.opts.Metrics(ctx)
		if err != nil {
			return nil, fmt.Errorf("metrics: %w", err)
		}
		if m != nil {
			metrics = m
		}
	}
	data, err := json.MarshalIndent(map[string]any{"metrics": metrics}, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: req.Params.URI, MIMEType: metricsMIMEType, Text: string(data)}}}, nil
}
