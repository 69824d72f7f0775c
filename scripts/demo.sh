#!/usr/bin/env bash
# The demo: askdb on its built-in sample database with nothing configured.
# It asks everyday questions with no model (the offline engine), shows a
# clean abstention and a refused write, then starts the web UI and API.
#
# In CI (or without a terminal) the server is started, checked and
# stopped again, so that the demo ends by itself.
set -euo pipefail
bin=${1:-bin/askdb}
# listening reports whether something already answers on 127.0.0.1:$1.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -z "${ASKDB_DEMO_ADDR:-}" ]; then
	port=8080
	while listening "$port" && [ "$port" -lt 8100 ]; do port=$((port + 1)); done
	ASKDB_DEMO_ADDR=127.0.0.1:$port
fi
addr=$ASKDB_DEMO_ADDR
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
ask() {
	say askdb ask "\"$1\""
	"$bin" ask -q "$1" 2>&1 | grep -v 'no askdb.yaml found' || true
}

say askdb sources
"$bin" sources 2>/dev/null

say askdb sql "\"SELECT count(*) AS employees FROM employees\""
"$bin" sql "SELECT count(*) AS employees FROM employees" 2>/dev/null

printf '\nNo model is configured, so askdb answers from its knowledge files (verified questions, metrics)\n'
printf 'and its offline engine, and says when it is not sure enough rather than guess.\n'
ask "How many employees were hired before 1990?"
ask "What is the headcount?"
ask "Top 3 countries by revenue"
ask "How many products are in the Electronics category?"
ask "Which department has the most employees?"
ask "Which customers are likely to churn next quarter?"

say askdb ask "\"delete the test customers\""
"$bin" ask -q "delete the test customers" 2>&1 | grep -v 'no askdb.yaml found' || true
say askdb sql "\"UPDATE employees SET salary = 0\""
if "$bin" sql "UPDATE employees SET salary = 0" 2>&1 | grep -v 'no askdb.yaml found'; then :; fi

cat <<MSG

To let a model write SQL for any question, configure one (see README: Models), e.g.
  ASKDB_MODEL=bedrock:anthropic.claude-3-5-haiku-20241022-v1:0 $bin ask "..."
  ASKDB_MODEL=openai:qwen2.5-coder:7b OPENAI_BASE_URL=http://localhost:11434/v1 $bin ask "..."
MSG

say askdb serve --addr "$addr"
if [ "${CI:-}" = "true" ] || [ ! -t 0 ]; then
	"$bin" serve --addr "$addr" 2>/tmp/askdb-demo-serve.log &
	pid=$!
	trap 'kill $pid 2>/dev/null || true' EXIT
	for _ in $(seq 1 50); do
		if curl -fsS "http://$addr/healthz" >/dev/null 2>&1; then
			echo "askdb is serving the web UI at http://$addr/ (stopped again: this is a non-interactive run)"
			exit 0
		fi
		sleep 0.2
	done
	echo "demo: the server did not come up; its log:" >&2
	cat /tmp/askdb-demo-serve.log >&2
	exit 1
fi
echo "Open http://$addr/ in your browser. Press Ctrl-C to stop."
exec "$bin" serve --addr "$addr"
