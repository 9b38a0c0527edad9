/*
 * membench.c - pointer chases, parallel chases and a sequential sum over one mmap'd buffer.
 *
 * The chase: the buffer's first `bytes` cut into 64-byte nodes linked in one random cycle (a
 * shuffled order, node order[i] -> order[i+1]), so every load depends on the last and no
 * prefetcher can guess the next line. Each figure is calibrated to about a target time, then
 * the median of a few runs. Lesson: the curve's steps are the cache sizes, read from timing.
 */
#include "membench.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define FULL_TARGET_S 0.1
#define QUICK_TARGET_S 0.01
#define QUICK_MAX_BYTES ((uint64_t)256 << 20)
#define MAX_COUNT ((uint64_t)1 << 36)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* "32K", "512K", "32768K", "8M" (sysfs cache sizes) in bytes; 0 if unreadable. */
static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s)
		return 0;
	if (*end == 'K')
		v <<= 10;
	else if (*end == 'M')
		v <<= 20;
	else if (*end == 'G')
		v <<= 30;
	return v;
}

/* The first line of /sys/devices/system/cpu/cpu0/cache/indexI/NAME into buf. 0 or -1. */
static int sysfs_line(int i, const char *name, char *buf, size_t cap)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/%s", i, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(buf, (int)cap, f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static void sysconf_cache(struct membench_cache *c, int size, int assoc, int line)
{
	long b = sysconf(size), w = sysconf(assoc), l = sysconf(line);

	c->bytes = b > 0 ? (uint64_t)b : 0;
	c->ways = w > 0 ? (unsigned)w : 0;
	c->line = l > 0 ? (unsigned)l : 0;
}

void membench_caches_read(struct membench_caches *c)
{
	char level[16], type[32], buf[32];
	int found = 0;

	memset(c, 0, sizeof(*c));
	for (int i = 0; i < 16; i++) {
		struct membench_cache *k = NULL;

		if (sysfs_line(i, "level", level, sizeof(level)) != 0 ||
		    sysfs_line(i, "type", type, sizeof(type)) != 0)
			break;
		if (strcmp(level, "1") == 0)
			k = strcmp(type, "Instruction") == 0 ? &c->l1i : &c->l1d;
		else if (strcmp(level, "2") == 0)
			k = &c->l2;
		else
			k = &c->llc; /* the last level listed wins */
		if (sysfs_line(i, "size", buf, sizeof(buf)) == 0)
			k->bytes = parse_size(buf);
		if (sysfs_line(i, "ways_of_associativity", buf, sizeof(buf)) == 0)
			k->ways = (unsigned)strtoul(buf, NULL, 10);
		if (sysfs_line(i, "coherency_line_size", buf, sizeof(buf)) == 0)
			k->line = (unsigned)strtoul(buf, NULL, 10);
		found = 1;
	}
	if (found && c->l1d.bytes) {
		snprintf(c->source, sizeof(c->source), "sysfs");
		return;
	}
	memset(c, 0, sizeof(*c));
#ifdef _SC_LEVEL1_DCACHE_SIZE
	sysconf_cache(&c->l1d, _SC_LEVEL1_DCACHE_SIZE, _SC_LEVEL1_DCACHE_ASSOC,
		      _SC_LEVEL1_DCACHE_LINESIZE);
	sysconf_cache(&c->l1i, _SC_LEVEL1_ICACHE_SIZE, _SC_LEVEL1_ICACHE_ASSOC,
		      _SC_LEVEL1_ICACHE_LINESIZE);
	sysconf_cache(&c->l2, _SC_LEVEL2_CACHE_SIZE, _SC_LEVEL2_CACHE_ASSOC,
		      _SC_LEVEL2_CACHE_LINESIZE);
	sysconf_cache(&c->llc, _SC_LEVEL3_CACHE_SIZE, _SC_LEVEL3_CACHE_ASSOC,
		      _SC_LEVEL3_CACHE_LINESIZE);
	if (!c->llc.bytes)
		c->llc = c->l2;
#else
	(void)sysconf_cache;
#endif
	snprintf(c->source, sizeof(c->source), "%s", c->l1d.bytes ? "sysconf" : "unknown");
}

/* MemAvailable from /proc/meminfo in bytes, 0 if unknown. */
static uint64_t mem_available(void)
{
	char line[256];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return (uint64_t)kb * 1024;
}

static uint64_t need_bytes(uint64_t b)
{
	return b + b / MEMBENCH_NODE * sizeof(uint32_t);
}

