# dormant: PostgreSQL extension, built with PGXS.
#
#   make demo     throwaway cluster with a generated shop, and the first report
#   make test     the whole suite against a throwaway cluster
#   make bench    timings against PostgreSQL's own aggregates
#   make fuzz     sqlsmith's random queries, FUZZ_QUERIES of them (20000)
#                 from FUZZ_SEED (1); fails if a backend crashes
#   make valgrind the pg_regress suite against a server under valgrind; fails
#                 on any valgrind error in the extension's code (25 minutes)
#   make install  build and install into the server that pg_config names
#
# demo, test, bench, fuzz and valgrind first install what they need from
# Debian's packages.  valgrind starts its own server: pg_virtualenv's
# clusters cannot run postgres under valgrind.

EXTENSION  = dormant
EXTVERSION = 0.1.0
PG_MAJOR  ?= 15
PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/$(PG_MAJOR)/bin/pg_config) pg_config)

MODULE_big = dormant
# One object per C file in src/.
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))

# The install script is assembled from one file per concept.
SQL_PARTS  = $(sort $(wildcard sql/parts/*.sql))
DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql
DATA       = $(filter-out $(DATA_built),$(wildcard sql/$(EXTENSION)--*.sql))

REGRESS      = $(patsubst test/sql/%.sql,%,$(sort $(wildcard test/sql/*.sql)))
REGRESS_OPTS = --inputdir=test --load-extension=$(EXTENSION)
ISOLATION      = $(patsubst test/specs/%.spec,%,$(sort $(wildcard test/specs/*.spec)))
ISOLATION_OPTS = --inputdir=test --load-extension=$(EXTENSION)

WERROR    ?=
# No fused multiply-add: the C code computes some values as the SQL
# operators do, one rounding per operation, and must get the same bits.
PG_CFLAGS += -Wall -Wextra -ffp-contract=off $(WERROR)
# The server headers are not ours to keep free of -Wextra warnings.
PG_CPPFLAGS = -isystem $(shell $(PG_CONFIG) --includedir-server 2>/dev/null)

EXTRA_CLEAN = regression.diffs regression.out results output_iso

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
# No server build files yet: install them, then do what was asked.
all install installcheck:
	@$(MAKE) --no-print-directory deps
	@$(MAKE) --no-print-directory $@
endif

$(DATA_built): $(SQL_PARTS)
	cat $^ > $@

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VIRTUALENV = pg_virtualenv -t -v $(PG_MAJOR)

FUZZ_QUERIES ?= 20000
FUZZ_SEED    ?= 1

.PHONY: deps build-install test demo bench fuzz valgrind

deps:
	@PG_MAJOR=$(PG_MAJOR) tools/deps.sh

build-install: deps
	@$(MAKE) --no-print-directory all
	@$(SUDO) $(MAKE) --no-print-directory install

test: deps
	@$(MAKE) --no-print-directory build-install WERROR=-Werror
	$(VIRTUALENV) tools/test.sh

demo: build-install
	$(VIRTUALENV) tools/demo.sh

bench: build-install
	$(VIRTUALENV) tools/bench.sh

fuzz: build-install
	FUZZ_QUERIES=$(FUZZ_QUERIES) FUZZ_SEED=$(FUZZ_SEED) $(VIRTUALENV) test/t/fuzz.sh

valgrind: build-install
	@PG_MAJOR=$(PG_MAJOR) tools/deps.sh valgrind
	PG_CONFIG=$(PG_CONFIG) tools/valgrind.sh
