package pipeline

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/askdb/askdb/internal/catalog"
	"github.com/askdb/askdb/internal/config"
	"github.com/askdb/askdb/internal/identity"
	"github.com/askdb/askdb/internal/schema"
	"github.com/askdb/askdb/internal/sqlguard"
)

// ErrForbidden is matched by every *AccessError: the caller's groups give
// no access to what was asked. The edges answer 403.
var ErrForbidden = errors.New("access denied")

// AccessError says who was refused what, and what they may use instead.
type AccessError struct {
	User    string
	Groups  []string
	Source  string   // empty when no rule names any of the groups
	Allowed []string // the sources the caller may query
}

func (e *AccessError) Error() string {
	groups := "no groups"
	if len(e.Groups) > 0 {
		groups = "groups " + strings.Join(e.Groups, ", ")
	}
	who := fmt.Sprintf("user %q", e.User)
	if e.User == "" {
		// The CLI, stdio MCP and Bedrock Agent calls carry no sign-in.
		who = "a caller who is not signed in"
	}
	if len(e.Allowed) == 0 {
		return fmt.Sprintf("access denied: %s (%s) is in no group the access rules name, so there is nothing they may query; ask an administrator to add them to a group (an access rule with groups: [\"*\"] covers every caller)", who, groups)
	}
	return fmt.Sprintf("access denied: %s (%s) may not query source %q; their sources are %s", who, groups, e.Source, strings.Join(e.Allowed, ", "))
}

// Is reports whether target is ErrForbidden.
func (e *AccessError) Is(target error) bool { return target == ErrForbidden }

// grant is what one caller may do on one source: the source's policy with
// the caller's hidden columns added, and the caller's row filters.
type grant struct {
	policy config.Policy
	rows   []sqlguard.RowFilter
}

// callerOf returns who asks: the identity on ctx (set by the server, the
// MCP mount or the Lambda handler), else user with no groups.
func callerOf(ctx context.Context, user string) identity.Identity {
	if id, ok := identity.From(ctx); ok && (user == "" || id.User == user) {
		return id
	}
	return identity.Identity{User: user}
}

// PolicyFor returns the policy id's queries on source are checked
// against (the source's, plus the columns id's groups hide), or an
// *AccessError when the access rules give id no access to source.
func (p *Pipeline) PolicyFor(id identity.Identity, source string) (config.Policy, error) {
	g, err := p.grantFor(id, source, p.opts.Sources.Config(source).Policy)
	return g.policy, err
}