uint64_t membench_fit_bytes(uint64_t max_bytes)
{
	uint64_t avail = mem_available(), b = MEMBENCH_MIN_BYTES;

	if (max_bytes > MEMBENCH_MAX_BYTES)
		max_bytes = MEMBENCH_MAX_BYTES;
	if (max_bytes < MEMBENCH_MIN_BYTES)
		return 0;
	while (b * 2 <= max_bytes)
		b *= 2;
	while (avail && b >= MEMBENCH_MIN_BYTES && need_bytes(b) > avail / 2)
		b /= 2;
	return b >= MEMBENCH_MIN_BYTES ? b : 0;
}

/* xorshift64*: a fixed seed, so the layout is the same every run. */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ULL;
}

/* Link nodes 0..n of buf into one random cycle; order[] gets the cycle's order. */
static void build_cycle(char *buf, uint32_t *order, uint32_t n)
{
	uint64_t seed = 0x9e3779b97f4a7c15ULL;

	for (uint32_t i = 0; i < n; i++)
		order[i] = i;
	for (uint32_t i = n - 1; i > 0; i--) {
		uint32_t j = (uint32_t)(rng_next(&seed) % ((uint64_t)i + 1)), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (uint32_t i = 0; i < n; i++) {
		void **node = (void **)(buf + (size_t)order[i] * MEMBENCH_NODE);

		*node = buf + (size_t)order[i + 1 < n ? i + 1 : 0] * MEMBENCH_NODE;
	}
}

static void *volatile chase_sink;

/* K chases interleaved, steps loads each; the positions carry on from p[] and are saved. */
#define CHASE_K(K)                                                                    \
	static void chase_##K(void **p, uint64_t steps)                               \
	{                                                                             \
		void *q[K];                                                           \
		memcpy(q, p, sizeof(q));                                              \
		for (uint64_t i = 0; i < steps; i++)                                  \
			for (int j = 0; j < K; j++)                                   \
				q[j] = *(void **)q[j];                                \
		memcpy(p, q, sizeof(q));                                              \
		chase_sink = q[0];                                                    \
	}
CHASE_K(1)
CHASE_K(2)
CHASE_K(4)
CHASE_K(8)
CHASE_K(16)
CHASE_K(32)

static const struct {
	unsigned k;
	void (*fn)(void **p, uint64_t steps);
} chases[] = {
	{ 1, chase_1 }, { 2, chase_2 }, { 4, chase_4 }, { 8, chase_8 }, { 16, chase_16 },
	{ 32, chase_32 },
};

typedef uint64_t v2u64 __attribute__((vector_size(16)));
typedef uint64_t v4u64 __attribute__((vector_size(32)));
static volatile uint64_t sum_sink;

/* Sum n bytes (a multiple of 128) with 32-byte loads, four accumulators. */
__attribute__((target("avx2"))) static void sum_avx2(const char *buf, size_t n)
{
	v4u64 a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };

	for (const v4u64 *p = (const v4u64 *)buf, *e = (const v4u64 *)(buf + n); p < e; p += 4) {
		a += p[0];
		b += p[1];
		c += p[2];
		d += p[3];
	}
	a += b + c + d;
	sum_sink = a[0] + a[1] + a[2] + a[3];
}

/* The same with 16-byte loads (the x86-64 baseline). */
static void sum_sse2(const char *buf, size_t n)
{
	v2u64 a = { 0 }, b = { 0 }, c = { 0 }, d = { 0 };

	for (const v2u64 *p = (const v2u64 *)buf, *e = (const v2u64 *)(buf + n); p < e; p += 4) {
		a += p[0];
		b += p[1];
		c += p[2];
		d += p[3];
	}
	a += b + c + d;
	sum_sink = a[0] + a[1];
}

/* One timed kind of work: do count units, return seconds. */
struct work {
	char *buf;
	uint64_t bytes;
	void *pos[32];
	unsigned k;
	void (*chase)(void **p, uint64_t steps);
	int avx2;
};

static double do_chase(struct work *w, uint64_t count)
{
	double t0 = now_s();

	w->chase(w->pos, count / w->k ? count / w->k : 1);
	return now_s() - t0;
}

