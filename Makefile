# The two commands a newcomer runs: `make demo` and `make test`. Both install what is missing,
# configure once and rebuild only what changed.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2

.PHONY: all deps configure build test demo bench package format tidy clean asan asan-test fuzz
ASAN_DIR ?= build-asan
FUZZ_SECONDS ?= 60

all: build

deps:
	@scripts/install-deps

$(BUILD_DIR)/build.ninja: | deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	QT_QPA_PLATFORM=offscreen ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

demo: build
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ] && [ -z "$$QT_QPA_PLATFORM" ]; then \
		echo "No display found: starting the workbench under xvfb-run (screenshots only)." >&2; \
		xvfb-run -a $(BUILD_DIR)/app/iotc-workbench --demo; \
	else \
		$(BUILD_DIR)/app/iotc-workbench --demo; \
	fi

bench: build
	$(BUILD_DIR)/tests/bench/iotc-bench-validate
	$(BUILD_DIR)/tests/bench/iotc-bench-batch
	$(BUILD_DIR)/tests/bench/iotc-bench-sim
	$(BUILD_DIR)/tests/bench/iotc-bench-list
	$(BUILD_DIR)/tests/bench/iotc-bench-monitor
	$(BUILD_DIR)/tests/bench/iotc-bench-gui
	$(BUILD_DIR)/tests/bench/iotc-bench-overview

# The core, iotc-diag and their unit, integration, CLI, hostile and fuzz-corpus suites under
# AddressSanitizer + UndefinedBehaviorSanitizer (clang, no GUI, no benchmarks). The same build holds
# the libFuzzer targets, so `make fuzz` builds nothing more. -O1 and line tables only: fast to build,
# stacks still name file and line.
$(ASAN_DIR)/build.ninja: | deps
	cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
		-DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" \
		-DIOTC_SANITIZE=ON -DIOTC_FUZZ=ON -DIOTC_GUI=OFF

asan: deps $(ASAN_DIR)/build.ninja
	cmake --build $(ASAN_DIR) -j $(JOBS)

asan-test: asan
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=1 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitizer/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	QT_QPA_PLATFORM=offscreen ctest --test-dir $(ASAN_DIR) --output-on-failure -j $(JOBS)

# Each libFuzzer target for FUZZ_SECONDS from the seed corpus in tests/fuzz/corpus.
fuzz: asan
	scripts/run-fuzz $(ASAN_DIR) $(FUZZ_SECONDS)

package: build
	cmake --build $(BUILD_DIR) --target package

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

# clang-tidy (.clang-tidy: bugprone, performance, modernize) over FILES, or over the sources changed
# since TIDY_BASE (default: the last commit) and not yet committed.
tidy: deps configure
	scripts/run-tidy $(BUILD_DIR) $(FILES)

clean:
	rm -rf $(BUILD_DIR)
