# The two commands a newcomer runs: `make demo` and `make test`. Both install what is missing,
# configure once and rebuild only what changed.
BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2

.PHONY: all deps configure build test demo bench package format clean

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
	$(BUILD_DIR)/tests/bench/iotc-bench-sim
	$(BUILD_DIR)/tests/bench/iotc-bench-list
	$(BUILD_DIR)/tests/bench/iotc-bench-monitor
	$(BUILD_DIR)/tests/bench/iotc-bench-gui

package: build
	cmake --build $(BUILD_DIR) --target package

format:
	git ls-files '*.cpp' '*.h' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR)
