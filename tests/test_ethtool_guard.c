/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The ethtool -S ioctls against a fake device whose statistics count
 * changes between droptop's calls, as an `ethtool -L` landing between
 * them makes a real one do. The test links with -Wl,--wrap=ioctl: every
 * SIOCETHTOOL for "dtfake0" is answered here, the rest goes to the
 * kernel.
 *
 * The fake answers like the kernel, header first, in one of two ways:
 * as kernels before commit 7b07be1ff1cb (December 2025), with as many
 * entries as the device has now whatever count droptop passed; or as
 * kernels since, with none if droptop's count is not the device's, and
 * all of them if it is 0. It writes through the kernel (a pipe), so a
 * write onto a page droptop may not write fails with EFAULT, as
 * copy_to_user does, and a write past the end of a heap buffer really
 * overruns it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "sources_internal.h"
#include "testutil.h"
#include "util.h"

#define FAKE_DEV "dtfake0"
/* A veth's count at 1 and at 1024 channels. */
#define FEW 10
#define MANY 9217

int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);

static struct fake_nic {
	uint32_t count;          /* statistics the device has now */
	uint32_t before_strings; /* the count at the next GSTRINGS, 0: same */
	uint32_t before_values;  /* the count at the next GSTATS, 0: same */
	bool flip;               /* FEW <-> MANY at every GSTRINGS/GSTATS */
	bool checks_count;       /* a kernel with commit 7b07be1ff1cb */
	unsigned int strings_calls, values_calls, faults;
	unsigned int asked_all;  /* requests with a count of 0 */
	int pipe[2];
} fake;

static void fake_reset(uint32_t count)
{
	memset(&fake, 0, sizeof(fake));
	fake.count = count;
	ck_assert_int_eq(pipe2(fake.pipe, O_CLOEXEC), 0);
}

/* Empties the pipe after a short read. */
static void drain(size_t left)
{
	char scratch[4096];

	while (left) {
		ssize_t got = read(fake.pipe[0], scratch,
				   left < sizeof(scratch) ? left
							  : sizeof(scratch));

		ck_assert_int_gt(got, 0);
		left -= (size_t)got;
	}
}

/* copy_to_user: the kernel writes dst, and fails on a page it may not. */
static int kernel_write(void *dst, const void *src, size_t len)
{
	char *d = dst;
	const char *s = src;

	while (len) {
		size_t chunk = len < 4096 ? len : 4096;
		ssize_t got;

		ck_assert_int_eq(write(fake.pipe[1], s, chunk), (ssize_t)chunk);
		got = read(fake.pipe[0], d, chunk);
		if (got != (ssize_t)chunk) {
			drain(chunk - (got > 0 ? (size_t)got : 0));
			fake.faults++;
			return -EFAULT;
		}
		d += chunk;
		s += chunk;
		len -= chunk;
	}
	return 0;
}

/* copy_from_user of the request's header. */
static void kernel_read(void *dst, const void *src, size_t len)
{
	memcpy(dst, src, len);
}

/* The value of statistic i depends on the layout too, so names paired
 * with values of another count would show. */
static uint64_t stat_value(uint32_t count, uint32_t i)
{
	return (uint64_t)count * 1000000 + i;
}

static void change_count(uint32_t *pending)
{
	if (fake.flip)
		fake.count = fake.count == FEW ? MANY : FEW;
	if (*pending)
		fake.count = *pending;
	*pending = 0;
}

/* How many entries the kernel writes for a request of asked. */
static uint32_t reply_count(uint32_t asked)
{
	if (asked == 0)
		fake.asked_all++;
	else if (fake.checks_count && asked != fake.count)
		return 0;
	return fake.count;
}

static int fake_drvinfo(void *user)
{
	struct ethtool_drvinfo di;

	memset(&di, 0, sizeof(di));
	di.cmd = ETHTOOL_GDRVINFO;
	snprintf(di.driver, sizeof(di.driver), "fakenic");
	snprintf(di.bus_info, sizeof(di.bus_info), "fake:00");
	di.n_stats = fake.count;
	return kernel_write(user, &di, sizeof(di));
}

static int fake_sset_info(void *user)
{
	struct ethtool_sset_info si;
	int rc;

	kernel_read(&si, user, sizeof(si));
	ck_assert_uint_eq(si.sset_mask, 1ULL << ETH_SS_STATS);
	rc = kernel_write(user, &si, sizeof(si));
	if (rc == 0)
		rc = kernel_write((char *)user + sizeof(si), &fake.count,
				  sizeof(fake.count));
	return rc;
}

