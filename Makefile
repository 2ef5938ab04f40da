# Makefile: the entry points. Each target first makes sure the Debian
# packages it needs are installed (scripts/install-deps), then drives CMake.
#   make run    build, then serve the platform on the embedded default (SQLite
#               under VAR) with an operator and the demo company, whose asset
#               127.0.0.1 is scanned at start (PORT=8080 or LISTEN=host:port)
#   make test   the whole suite under ASan+UBSan (what CI runs)
#   make bench  benchmarks against peer tools, printing ratios
#   make fuzz   libFuzzer targets with clang, FUZZ_SECONDS each (default 60);
#               FUZZ_TARGETS="fuzz_config fuzz_cpe" runs only those
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
VAR ?= var
FEEDS ?= ../shared/data/vuln

.PHONY: all build run test bench fuzz clean

all: build

build:
	scripts/install-deps build
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build build -j $(JOBS) --target wachter

run: build
	scripts/run-main build/wachter $(VAR) $(FEEDS)

test:
	scripts/install-deps test
	cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DWACHTER_SANITIZE=ON >/dev/null
	cmake --build build-test -j $(JOBS)
	cd build-test && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --output-on-failure -j $(JOBS)

bench: build
	scripts/install-deps bench
	sh bench/run-all build

fuzz:
	scripts/install-deps fuzz
	CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWACHTER_FUZZ=ON >/dev/null
	cmake --build build-fuzz -j $(JOBS)
	sh tests/fuzz/run-all build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf build build-test build-fuzz
