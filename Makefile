# askdb — run `make demo` to see it work, `make test` to run every test.
GO        ?= go
BIN       := bin/askdb
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/askdb/askdb/internal/cli.Version=$(VERSION)
PKGS      := ./...
# DuckDB (the duckdb source kind) adds ~60 MB to a binary, so it links only
# with this tag: the askdb binary and the duckdb package's own tests use it.
DUCKDB    := -tags duckdb
# Bounded fuzzing in `make test`; `make fuzz` runs longer.
FUZZTIME  ?= 10s

export CGO_ENABLED := 1

# install copies the binary to $(DESTDIR)$(PREFIX)/bin (the MCP docs use /usr/local/bin/askdb).
PREFIX    ?= /usr/local
DESTDIR   ?=

.PHONY: all build ui demo test test-unit testdb browser-deps vet lint fmt bench fuzz clean install uninstall release eval-offline

all: build

build: ui
	$(GO) build $(DUCKDB) -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/askdb

## install: build, then copy askdb to $(DESTDIR)$(PREFIX)/bin (sudo for /usr/local).
install: build
	install -d '$(DESTDIR)$(PREFIX)/bin'
	install -m 0755 $(BIN) '$(DESTDIR)$(PREFIX)/bin/askdb'

uninstall:
	rm -f '$(DESTDIR)$(PREFIX)/bin/askdb'

## release: build linux and darwin, amd64 and arm64, into dist/ with SHA256SUMS.
## cgo is required, so each target needs its C compiler: see scripts/release.sh.
release: ui
	@GO=$(GO) bash scripts/release.sh '$(VERSION)' '$(LDFLAGS)' '$(DUCKDB)'

## ui: check the vendored chart library against web/package-lock.json; npm
## runs only when the checked-in copy is missing or stale (no network otherwise).
ui:
	@bash scripts/ui.sh

## demo: build askdb and run it on the built-in sample database (no setup).
demo: build
	@ASKDB_CONFIG= ./scripts/demo.sh $(BIN)

## test: every test, including integration tests on PostgreSQL and MariaDB.
test: testdb browser-deps ui vet
	$(GO) test -count=1 -timeout 15m $(PKGS)
	$(GO) test -count=1 $(DUCKDB) ./internal/source/duckdb/...
	$(GO) test -count=1 $(DUCKDB) -run DuckDB ./internal/cli/
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME)

## test-unit: tests without starting the databases (integration tests skip).
test-unit:
	$(GO) test -count=1 $(PKGS)
	$(GO) test -count=1 $(DUCKDB) ./internal/source/duckdb/...

## browser-deps: install Debian's chromium for the web UI's browser tests.
## As a prerequisite of `make test` it only checks: on a laptop it asks on a
## terminal (otherwise the browser tests skip, saying how to install it);
## with CI=true it installs, and a failure is fatal.
browser-deps:
	@bash scripts/browser-deps.sh $(if $(filter browser-deps,$(MAKECMDGOALS)),install,check)

## testdb: start PostgreSQL and MariaDB if they are down, create test roles.
testdb:
	@bash scripts/testdb.sh

vet:
	$(GO) vet $(PKGS)
	$(GO) vet $(DUCKDB) ./internal/source/duckdb/... ./internal/cli/...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

lint: vet

fmt:
	gofmt -w $$(git ls-files '*.go')

## bench: run the benchmarks; compare runs with benchstat (see README).
bench: testdb
	$(GO) test -run '^$$' -bench . -benchmem -count 6 $(PKGS) | tee bench.txt

## eval-offline: the offline engine on spider-train (its tuning set) and
## spider-dev (validation), with the reliability tables its thresholds come from.
SHARED ?= ../shared
eval-offline: build
	$(BIN) eval exec --dataset spider --data $(SHARED)/datasets/spider-train --engine offline --calibrate
	$(BIN) eval exec --dataset spider --data $(SHARED)/datasets/spider-dev --engine offline --calibrate

## fuzz: fuzz the SQL guard for FUZZTIME per dialect (default 10s; try FUZZTIME=5m).
fuzz:
	@for t in $$($(GO) test -list '^Fuzz' ./internal/sqlguard/ | grep '^Fuzz'); do \
		echo "fuzz $$t for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) ./internal/sqlguard/ || exit 1; \
	done

clean:
	rm -rf bin dist bench.txt