static int fake_strings(void *user)
{
	struct ethtool_gstrings gs;
	char *names;
	int rc;

	fake.strings_calls++;
	change_count(&fake.before_strings);
	kernel_read(&gs, user, sizeof(gs));
	ck_assert_uint_eq(gs.string_set, ETH_SS_STATS);
	gs.len = reply_count(gs.len);
	names = xcalloc(gs.len + 1, ETH_GSTRING_LEN);
	for (uint32_t i = 0; i < gs.len; i++)
		snprintf(names + (size_t)i * ETH_GSTRING_LEN, ETH_GSTRING_LEN,
			 "stat_%u", i);
	rc = kernel_write(user, &gs, sizeof(gs));
	if (rc == 0 && gs.len)
		rc = kernel_write((char *)user + sizeof(gs), names,
				  (size_t)gs.len * ETH_GSTRING_LEN);
	free(names);
	return rc;
}

static int fake_values(void *user)
{
	struct ethtool_stats st;
	uint64_t *values;
	int rc;

	fake.values_calls++;
	change_count(&fake.before_values);
	kernel_read(&st, user, sizeof(st));
	st.n_stats = reply_count(st.n_stats);
	values = xcalloc(st.n_stats + 1, sizeof(*values));
	for (uint32_t i = 0; i < st.n_stats; i++)
		values[i] = stat_value(fake.count, i);
	rc = kernel_write(user, &st, sizeof(st));
	if (rc == 0 && st.n_stats)
		rc = kernel_write((char *)user + sizeof(st), values,
				  (size_t)st.n_stats * sizeof(*values));
	free(values);
	return rc;
}

static int fake_ethtool(void *user)
{
	uint32_t cmd;

	kernel_read(&cmd, user, sizeof(cmd));
	switch (cmd) {
	case ETHTOOL_GDRVINFO:
		return fake_drvinfo(user);
	case ETHTOOL_GSSET_INFO:
		return fake_sset_info(user);
	case ETHTOOL_GSTRINGS:
		return fake_strings(user);
	case ETHTOOL_GSTATS:
		return fake_values(user);
	default:
		return -EOPNOTSUPP;
	}
}

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	struct ifreq *ifr;
	int rc;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	ifr = arg;
	if (req != SIOCETHTOOL || strcmp(ifr->ifr_name, FAKE_DEV) != 0)
		return __real_ioctl(fd, req, arg);
	rc = fake_ethtool(ifr->ifr_data);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return 0;
}

/* The text is that of `ethtool -S` for count statistics of one layout:
 * every name, with its value, in order. */
static void assert_stats_text(const struct raw_snapshot *r, uint32_t count)
{
	const struct raw_source *src = raw_find(r, "ethtool -S " FAKE_DEV);
	const char *p;
	uint32_t i = 0;

	ck_assert_msg(src, "no ethtool -S source; note: %s",
		      r->nnotes ? r->notes[0] : "none");
	ck_assert(strncmp(src->text, "NIC statistics:\n", 16) == 0);
	for (p = src->text + 16; *p; i++) {
		unsigned int idx;
		unsigned long long v;
		int used = 0;

		ck_assert_int_eq(sscanf(p, " stat_%u: %llu\n%n", &idx, &v,
					&used), 2);
		ck_assert_uint_eq(idx, i);
		ck_assert_uint_eq(v, stat_value(count, i));
		p += used;
	}
	ck_assert_uint_eq(i, count);
}

/* The same text parsed as droptop parses it: one counter each. */
static void assert_parsed(const struct raw_snapshot *r, uint32_t count)
{
	const struct raw_source *src = raw_find(r, "ethtool -S " FAKE_DEV);
	struct snapshot s;

	snapshot_init(&s);
	ck_assert_int_eq(ethtool_stats_parse(&s, FAKE_DEV, src->text), 0);
	ck_assert_uint_eq(snapshot_find_device(&s, FAKE_DEV)->nctrs, count);
	snapshot_free(&s);
}

static void refresh(struct ethtool_cache *ec, struct raw_snapshot *r)
{
	raw_init(r);
	ethtool_collect_cached(ec, FAKE_DEV, COLLECT_COUNTERS, 0, r);
}

/* The count before the refresh, then at the strings read and at the
 * values read (0: unchanged), and what droptop must end with, from
 * either kernel (even _i: before 7b07be1ff1cb, odd: since). */
static const struct {
	const char *what;
	uint32_t start, at_strings, at_values, expect;
	bool faults;  /* a kernel before 7b07be1ff1cb hits the guard */
} changes[] = {
	{ "stable", FEW, 0, 0, FEW, false },
	{ "grows before strings", FEW, MANY, 0, MANY, true },
	{ "grows before values", FEW, 0, MANY, MANY, true },
	{ "grows before both", FEW, 100, MANY, MANY, true },
	{ "shrinks before values", MANY, 0, FEW, FEW, false },
	{ "shrinks before strings", MANY, FEW, 0, FEW, false },
	{ "grows by one before values", FEW, 0, FEW + 1, FEW + 1, true },
};

