/*
 * test_core_buf_fast.c: buf_add's fast path (the piece fits in the
 * allocation) agrees with the slow one at every boundary: appending one
 * byte or a few at a time fills a capped buf exactly to its max, the
 * append that would pass it fails and changes nothing, and the content is
 * always NUL-terminated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "core/core.h"

static void fill(size_t max, size_t step)
{
	static const char src[] = "0123456789abcdefghijklmnopqrstuvwxyz";
	char want[256];
	struct buf b;
	size_t n = 0;

	assert_true(max < sizeof(want));
	buf_init(&b, max);
	for (;;) {
		size_t k = step, i;
		char piece[8];

		for (i = 0; i < k; i++)
			piece[i] = src[(n + i) % (sizeof(src) - 1)];
		if (n + k > max) {
			assert_int_equal(buf_add(&b, piece, k), ERR_TOO_BIG);
			break;
		}
		assert_int_equal(buf_add(&b, piece, k), 0);
		memcpy(want + n, piece, k);
		n += k;
		assert_int_equal(b.len, n);
		assert_true(b.cap >= b.len + 1 && b.cap <= max + 1);
		assert_int_equal(b.ptr[b.len], '\0');
	}
	assert_int_equal(b.len, n);
	assert_memory_equal(b.ptr, want, n);
	assert_int_equal(b.ptr[n], '\0');
	/* Zero bytes always fit and change nothing. */
	assert_int_equal(buf_add(&b, "", 0), 0);
	assert_int_equal(b.len, n);
	buf_release(&b);
}

static void test_fill_to_max(void **state)
{
	size_t max, step;

	(void)state;
	for (max = 1; max < 200; max++)
		for (step = 1; step <= 7; step++)
			fill(max, step);
}

static void test_empty_buf(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(buf_add(&b, "", 0), 0);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.ptr, "");
	assert_int_equal(buf_add(&b, "x", 1), 0);
	assert_string_equal(b.ptr, "x");
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fill_to_max),
	    cmocka_unit_test(test_empty_buf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
