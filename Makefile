# routebench: a thin wrapper over CMake. `make test` proves it, `make bench` measures it.
# Both install the Debian packages they need first (`make deps`), so a fresh clone just works.

BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
RB         := $(BUILD)/routebench

# Debian packages the project builds, tests and benchmarks with (chromium: test_report loads
# REPORT.html in a real browser, headless; libmicrohttpd and liburcu: `serve`; wrk: the load
# generator's cross-check; clang and libFuzzer: `make fuzz`; jansson: JSON; xxhash: route
# images; curl: the server tests' second client; time: the loader tests' peak RSS).
DEPS := build-essential cmake pkg-config libcmocka-dev libjemalloc-dev libbenchmark-dev \
	gnuplot-nox valgrind libjudy-dev libmarisa-dev darts libsqlite3-dev chromium \
	libmicrohttpd-dev liburcu-dev wrk clang libfuzzer-14-dev libjansson-dev libxxhash-dev \
	python3 curl time

.PHONY: all deps build test test-asan test-tsan bench bench-full bench-api bench-api-full \
	bench-python bench-python-full plots report micro massif cachesim clean fuzz fuzz-build \
	test-fuzz

all: build

# Install only what is missing; apt-get update runs once, and only if something is.
deps:
	@missing=$$(for p in $(DEPS); do \
		dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' \
		|| echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "deps: installing $$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null \
		|| { echo "deps: apt-get install failed for: $$missing" >&2; exit 1; }; \
	fi

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release -DRB_WERROR=ON >/dev/null
	cmake --build $(BUILD) -j $(JOBS)

# The whole suite, then again under AddressSanitizer + UndefinedBehaviorSanitizer, then the
# concurrency tests (ctest label tsan) under ThreadSanitizer, then each fuzz target for
# FUZZ_TEST_SECONDS.
test: build
	ctest --test-dir $(BUILD) --output-on-failure
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory test-tsan
	$(MAKE) --no-print-directory test-fuzz

test-asan: deps
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DRB_WERROR=ON -DRB_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --test-dir $(ASAN_BUILD) --output-on-failure

# Only the tests labelled tsan, and only what they link, built under ThreadSanitizer (no
# jemalloc or valgrind there: TSan owns the allocator and the threads).
TSAN_TESTS := test_concurrency test_load test_stream
test-tsan: deps
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DRB_WERROR=ON -DRB_TSAN=ON >/dev/null
	cmake --build $(TSAN_BUILD) -j $(JOBS) --target $(TSAN_TESTS)
	TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
		ctest --test-dir $(TSAN_BUILD) --output-on-failure -L tsan
# Fuzzing with libFuzzer (clang, ASan + UBSan): the targets of fuzz/targets.txt, built in
# FUZZ_BUILD; ctest there replays the seed corpora and fuzz/regressions/ first. `make fuzz`
# runs each target for FUZZ_SECONDS, `make test` for FUZZ_TEST_SECONDS; a crash fails the
# run and leaves its input in FUZZ_BUILD/fuzz-crashes/ (fuzz/run.sh says what to do with it).
FUZZ_SECONDS      ?= 60
FUZZ_TEST_SECONDS ?= 10
fuzz-build: deps
	cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DRB_FUZZ=ON >/dev/null
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_all
	ctest --test-dir $(FUZZ_BUILD) -R '^fuzz_' --output-on-failure

fuzz: fuzz-build
	bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

test-fuzz: fuzz-build
	bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TEST_SECONDS)

# The node-heavy implementations, one malloc per trie node (or per child table): the ones whose
# memory the allocator shapes, so `make bench` measures them under jemalloc as well as glibc.
# node-heavy is a group of --impls: the implementations whose ops carry RT_F_NODE_HEAVY.
NODE_HEAVY ?= node-heavy

