package sqlguard

// trinoFuncs is the Trino allowlist (with common): the aggregate, window
// and scalar functions of Trino's documentation (trino.io/docs/current/
// functions) that analytics use, plus the names the guard gives calls
// written with their own syntax (trinoCallName: strpos for POSITION,
// at_timezone for AT TIME ZONE, current_date and the rest). Session and
// identity functions (current_user, current_catalog, current_schema,
// current_path), table functions and every catalog or schema-qualified
// function stay off the list.
const trinoFuncs = `approx_distinct approx_most_frequent approx_percentile approx_set arbitrary
any_value array_agg avg bitwise_and_agg bitwise_or_agg bitwise_xor_agg bool_and bool_or checksum
corr count count_if covar_pop covar_samp every geometric_mean histogram kurtosis listagg map_agg
map_union max max_by min min_by multimap_agg numeric_histogram regr_intercept regr_slope skewness
stddev stddev_pop stddev_samp sum var_pop var_samp variance reduce_agg merge cardinality
row_number rank dense_rank percent_rank cume_dist ntile lag lead first_value last_value nth_value
abs cbrt ceil ceiling degrees e exp floor ln log log2 log10 mod pi pow power radians rand random
round sign sqrt truncate width_bucket acos asin atan atan2 cos cosh sin sinh tan tanh infinity
is_finite is_infinite is_nan nan from_base to_base beta_cdf inverse_beta_cdf normal_cdf
inverse_normal_cdf wilson_interval_lower wilson_interval_upper cosine_similarity
bit_count bitwise_and bitwise_not bitwise_or bitwise_xor bitwise_left_shift bitwise_right_shift
bitwise_right_shift_arithmetic
chr codepoint concat concat_ws format hamming_distance length levenshtein_distance lower lpad ltrim
luhn_check position replace reverse rpad rtrim soundex split split_part split_to_map
split_to_multimap starts_with strpos substr substring translate trim upper word_stem normalize
to_utf8 from_utf8 regexp_count regexp_extract regexp_extract_all regexp_like regexp_position
regexp_replace regexp_split
current_date current_time current_timestamp current_timezone localtime localtimestamp now date
date_add date_diff date_format date_parse date_trunc day day_of_month day_of_week day_of_year dow
doy extract format_datetime from_iso8601_date from_iso8601_timestamp from_iso8601_timestamp_nanos
from_unixtime from_unixtime_nanos hour human_readable_seconds last_day_of_month millisecond minute
month parse_datetime parse_duration quarter second timezone_hour timezone_minute to_iso8601
to_milliseconds to_unixtime week week_of_year with_timezone year year_of_week yow at_timezone
coalesce if nullif try greatest least cast try_cast format_number typeof parse_data_size
is_json_scalar json_array_contains json_array_get json_array_length json_extract
json_extract_scalar json_format json_parse json_size json_exists json_value json_query json_object
json_array
all_match any_match array_distinct array_except array_intersect array_join array_max array_min
array_position array_remove array_sort array_union arrays_overlap combinations contains
contains_sequence element_at filter flatten ngrams none_match reduce repeat sequence slice
transform trim_array zip zip_with map map_concat map_entries map_filter map_from_entries map_keys
map_values map_zip_with multimap_from_entries transform_keys transform_values
url_extract_host url_extract_path url_extract_parameter url_extract_protocol url_extract_port
url_extract_query url_extract_fragment url_encode url_decode
md5 sha1 sha256 sha512 xxhash64 crc32 to_hex from_hex to_base64 from_base64 to_base64url
from_base64url uuid grouping`
