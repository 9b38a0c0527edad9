/*
 * test_utest.c - the Mann-Whitney U test of harness/compare/utest.c against known values:
 * scipy.stats.mannwhitneyu's documented example (males/females: U 17, exact p 1/9, asymptotic
 * p 0.11134688653314041), p-values counted by hand (1/C(6,3), 2/C(10,5)), the exact table
 * against a brute-force enumeration of every arrangement, and a tied case worked out with
 * scipy's formula by hand. No timing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <math.h>

#include "utest.h"

/* cmocka's assert_float_equal compares floats; these p-values need doubles */
#define assert_near(x, y, eps) assert_true(fabs((double)(x) - (double)(y)) <= (eps))

static void test_known_exact(void **state)
{
	const double a[] = { 1, 2, 3 }, b[] = { 4, 5, 6 };
	const double x[] = { 1, 2, 3, 4, 5 }, y[] = { 6, 7, 8, 9, 10 };
	const double males[] = { 19, 22, 16, 29, 24 }, females[] = { 20, 11, 17, 12 };
	struct utest t;

	(void)state;
	assert_int_equal(utest_mann_whitney(a, 3, b, 3, &t), 0);
	assert_true(t.exact);
	assert_true(t.u == 0);
	assert_near(t.p, 2.0 / 20, 1e-12); /* 1 extreme arrangement of 20, at both ends */
	assert_int_equal(utest_mann_whitney(y, 5, x, 5, &t), 0);
	assert_true(t.u == 25);
	assert_near(t.p, 2.0 / 252, 1e-12);
	/* scipy docs: mannwhitneyu(males, females, method="exact") -> U 17.0, p 0.1111111111111111 */
	assert_int_equal(utest_mann_whitney(males, 5, females, 4, &t), 0);
	assert_true(t.exact && t.u == 17);
	assert_near(t.p, 0.1111111111111111, 1e-12);
	/* ... and method="asymptotic" -> p 0.11134688653314041 */
	assert_near(utest_normal_p(17, 5, 4, 0), 0.11134688653314041, 1e-12);
}

/* U of the a-positions mask among n = n1 + n2 ranks 1..n: pairs (a, b) with a above b. */
static unsigned mask_u(unsigned mask, unsigned n)
{
	unsigned u = 0, bs = 0;

	for (unsigned i = 0; i < n; i++)
		if (mask >> i & 1)
			u += bs;
		else
			bs++;
	return u;
}

/* Every arrangement of up to 12 values: the exact p is the share at least as extreme. */
static void test_exact_against_enumeration(void **state)
{
	(void)state;
	for (unsigned n1 = 1; n1 <= 6; n1++)
		for (unsigned n2 = 1; n2 <= 6; n2++) {
			unsigned n = n1 + n2;

			for (unsigned u0 = 0; u0 <= n1 * n2; u0++) {
				double le = 0, ge = 0, all = 0;

				for (unsigned m = 0; m < 1u << n; m++) {
					if ((unsigned)__builtin_popcount(m) != n1)
						continue;
					all++;
					le += mask_u(m, n) <= u0;
					ge += mask_u(m, n) >= u0;
				}
				assert_near(utest_exact_p(u0, n1, n2),
						    fmin(1, 2 * fmin(le, ge) / all), 1e-12);
			}
		}
}

static void test_ties_use_the_normal_approximation(void **state)
{
	const double a[] = { 1, 2, 2, 3 }, b[] = { 2, 3, 3, 4, 5 };
	const double same[] = { 7, 7, 7 };
	struct utest t, back;

	(void)state;
	/* ranks 1, 3, 3, 3, 6, 6, 6, 8, 9: a's sum 13, U = 13 - 10 = 3; ties: two groups of three,
	 * 2 * (27 - 3) = 48; sigma^2 = 20/12 * (10 - 48/72); z = (|3 - 10| - 0.5) / sigma */
	assert_int_equal(utest_mann_whitney(a, 4, b, 5, &t), 0);
	assert_false(t.exact);
	assert_true(t.u == 3);
	assert_near(t.p, 0.09934224785346527, 1e-12);
	assert_int_equal(utest_mann_whitney(b, 5, a, 4, &back), 0);
	assert_true(back.u == 20 - 3);
	assert_near(back.p, t.p, 1e-15);
	/* nothing but ties: no evidence at all */
	assert_int_equal(utest_mann_whitney(same, 3, same, 3, &t), 0);
	assert_near(t.p, 1, 0);
}

/* Large samples: the normal approximation, symmetric, and a shifted sample is significant. */
static void test_large_samples(void **state)
{
	double a[40], b[40];
	struct utest t;

	(void)state;
	for (int i = 0; i < 40; i++) {
		a[i] = 100 + (i * 7919 % 40);
		b[i] = a[i] * 3 + 0.5;
	}
	assert_int_equal(utest_mann_whitney(a, 40, b, 40, &t), 0);
	assert_false(t.exact);
	assert_true(t.u == 0);
	assert_true(t.p < 1e-12);
	assert_int_equal(utest_mann_whitney(a, 40, a, 40, &t), 0);
	assert_near(t.p, 1, 0);
}

static void test_refused(void **state)
{
	const double a[] = { 1, 2 }, bad[] = { 1, NAN };
	struct utest t = { 0 };

	(void)state;
	assert_int_equal(utest_mann_whitney(a, 1, a, 2, &t), -EINVAL);
	assert_int_equal(utest_mann_whitney(a, 2, a, 0, &t), -EINVAL);
	assert_int_equal(utest_mann_whitney(a, 2, bad, 2, &t), -EINVAL);
	assert_true(isnan(utest_exact_p(1, 30, 30)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_exact),
		cmocka_unit_test(test_exact_against_enumeration),
		cmocka_unit_test(test_ties_use_the_normal_approximation),
		cmocka_unit_test(test_large_samples),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
