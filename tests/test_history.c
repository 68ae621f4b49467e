/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loss history (diag_history.c): the ring keeps the last HIST_LEN
 * values with unknown ones as unknown, the sparkline heights are rescaled
 * per row to the largest value shown, and the rows follow the queues,
 * CPUs and sockets of real diagnoses (built from the captures by
 * diagbuild.c): a socket that goes away leaves a gap, then is forgotten. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag_history.h"
#include "diagbuild.h"
#include "testutil.h"

static struct diag_history H;

static void setup(void)
{
	diag_history_init(&H);
}

static void teardown(void)
{
	diag_history_free(&H);
}

START_TEST(ring_keeps_last)
{
	struct hist_ring *r = &H.stage[STAGE_NIC];

	ck_assert(!hist_ring_at(r, 10, 0).known);
	for (int i = 0; i < 300; i++)
		hist_ring_push(r, opt_known(i));
	ck_assert_uint_eq(r->n, HIST_LEN);
	ck_assert(HIST_LEN >= 120);
	ck_assert(hist_ring_at(r, HIST_LEN, 0).v == 300 - HIST_LEN);
	ck_assert(hist_ring_at(r, HIST_LEN, HIST_LEN - 1).v == 299);
	ck_assert(hist_ring_at(r, 10, 0).v == 290);
	ck_assert(hist_ring_at(r, 10, 9).v == 299);
	ck_assert(!hist_ring_at(r, 10, 10).known);
	/* Asking for more than is held gives what is held. */
	ck_assert(hist_ring_at(r, 1000, 0).v == 300 - HIST_LEN);
	hist_ring_push(r, opt_unknown());
	hist_ring_push(r, opt_known(NAN));
	ck_assert(!hist_ring_at(r, 2, 0).known);
	ck_assert(!hist_ring_at(r, 2, 1).known);
	ck_assert(hist_ring_at(r, 3, 0).v == 299);
}
END_TEST

static void push_all(struct hist_ring *r, const double *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		hist_ring_push(r, isnan(v[i]) ? opt_unknown() : opt_known(v[i]));
}

START_TEST(levels_rescaled_per_row)
{
	static const double v[] = { 0, 1, 2, 4, 8, NAN, 0.001 };
	struct hist_ring *a = &H.stage[STAGE_IP], *b = &H.stage[STAGE_UDP];
	int la[9], lb[9];
	static const int want[9] = { HIST_EMPTY, HIST_EMPTY, 0, 1, 2, 4,
				     8, HIST_GAP, 1 };

	push_all(a, v, 7);
	ck_assert(hist_levels(a, 9, la) == 8);
	for (int i = 0; i < 9; i++)
		ck_assert_int_eq(la[i], want[i]);
	/* A thousand times more: the same heights, its own scale. */
	for (int i = 0; i < 7; i++)
		hist_ring_push(b, isnan(v[i]) ? opt_unknown()
					      : opt_known(v[i] * 1000));
	ck_assert(hist_levels(b, 9, lb) == 8000);
	ck_assert_mem_eq(la, lb, sizeof(la));
	/* Only the values shown set the scale: the 8 is out of a window of
	 * the last two. */
	ck_assert(hist_levels(a, 2, la) == 0.001);
	ck_assert_int_eq(la[0], HIST_GAP);
	ck_assert_int_eq(la[1], HIST_LEVELS);
}
END_TEST

START_TEST(zero_history_is_flat)
{
	int l[HIST_LEN];

	for (int i = 0; i < 150; i++)
		hist_ring_push(&H.unaccounted, opt_known(0));
	ck_assert(hist_levels(&H.unaccounted, HIST_LEN, l) == 0);
	for (int i = 0; i < HIST_LEN; i++)
		ck_assert_int_eq(l[i], i < HIST_LEN - 150 ? HIST_EMPTY : 0);
}
END_TEST

/* Snapshots at T0 + i: the mDNS socket of the Ubuntu capture (inode 941)
 * drops drops[i] in all, eth0 (sfc) takes rx[i] packets on queue 4. A
 * socket at drops UINT64_MAX is absent. */