START_TEST(count_changes_between_calls)
{
	struct ethtool_cache *ec = ethtool_cache_new();
	struct raw_snapshot r;
	int k = _i / 2;

	fake_reset(changes[k].start);
	fake.checks_count = _i % 2;
	fake.before_strings = changes[k].at_strings;
	fake.before_values = changes[k].at_values;
	refresh(ec, &r);
	assert_stats_text(&r, changes[k].expect);
	assert_parsed(&r, changes[k].expect);
	/* A count of 0 asks a recent kernel for everything. */
	ck_assert_uint_eq(fake.asked_all, 0);
	ck_assert_msg((fake.faults > 0) == (changes[k].faults &&
					    !fake.checks_count),
		      "%s: %u faults", changes[k].what, fake.faults);
	raw_free(&r);
	ethtool_cache_free(ec);
}
END_TEST

/* Across refreshes with one cache: kept names, a kept values buffer,
 * then a count that grows under both. */
START_TEST(count_changes_across_refreshes)
{
	struct ethtool_cache *ec = ethtool_cache_new();
	struct raw_snapshot r;

	fake_reset(FEW);
	refresh(ec, &r);
	assert_stats_text(&r, FEW);
	raw_free(&r);
	/* Names kept: only the values are read, and they have grown. */
	fake.before_values = MANY;
	refresh(ec, &r);
	assert_stats_text(&r, MANY);
	raw_free(&r);
	/* The values buffer is now larger than the count: still right. */
	fake.before_values = FEW;
	refresh(ec, &r);
	assert_stats_text(&r, FEW);
	raw_free(&r);
	/* Changed between refreshes: names read anew, then grown past the
	 * kept values buffer under the values read. */
	fake.count = 100;
	fake.before_values = 2 * MANY;
	refresh(ec, &r);
	assert_stats_text(&r, 2 * MANY);
	raw_free(&r);
	ck_assert_uint_eq(fake.faults, 2);
	ethtool_cache_free(ec);
}
END_TEST

/* A count that changes at every call, on either kernel: a note naming
 * the device, no text pairing names with values of another layout. */
START_TEST(count_keeps_changing)
{
	struct ethtool_cache *ec = ethtool_cache_new();
	struct raw_snapshot r;

	fake_reset(FEW);
	fake.flip = true;
	fake.checks_count = _i;
	refresh(ec, &r);
	ck_assert_ptr_null(raw_find(&r, "ethtool -S " FAKE_DEV));
	ck_assert_uint_eq(fake.asked_all, 0);
	ck_assert_uint_eq(r.nnotes, 1);
	ck_assert_msg(strstr(r.notes[0], "ethtool -S " FAKE_DEV
				       ": statistics count kept changing"),
		      "%s", r.notes[0]);
	raw_free(&r);
	ethtool_cache_free(ec);
}
END_TEST

/* A driver claiming more statistics than droptop reads is not asked for
 * them: nothing is mapped for them, a note says why. */
static const uint32_t huge_counts[] = { 65537, 1u << 24, UINT32_MAX };

START_TEST(count_beyond_limit)
{
	struct ethtool_cache *ec = ethtool_cache_new();
	struct raw_snapshot r;
	char want[128];

	fake_reset(huge_counts[_i]);
	refresh(ec, &r);
	ck_assert_ptr_null(raw_find(&r, "ethtool -S " FAKE_DEV));
	ck_assert_uint_eq(fake.strings_calls + fake.values_calls, 0);
	ck_assert_uint_eq(r.nnotes, 1);
	snprintf(want, sizeof(want), "ethtool -S %s: %u statistics, more "
		 "than the 65536 droptop reads; not recorded", FAKE_DEV,
		 huge_counts[_i]);
	ck_assert_str_eq(r.notes[0], want);
	raw_free(&r);
	ethtool_cache_free(ec);
}
END_TEST

/* The limit itself is read. */
START_TEST(count_at_limit)
{
	struct ethtool_cache *ec = ethtool_cache_new();
	struct raw_snapshot r;

	fake_reset(65536);
	refresh(ec, &r);
	assert_stats_text(&r, 65536);
	raw_free(&r);
	ethtool_cache_free(ec);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ethtool_guard");
	TCase *tc = tcase_create("count-changes");

	tcase_add_loop_test(tc, count_changes_between_calls, 0,
			    2 * ARRAY_SIZE(changes));
	tcase_add_test(tc, count_changes_across_refreshes);
	tcase_add_loop_test(tc, count_keeps_changing, 0, 2);
	tcase_add_loop_test(tc, count_beyond_limit, 0,
			    ARRAY_SIZE(huge_counts));
	tcase_add_test(tc, count_at_limit);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
