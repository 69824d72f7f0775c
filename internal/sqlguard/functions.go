package sqlguard

import (
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/askdb/askdb/internal/catalog"
)

// The allowlists below are the only functions a query may call. Anything
// else, including file, network, lock, sleep, session and sequence functions
// and every user-defined function, is refused because it is not listed.
// They are deliberately broad for analytics: aggregates, window functions,
// string, date/time, math, conditional and JSON functions.

// common holds names that every dialect spells the same way.
const common = `abs avg ceil ceiling coalesce count floor greatest least lower max min nullif
round sum upper length replace trim ltrim rtrim substr substring sign sqrt power exp ln log mod
row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
concat cast`

const sqliteFuncs = `avg char coalesce concat concat_ws count date datetime format glob
group_concat hex ifnull iif instr julianday like likelihood likely lower ltrim max min nullif
octet_length printf quote replace round rtrim sign soundex strftime string_agg substr substring sum
time timediff total trim typeof unhex unicode unixepoch unlikely upper acos acosh asin asinh atan atan2
atanh ceil ceiling cos cosh degrees exp floor ln log log10 log2 mod pi pow power radians sin sinh sqrt
tan tanh trunc median json json_array json_array_length json_extract json_group_array json_group_object
json_object json_quote json_type json_valid json_each json_tree jsonb json_patch json_remove json_set
json_insert json_replace random percentile percentile_cont percentile_disc`

const postgresFuncs = `array_agg avg bit_and bit_or bool_and bool_or corr count covar_pop covar_samp every
json_agg jsonb_agg json_object_agg jsonb_object_agg max min mode percentile_cont percentile_disc
regr_slope regr_intercept regr_r2 regr_count stddev stddev_pop stddev_samp string_agg sum variance
var_pop var_samp xmlagg grouping
ascii bit_length btrim char_length character_length chr concat concat_ws format initcap left length
lower lpad ltrim md5 octet_length overlay position quote_ident quote_literal quote_nullable regexp_count
regexp_instr regexp_like regexp_match regexp_matches regexp_replace regexp_split_to_array
regexp_split_to_table regexp_substr repeat replace reverse right rpad rtrim split_part starts_with
strpos substr substring to_hex translate trim upper unistr normalize is_normalized like_escape
similar_escape similar_to_escape encode decode to_ascii
abs cbrt ceil ceiling degrees div exp factorial floor gcd lcm ln log log10 min_scale mod pi power
radians round scale sign sqrt trim_scale trunc width_bucket acos acosd asin asind atan atan2 atan2d
atand cos cosd cot cotd sin sind tan tand sinh cosh tanh asinh acosh atanh random
age clock_timestamp current_date date_bin date_part date_trunc extract isfinite justify_days
justify_hours justify_interval make_date make_interval make_time make_timestamp make_timestamptz now
statement_timestamp timeofday transaction_timestamp to_char to_date to_number to_timestamp timezone
overlaps
coalesce nullif greatest least num_nulls num_nonnulls
array_length array_lower array_upper array_position array_positions array_to_string array_cat
array_append array_prepend array_remove array_replace cardinality unnest string_to_array array_dims
array_ndims generate_series generate_subscripts
json_build_array json_build_object json_extract_path json_extract_path_text json_array_length
json_each json_each_text json_object_keys json_typeof to_json to_jsonb jsonb_build_array
jsonb_build_object jsonb_extract_path jsonb_extract_path_text jsonb_array_length jsonb_each
jsonb_each_text jsonb_object_keys jsonb_typeof jsonb_array_elements jsonb_array_elements_text
json_array_elements json_array_elements_text jsonb_path_query jsonb_path_exists jsonb_pretty
jsonb_strip_nulls row_to_json jsonb_path_query_first jsonb_path_query_array jsonb_path_match
jsonb_set jsonb_insert json_strip_nulls jsonb_object json_object pg_typeof
sha224 sha256 sha384 sha512 gen_random_uuid string_to_table trim_array array_fill any_value
row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
lower_inc upper_inc isempty range_merge int4range int8range numrange daterange tsrange tstzrange
to_tsvector to_tsquery plainto_tsquery websearch_to_tsquery phraseto_tsquery ts_rank ts_headline
host text abbrev family masklen netmask network broadcast
date time timestamp timestamptz numeric int2 int4 int8 float4 float8 varchar bool interval`

