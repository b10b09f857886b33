# supervisor-planner — every target CI runs. `make help` lists them.
# The README's two commands are `make demo` and `make test`.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
VPY := $(VENV)/bin/python
CARGO ?= cargo
CC ?= cc
CXX ?= c++
# Release profile for the C library and the wheel (no LTO: see Cargo.toml).
STATICLIB := target/release/libsupervisor_planner.a
WHEEL_DIR := target/wheels
CTEST_DIR := target/c-tests
# Native libraries the static library needs (`make print-native-libs`; a test checks it).
NATIVE_LIBS := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
PY_TOOLS := maturin>=1.9.4,<2 pytest>=8 mypy>=1.10
# Zig as the wheel's linker (maturin --zig): the wheel then needs only glibc 2.17 (manylinux2014),
# whatever the glibc of the machine that builds it. Installed into .venv again whenever this
# file changes.
PY_BUILD_TOOLS := ziglang==0.13.0
BUILD_TOOLS_STAMP := $(VENV)/.build-tools
# Test-only Python packages, pinned: VMware's official vAPI SDK (the judge of the exported enable
# bodies), pyvmomi (the vCenter import), jsonschema (the shipped JSON Schemas), auditwheel (the
# wheel's manylinux tag) and Dask distributed (examples/fleet_sweep.py). Installed into
# .venv again whenever this file changes.
PY_TEST_DEPS := vmware-vcenter==9.1.1.0 vmware-vapi-runtime==9.1.1.0 pyvmomi==9.1.1.0 jsonschema==4.26.0 \
    auditwheel==6.8.2 dask==2026.8.0 distributed==2026.8.0
TEST_DEPS_STAMP := $(VENV)/.test-deps

.PHONY: help demo test install crate-check fuzz fuzz-smoke fuzz-cmin miri tsan venv fmt fmt-check clippy rust-test doc header header-check c-lib c-test \
        wheel python-install python-test stubtest bench print-native-libs clean vcsim

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

demo: python-install ## Build the wheel into .venv and plan the bundled three-zone example (text + supervisor.svg)
	$(VENV)/bin/supervisor-planner plan examples/three-zone.json --svg supervisor.svg
	@echo "wrote supervisor.svg"

test: fmt-check clippy rust-test doc crate-check header-check c-test python-test fuzz-smoke ## Everything CI checks
	@echo "make test: all checks passed"

$(VPY):
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -m pip install --quiet '$(word 1,$(PY_TOOLS))' '$(word 2,$(PY_TOOLS))' '$(word 3,$(PY_TOOLS))'

venv: $(VPY) ## Create .venv with maturin, pytest and mypy

$(BUILD_TOOLS_STAMP): Makefile | $(VPY)
	$(VPY) -m pip install --quiet '$(PY_BUILD_TOOLS)'
	touch $@

$(TEST_DEPS_STAMP): Makefile | $(VPY)
	$(VPY) -m pip install --quiet $(PY_TEST_DEPS)
	touch $@

fmt: ## Format the Rust code
	$(CARGO) fmt --all

fmt-check: ## Fail when the Rust code is not formatted
	$(CARGO) fmt --all -- --check

clippy: ## Lints, warnings denied
	$(CARGO) clippy --workspace --all-targets -- -D warnings

rust-test: ## Rust unit, integration and doc tests
	$(CARGO) test --workspace

doc: ## API docs, warnings denied
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --no-deps

crate-check: ## cargo package the core crate (what crates.io would get) and build it from the package alone
	mkdir -p target
	$(CARGO) package -p supervisor-planner --allow-dirty 2>target/crate-package.log || { cat target/crate-package.log; exit 1; }
	test -f target/package/supervisor-planner-$$(grep -m1 '^version' Cargo.toml | cut -d'"' -f2).crate
	files=$$($(CARGO) package -p supervisor-planner --allow-dirty --list 2>/dev/null); \
	for f in LICENSE README.md Cargo.toml specs/three-zone.json src/lib.rs; do \
	  grep -qx "$$f" <<<"$$files" || { echo "the crate lacks $$f"; exit 1; }; done; echo "crate: ok"

header: ## Regenerate include/supervisor_planner.h with the pinned cbindgen
	SVP_HEADER_OUT=$(CURDIR)/include/supervisor_planner.h $(CARGO) build --release -p supervisor-planner-c --features header

header-check: ## Fail when the committed header differs from a fresh generation
	mkdir -p target
	SVP_HEADER_OUT=$(CURDIR)/target/supervisor_planner.generated.h $(CARGO) build --release -p supervisor-planner-c --features header
	diff -u include/supervisor_planner.h target/supervisor_planner.generated.h || \
	  { echo "include/supervisor_planner.h is out of date: run 'make header' and commit it"; exit 1; }

c-lib: ## Build the static and shared C library (target/release/libsupervisor_planner.{a,so})
	$(CARGO) build --release -p supervisor-planner-c

PREFIX ?= /usr/local
DESTDIR ?=
install: c-lib ## Install the C library: header, .a, versioned .so, pkg-config and CMake files (PREFIX=/usr/local DESTDIR=)
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" NATIVE_LIBS="$(NATIVE_LIBS)" bindings-c/install/install.sh

