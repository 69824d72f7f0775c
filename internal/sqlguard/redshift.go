package sqlguard

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/askdb/askdb/internal/catalog"
)

// The Redshift profile checks with PostgreSQL's parser (Redshift's grammar
// is PostgreSQL 8's with additions) and the PostgreSQL rules, plus:
//
//   - Redshift's functions on the allowlist (GETDATE, DATEADD, NVL, LISTAGG,
//     MEDIAN, …);
//   - TOP n, only as "SELECT TOP <integer>" at the very start of the
//     statement, rewritten to the LIMIT the rest of the guard enforces;
//   - APPROXIMATE before COUNT(DISTINCT …) and PERCENTILE_DISC(…), which
//     PostgreSQL cannot parse: the word is blanked for the parser, and put
//     back, at the same offset, in the SQL the guard hands on;
//   - Redshift's system tables (STL_, STV_, SVL_, SVV_, SYS_, SVCS_), which
//     resolve unqualified through pg_catalog, refused like pg_catalog.
//
// Every rewrite goes through libpg_query's own scanner, so a word inside a
// string, a quoted identifier or a comment is never taken for a keyword,
// and a blanked word is the same length in spaces, so every position the
// parser reports still points into the text as written.

// redshiftFuncs are Redshift built-ins that PostgreSQL's list lacks.
const redshiftFuncs = `getdate sysdate dateadd datediff date_add date_diff datepart date_part date_trunc
trunc add_months months_between next_day last_day convert_timezone timeofday timezone
to_char to_date to_number to_timestamp extract date_cmp date_cmp_timestamp date_cmp_timestamptz
timestamp_cmp timestamp_cmp_date timestamptz_cmp interval_cmp
nvl nvl2 decode coalesce nullif greatest least
listagg median percentile_cont percentile_disc ratio_to_report
len charindex strpos textlen left right lpad rpad btrim ltrim rtrim split_part initcap
regexp_count regexp_instr regexp_replace regexp_substr replicate repeat translate reverse
concat quote_ident quote_literal
md5 sha sha1 sha2 func_sha1 fnv_hash crc32 checksum
json_extract_path_text json_extract_array_element_text json_array_length json_parse json_serialize
json_typeof is_valid_json is_valid_json_array can_json_parse
bool_and bool_or bit_and bit_or stddev stddev_samp stddev_pop variance var_samp var_pop
cume_dist dense_rank first_value last_value lag lead nth_value ntile percent_rank rank row_number
array array_concat array_flatten get_array_length split_to_array subarray
is_array is_bigint is_boolean is_char is_decimal is_float is_integer is_object is_scalar
is_smallint is_varchar json_size`

// redshiftAllowed is the Redshift profile's allowlist.
var redshiftAllowed = words(common, postgresFuncs, redshiftFuncs)

// redshiftSystemPrefixes are Redshift's system tables and views; they live
// in pg_catalog and are written unqualified.
var redshiftSystemPrefixes = []string{"stl_", "stv_", "svl_", "svv_", "sys_", "svcs_", "stcs_"}

// isRedshift reports whether opts ask for the Redshift profile: named in
// the options, or in the catalog that the source's introspection read.
func isRedshift(opts Options) bool {
	if opts.Dialect != catalog.Postgres {
		return false
	}
	return opts.Profile == catalog.ProfileRedshift ||
		opts.Catalog != nil && opts.Catalog.Profile == catalog.ProfileRedshift
}

// redshiftSystem reports whether schema.name is one of Redshift's system
// tables or schemas.
func redshiftSystem(schema, name string) bool {
	s, n := strings.ToLower(schema), strings.ToLower(name)
	if s == "pg_internal" || s == "pg_automv" {
		return true
	}
	for _, p := range redshiftSystemPrefixes {
		if strings.HasPrefix(n, p) {
			return true
		}
	}
	return false
}

// checkRedshift is checkPostgres behind the Redshift rewrites.
func checkRedshift(sql string, g *guard) (*result, *refusal) {
	text := trimSQL(sql)
	toks, err := pg.Scan(text)
	if err != nil {
		return checkPostgres(text, g) // the parser reports the lexical error
	}
	words := scanWords(text, toks.Tokens)
	top, r := redshiftTop(text, words)
	if r != nil {
		return nil, r
	}
	blanked, approx := blankApproximate(text, words)
	if top.n < 0 {
		res, r := checkPostgres(blanked, g)
		if r != nil {
			return nil, r
		}
		return restoreApproximate(res, text, blanked, approx)
	}
	blanked = blank(blanked, top.start, top.end)
	inner := *g
	inner.opts.MaxRows = top.n
	if g.opts.MaxRows > 0 && g.opts.MaxRows < top.n {
		inner.opts.MaxRows = g.opts.MaxRows
	}
	res, r := checkPostgres(blanked, &inner)
	if r != nil {
		return nil, r
	}
	// The LIMIT that stands for TOP is the query's own, not a cap the
	// guard added; only a tighter max_rows is.
	res.limited = res.limited && inner.opts.MaxRows < top.n
	return restoreApproximate(res, text, blanked, approx)
}

