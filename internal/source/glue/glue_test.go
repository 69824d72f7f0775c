package glue_test

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsglue "github.com/aws/aws-sdk-go-v2/service/glue"

	"github.com/askdb/askdb/internal/source"
	"github.com/askdb/askdb/internal/source/glue"
	"github.com/askdb/askdb/internal/source/glue/gluetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const legal = "testdata/legal.json"

// TestTables reads every database of the fake's catalog, one table per
// page, and compares the mapped tables with testdata/legal.want.json:
// partition keys as columns, comments, views, complex types, row counts.
func TestTables(t *testing.T) {
	f := gluetest.New(t, legal)
	f.PageSize = 1
	tables, err := glue.Reader{Client: f.Client()}.Tables(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.MarshalIndent(tables, "", "  ")
	gluetest.Golden(t, "testdata/legal.want.json", got, *update)

	var tablePages, tokens int
	for _, c := range f.Calls() {
		if c.Target == "AWSGlue.GetTables" {
			tablePages++
			if strings.Contains(string(c.Body), `"NextToken"`) {
				tokens++
			}
		}
	}
	// legal: 3 tables, 3 pages (the last holds no NextToken); hr: 1.
	if tablePages != 4 || tokens != 2 {
		t.Errorf("GetTables called %d times, %d with a NextToken; want 4 and 2 (one table a page)", tablePages, tokens)
	}
	if got := f.Calls()[0].Target; got != "AWSGlue.GetDatabases" {
		t.Errorf("first call %s, want GetDatabases when no database is named", got)
	}
}

func TestTablesOfOneDatabase(t *testing.T) {
	f := gluetest.New(t, legal)
	tables, err := glue.Reader{Client: f.Client(), CatalogID: "123456789012"}.Tables(context.Background(), []string{"hr"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 1 || tables[0].Schema != "hr" || tables[0].Name != "employees" {
		t.Errorf("got %+v, want hr.employees alone", tables)
	}
	for _, c := range f.Calls() {
		if c.Target == "AWSGlue.GetDatabases" || !strings.Contains(string(c.Body), `"CatalogId":"123456789012"`) {
			t.Errorf("call %s %s: want only GetTables, with the catalog id", c.Target, c.Body)
		}
	}
}

func TestErrors(t *testing.T) {
	f := gluetest.New(t, legal)
	tests := []struct {
		name   string
		client *awsglue.Client
		db     string
		want   error  // a sentinel, or nil
		substr string // in the message
	}{
		{"unknown database", f.Client(), "nope", nil, "EntityNotFoundException"},
		{"unsigned request", awsglue.New(awsglue.Options{Region: "us-east-1", BaseEndpoint: aws.String(f.URL), Credentials: aws.AnonymousCredentials{}}), "hr", source.ErrAuth, "Authorization"},
		{"nothing listening", awsglue.New(awsglue.Options{Region: "us-east-1", BaseEndpoint: aws.String("http://127.0.0.1:1"), Credentials: f.Client().Options().Credentials, RetryMaxAttempts: 1}), "hr", source.ErrUnreachable, "127.0.0.1:1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := glue.Reader{Client: tc.client}.Tables(context.Background(), []string{tc.db})
			if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) || !strings.Contains(err.Error(), tc.substr) {
				t.Errorf("got %v, want an error wrapping %v that contains %q", err, tc.want, tc.substr)
			}
		})
	}
}