c-test: c-lib ## Build and run the C and C++ consumer tests, then install and build consumers out of tree (pkg-config, CMake; gcc and clang)
	CC="$(CC)" CXX="$(CXX)" NATIVE_LIBS="$(NATIVE_LIBS)" STATICLIB="$(STATICLIB)" OUT="$(CTEST_DIR)" tests/c/run.sh
	NATIVE_LIBS="$(NATIVE_LIBS)" OUT="$(CTEST_DIR)/install" tests/c/install_test.sh

print-native-libs: ## Print the link line rustc reports for the static library
	$(CARGO) rustc --release -p supervisor-planner-c --crate-type staticlib -- --print native-static-libs 2>&1 | grep 'native-static-libs' | sed 's/.*native-static-libs: //'

wheel: $(VPY) $(BUILD_TOOLS_STAMP) ## Build the abi3 manylinux2014 wheel into target/wheels (zig links it)
	rm -rf $(WHEEL_DIR)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/maturin build --release --zig --compatibility manylinux2014 \
	    --manifest-path bindings-python/Cargo.toml -o $(WHEEL_DIR) --quiet

python-install: wheel ## Install the freshly built wheel into .venv
	$(VPY) -m pip install --quiet --force-reinstall --no-deps $(WHEEL_DIR)/*.whl

python-test: python-install c-lib $(TEST_DEPS_STAMP) vcsim ## pytest (warnings as errors) and stubtest against the installed wheel
	CC="$(CC)" NATIVE_LIBS="$(NATIVE_LIBS)" STATICLIB="$(STATICLIB)" OUT="$(CTEST_DIR)" tests/c/build_report_tool.sh
	cd tests/python && SVP_C_REPORT_TOOL=$(CURDIR)/$(CTEST_DIR)/report_json $(CURDIR)/$(VPY) -m pytest -W error -q
	$(MAKE) --no-print-directory stubtest

fuzz: ## Run every fuzz target for FUZZ_SECONDS (default 600) each with libFuzzer; prints executions and coverage (fuzz/run.sh lists the knobs)
	fuzz/run.sh

FUZZ_SMOKE_SECONDS ?= 20
fuzz-smoke: ## A short live fuzz run of every target (FUZZ_SMOKE_SECONDS each, default 20) on the default toolchain, no sanitizer; new inputs go to a temporary folder
	FUZZ_TOOLCHAIN= FUZZ_SANITIZER=none FUZZ_SCRATCH=1 FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS) \
	    FUZZ_BUILD_FLAGS="--target-dir $(CURDIR)/fuzz/target/smoke" FUZZ_LOGS=target/smoke/logs fuzz/run.sh

fuzz-cmin: ## Minimise the fuzz corpora (keeps every input that adds coverage; fuzz/regressions/ stays as it is)
	cd fuzz && for t in spec_enable restore sequence ip_pool c_abi; do cargo fuzz cmin -O -a -s none $$t || exit 1; done

MIRI_TESTS ?= tests::status tests::errors tests::boundary tests::arguments tests::ip_pool
miri: ## The C binding's unsafe paths under Miri (nightly): MIRI_TESTS (default: status, errors, boundary, arguments, IP pools; MIRI_TESTS= for all but the thread tests, about an hour)
	rustup component list --toolchain nightly --installed | grep -q '^miri' || rustup component add --toolchain nightly miri rust-src
	MIRIFLAGS="-Zmiri-disable-isolation" $(CARGO) +nightly miri test -p supervisor-planner-c -- --skip thread $(MIRI_TESTS)

tsan: ## The C thread test under ThreadSanitizer, the Rust library built for TSan too (nightly)
	CC="$(CC)" OUT="$(CTEST_DIR)" tests/c/tsan.sh

vcsim: ## Build the vCenter simulator of the import tests (govmomi 0.24.2 from Debian's source) into target/vcsim
	tests/vcsim/build.sh >/dev/null

stubtest: ## Check the committed _native.pyi against the installed module
	cd /tmp && $(CURDIR)/$(VPY) -m mypy.stubtest supervisor_planner._native --ignore-missing-stub

bench: python-install c-lib $(TEST_DEPS_STAMP) vcsim ## Run the Rust, C and Python benchmarks (figures go in the README)
	$(CARGO) bench -p supervisor-planner --bench enable
	$(CARGO) bench -p supervisor-planner --bench namespaces
	$(CARGO) bench -p supervisor-planner --bench placement
	$(CARGO) bench -p supervisor-planner --bench ha
	$(CARGO) bench -p supervisor-planner --bench ip_pool
	$(CARGO) bench -p supervisor-planner --bench sizing
	CC="$(CC)" NATIVE_LIBS="$(NATIVE_LIBS)" STATICLIB="$(STATICLIB)" OUT="$(CTEST_DIR)" tests/c/bench.sh
	$(VPY) tests/python/bench_report.py
	$(VPY) tests/python/bench_namespaces.py
	$(VPY) tests/python/bench_placement.py
	$(VPY) tests/python/bench_ha.py
	$(VPY) -m pip install --quiet 'netaddr>=1,<2'
	$(VPY) tests/python/bench_ip_pool.py
	$(VPY) tests/python/bench_vcenter_import.py
	$(VPY) -m pip install --quiet 'ortools>=9.10,<10'
	$(VPY) tests/python/bench_sizing.py

clean: ## Remove build outputs and .venv
	rm -rf target $(VENV) supervisor.svg
