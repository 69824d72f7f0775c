package awslambda_test

import (
	"github.com/askdb/askdb/internal/testbin"

	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/askdb/askdb/internal/awslambda"
	"github.com/askdb/askdb/internal/config"
)

// cfnValue converts a YAML node to plain values, turning CloudFormation's
// short-form tags (!Ref, !Sub, !GetAtt, …) into their long form.
func cfnValue(n *yaml.Node) any {
	if n.Kind == yaml.DocumentNode {
		return cfnValue(n.Content[0])
	}
	var v any
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = cfnValue(n.Content[i+1])
		}
		v = m
	case yaml.SequenceNode:
		s := []any{}
		for _, c := range n.Content {
			s = append(s, cfnValue(c))
		}
		v = s
	case yaml.AliasNode:
		return cfnValue(n.Alias)
	default:
		v = n.Value
	}
	if tag := n.Tag; strings.HasPrefix(tag, "!") && !strings.HasPrefix(tag, "!!") {
		name := "Fn::" + tag[1:]
		if tag == "!Ref" {
			name = "Ref"
		}
		if tag == "!GetAtt" {
			if s, ok := v.(string); ok {
				v = strings.SplitN(s, ".", 2)
			}
		}
		return map[string]any{name: v}
	}
	return v
}

func loadTemplate(t *testing.T) map[string]any {
	t.Helper()
	root, err := testbin.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "deploy", "aws", "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("parse template: %v", err)
	}
	return cfnValue(&doc).(map[string]any)
}

func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func TestSAMTemplate(t *testing.T) {
	tpl := loadTemplate(t)
	root, _ := testbin.RepoRoot()
	fn := get(tpl, "Resources", "AskdbFunction", "Properties")
	if get(fn, "Handler") != "bootstrap" || get(fn, "Runtime") != "provided.al2023" {
		t.Errorf("function handler/runtime = %v/%v, want bootstrap on provided.al2023", get(fn, "Handler"), get(fn, "Runtime"))
	}
	boot, err := os.ReadFile(filepath.Join(root, "deploy", "aws", "bootstrap"))
	if err != nil || !bytes.Contains(boot, []byte("askdb\" lambda")) {
		t.Errorf("deploy/aws/bootstrap must exec askdb lambda: %v\n%s", err, boot)
	}
	cliSrc, err := os.ReadFile(filepath.Join(root, "internal", "cli", "lambda.go"))
	if err != nil || !bytes.Contains(cliSrc, []byte(`Use:   "lambda"`)) {
		t.Errorf("the lambda command is not defined in internal/cli/lambda.go: %v", err)
	}

	t.Run("environment variables exist", func(t *testing.T) {
		goSrc := goSources(t, filepath.Join(root, "internal"))
		bundled, err := os.ReadFile(filepath.Join(root, "deploy", "aws", "askdb.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		vars, _ := get(fn, "Environment", "Variables").(map[string]any)
		if len(vars) == 0 {
			t.Fatal("the function sets no environment variables")
		}
		for name := range vars {
			if !bytes.Contains(goSrc, []byte(`"`+name+`"`)) && !bytes.Contains(bundled, []byte("${"+name)) {
				t.Errorf("environment variable %s is read neither by the code nor by deploy/aws/askdb.yaml", name)
			}
		}
		env := map[string]string{}
		for k, v := range vars {
			if s, ok := v.(string); ok {
				env[k] = s
			} else {
				env[k] = "from-template"
			}
		}
		cfg, err := config.Parse(bundled, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
		if err != nil {
			t.Fatalf("bundled askdb.yaml: %v", err)
		}
		if cfg.Sources["warehouse"].Secret != "from-template" {
			t.Errorf("bundled source secret = %q, want DB_SECRET_ARN", cfg.Sources["warehouse"].Secret)
		}
	})

	t.Run("permissions", func(t *testing.T) {
		text := strings.Join(flatten(get(fn, "Policies")), " ")
		for _, want := range []string{"bedrock:InvokeModel", "secretsmanager:GetSecretValue", "AWSLambdaVPCAccessExecutionRole"} {
			if !strings.Contains(text, want) {
				t.Errorf("function policies lack %s", want)
			}
		}
		if get(fn, "VpcConfig") == nil {
			t.Error("function has no VpcConfig")
		}
		perm := get(tpl, "Resources", "AgentInvokePermission", "Properties")
		if get(perm, "Principal") != "bedrock.amazonaws.com" {
			t.Errorf("agent invoke permission = %v", perm)
		}
	})

	t.Run("agent action groups", func(t *testing.T) {
		agent := get(tpl, "Resources", "AskdbAgent", "Properties")
		if instr, _ := get(agent, "Instruction").(string); !strings.Contains(instr, "read-only") {
			t.Errorf("agent instruction does not restrict it to read-only analytics: %q", instr)
		}
		params := map[string]string{awslambda.FuncGenerateSQL: "question", awslambda.FuncAsk: "question", awslambda.FuncExecuteSQL: "query"}
		var groups []string
		ags, ok := get(agent, "ActionGroups").([]any)
		if !ok {
			t.Fatal("the agent has no action groups")
		}
		for _, g := range ags {
			groups = append(groups, get(g, "ActionGroupName").(string))
			if get(g, "ActionGroupExecutor", "Lambda", "Fn::GetAtt") == nil {
				t.Errorf("action group %v does not call the function", get(g, "ActionGroupName"))
			}
			fns, _ := get(g, "FunctionSchema", "Functions").([]any)
			for _, f := range fns {
				name, _ := get(f, "Name").(string)
				want, ok := params[name]
				if !ok {
					t.Errorf("function %q is not one the handler serves", name)
					continue
				}
				if get(f, "Parameters", want) == nil {
					t.Errorf("function %q lacks parameter %q", name, want)
				}
			}
		}
		slices.Sort(groups)
		if !slices.Equal(groups, []string{"execute-sql", "generate-sql"}) {
			t.Errorf("action groups = %v, want execute-sql and generate-sql", groups)
		}
	})
}

// goSources concatenates the non-test Go files under dir.
func goSources(t *testing.T, dir string) []byte {
	t.Helper()
	var all []byte
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return err
		}
		data, err := os.ReadFile(p)
		all = append(all, data...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func flatten(v any) []string {
	switch x := v.(type) {
	case map[string]any:
		var out []string
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, flatten(e)...)
		}
		return out
	case string:
		return []string{x}
	}
	return nil
}