static double do_sum(struct work *w, uint64_t count)
{
	double t0 = now_s();

	for (uint64_t i = 0; i < count; i++) {
		if (w->avx2)
			sum_avx2(w->buf, w->bytes);
		else
			sum_sse2(w->buf, w->bytes);
	}
	return now_s() - t0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Seconds per unit of fn's work, the median of runs runs each lasting about target_s: the
 * count grows by 4 until a run takes a quarter of the target (which also warms the caches).
 */
static double per_unit_s(double (*fn)(struct work *, uint64_t), struct work *w, uint64_t first,
			 double target_s, unsigned runs)
{
	double t[16], e;
	uint64_t count = first;

	while ((e = fn(w, count)) < target_s / 4 && count < MAX_COUNT)
		count *= 4;
	if (e > 0)
		count = (uint64_t)((double)count * target_s / e) + 1;
	if (runs > 16)
		runs = 16;
	for (unsigned i = 0; i < runs; i++)
		t[i] = fn(w, count) / (double)count;
	qsort(t, runs, sizeof(t[0]), cmp_double);
	return runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
}

/* The index of the largest point in (lo, hi], else the smallest above lo, else the last. */
static size_t pick(const struct membench *m, uint64_t lo, uint64_t hi)
{
	size_t best = m->n_points;

	for (size_t i = 0; i < m->n_points; i++)
		if (m->point[i].bytes > lo && m->point[i].bytes <= hi)
			best = i;
	for (size_t i = 0; best == m->n_points && i < m->n_points; i++)
		if (m->point[i].bytes > lo)
			best = i;
	return best < m->n_points ? best : m->n_points - 1;
}

/* The smallest point in [lo, hi], else pick(fallback_lo, hi). */
static size_t pick_first(const struct membench *m, uint64_t lo, uint64_t hi, uint64_t fallback_lo)
{
	for (size_t i = 0; i < m->n_points; i++)
		if (m->point[i].bytes >= lo && m->point[i].bytes <= hi)
			return i;
	return pick(m, fallback_lo, hi);
}

/*
 * The level figures from the curve: L1 at half the L1d, L2 at half the L2, the LLC at 4x the
 * L2 (three loads in four miss the L2) but at most a quarter of the LLC, as early as possible
 * because other cores and tenants share it; DRAM at the largest working set.
 */
static void pick_levels(struct membench *m)
{
	const struct membench_caches *c = &m->caches;
	uint64_t l1 = c->l1d.bytes ? c->l1d.bytes : 32768;
	uint64_t l2 = c->l2.bytes > l1 ? c->l2.bytes : 8 * l1;
	uint64_t llc = c->llc.bytes > l2 ? c->llc.bytes : 16 * l2;
	size_t i;

	i = pick(m, 0, l1 / 2);
	m->l1_ns = m->point[i].ns, m->l1_at = m->point[i].bytes;
	i = pick(m, l1, l2 / 2);
	m->l2_ns = m->point[i].ns, m->l2_at = m->point[i].bytes;
	i = pick_first(m, 4 * l2, llc / 4, l2);
	m->llc_ns = m->point[i].ns, m->llc_at = m->point[i].bytes;
	i = m->n_points - 1;
	m->dram_ns = m->point[i].ns, m->dram_at = m->point[i].bytes;
	m->dram_beyond_llc = m->dram_at >= 4 * llc;
}

/* The latency curve: one cycle per working set, rebuilt in the buffer's first bytes. */
static void latency_curve(struct membench *m, struct work *w, uint32_t *order, double target,
			  FILE *progress)
{
	for (uint64_t b = MEMBENCH_MIN_BYTES;
	     b <= m->max_bytes && m->n_points < MEMBENCH_MAX_POINTS; b *= 2) {
		build_cycle(w->buf, order, (uint32_t)(b / MEMBENCH_NODE));
		w->pos[0] = w->buf;
		w->k = 1;
		w->chase = chase_1;
		m->point[m->n_points].bytes = b;
		m->point[m->n_points].ns = 1e9 * per_unit_s(do_chase, w, 4096, target, m->runs);
		if (progress)
			fprintf(progress, "machine: %10llu B working set: %8.2f ns per load\n",
				(unsigned long long)b, m->point[m->n_points].ns);
		m->n_points++;
	}
}

/* Parallel chases over the whole buffer (its cycle must be built, order[] its order). */
static void parallel_chases(struct membench *m, struct work *w, const uint32_t *order,
			    double target, FILE *progress)
{
	uint64_t n = m->max_bytes / MEMBENCH_NODE;

	m->random_read_ns = 0;
	for (size_t c = 0; c < sizeof(chases) / sizeof(chases[0]); c++) {
		struct membench_parallel *p = &m->parallel[m->n_parallel++];

		w->k = chases[c].k;
		w->chase = chases[c].fn;
		for (unsigned j = 0; j < w->k; j++)
			w->pos[j] = w->buf + (size_t)order[j * n / w->k] * MEMBENCH_NODE;
		p->chains = w->k;
		p->ns = 1e9 * per_unit_s(do_chase, w, 4096, target, m->runs);
		if (progress)
			fprintf(progress, "machine: %2u parallel chases: %8.2f ns per read\n",
				p->chains, p->ns);
		if (m->random_read_ns == 0 || p->ns < m->random_read_ns) {
			m->random_read_ns = p->ns;
			m->random_read_chains = p->chains;
		}
	}
	m->random_reads_per_s = 1e9 / m->random_read_ns;
}

int membench_run(const struct membench_opts *o, struct membench *out)
{
	struct membench *m = calloc(1, sizeof(*m));
	uint64_t want = o->max_bytes ? o->max_bytes : MEMBENCH_MAX_BYTES;
	double target = o->quick ? QUICK_TARGET_S : FULL_TARGET_S;
	struct work w = { 0 };
	uint32_t *order;

	if (!m)
		return -ENOMEM;
	if (want > MEMBENCH_MAX_BYTES || want < MEMBENCH_MIN_BYTES) {
		free(m);
		return -EINVAL;
	}
	if (o->quick && want > QUICK_MAX_BYTES)
		want = QUICK_MAX_BYTES;
	m->max_bytes = membench_fit_bytes(want);
	m->runs = o->runs ? o->runs : o->quick ? 3 : 5;
	m->huge_pages = o->huge_pages;
	membench_caches_read(&m->caches);
	if (!m->max_bytes) {
		free(m);
		return -ENOMEM;
	}
	order = malloc(m->max_bytes / MEMBENCH_NODE * sizeof(*order));
	w.buf = mmap(NULL, m->max_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		     0);
	if (!order || w.buf == MAP_FAILED) {
		free(order);
		if (w.buf != MAP_FAILED)
			munmap(w.buf, m->max_bytes);
		free(m);
		return -ENOMEM;
	}
#ifdef MADV_HUGEPAGE
	if (o->huge_pages)
		madvise(w.buf, m->max_bytes, MADV_HUGEPAGE);
#endif
	latency_curve(m, &w, order, target, o->progress);
	pick_levels(m);
	parallel_chases(m, &w, order, target, o->progress);
	w.bytes = m->max_bytes;
	w.avx2 = __builtin_cpu_supports("avx2");
	m->seq_read_width = w.avx2 ? 32 : 16;
	m->seq_read_gb_s = (double)m->max_bytes / per_unit_s(do_sum, &w, 1, target, m->runs) / 1e9;
	if (o->progress)
		fprintf(o->progress, "machine: sequential read: %.2f GB/s\n", m->seq_read_gb_s);
	munmap(w.buf, m->max_bytes);
	free(order);
	*out = *m;
	free(m);
	return 0;
}

void membench_json_fields(FILE *f, const char *indent, const struct membench *m, int last)
{
	fprintf(f, "%s\"l1_ns\": %.3f,\n", indent, m->l1_ns);
	fprintf(f, "%s\"l2_ns\": %.3f,\n", indent, m->l2_ns);
	fprintf(f, "%s\"llc_ns\": %.3f,\n", indent, m->llc_ns);
	fprintf(f, "%s\"dram_ns\": %.3f,\n", indent, m->dram_ns);
	fprintf(f, "%s\"seq_read_gb_s\": %.3f,\n", indent, m->seq_read_gb_s);
	fprintf(f, "%s\"random_read_ns\": %.3f,\n", indent, m->random_read_ns);
	fprintf(f, "%s\"random_reads_per_s\": %.0f,\n", indent, m->random_reads_per_s);
	fprintf(f, "%s\"random_read_chains\": %u,\n", indent, m->random_read_chains);
	fprintf(f, "%s\"dram_beyond_llc\": %s,\n", indent, m->dram_beyond_llc ? "true" : "false");
	fprintf(f, "%s\"membench_max_bytes\": %llu%s\n", indent,
		(unsigned long long)m->max_bytes, last ? "" : ",");
}

double membench_dram_misses(const struct membench *m, double ns)
{
	return m->dram_ns > 0 ? ns / m->dram_ns : 0;
}
