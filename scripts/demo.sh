#!/usr/bin/env bash
# The demo: askdb on its built-in sample database, with nothing configured.
set -euo pipefail
bin=${1:-bin/askdb}
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }

say askdb sources
"$bin" sources
say askdb schema
"$bin" schema 2>/dev/null
say askdb sql "SELECT count(*) AS employees FROM employees"
"$bin" sql "SELECT count(*) AS employees FROM employees" 2>/dev/null
say askdb sql "revenue by quarter of the last year"
"$bin" sql "SELECT strftime('%Y', order_date) || '-Q' || ((CAST(strftime('%m', order_date) AS INTEGER) + 2) / 3) AS quarter,
       count(*) AS orders, round(sum(total), 2) AS revenue
FROM orders WHERE status <> 'cancelled'
GROUP BY quarter ORDER BY quarter DESC LIMIT 4" 2>/dev/null
say askdb sql "UPDATE employees SET salary = 0   # refused"
if "$bin" sql "UPDATE employees SET salary = 0" 2>&1; then
  echo "demo: the write was NOT refused" >&2; exit 1
fi
printf '\nNext: add your own database in askdb.yaml (see README: Configuration).\n'