# The default ladder: every registered implementation at 10 to 1M routes, 10,000 numbers, one
# carrier, under glibc malloc, and NODE_HEAVY under jemalloc too, then the stream strategy (one
# cell per size: no table, timed end to end); about a minute on 2 cores (the reference run
# took 67 s: results/reference/meta.json), the build aside.
# Writes results/<UTC time>/ (cells.csv, meta.json, charts, alloc_overhead.png, crossover.png
# and pareto.png among them) and points results/latest at it. BENCH_ARGS passes more flags
# (e.g. --impls, --sizes, --strategies index).
bench: build
	$(RB) bench --machine-limits --allocators glibc,jemalloc --allocator-impls $(NODE_HEAVY) \
		$(BENCH_ARGS)
	$(RB) report

# Adds 10M routes, and 5 carriers at every size (scenario 3: 10,000 numbers x 5 carriers; its
# crossover chart is crossover_5carriers.png), and the cold query set (1M distinct numbers,
# each once a pass: the report's hot-or-cold lesson); about 15 minutes on 2 cores before the
# cold cells (the reference run took 14 min 37 s: results/reference/full/meta.json).
bench-full: build
	$(RB) bench --machine-limits --sizes 10,100,1K,10K,100K,1M,10M --carriers 1,5 \
		--allocators glibc,jemalloc --allocator-impls $(NODE_HEAVY) --query-set hot,cold \
		$(BENCH_ARGS)
	$(RB) report

# Scenarios 4 and 5: the pricing service (routebench serve) under load (routebench load) and
# under route updates. Every implementation but the scan at 1M routes x 5 carriers, one server
# and one load generator pinned to a core each, closed loop then open loop at the course's
# spike and 25/50/80/95% of the maximum, the no-lookup baseline, then deltas under half the
# maximum by each update way; under 10 minutes on 2 cores. Writes results/<UTC time>-api/
# (api.csv, update.csv, update_windows.csv, update_rss.csv, meta.json, api_latency.png,
# update_rss.png) and points results/latest-api at it. BENCH_API_ARGS passes more flags.
bench-api: build
	$(RB) bench --scenario api,update $(BENCH_API_ARGS)

# The same at 10M routes x 5 carriers (with room for the larger tables).
bench-api-full: build
	$(RB) bench --scenario api,update --size 10M --mem-limit 16G --start-timeout 1200 \
		$(BENCH_API_ARGS)

# The seed's story in both languages: the seven Python steps (impls/python/, each a solver
# cell: its own child, the same budget and --mem-limit, end to end at q = 1, 10, ...; heap_bytes
# from tracemalloc) beside the C ladder (--impls ladder, index only), 1K to 1M routes. A normal
# run folder; `routebench report` then tells the story step by step. bench-python-full adds 10M
# (the memory limit stops a step that would not fit). PY_SIZES and BENCH_ARGS pass more.
PY_SIZES ?= 1K,10K,100K,1M
PY_SOLVERS = $(foreach f,$(sort $(notdir $(wildcard impls/python/[1-7]_*.py))),\
	--solver "py$(basename $(f))=python3 impls/python/$(f) {numbers} {routes}")
bench-python: build
	RB_TRACEMALLOC=1 $(RB) bench --impls ladder --strategies index --sizes $(PY_SIZES) \
		$(PY_SOLVERS) $(BENCH_ARGS)
	$(RB) report
bench-python-full: build
	$(MAKE) --no-print-directory bench-python PY_SIZES=1K,10K,100K,1M,10M

# Redraw the charts of the latest run from its result files alone: first the figures a rule
# computes (crossover.csv, pareto.csv, from cells.csv; older runs lack them), then gnuplot.
plots: build
	@test -f results/latest/cells.csv || { echo "make plots: run make bench first" >&2; exit 1; }
	$(RB) report --derived-only results/latest
	gnuplot -e "dir='results/latest'" plots/all.gp

# What the latest run teaches: results/latest/REPORT.md and REPORT.html (one page, charts
# inlined), every sentence computed from the run's figures, with the fitted big-O of
# results/latest-micro and the heap profiles of results/latest-massif when they exist.
# REPORT_ARGS passes more flags (e.g. --micro DIR, or another run folder).
report: build
	@test -f results/latest/cells.csv || { echo "make report: run make bench first" >&2; exit 1; }
	$(RB) report $(REPORT_ARGS)