// SourcesFor returns those of all that id may query under the access
// rules: all of them when there are no rules.
func (p *Pipeline) SourcesFor(id identity.Identity, all []string) []string {
	if len(p.opts.Access) == 0 {
		return all
	}
	var out []string
	for _, name := range all {
		if len(p.rulesFor(id, name)) > 0 {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func (p *Pipeline) rulesFor(id identity.Identity, source string) []config.AccessRule {
	var out []config.AccessRule
	for _, r := range p.opts.Access {
		if r.Matches(id.Groups) && r.Grants(source) {
			out = append(out, r)
		}
	}
	return out
}

// grantFor applies the access rules to id on source. With no rules the
// source's policy holds unchanged. A caller sees the union of their
// groups' grants: a column is hidden only when every granting rule denies
// it, and a table's rows are filtered only when every granting rule
// filters it (by any of their filters).
func (p *Pipeline) grantFor(id identity.Identity, source string, base config.Policy) (grant, error) {
	g := grant{policy: base}
	if len(p.opts.Access) == 0 {
		return g, nil
	}
	rules := p.rulesFor(id, source)
	if len(rules) == 0 {
		all := make([]string, 0)
		for _, r := range p.opts.Access {
			if r.Matches(id.Groups) {
				all = append(all, r.Sources...)
			}
		}
		slices.Sort(all)
		return g, &AccessError{User: id.User, Groups: id.Groups, Source: source, Allowed: slices.Compact(all)}
	}
	g.policy.Deny = append(slices.Clone(base.Deny), commonDeny(rules, source)...)
	g.rows = commonRows(rules, source)
	return g, nil
}

// restricts reports whether the grant hides more than the source's policy
// or filters rows.
func (g grant) restricts(base config.Policy) bool {
	return len(g.rows) > 0 || len(g.policy.Deny) > len(base.Deny)
}

// callerView is the schema a restricted caller's prompts are built from:
// without the columns their groups hide, and without sample values, which
// were read from every row of every column.
func callerView(cat *catalog.Catalog, pol config.Policy) *catalog.Catalog {
	out := *sqlguard.Visible(cat, pol)
	out.Tables = slices.Clone(out.Tables)
	for i := range out.Tables {
		cols := slices.Clone(out.Tables[i].Columns)
		for j := range cols {
			cols[j].Samples = nil
		}
		out.Tables[i].Columns = cols
	}
	return &out
}

// CallerSchema is a source's prepared schema as the caller on ctx may
// see it, for the edges that show schemas (MCP's describe_schema and
// schema resource): the cached schema itself when their grant hides no
// more than the source's policy, else their own view (schema.Narrowed of
// callerView: no hidden column, no sample value, no index), whose DDL
// is built from that view. It is an *AccessError when the access rules
// give the caller no access to the source.
func (p *Pipeline) CallerSchema(ctx context.Context, name string) (sch *schema.Schema, ddl string, err error) {
	resolved, err := p.opts.Sources.Resolve(name)
	if err != nil {
		return nil, "", err
	}
	base := p.opts.Sources.Config(resolved).Policy
	g, err := p.grantFor(callerOf(ctx, ""), resolved, base)
	if err != nil {
		return nil, "", err
	}
	sch, err = p.Schema(ctx, resolved)
	if err != nil || !g.restricts(base) {
		return sch, ddlOf(sch), err
	}
	view := sch.Narrowed(callerView(sch.Catalog, g.policy))
	return view, view.Catalog.DDL(catalog.DDLOptions{}), nil
}

func ddlOf(s *schema.Schema) string {
	if s == nil {
		return ""
	}
	return s.DDL
}

// callerDDL is def, the cached schema text, unless the caller is
// restricted: then the tables (all when nil) of their own view.
func (r *run) callerDDL(def string, tables []string) string {
	if !r.grant.restricts(r.cfg.Policy) {
		return def
	}
	return r.cat.DDL(catalog.DDLOptions{Tables: tables})
}

func commonDeny(rules []config.AccessRule, source string) []string {
	count := map[string]int{}
	for _, r := range rules {
		seen := map[string]bool{}
		for _, e := range r.Deny {
			if rest, ok := r.ForSource(e, source); ok && !seen[strings.ToLower(rest)] {
				seen[strings.ToLower(rest)] = true
				count[strings.ToLower(rest)]++
			}
		}
	}
	var out []string
	for e, n := range count {
		if n == len(rules) {
			out = append(out, e)
		}
	}
	sort.Strings(out)
	return out
}

func commonRows(rules []config.AccessRule, source string) []sqlguard.RowFilter {
	byTable := map[string][]string{}
	count := map[string]int{}
	for _, r := range rules {
		seen := map[string]bool{}
		for t, f := range r.Rows {
			rest, ok := r.ForSource(t, source)
			if !ok {
				continue
			}
			key := strings.ToLower(rest)
			byTable[key] = append(byTable[key], f)
			if !seen[key] {
				seen[key] = true
				count[key]++
			}
		}
	}
	var out []sqlguard.RowFilter
	for t, fs := range byTable {
		if count[t] < len(rules) {
			continue // some group sees all of the table's rows
		}
		sort.Strings(fs)
		out = append(out, sqlguard.RowFilter{Table: t, Where: fs})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Table < out[j].Table })
	return out
}
