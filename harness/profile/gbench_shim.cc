/*
 * gbench_shim.cc - the C API of gbench_shim.h over Google Benchmark (1.7.1 and later): the only
 * C++ in routebench besides the library-backed implementations.
 *
 * A registered C callback runs inside a lambda; results reach C through a display reporter that
 * forwards every call to GB's default one and hands each run to the hook as a plain struct.
 * No exception crosses into C: allocation failures become NULL or -ENOMEM.
 */
#include "gbench_shim.h"

#include <benchmark/benchmark.h>

#include <cerrno>
#include <cstdio>
#include <new>
#include <string>
#include <vector>

using benchmark::State;
using benchmark::internal::Benchmark;

static State *S(struct gb_state *st)
{
	return reinterpret_cast<State *>(st);
}

static const State *S(const struct gb_state *st)
{
	return reinterpret_cast<const State *>(st);
}

static Benchmark *B(struct gb_bench *b)
{
	return reinterpret_cast<Benchmark *>(b);
}

static struct gb_bench *H(Benchmark *b)
{
	return reinterpret_cast<struct gb_bench *>(b);
}

extern "C" struct gb_bench *gb_register(const char *name, gb_fn fn, void *ctx)
{
	try {
		return H(benchmark::RegisterBenchmark(name, [fn, ctx](State &st) {
			fn(reinterpret_cast<struct gb_state *>(&st), ctx);
		}));
	} catch (...) {
		return nullptr;
	}
}

/* Apply f to b unless b is NULL; a throwing setter leaves b as it was. */
template <class F> static struct gb_bench *with(struct gb_bench *b, F f)
{
	if (!b)
		return nullptr;
	try {
		f(B(b));
	} catch (...) {
	}
	return b;
}

extern "C" struct gb_bench *gb_bench_arg(struct gb_bench *b, int64_t x)
{
	return with(b, [x](Benchmark *p) { p->Arg(x); });
}

extern "C" struct gb_bench *gb_bench_range(struct gb_bench *b, int64_t lo, int64_t hi)
{
	return with(b, [lo, hi](Benchmark *p) { p->Range(lo, hi); });
}

extern "C" struct gb_bench *gb_bench_range_multiplier(struct gb_bench *b, int mult)
{
	return with(b, [mult](Benchmark *p) { p->RangeMultiplier(mult); });
}

extern "C" struct gb_bench *gb_bench_repetitions(struct gb_bench *b, int n)
{
	return with(b, [n](Benchmark *p) { p->Repetitions(n); });
}

extern "C" struct gb_bench *gb_bench_aggregates_only(struct gb_bench *b)
{
	return with(b, [](Benchmark *p) { p->ReportAggregatesOnly(true); });
}

extern "C" struct gb_bench *gb_bench_display_aggregates_only(struct gb_bench *b)
{
	return with(b, [](Benchmark *p) { p->DisplayAggregatesOnly(true); });
}

extern "C" struct gb_bench *gb_bench_complexity(struct gb_bench *b, enum gb_big_o big_o)
{
	return with(b, [big_o](Benchmark *p) {
		p->Complexity(static_cast<benchmark::BigO>(big_o));
	});
}

extern "C" struct gb_bench *gb_bench_min_time(struct gb_bench *b, double seconds)
{
	return with(b, [seconds](Benchmark *p) { p->MinTime(seconds); });
}

extern "C" struct gb_bench *gb_bench_iterations(struct gb_bench *b, int64_t n)
{
	return with(b, [n](Benchmark *p) { p->Iterations(n); });
}

extern "C" struct gb_bench *gb_bench_unit(struct gb_bench *b, enum gb_time_unit unit)
{
	return with(b, [unit](Benchmark *p) { p->Unit(static_cast<benchmark::TimeUnit>(unit)); });
}

extern "C" struct gb_bench *gb_bench_use_real_time(struct gb_bench *b)
{
	return with(b, [](Benchmark *p) { p->UseRealTime(); });
}

extern "C" void gb_add_context(const char *key, const char *value)
{
	try {
		benchmark::AddCustomContext(key, value);
	} catch (...) {
	}
}

/* --- inside the callback ------------------------------------------------------------------ */

extern "C" int gb_keep_running(struct gb_state *st)
{
	return S(st)->KeepRunning();
}

extern "C" int gb_keep_running_batch(struct gb_state *st, int64_t n)
{
	return S(st)->KeepRunningBatch(n > 0 ? n : 1);
}

extern "C" int64_t gb_state_arg(const struct gb_state *st, size_t i)
{
	return S(st)->range(i);
}

extern "C" int64_t gb_state_iterations(const struct gb_state *st)
{
	return S(st)->iterations();
}

extern "C" void gb_pause_timing(struct gb_state *st)
{
	S(st)->PauseTiming();
}

extern "C" void gb_resume_timing(struct gb_state *st)
{
	S(st)->ResumeTiming();
}

extern "C" void gb_set_items_processed(struct gb_state *st, int64_t items)
{
	try {
		S(st)->SetItemsProcessed(items);
	} catch (...) {
	}
}

extern "C" void gb_set_complexity_n(struct gb_state *st, int64_t n)
{
	S(st)->SetComplexityN(n);
}

extern "C" void gb_set_counter(struct gb_state *st, const char *name, double value, unsigned flags)
{
	try {
		S(st)->counters[name] =
			benchmark::Counter(value, static_cast<benchmark::Counter::Flags>(flags));
	} catch (...) {
	}
}