// word is one token of the scanned text, comments dropped.
type word struct {
	tok        pg.Token
	text       string // as written, lower-cased
	start, end int
}

func scanWords(text string, toks []*pg.ScanToken) []word {
	out := make([]word, 0, len(toks))
	for _, t := range toks {
		if t.Token == pg.Token_SQL_COMMENT || t.Token == pg.Token_C_COMMENT {
			continue
		}
		s, e := int(t.Start), int(t.End)
		if s < 0 || e > len(text) || s > e {
			continue
		}
		out = append(out, word{tok: t.Token, text: strings.ToLower(text[s:e]), start: s, end: e})
	}
	return out
}

// topClause is the span of "TOP n" and its count; n < 0 when there is none.
type topClause struct{ start, end, n int }

// redshiftTop finds "TOP <integer>" right after the statement's first
// SELECT. TOP anywhere else (a subquery, a CTE, after UNION) is refused:
// only the outermost query block's LIMIT is known to mean the same rows,
// and the rest of the guard enforces exactly that LIMIT.
func redshiftTop(text string, ws []word) (topClause, *refusal) {
	none := topClause{n: -1}
	at := -1
	for i := 0; i+2 < len(ws); i++ {
		if ws[i].tok == pg.Token_SELECT && isTop(ws[i+1]) && ws[i+2].tok == pg.Token_ICONST {
			if i != 0 {
				return none, refuse(RuleParse, "TOP", ws[i+1].start,
					"TOP is accepted only right after the first SELECT of the query; use LIMIT in subqueries, CTEs and set operations")
			}
			at = i
		}
	}
	if at < 0 {
		return none, nil
	}
	n, err := strconv.Atoi(text[ws[2].start:ws[2].end])
	if err != nil || n < 1 || n > 1<<31-1 {
		// TOP 0 too: a row cap of 0 means "no cap" to the rest of the
		// guard, so it would lose its LIMIT (found by FuzzRedshift).
		return none, refuse(RuleParse, "TOP", ws[1].start, "TOP takes a positive integer row count; write TOP 100")
	}
	depth := 0
	for _, w := range ws[3:] {
		switch w.tok {
		case pg.Token_ASCII_40:
			depth++
		case pg.Token_ASCII_41:
			depth--
		case pg.Token_UNION, pg.Token_INTERSECT, pg.Token_EXCEPT:
			if depth == 0 {
				return none, refuse(RuleParse, "TOP", ws[1].start,
					"TOP cannot be combined with %s here; put LIMIT after the whole query instead", strings.ToUpper(w.text))
			}
		}
	}
	return topClause{start: ws[1].start, end: ws[2].end, n: n}, nil
}

// isTop is the unquoted word TOP (PostgreSQL has no such keyword, so its
// scanner returns an identifier).
func isTop(w word) bool { return w.tok == pg.Token_IDENT && w.text == "top" }

// span is a range of byte offsets into the text.
type span struct{ start, end int }

// blankApproximate blanks each APPROXIMATE that modifies an aggregate
// Redshift approximates: COUNT(DISTINCT …) and PERCENTILE_DISC(…).
func blankApproximate(text string, ws []word) (string, []span) {
	var spans []span
	for i := 0; i+2 < len(ws); i++ {
		if ws[i].tok != pg.Token_IDENT || ws[i].text != "approximate" || ws[i+2].tok != pg.Token_ASCII_40 {
			continue
		}
		fn := ws[i+1]
		distinct := i+3 < len(ws) && ws[i+3].tok == pg.Token_DISTINCT
		if fn.tok == pg.Token_IDENT && (fn.text == "count" && distinct || fn.text == "percentile_disc") {
			spans = append(spans, span{ws[i].start, ws[i].end})
			text = blank(text, ws[i].start, ws[i].end)
		}
	}
	return text, spans
}

// blank replaces text[start:end] with as many spaces.
func blank(text string, start, end int) string {
	return text[:start] + strings.Repeat(" ", end-start) + text[end:]
}

// restoreApproximate writes each blanked APPROXIMATE back into the
// accepted SQL at its offset. The guard's output keeps the checked text
// (blanked) as its prefix unless the LIMIT had to be applied by deparsing;
// then the offsets mean nothing, and the query is refused rather than run
// without APPROXIMATE or with it somewhere else.
func restoreApproximate(res *result, text, blanked string, spans []span) (*result, *refusal) {
	if len(spans) == 0 {
		return res, nil
	}
	last := spans[len(spans)-1].end
	if len(res.sql) < last || res.sql[:last] != blanked[:last] {
		return nil, refuse(RuleRowLimit, "APPROXIMATE", spans[0].start,
			"the row limit could not be applied around APPROXIMATE; end the query with a plain LIMIT <integer>")
	}
	out := []byte(res.sql)
	for _, s := range spans {
		copy(out[s.start:s.end], text[s.start:s.end])
	}
	res.sql = string(out)
	return res, nil
}
