# Sluice: `make demo` and `make test` are all a fresh Debian 12 machine needs.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps configure build install demo test unit-test sql-test cli-test bench format lint sanitize clean

all: build

deps:
	@bash scripts/install-deps.sh

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_FLAGS)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

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

sanitize: deps
	$(MAKE) test BUILD_DIR=build-sanitize BUILD_TYPE=RelWithDebInfo CMAKE_FLAGS=-DSLUICE_SANITIZE=ON

clean:
	rm -rf $(BUILD_DIR) build-sanitize