const duckdbFuncs = `any_value arbitrary arg_max arg_min argmax argmin bit_xor count_if countif
favg fsum geomean histogram kurtosis list mad median product skewness entropy approx_count_distinct
approx_quantile quantile quantile_cont quantile_disc reservoir_quantile
contains ends_with prefix suffix suffix instr lcase ucase len strlen string_split str_split
regexp_extract regexp_extract_all regexp_full_match levenshtein jaccard damerau_levenshtein
jaro_winkler_similarity hamming editdist3 mismatches array_to_string list_aggregate list_sort
list_reverse_sort list_distinct list_unique list_value list_extract list_element list_contains
list_has list_concat list_slice list_transform list_filter list_reduce list_sum list_avg
list_min list_max array_contains array_has array_slice array_sort array_distinct array_value
struct_pack struct_extract row map map_keys map_values map_extract element_at flatten range
date_diff datediff date_sub datesub date_add dayname monthname day dayofmonth dayofweek dayofyear
hour minute second millisecond microsecond month quarter week weekday weekofyear year yearweek
isodow isoyear era epoch epoch_ms epoch_us epoch_ns make_timestamp_ms strftime strptime
try_strptime last_day today current_localtimestamp time_bucket to_days to_hours to_minutes
to_seconds to_months to_years to_weeks from_epoch_ms
if ifnull nvl coalesce try_cast typeof hash even log2 bit_count xor round_even roundbankers
isnan isinf signbit nextafter gamma lgamma
json json_extract json_extract_string json_extract_path json_type json_valid json_array_length
json_keys json_object json_array json_structure json_contains
to_base64 from_base64 sha1 sha256 concat_ws format printf uuid gen_random_uuid`

const mysqlFuncs = `avg bit_and bit_or bit_xor count group_concat json_arrayagg json_objectagg max min
std stddev stddev_pop stddev_samp sum var_pop var_samp variance
ascii bin bit_length char char_length character_length concat concat_ws elt export_set field
find_in_set format hex insert instr lcase left length locate lower lpad ltrim make_set mid oct
octet_length ord position quote regexp_instr regexp_like regexp_replace regexp_substr repeat
replace reverse right rpad rtrim soundex space strcmp substr substring substring_index to_base64
from_base64 trim ucase unhex upper weight_string
abs acos asin atan atan2 ceil ceiling conv cos cot crc32 degrees div exp floor ln log log10 log2 mod
pi pow power radians rand round sign sin sqrt tan truncate
adddate addtime convert_tz curdate current_date current_time current_timestamp curtime date
date_add date_format date_sub datediff day dayname dayofmonth dayofweek dayofyear extract from_days
from_unixtime get_format hour last_day localtime localtimestamp makedate maketime microsecond minute
month monthname now period_add period_diff quarter sec_to_time second str_to_date subdate subtime
sysdate time time_format time_to_sec timediff timestamp timestampadd timestampdiff to_days
to_seconds unix_timestamp utc_date utc_time utc_timestamp week weekday weekofyear year yearweek
if ifnull nullif coalesce greatest least interval isnull cast convert
json_array json_contains json_contains_path json_depth json_extract json_keys json_length
json_object json_overlaps json_quote json_search json_type json_unquote json_valid json_value
row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
md5 sha sha1 sha2 inet_aton inet_ntoa is_ipv4 is_ipv6 bin_to_uuid uuid_to_bin uuid any_value
json_pretty json_merge_patch json_merge_preserve json_set json_insert json_replace json_remove
json_array_append json_array_insert json_storage_size json_schema_valid`

