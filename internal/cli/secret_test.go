package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/askdb/askdb/internal/awstest"
	"github.com/askdb/askdb/internal/cli"
	"github.com/askdb/askdb/internal/dbtest"
)

const secretARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:askdb-ro-AbCdEf"

// secretEnv makes a PostgreSQL database with three employees and writes an
// askdb.yaml whose source "pg" has a DSN without a user: the user comes
// only from the Secrets Manager secret, served by the local fake that the
// real SDK client reaches through the AWS environment. Without the secret
// the connection would log in as the OS user and fail.
func secretEnv(t *testing.T) (config string, fake *awstest.SecretsManager) {
	t.Helper()
	dir := sampleEnv(t)
	admin := dbtest.Postgres(t)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE employees (id int PRIMARY KEY, name text); INSERT INTO employees VALUES (1, 'a'), (2, 'b'), (3, 'c')"); err != nil {
		t.Fatal(err)
	}
	ro, err := url.Parse(dbtest.PostgresReadOnly(t, admin))
	if err != nil {
		t.Fatal(err)
	}
	user := ro.User.Username()
	password, _ := ro.User.Password()
	ro.User = nil
	sec, _ := json.Marshal(map[string]string{"username": user, "password": password, "engine": "postgres"})
	fake = awstest.NewSecretsManager(t, map[string]string{secretARN: string(sec)})
	fake.Setenv(t)
	return writeConfig(t, dir, fmt.Sprintf("sources:\n  pg:\n    kind: postgres\n    dsn: %q\n    secret: %s\n", ro.String(), secretARN)), fake
}

func assertSecretRead(t *testing.T, fake *awstest.SecretsManager) {
	t.Helper()
	if got := fake.Targets(); len(got) == 0 || got[0] != "secretsmanager.GetSecretValue" {
		t.Errorf("Secrets Manager calls = %q, want GetSecretValue", got)
	}
}

func TestSecretUnderSQL(t *testing.T) {
	cfg, fake := secretEnv(t)
	code, out, errOut := run(t, "", "--config", cfg, "sql", "--source", "pg", "SELECT current_user AS who")
	if code != 0 || !strings.Contains(out, dbtest.ReadOnlyUser) {
		t.Fatalf("code %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	assertSecretRead(t, fake)
}

func TestSecretUnderAsk(t *testing.T) {
	cfg, fake := secretEnv(t)
	code, out, errOut := run(t, "", "--config", cfg, "ask", "-q", "--source", "pg", "How many employees are there?")
	if code != 0 || !strings.Contains(out, "3") {
		t.Fatalf("code %d, stdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	assertSecretRead(t, fake)
}

// TestSecretMissing: a secret the store does not hold stops the command
// with an error naming the source and the secret.
func TestSecretMissing(t *testing.T) {
	cfg, _ := secretEnv(t)
	fake := awstest.NewSecretsManager(t, map[string]string{})
	fake.Setenv(t)
	code, _, errOut := run(t, "", "--config", cfg, "sql", "--source", "pg", "SELECT 1")
	if code == 0 || !strings.Contains(errOut, `source "pg"`) || !strings.Contains(errOut, secretARN) {
		t.Fatalf("code %d, stderr:\n%s", code, errOut)
	}
}

// syncBuffer is a bytes.Buffer safe for the command's goroutine and the test's.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serveInBackground runs askdb with args until the test ends, and returns
// the loopback address it was told to listen on once it answers there.
func serveInBackground(t *testing.T, args func(addr string) []string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int, 1)
	go func() { done <- cli.Run(ctx, args(addr), strings.NewReader(""), &out, &errOut) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		select {
		case code := <-done:
			done <- code
			t.Fatalf("askdb exited with %d before serving:\n%s%s", code, out.String(), errOut.String())
		default:
		}
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr
		}
	}
	t.Fatalf("askdb did not listen on %s:\n%s%s", addr, out.String(), errOut.String())
	return ""
}

func TestSecretUnderServe(t *testing.T) {
	cfg, fake := secretEnv(t)
	addr := serveInBackground(t, func(addr string) []string { return []string{"--config", cfg, "serve", "--addr", addr} })
	resp, err := http.Post("http://"+addr+"/api/sql", "application/json", strings.NewReader(`{"sql":"SELECT current_user AS who","source":"pg"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), dbtest.ReadOnlyUser) {
		t.Fatalf("POST /api/sql: %d %s", resp.StatusCode, body)
	}
	assertSecretRead(t, fake)
}

func TestSecretUnderMCP(t *testing.T) {
	cfg, fake := secretEnv(t)
	addr := serveInBackground(t, func(addr string) []string { return []string{"--config", cfg, "mcp", "--http", addr} })
	ctx := t.Context()
	client := mcp.NewClient(&mcp.Implementation{Name: "test", Version: "1"}, nil)
	cs, err := client.Connect(ctx, &mcp.StreamableClientTransport{Endpoint: "http://" + addr + "/mcp"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "execute_sql", Arguments: map[string]any{"sql": "SELECT current_user AS who", "source": "pg"}})
	if err != nil {
		t.Fatal(err)
	}
	text, _ := json.Marshal(res)
	if res.IsError || !strings.Contains(string(text), dbtest.ReadOnlyUser) {
		t.Fatalf("execute_sql: %s", text)
	}
	assertSecretRead(t, fake)
}