static void snap(struct snapshot *s, int i, uint64_t rx, uint64_t drops)
{
	struct device *d;

	tb_base(s, 100.0 + i);
	d = tb_sfc(s);
	d->rxq[4].packets += rx;
	d->sys[SYS_RX_PACKETS] += rx;
	if (drops != UINT64_MAX) {
		tb_sock(s, "0.0.0.0", 5353, 941, drops);
		tb_snmp_add(s, UDP_RCVBUF_ERRORS, drops - 8109);
		tb_snmp_add(s, UDP_IN_ERRORS, drops - 8109);
	}
	tb_snmp_add(s, IP_IN_RECEIVES, rx);
	tb_snmp_add(s, IP_IN_DELIVERS, rx);
	tb_snmp_add(s, UDP_IN_DATAGRAMS, rx - (drops == UINT64_MAX ? 3000 :
					       drops - 8109));
}

static void add_step(struct snapshot *prev, struct snapshot *cur)
{
	struct diagnosis d;

	ck_assert_int_eq(diagnose(prev, cur, &d), 0);
	diag_history_add(&H, &d);
	diagnosis_free(&d);
}

START_TEST(rows_of_real_diagnoses)
{
	struct snapshot s[3];
	const struct hist_row *q, *k;

	snap(&s[0], 0, 0, 8109);
	snap(&s[1], 1, 500000, 8109 + 3000);
	snap(&s[2], 2, 1000000, UINT64_MAX); /* the socket is closed */
	add_step(&s[0], &s[1]);
	add_step(&s[1], &s[2]);
	ck_assert_uint_eq(H.nadded, 2);
	ck_assert(hist_ring_at(&H.stage[STAGE_SOCKET], 2, 0).v == 3000);
	q = diag_history_queue(&H, "eth0", 4);
	ck_assert_ptr_nonnull(q);
	ck_assert(hist_ring_at(&q->traffic, 2, 0).v == 500000);
	ck_assert(hist_ring_at(&q->traffic, 2, 1).v == 500000);
	ck_assert_ptr_null(diag_history_queue(&H, "eth1", 4));
	ck_assert_ptr_nonnull(diag_history_cpu(&H, 4));
	k = diag_history_socket(&H, 941);
	ck_assert_ptr_nonnull(k);
	ck_assert(hist_ring_at(&k->loss, 2, 0).v == 3000);
	/* Gone: a gap, not a zero. */
	ck_assert(!hist_ring_at(&k->loss, 2, 1).known);
	/* Forgotten once nothing known is left of it. */
	for (int i = 0; i < HIST_LEN - 2; i++)
		add_step(&s[1], &s[2]);
	ck_assert_ptr_nonnull(diag_history_socket(&H, 941));
	add_step(&s[1], &s[2]);
	ck_assert_ptr_null(diag_history_socket(&H, 941));
	ck_assert_ptr_nonnull(diag_history_queue(&H, "eth0", 4));
	diag_history_clear(&H);
	ck_assert_uint_eq(H.nadded, 0);
	ck_assert_uint_eq(H.stage[STAGE_SOCKET].n, 0);
	ck_assert_ptr_null(diag_history_queue(&H, "eth0", 4));
	for (int i = 0; i < 3; i++)
		snapshot_free(&s[i]);
}
END_TEST

/* More rows than HIST_MAX_ROWS: the first ones are followed, the rest
 * not, and it is said. */
START_TEST(rows_bounded)
{
	struct snapshot p, c;
	size_t n = HIST_MAX_ROWS + 50;

	tb_base(&p, 100);
	tb_base(&c, 101);
	for (size_t i = 0; i < n; i++) {
		tb_sock(&p, "127.0.0.1", (uint16_t)(1000 + i), 5000 + i, 0);
		tb_sock(&c, "127.0.0.1", (uint16_t)(1000 + i), 5000 + i, i);
	}
	add_step(&p, &c);
	ck_assert(H.rows_full);
	ck_assert_uint_le(H.nrows, HIST_MAX_ROWS);
	ck_assert_ptr_null(diag_history_socket(&H, 5000 + n - 1));
	snapshot_free(&p);
	snapshot_free(&c);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ring_keeps_last);
	tcase_add_test(tc, levels_rescaled_per_row);
	tcase_add_test(tc, zero_history_is_flat);
	tcase_add_test(tc, rows_of_real_diagnoses);
	tcase_add_test(tc, rows_bounded);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
