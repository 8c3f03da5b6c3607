# The two commands that do everything on a fresh machine:
#   make run   set up, build, start `loupe serve` with the embedded defaults
#   make test  set up, build, run every test
# Everything else here is a step of those two.

BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=
DATA_DIR   ?= data

.PHONY: run test setup ui build build-asan unit-test asan-test e2e-test ui-test bench clean

run: setup build
	./$(BUILD)/loupe serve --data-dir $(DATA_DIR) $(ARGS)

test: setup build build-asan unit-test asan-test e2e-test ui-test

setup:
	@bash scripts/setup

# The web UI (web/, Vite), built into web/dist and embedded in the binary;
# rebuilt only when its sources change.
UI_SOURCES := $(shell find web/src web/index.html web/package-lock.json web/vite.config.ts web/tsconfig.json -type f 2>/dev/null)
web/dist/index.html: $(UI_SOURCES)
	@cd web && npm run build --silent
ui: web/dist/index.html

build: ui
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# The unit tests again under AddressSanitizer + UndefinedBehaviorSanitizer.
build-asan: ui
	@cmake -S . -B $(ASAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLOUPE_SANITIZE=ON $(CMAKE_ARGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

unit-test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan-test: build-asan
	@cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

# End-to-end tests: real OTel SDKs (Python, JS) against a real `loupe serve`.
e2e-test: build
	@bash tests/run_e2e.sh $(BUILD)/loupe

# The UI's own tests: Vitest units, then Chromium (playwright-core) driving
# the real binary.
ui-test: build
	@cd web && npx vitest run
	@LOUPE_BIN=$(abspath $(BUILD))/loupe node web/e2e/run.mjs

bench: setup
	@cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOUPE_BUILD_BENCH=ON $(CMAKE_ARGS) >/dev/null
	@cmake --build build-bench -j $(JOBS)
	@bash bench/run.sh build-bench

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-bench web/dist