# Google Benchmark micro-benchmarks (routebench-micro): every implementation at MICRO_SIZES
# routes (seven half-decades, so a fit has at least six sizes), lookups (hit, miss, mixed) and
# builds, 5 repetitions (families with a noisy size again, longer), fitted big-O; then the same
# again into run-2/, so the report names a class only when both runs fit it. A build predicted
# over 4 s, or a table over the memory budget, is skipped and said so. About 6 minutes on 2
# cores: each run is about 2.3 minutes of first pass and half a minute of reruns.
# Writes results/<UTC time>-micro/ (micro.json, micro.csv, micro-fit.csv, micro.png, run-2/)
# and, once the runs and the chart succeeded, points results/latest-micro at it. MICRO_ARGS
# passes more flags (e.g. --benchmark_filter=lazytrie).
MICRO_SIZES ?= 1K,3K,10K,30K,100K,300K,1M
micro: build
	@test -x $(BUILD)/routebench-micro || { echo "make micro: routebench-micro was not" \
		"built (Google Benchmark missing: libbenchmark-dev)" >&2; exit 1; }
	@dir=results/$$(date -u +%Y%m%dT%H%M%SZ)-micro && mkdir -p $$dir && \
	$(BUILD)/routebench-micro --sizes $(MICRO_SIZES) --out $$dir $(MICRO_ARGS) && \
	$(BUILD)/routebench-micro --sizes $(MICRO_SIZES) --out $$dir/run-2 $(MICRO_ARGS) && \
	$(RB) report --palette $$dir && \
	gnuplot -e "dir='$$dir'" plots/micro.gp && \
	ln -sfn $$(basename $$dir) results/latest-micro

# Heap profiles under valgrind massif: each implementation's measure cell at MASSIF_SIZE routes,
# heap over time (in MASSIF_TIME_UNIT) and massif's figures against the harness's heap_bytes;
# about a minute.
# Writes results/<UTC time>-massif/ and, once it succeeded, points results/latest-massif at it.
MASSIF_SIZE ?= 100K
# massif's x axis: instructions executed, the same from run to run (ms under valgrind is not).
MASSIF_TIME_UNIT ?= i
massif: build
	@dir=results/$$(date -u +%Y%m%dT%H%M%SZ)-massif && mkdir -p $$dir && \
	$(RB) massif --size $(MASSIF_SIZE) --time-unit $(MASSIF_TIME_UNIT) --out $$dir \
		$(MASSIF_ARGS) && \
	$(RB) report --palette $$dir && \
	gnuplot -e "dir='$$dir'" plots/massif.gp && \
	ln -sfn $$(basename $$dir) results/latest-massif

# Cache misses per lookup under valgrind's cache simulator (callgrind, the machine's own L1 and
# LL sizes): every implementation at CACHESIM_SIZE routes and the bench's 10,000 numbers (the
# scan: its first 100), one warm-up pass and one counted; then (CACHESIM_QUERY_SET=hot,cold)
# the same over bench's cold set, 1M distinct numbers, a row each: 20 minutes for eleven
# implementations at 1M on 2 loaded cores (cachesim --cold-budget caps the slowest).
# Writes results/<UTC time>-cachesim/ (cachesim.csv, callgrind.out.IMPL, IMPL.log,
# cachesim.png/.svg) and points results/latest-cachesim at it once it has completed.
# CACHESIM_ARGS passes more flags (e.g. --impls lazytrie,dirtable, --numbers 100K).
CACHESIM_SIZE ?= 1M
CACHESIM_QUERY_SET ?= hot,cold
cachesim: build
	@dir=results/$$(date -u +%Y%m%dT%H%M%SZ)-cachesim && mkdir -p $$dir && \
	$(RB) cachesim --size $(CACHESIM_SIZE) --query-set $(CACHESIM_QUERY_SET) --out $$dir \
		$(CACHESIM_ARGS) && \
	gnuplot -e "dir='$$dir'" plots/cachesim.gp && \
	ln -sfn $$(basename $$dir) results/latest-cachesim

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD)
