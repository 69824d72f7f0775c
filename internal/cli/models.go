package cli

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/llm"
)

// models opens the SQL and fast models. Precedence: --model, then
// $ASKDB_MODEL, then ask.sql_model in askdb.yaml, then the only model
// configured. Both are nil when no model is configured at all, which is
// not an error: the pipeline then says how to configure one.
func (a *app) models(ctx context.Context, flag string) (sqlModel, fast llm.Model, err error) {
	name, cfg, ok, err := a.modelConfig(flag)
	if err != nil || !ok {
		return nil, nil, err
	}
	opts := llm.Options{Logger: a.logger}
	if sqlModel, err = llm.Open(ctx, name, cfg, opts); err != nil {
		return nil, nil, err
	}
	fast = sqlModel
	if fn := a.cfg.Ask.FastModel; fn != "" && fn != name {
		fcfg, ok := a.cfg.Models[fn]
		if !ok {
			return nil, nil, fmt.Errorf("ask.fast_model %q is not one of the models (%s)", fn, strings.Join(a.modelNames(), ", "))
		}
		if fast, err = llm.Open(ctx, fn, fcfg, opts); err != nil {
			return nil, nil, err
		}
	}
	return sqlModel, fast, nil
}

func (a *app) modelConfig(flag string) (string, config.Model, bool, error) {
	if flag != "" {
		if m, ok := a.cfg.Models[flag]; ok {
			return flag, m, true, nil
		}
		if kind, id, found := strings.Cut(flag, ":"); found {
			// --model kind:id, the same syntax as $ASKDB_MODEL.
			m, _ := llm.FromEnv(func(k string) string {
				if k == llm.EnvModel {
					return kind + ":" + id
				}
				return a.getenv(k)
			})
			return flag, m, true, nil
		}
		return "", config.Model{}, false, &usageError{fmt.Errorf("unknown model %q: use a name from models: in askdb.yaml (%s) or kind:model-id, e.g. openai:qwen2.5-coder:7b", flag, strings.Join(a.modelNames(), ", "))}
	}
	if m, ok := llm.FromEnv(a.getenv); ok {
		return llm.EnvModel, m, true, nil
	}
	if n := a.cfg.Ask.SQLModel; n != "" {
		m, ok := a.cfg.Models[n]
		if !ok {
			return "", config.Model{}, false, fmt.Errorf("ask.sql_model %q is not one of the models (%s)", n, strings.Join(a.modelNames(), ", "))
		}
		return n, m, true, nil
	}
	if names := a.modelNames(); len(names) == 1 {
		return names[0], a.cfg.Models[names[0]], true, nil
	} else if len(names) > 1 {
		return "", config.Model{}, false, fmt.Errorf("several models are configured (%s): set ask.sql_model or pass --model", strings.Join(names, ", "))
	}
	return "", config.Model{}, false, nil
}

func (a *app) modelNames() []string {
	names := make([]string, 0, len(a.cfg.Models))
	for n := range a.cfg.Models {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
