# Sluice: `make demo` and `make test` are all a fresh Debian 12 machine needs.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build install python demo test unit-test sql-test cli-test bench format lint sanitize sanitize-configure sanitize-units sanitize-all clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The Python module is part of `make build` (build/python/sluice); this builds it and runs
# only its pytest files.
python: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -R '^python/'

# The Python module into Debian's python3 site directory for local installs
# (/usr/local/lib/python3.X/dist-packages).
install: build
	cmake --install $(BUILD_DIR)

demo: build
	bash demo/run.sh demo-data

# Every test: C++ units (ctest), SQL logic tests, CLI end to end.
test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600

bench: build
	bash bench/run.sh
	bash bench/tpch/run.sh 1
	bash bench/storage/run.sh
	bash bench/dbt/run.sh
	bash bench/shuffle/cases.sh
	bash bench/shuffle/run.sh 50000000

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h')

# Module layering first (no build needed), then clang-tidy.
lint: configure
	python3 scripts/check-layering.py
	clang-tidy -p $(BUILD_DIR) $$(git ls-files 'src/*.cpp') --quiet

# AddressSanitizer + UndefinedBehaviorSanitizer (a signed overflow aborts): builds the CLI and
# the expression unit tests, then runs those and the SQL logic tests of SANITIZE_SQL (the
# types, arithmetic and date/time functions; a few minutes). `make sanitize-all` runs every test.
SANITIZE_DIR ?= build-sanitize
SANITIZE_SQL ?= ^sql/(types|function)/
sanitize-configure: deps
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSLUICE_SANITIZE=ON

sanitize: sanitize-configure
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target sluice expr_test
	$(SANITIZE_DIR)/tests/expr/expr_test --gtest_brief=1
	cd $(SANITIZE_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 600 -R '$(SANITIZE_SQL)'

# The part that CI runs (.ci/run): the expression and SQL-parser unit tests under the
# sanitizers, which build only the lower modules (common, types, vector, expr, sql).
sanitize-units: sanitize-configure
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target expr_test sql_parser_test
	$(SANITIZE_DIR)/tests/expr/expr_test --gtest_brief=1
	@# AddressSanitizer's stack frames are several times larger: the deep-nesting parser test
	@# gets a bigger stack (skipped, and said so, where the limit cannot be raised).
	if ulimit -s 524288 2>/dev/null; then filter='*'; else filter='-*DeepNesting*'; \
	  echo "stack limit not raised: DeepNesting tests skipped"; fi; \
	$(SANITIZE_DIR)/tests/sql_parser/sql_parser_test --gtest_brief=1 --gtest_filter="$$filter"

sanitize-all: sanitize-configure
	$(MAKE) test BUILD_DIR=$(SANITIZE_DIR) BUILD_TYPE=RelWithDebInfo CMAKE_FLAGS=-DSLUICE_SANITIZE=ON

clean:
	rm -rf $(BUILD_DIR) build-sanitize