// Functions returns the documented default allowlist for a dialect, sorted.
func Functions(d catalog.Dialect) []string {
	set := defaultFunctions(d)
	out := make([]string, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

var defaults = map[catalog.Dialect]map[string]bool{
	catalog.SQLite:   words(common, sqliteFuncs),
	catalog.Postgres: words(common, postgresFuncs),
	catalog.DuckDB:   words(common, postgresFuncs, duckdbFuncs),
	catalog.MySQL:    words(common, mysqlFuncs),
	catalog.Trino:    words(common, trinoFuncs),
}

func defaultFunctions(d catalog.Dialect) map[string]bool { return defaults[d] }

func words(lists ...string) map[string]bool {
	m := map[string]bool{}
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}

// allowedFunctions merges the defaults with per-call extensions.
func allowedFunctions(opts Options) map[string]bool {
	base := defaultFunctions(opts.Dialect)
	if opts.Dialect == catalog.MySQL {
		base = mysqlFunctionsFor(serverVersion(opts))
	}
	if isRedshift(opts) {
		base = redshiftAllowed
	}
	if len(opts.Functions) == 0 && len(opts.Policy.Functions) == 0 {
		return base
	}
	m := make(map[string]bool, len(base)+len(opts.Functions))
	for k := range base {
		m[k] = true
	}
	for _, f := range append(append([]string{}, opts.Functions...), opts.Policy.Functions...) {
		m[strings.ToLower(strings.TrimSpace(f))] = true
	}
	return m
}

// FunctionAllowed reports whether name (any case) is on the default
// allowlist of dialect d. It lets a source re-check a query with the
// engine's own parser against the same list (the DuckDB source does).
func FunctionAllowed(d catalog.Dialect, name string) bool {
	return defaultFunctions(d)[strings.ToLower(name)]
}

// MySQL and MariaDB resolve a call to a name that is not a built-in on the
// running server to a stored function of the current database, so an
// allowlisted name the server does not know calls whatever routine of that
// name someone created. mysqlSince lists every name of mysqlFuncs that is
// not a built-in on all the servers askdb supports (MySQL 5.7.8+, MariaDB
// 10.2.3+), with the first version of each flavour where it is one; ""
// means never. The MariaDB column was checked against a real MariaDB 10.11
// by calling every allowlisted name (an unknown one fails with "FUNCTION
// db.name does not exist"); internal/source/mysql's
// TestIntegrationAllowlistIsBuiltIn repeats that check.
var mysqlSince = map[string]struct{ mysql, mariadb string }{
	"any_value":           {"5.7.5", ""},
	"bin_to_uuid":         {"8.0.0", ""},
	"uuid_to_bin":         {"8.0.0", ""},
	"json_schema_valid":   {"8.0.17", ""},
	"json_storage_size":   {"5.7.22", ""},
	"regexp_like":         {"8.0.4", ""},
	"regexp_instr":        {"8.0.4", "10.0.5"},
	"regexp_replace":      {"8.0.4", "10.0.5"},
	"regexp_substr":       {"8.0.4", "10.0.5"},
	"json_overlaps":       {"8.0.17", "10.9.0"},
	"json_value":          {"8.0.21", "10.2.3"},
	"json_pretty":         {"5.7.22", "10.11.0"},
	"json_arrayagg":       {"5.7.22", "10.5.0"},
	"json_objectagg":      {"5.7.22", "10.5.0"},
	"json_merge_patch":    {"5.7.22", "10.2.25"},
	"json_merge_preserve": {"5.7.22", "10.2.25"},
}

// serverVersion is the engine's version string, from the catalog the
// caller passed (introspection reads SELECT VERSION()), or "" when unknown.
func serverVersion(opts Options) string {
	if opts.Catalog == nil {
		return ""
	}
	return opts.Catalog.Version
}

var mysqlByServer sync.Map // version string → map[string]bool

// mysqlFunctionsFor is the MySQL allowlist for the server whose version
// string is version: every name that is a built-in there. With an unknown
// or unreadable version it fails closed, keeping only the names that are
// built-ins on every supported MySQL and MariaDB.
func mysqlFunctionsFor(version string) map[string]bool {
	if m, ok := mysqlByServer.Load(version); ok {
		return m.(map[string]bool)
	}
	maria, v, known := parseMySQLVersion(version)
	m := map[string]bool{}
	for f := range defaults[catalog.MySQL] {
		since, gated := mysqlSince[f]
		first := since.mysql
		if maria {
			first = since.mariadb
		}
		if !gated || known && first != "" && !versionBefore(v, first) {
			m[f] = true
		}
	}
	mysqlByServer.Store(version, m)
	return m
}

// parseMySQLVersion reads "8.0.36", "8.0.mysql_aurora.3.05.2" or
// "10.11.6-MariaDB-0+deb12u1" into its flavour and numeric parts; a part
// that is not a number ends the list (and compares as 0).
func parseMySQLVersion(s string) (mariaDB bool, v []int, ok bool) {
	mariaDB = strings.Contains(strings.ToLower(s), "mariadb")
	num, _, _ := strings.Cut(s, "-")
	for _, p := range strings.Split(num, ".") {
		n, err := strconv.Atoi(p)
		if err != nil {
			break
		}
		v = append(v, n)
	}
	return mariaDB, v, len(v) >= 2
}

// versionBefore reports whether v is older than the dotted version first.
func versionBefore(v []int, first string) bool {
	_, m, _ := parseMySQLVersion(first)
	for i, want := range m {
		got := 0
		if i < len(v) {
			got = v[i]
		}
		if got != want {
			return got < want
		}
	}
	return false
}
