# askdb — run `make demo` to see it work, `make test` to run every test.
GO        ?= go
BIN       := bin/askdb
VERSION   ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/askdb/askdb/internal/cli.Version=$(VERSION)
PKGS      := ./...
# Bounded fuzzing in `make test`; `make fuzz` runs longer.
FUZZTIME  ?= 10s

export CGO_ENABLED := 1

.PHONY: all build demo test test-unit testdb vet lint fmt bench fuzz clean

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/askdb

## demo: build askdb and run it on the built-in sample database (no setup).
demo: build
	@ASKDB_CONFIG= ./scripts/demo.sh $(BIN)

## test: every test, including integration tests on PostgreSQL and MariaDB.
test: testdb vet
	$(GO) test -count=1 -timeout 15m $(PKGS)
	$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZTIME)

## test-unit: tests without starting the databases (integration tests skip).
test-unit:
	$(GO) test -count=1 $(PKGS)

## testdb: start PostgreSQL and MariaDB if they are down, create test roles.
testdb:
	@bash scripts/testdb.sh

vet:
	$(GO) vet $(PKGS)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

lint: vet

fmt:
	gofmt -w $$(git ls-files '*.go')

## bench: run the benchmarks; compare runs with benchstat (see README).
bench: testdb
	$(GO) test -run '^$$' -bench . -benchmem -count 6 $(PKGS) | tee bench.txt

## fuzz: fuzz the SQL guard for FUZZTIME per dialect (default 10s; try FUZZTIME=5m).
fuzz:
	@for t in $$($(GO) test -list '^Fuzz' ./internal/sqlguard/ | grep '^Fuzz'); do \
		echo "fuzz $$t for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) ./internal/sqlguard/ || exit 1; \
	done

clean:
	rm -rf bin bench.txt
