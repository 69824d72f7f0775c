#!/usr/bin/env bash
# testdb.sh starts the local PostgreSQL and MariaDB servers used by the
# TestIntegration* tests (when they are down), waits until they accept
# connections, and creates the askdb_test databases and the read-only
# askdb_ro login in both, and the dblink extension (EXECUTE revoked from
# PUBLIC) in PostgreSQL's. It is idempotent: run it as often as you like.
#
# With CI=true a server that stays unreachable is an error (exit 1);
# otherwise it is a warning, and the integration tests skip.
set -u

PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
MY_HOST=${MY_HOST:-127.0.0.1}
MY_PORT=${MY_PORT:-3306}
WAIT_SECONDS=${TESTDB_WAIT_SECONDS:-30}
RO_USER=askdb_ro
RO_PASSWORD=askdb_ro
TEST_DB=askdb_test

status=0

log() { printf 'testdb: %s\n' "$*" >&2; }

unreachable() {
	if [ "${CI:-}" = "true" ]; then
		log "ERROR: $1 is unreachable after ${WAIT_SECONDS}s; the integration tests need it (CI=true)"
		status=1
	else
		log "warning: $1 is unreachable after ${WAIT_SECONDS}s; integration tests will skip"
	fi
}

# wait_for runs "$@" once a second until it succeeds or WAIT_SECONDS pass.
wait_for() {
	local i
	for ((i = 0; i < WAIT_SECONDS; i++)); do
		if "$@" >/dev/null 2>&1; then
			return 0
		fi
		sleep 1
	done
	"$@" >/dev/null 2>&1
}

pg() { psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres "$@"; }
my() {
	if mysql -h "$MY_HOST" -P "$MY_PORT" -u root -e 'SELECT 1' >/dev/null 2>&1; then
		mysql -h "$MY_HOST" -P "$MY_PORT" -u root "$@"
	else
		mysql -u root "$@" # the local socket
	fi
}
pg_up() { pg -d postgres -tAc 'SELECT 1'; }
my_up() { my -e 'SELECT 1'; }

setup_postgres() {
	if ! command -v psql >/dev/null; then
		unreachable "PostgreSQL (psql not installed)"
		return
	fi
	if ! pg_up >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
		log "starting PostgreSQL"
		pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start >/dev/null 2>&1 || true
	fi
	if ! wait_for pg_up; then
		unreachable "PostgreSQL at $PG_HOST:$PG_PORT"
		return
	fi
	if [ "$(pg -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$TEST_DB'")" != 1 ]; then
		pg -d postgres -c "CREATE DATABASE $TEST_DB" || status=1
	fi
	pg -d postgres <<SQL || status=1
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$RO_USER') THEN
    CREATE ROLE $RO_USER LOGIN PASSWORD '$RO_PASSWORD';
  END IF;
END
\$\$;
ALTER ROLE $RO_USER SET default_transaction_read_only = on;
GRANT CONNECT ON DATABASE $TEST_DB TO $RO_USER;
SQL
	pg -d "$TEST_DB" <<SQL || status=1
GRANT USAGE ON SCHEMA public TO $RO_USER;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO $RO_USER;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO $RO_USER;
SQL
	setup_dblink
	log "PostgreSQL ready at $PG_HOST:$PG_PORT (database $TEST_DB, read-only role $RO_USER)"
}

# setup_dblink installs the dblink extension in $TEST_DB (the integration
# tests show that a READ ONLY transaction does not stop a write through it)
# and takes EXECUTE on its functions away from PUBLIC, as the README asks of
# any database where dblink is installed. The contrib files come with the
# server package on Debian; elsewhere, under CI, they are installed.
setup_dblink() {
	if [ "$(pg -d postgres -tAc "SELECT 1 FROM pg_available_extensions WHERE name = 'dblink'")" != 1 ]; then
		if [ "${CI:-}" = "true" ] && command -v apt-get >/dev/null; then
			log "installing the PostgreSQL contrib extensions (dblink)"
			local major sudo=""
			major=$(pg -d postgres -tAc "SELECT current_setting('server_version_num')::int / 10000")
			if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null; then
				sudo=sudo
			fi
			{ $sudo apt-get update -qq && { $sudo apt-get install -y -qq "postgresql-contrib-$major" ||
				$sudo apt-get install -y -qq postgresql-contrib; }; } >/dev/null 2>&1 || true
		fi
		if [ "$(pg -d postgres -tAc "SELECT 1 FROM pg_available_extensions WHERE name = 'dblink'")" != 1 ]; then
			if [ "${CI:-}" = "true" ]; then
				log "ERROR: the dblink extension is not available; install postgresql-contrib"
				status=1
			else
				log "warning: the dblink extension is not available (install postgresql-contrib); the dblink tests will fail"
			fi
			return
		fi
	fi
	pg -d "$TEST_DB" -f "$(dirname "$0")/../internal/dbtest/dblink.sql" || status=1
}

setup_mariadb() {
	if ! command -v mysql >/dev/null; then
		unreachable "MariaDB (mysql client not installed)"
		return
	fi
	if ! my_up >/dev/null 2>&1 && [ -x /usr/sbin/mariadbd ]; then
		log "starting MariaDB"
		mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
		start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd >/dev/null 2>&1 || true
	fi
	if ! wait_for my_up; then
		unreachable "MariaDB at $MY_HOST:$MY_PORT"
		return
	fi
	my <<SQL || status=1
CREATE DATABASE IF NOT EXISTS $TEST_DB;
CREATE USER IF NOT EXISTS '$RO_USER'@'%' IDENTIFIED BY '$RO_PASSWORD';
CREATE USER IF NOT EXISTS '$RO_USER'@'localhost' IDENTIFIED BY '$RO_PASSWORD';
GRANT SELECT, SHOW VIEW ON $TEST_DB.* TO '$RO_USER'@'%';
GRANT SELECT, SHOW VIEW ON $TEST_DB.* TO '$RO_USER'@'localhost';
SQL
	log "MariaDB ready (TCP $MY_HOST:$MY_PORT or the local socket; database $TEST_DB, read-only user $RO_USER)"
}

setup_postgres
setup_mariadb
exit $status
