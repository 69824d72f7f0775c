// Package secret reads database credentials from a secret store (AWS
// Secrets Manager) for the sources whose askdb.yaml entry has secret:.
// It fetches and decodes the secret; merging it into a DSN is the job of
// each source kind, which knows its own DSN grammar. Of askdb it imports
// only awsconf, which loads every AWS configuration the same way.
package secret

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/secretsmanager"

	"github.com/askdb/askdb/internal/awsconf"
)

// DB is a database secret as RDS and Secrets Manager rotation write it.
type DB struct {
	Username string          `json:"username"`
	Password string          `json:"password"`
	Engine   string          `json:"engine"`
	Host     string          `json:"host"`
	Port     json.RawMessage `json:"port"` // a number or a string
	DBName   string          `json:"dbname"`
}

// PortString returns the port as text, whether the secret holds a number or a string.
func (s DB) PortString() string {
	return strings.Trim(string(s.Port), `"`)
}

// Store reads database secrets by reference (an ARN or a secret name).
type Store interface {
	DB(ctx context.Context, ref string) (DB, error)
}

// Getter reads a secret; *secretsmanager.Client implements it.
type Getter interface {
	GetSecretValue(ctx context.Context, in *secretsmanager.GetSecretValueInput, opts ...func(*secretsmanager.Options)) (*secretsmanager.GetSecretValueOutput, error)
}

var _ Getter = (*secretsmanager.Client)(nil)

// ErrNotDBSecret means a secret exists but is not a database secret.
var ErrNotDBSecret = errors.New("not a database secret: want JSON with username and password")

// SecretsManager is a Store over AWS Secrets Manager.
type SecretsManager struct {
	newGet func(context.Context) (Getter, error)

	mu  sync.Mutex
	get Getter // built on first use; a failure is not kept
}

var _ Store = (*SecretsManager)(nil)

// NewSecretsManager returns a Store that reads through client.
func NewSecretsManager(client Getter) *SecretsManager {
	return &SecretsManager{newGet: func(context.Context) (Getter, error) { return client, nil }}
}

// FromEnvironment returns a Store whose Secrets Manager client is built
// from the AWS environment (region, credentials, AWS_ENDPOINT_URL…) on
// first use, so that a config without secret: never loads it.
func FromEnvironment() *SecretsManager {
	return &SecretsManager{newGet: func(ctx context.Context) (Getter, error) {
		// awsconf's options keep the SDK's own warnings off stderr.
		cfg, err := awsconfig.LoadDefaultConfig(ctx, awsconf.LoadOptions("", "", nil)...)
		if err != nil {
			return nil, fmt.Errorf("aws config for secrets manager: %w", err)
		}
		return secretsmanager.NewFromConfig(cfg), nil
	}}
}

// DB implements Store.
func (m *SecretsManager) DB(ctx context.Context, ref string) (DB, error) {
	get, err := m.client(ctx)
	if err != nil {
		return DB{}, err
	}
	out, err := get.GetSecretValue(ctx, &secretsmanager.GetSecretValueInput{SecretId: aws.String(ref)})
	if err != nil {
		return DB{}, fmt.Errorf("read secret %q: %w", ref, err)
	}
	if out.SecretString == nil {
		return DB{}, fmt.Errorf("secret %q has no string value (binary secrets are not supported)", ref)
	}
	var sec DB
	if err := json.Unmarshal([]byte(*out.SecretString), &sec); err != nil {
		return DB{}, fmt.Errorf("secret %q: %w: %w", ref, ErrNotDBSecret, err)
	}
	return sec, nil
}

func (m *SecretsManager) client(ctx context.Context) (Getter, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.get == nil {
		get, err := m.newGet(ctx)
		if err != nil {
			return nil, err
		}
		m.get = get
	}
	return m.get, nil
}