extern "C" void gb_set_label(struct gb_state *st, const char *label)
{
	try {
		S(st)->SetLabel(label);
	} catch (...) {
	}
}

extern "C" void gb_skip_with_error(struct gb_state *st, const char *msg)
{
	S(st)->SkipWithError(msg);
}

/* --- running ------------------------------------------------------------------------------ */

static gb_result_fn hook_fn;
static void *hook_ctx;

extern "C" void gb_set_result_hook(gb_result_fn fn, void *ctx)
{
	hook_fn = fn;
	hook_ctx = ctx;
}

/* GB's own spelling of each BigO, as its reporters print it. */
static const char *big_o_name(benchmark::BigO o)
{
	switch (o) {
	case benchmark::o1: return "(1)";
	case benchmark::oN: return "N";
	case benchmark::oNSquared: return "N^2";
	case benchmark::oNCubed: return "N^3";
	case benchmark::oLogN: return "lgN";
	case benchmark::oNLogN: return "NlgN";
	case benchmark::oLambda: return "f(N)";
	default: return "";
	}
}

static double to_ns(double v, benchmark::TimeUnit u)
{
	switch (u) {
	case benchmark::kSecond: return v * 1e9;
	case benchmark::kMillisecond: return v * 1e6;
	case benchmark::kMicrosecond: return v * 1e3;
	default: return v;
	}
}

/* Hand one run to the C hook. */
static void deliver(const benchmark::BenchmarkReporter::Run &run)
{
	using Run = benchmark::BenchmarkReporter::Run;
	std::vector<const char *> names;
	std::vector<double> values;
	const std::string name = run.run_name.str(), &family = run.run_name.function_name;
	struct gb_result r = {};

	for (const auto &c : run.counters) {
		names.push_back(c.first.c_str());
		values.push_back(c.second.value);
	}
	r.name = name.c_str();
	r.family = family.c_str();
	r.args = run.run_name.args.c_str();
	r.kind = run.report_big_o ? GB_RUN_BIG_O
		 : run.report_rms ? GB_RUN_RMS
		 : run.run_type == Run::RT_Aggregate ? GB_RUN_AGGREGATE
						     : GB_RUN_ITERATION;
	r.aggregate = run.run_type == Run::RT_Aggregate ? run.aggregate_name.c_str() : "";
	r.aggregate_is_ratio = run.run_type == Run::RT_Aggregate &&
			       run.aggregate_unit == benchmark::kPercentage;
	r.iterations = run.iterations;
	r.repetitions = run.repetitions;
	if (r.kind == GB_RUN_RMS) { /* a fraction, stored divided by the unit's multiplier */
		r.real_ns = run.GetAdjustedRealTime();
		r.cpu_ns = run.GetAdjustedCPUTime();
	} else if (r.aggregate_is_ratio) { /* a fraction, stored as is (GB prints it as a %) */
		r.real_ns = run.real_accumulated_time;
		r.cpu_ns = run.cpu_accumulated_time;
	} else {
		r.real_ns = to_ns(run.GetAdjustedRealTime(), run.time_unit);
		r.cpu_ns = to_ns(run.GetAdjustedCPUTime(), run.time_unit);
	}
	r.complexity_n = run.complexity_n;
	r.big_o = r.kind == GB_RUN_BIG_O || r.kind == GB_RUN_RMS ? big_o_name(run.complexity) : "";
	r.label = run.report_label.c_str();
	r.error = run.error_occurred ? run.error_message.c_str() : nullptr;
	r.n_counters = names.size();
	r.counter_names = names.data();
	r.counter_values = values.data();
	hook_fn(&r, hook_ctx);
}

/*
 * GB's default display reporter, with every run also handed to the hook. The inner reporter is
 * GB's process-wide one (CreateDefaultDisplayReporter returns the same object every call), so
 * it is borrowed, not owned: gb_run can run more than once.
 */
class hook_reporter : public benchmark::BenchmarkReporter {
      public:
	explicit hook_reporter(benchmark::BenchmarkReporter *inner) : inner_(inner)
	{
	}
	bool ReportContext(const Context &context) override
	{
		return inner_->ReportContext(context);
	}
	void ReportRuns(const std::vector<Run> &runs) override
	{
		inner_->ReportRuns(runs);
		if (hook_fn)
			for (const auto &run : runs)
				deliver(run);
	}
	void Finalize() override
	{
		inner_->Finalize();
	}

      private:
	benchmark::BenchmarkReporter *inner_;
};

extern "C" int gb_run(int argc, char **argv)
{
	try {
		benchmark::Initialize(&argc, argv);
		if (benchmark::ReportUnrecognizedArguments(argc, argv))
			return -EINVAL;
		hook_reporter display(benchmark::CreateDefaultDisplayReporter());
		return static_cast<int>(benchmark::RunSpecifiedBenchmarks(&display));
	} catch (const std::bad_alloc &) {
		return -ENOMEM;
	} catch (...) {
		return -EIO;
	}
}

extern "C" void gb_print_flags(void)
{
	benchmark::PrintDefaultHelp();
}

extern "C" void gb_clear(void)
{
	benchmark::ClearRegisteredBenchmarks();
}

extern "C" void gb_shutdown(void)
{
	benchmark::Shutdown();
}
