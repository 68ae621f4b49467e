/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The dashboard's drawing, without a terminal: a diagnosis of two
 * snapshots built from the real captures (diagbuild.c: the sfc eth0, the
 * Ubuntu snmp and mDNS socket, the 5-CPU softnet_stat) is drawn into
 * canvases of many sizes, and the text of the rows is checked. Also the
 * canvas's clipping and escaping, number formats, and the keys. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "dashboard_internal.h"
#include "diagbuild.h"
#include "testutil.h"
#include "util.h"

#define T0 100.0

static struct snapshot P, C;
static struct diagnosis D, TOT;
static struct dash_view V;
static struct dash_status ST;

/* One second: 500000 pkt/s all on queue 4 of eth0, the mDNS socket drops
 * 3000/s (RcvbufErrors), CPU 4's backlog drops 100/s. Totals over the same
 * second, as after the first step. */
static void setup(void)
{
	struct device *d;

	tb_base(&P, T0);
	tb_base(&C, T0 + 1);
	tb_sfc(&P);
	d = tb_sfc(&C);
	d->rxq[4].packets += 500000;
	d->sys[SYS_RX_PACKETS] += 500000;
	tb_sock(&P, "0.0.0.0", 5353, 941, 8109);
	tb_sock(&C, "0.0.0.0", 5353, 941, 8109 + 3000);
	tb_snmp_add(&C, IP_IN_RECEIVES, 500000);
	tb_snmp_add(&C, IP_IN_DELIVERS, 500000);
	tb_snmp_add(&C, UDP_IN_DATAGRAMS, 497000);
	tb_snmp_add(&C, UDP_IN_ERRORS, 3000);
	tb_snmp_add(&C, UDP_RCVBUF_ERRORS, 3000);
	C.cpus[4].dropped += 100;
	C.cpus[4].processed += 500100;
	strcpy(C.hostname, "testhost");
	strcpy(C.kernel_release, "6.1.0-test");
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert_int_eq(diagnose(&P, &C, &TOT), 0);
	dash_view_init(&V, false);
	memset(&ST, 0, sizeof(ST));
	ST.source = "test";
	ST.interval = 1;
	ST.step = ST.nsteps = 1;
}

static struct dash_canvas CV;

static void teardown(void)
{
	dash_canvas_free(&CV);
	diagnosis_free(&D);
	diagnosis_free(&TOT);
	snapshot_free(&P);
	snapshot_free(&C);
}

/* Draws at w x h into CV. */
static void draw(int w, int h, bool ascii)
{
	dash_canvas_free(&CV);
	dash_canvas_init(&CV, w, h, ascii);
	dash_draw(&CV, &D, &TOT, &V, &ST);
}

/* The first row that starts with prefix (into buf), or -1. */
static int find_row(const char *prefix, char *buf, size_t size)
{
	for (int y = 0; y < CV.h; y++) {
		dash_row_text(&CV, y, buf, size);
		if (strncmp(buf, prefix, strlen(prefix)) == 0)
			return y;
	}
	return -1;
}

/* The first row that holds text, or -1. */
static int find_text(const char *text, char *buf, size_t size)
{
	for (int y = 0; y < CV.h; y++) {
		dash_row_text(&CV, y, buf, size);
		if (strstr(buf, text))
			return y;
	}
	return -1;
}

static void row(int y, char *buf, size_t size)
{
	dash_row_text(&CV, y, buf, size);
}

/* Adds a running receiver of two threads to both snapshots: thread 0 reads
 * 400000 datagrams in the second on CPU 3, thread 1 nothing. */
static void add_receiver(void)
{
	struct snapshot *both[2] = { &P, &C };

	for (int i = 0; i < 2; i++) {
		struct receiver_state *r = &both[i]->receiver;

		r->present = true;
		strcpy(r->addr, "127.0.0.1:5000");
		r->batch = 512;
		r->reuseport = 1;
		r->rcvbuf = 425984;
		r->busy_poll = 0;
		r->nthreads = 2;
		r->threads = xcalloc(2, sizeof(*r->threads));
		for (int t = 0; t < 2; t++) {
			struct receiver_thread *th = &r->threads[t];

			th->id = t;
			th->have_packets = th->have_bytes = true;
			th->have_calls = th->have_full = true;
			th->cpu = t == 0 ? 3 : 1;
			th->node = 0;
		}
	}
	C.receiver.threads[0].packets = 400000;
	C.receiver.threads[0].bytes = 400000 * 32;
	C.receiver.threads[0].calls = 4000;
	C.receiver.threads[0].full = 400;
	diagnosis_free(&D);
	diagnosis_free(&TOT);
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert_int_eq(diagnose(&P, &C, &TOT), 0);
}

/* The receiver panel: one row per thread, busiest first, with its batch
 * fill and CPU; the CPU panel marks the CPU a receiver thread ran on. */
START_TEST(receiver_panel)
{
	char buf[512];
	int y;

	add_receiver();
	V.show_idle = true;
	draw(120, 60, false);
	y = find_text("receiver 127.0.0.1:5000: 2 threads", buf, sizeof(buf));
	ck_assert_int_ge(y, 0);
	row(y + 2, buf, sizeof(buf));
	ck_assert_msg(strncmp(buf, "     0    400.0k", 16) == 0, "row: '%s'", buf);
	ck_assert_msg(strstr(buf, "  100.0  10.0%    3    0 ") != NULL, "row: '%s'", buf);
	row(y + 3, buf, sizeof(buf));
	ck_assert_msg(strncmp(buf, "     1         0", 16) == 0, "row: '%s'", buf);
	y = find_row("   3 ", buf, sizeof(buf));
	ck_assert_msg(y >= 0 && strchr(buf, 'R') && buf[5] != ' ', "CPU 3 row: '%s'", buf);
	ck_assert_int_ge(find_row("   4 *", buf, sizeof(buf)), 0);
}
END_TEST

/* -d 0.05 is shown as given, not rounded to "every 0.1 s". */
START_TEST(interval_as_given)
{
	char buf[1024];

	ST.interval = 0.05;
	draw(120, 40, false);
	row(0, buf, sizeof(buf));
	ST.interval = 1;
	ck_assert_msg(strstr(buf, "  every 0.05 s  ") != NULL, "top line: '%s'",
		      buf);
}
END_TEST

/* A watched device that is down is marked in the top line. */
START_TEST(device_down_marked)
{
	char buf[1024];
	struct device *c = snapshot_find_device(&C, "eth0");

	snprintf(c->operstate, sizeof(c->operstate), "down");
	c->admin_up = 0;
	diagnosis_free(&D);
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	draw(80, 24, false);
	row(0, buf, sizeof(buf));
	ck_assert_msg(strstr(buf, "  1:eth0 DOWN ") != NULL, "top: '%s'", buf);
}
END_TEST

/* ---- 80x24: the essentials ---------------------------------------------- */

START_TEST(essentials_80x24)
{
	char buf[1024];
	static const char *const stages[] = {
		" nic ", " softirq ", " ip ", " netfilter ", " udp ",
		" socket <", " app ",
		" unaccounted ",
	};
	int y;

	draw(80, 24, false);
	row(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, " droptop  testhost  6.1.0-test  every 1 s  "
			      "replay 1/1  1:eth0            h: help");
	row(1, buf, sizeof(buf));
	/* Shortened at a word: the aside goes, "(" is never left dangling. */
	ck_assert_str_eq(buf, " verdict: socket \u2014 3000 pkt/s lost: "
			      "dropped because receive buffers are full");
	for (size_t i = 0; i < ARRAY_SIZE(stages); i++)
		ck_assert_msg(find_row(stages[i], buf, sizeof(buf)) == 3 + (int)i,
			      "stage row %s", stages[i]);
	find_row(" socket <", buf, sizeof(buf));
	/* The bar gives way so that the loss counter is read whole. */
	ck_assert_str_eq(buf, " socket <      500.0k     3000   0.60% "
			      "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588"
			      "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588"
			      "\u2588 UdpRcvbufErrors 3000/s");
	/* The softirq's 100/s against the socket's 3000/s: 0.27 of a cell. */
	find_row(" softirq ", buf, sizeof(buf));
	ck_assert_str_eq(buf, " softirq       500.0k      100   0.02% \u258b"
			      "                 dropped 100/s");
	y = find_row("> RX queues: 1, 11 idle hidden (a), sort rx/s", buf,
		     sizeof(buf));
	ck_assert_int_eq(y, 11);
	row(y + 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "dev        q    rx/s  drop/s  share                 "
			      "                irq cpu");
	ck_assert_int_eq(find_row("   4 *        ?        0  500.1k     100"
				  "         0    ?", buf, sizeof(buf)), 16);
	/* From /proc/net/udp: no owner, rcvbuf or fill; no room for the
	 * remote address and inode at 80 columns. */
	ck_assert_int_eq(find_row("0.0.0.0:5353          ?                 3000"
				  "         0          ?      ?    105", buf,
				  sizeof(buf)), 19);
	row(y + 2, buf, sizeof(buf));
	ck_assert_str_eq(buf, "eth0       4  500.0k       ? 100.0% "
			      "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588"
			      "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588"
			      "\u2588\u2588\u2588\u2588\u2588\u2588\u2588\u2588"
			      "\u2588\u2588\u2588\u2588\u2588\u2588   44 4");
	ck_assert_int_ge(find_row("  CPUs: ", buf, sizeof(buf)), 0);
	ck_assert_int_ge(find_row("  UDP sockets: 1", buf, sizeof(buf)), 0);
	ck_assert_int_ge(find_row("  findings: ", buf, sizeof(buf)), 0);
	/* The first hint is shown whole, on its three lines. */
	ck_assert_int_eq(find_row(" hint: 500000 datagrams/s arrive, 497000/s "
				  "are read: the readers keep up on", buf,
				  sizeof(buf)), 21);
	ck_assert_int_eq(find_row("   drop", buf, sizeof(buf)), 23);
	/* The findings, focused, scroll line by line down to the last; on
	 * the way the buffer hint's command shows whole, on one line. */
	V.focus = DP_FINDINGS;
	draw(80, 24, false);
	ck_assert_int_eq(find_row(" [rss-imbalance] eth0: queue 4", buf,
				  sizeof(buf)), -1);
	bool command_whole = false;
	for (int i = 0; i < 15 && find_row(" [rss-imbalance] eth0: queue 4",
					    buf, sizeof(buf)) < 0; i++) {
		dash_key(&V, DK_DOWN, 1);
		draw(80, 24, false);
		if (find_row("   sysctl -w net.core.rmem_max=26214400 "
			     "(now 212992)", buf, sizeof(buf)) >= 20)
			command_whole = true;
	}
	ck_assert_msg(command_whole, "the rmem_max command never showed whole");
	ck_assert_int_ge(find_row(" [rss-imbalance] eth0: queue 4", buf,
				  sizeof(buf)), 0);
	ck_assert_int_gt(V.scroll[DP_FINDINGS], 0);
	ck_assert_int_ge(find_row("> findings: 3, hints: 3  [", buf,
				  sizeof(buf)), 0);
}
END_TEST

/* The queues panel gets the lines it wants when focused; the CPUs when
 * Tab moves the focus to them. 26 lines: the first hint's 3 lines are
 * given first, then 3 lines are left to the focused panel. */
START_TEST(focus_gives_lines)
{
	char buf[1024];
	int before, after;

	V.show_idle = true;
	draw(80, 26, false);
	before = V.page[DP_CPUS];
	ck_assert_int_eq(before, 1);
	ck_assert_int_eq(V.page[DP_QUEUES], 3);
	ck_assert_int_eq(dash_key(&V, DK_TAB, D.ndevs), DA_REDRAW);
	ck_assert_int_eq(V.focus, DP_CPUS);
	draw(80, 26, false);
	after = V.page[DP_CPUS];
	ck_assert_int_gt(after, before);
	ck_assert_int_eq(after, 3);
	ck_assert_int_eq(V.page[DP_QUEUES], 1);
	ck_assert_int_ge(find_row("> CPUs: 5, sort load", buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "[1-3 of 5]"));
}
END_TEST

/* Every size from 1x1 to 200x60: the canvas never overflows (ASan), and
 * below 80x24 the last row says so. */
START_TEST(every_size)
{
	char buf[1024];

	for (int w = 1; w <= 200; w += (w < 90 ? 1 : 7))
		for (int h = 1; h <= 60; h += (h < 30 ? 1 : 5)) {
			V.help = (w + h) % 3 == 0;
			V.show_totals = (w + h) % 2 == 0;
			draw(w, h, (w * h) % 5 == 0);
			if (w >= 80 && h >= 24)
				continue;
			row(h - 1, buf, sizeof(buf));
			if (w >= 50 && !V.help)
				ck_assert_msg(strstr(buf, "is below 80x24"),
					      "%dx%d: '%s'", w, h, buf);
		}
}
END_TEST

START_TEST(wide_two_columns)
{
	char buf[2048];
	int y;

	draw(160, 48, false);
	y = find_row("> RX queues: 1", buf, sizeof(buf));
	ck_assert_int_eq(y, 11);
	ck_assert_ptr_nonnull(strstr(buf, "  CPUs: 1, 4 idle hidden (a), sort load"));
	ck_assert_int_gt(find_row("  findings: ", buf, sizeof(buf)), y);
}
END_TEST

START_TEST(totals_columns)
{
	char buf[1024];

	V.show_totals = true;
	draw(120, 30, false);
	ck_assert_int_eq(find_row(" stage           in/s   lost/s  loss %   "
				  "in total lost total lost", buf,
				  sizeof(buf)), 2);
	find_row(" socket <", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "3000   0.60%     500.0k       3000 "));
	ck_assert_int_ge(find_row("eth0       4  500.0k       ? 100.0%    500.0k"
				  "          ? ", buf, sizeof(buf)), 0);
	ck_assert_int_ge(find_row("0.0.0.0:5353          ?                 3000"
				  "       3000         0          ?      ? "
				  "0.0.0.0:*            105        941", buf,
				  sizeof(buf)), 0);
	/* Without a totals diagnosis (just reset) they are unknown. */
	dash_canvas_free(&CV);
	dash_canvas_init(&CV, 120, 30, false);
	dash_draw(&CV, &D, NULL, &V, &ST);
	find_row(" socket <", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "0.60%          ?          ? "));
}
END_TEST

START_TEST(ascii_bars)
{
	char buf[1024];

	draw(80, 24, true);
	ck_assert_int_ge(find_row("eth0       4  500.0k       ? 100.0% "
				  "##############################   44 4",
				  buf, sizeof(buf)), 0);
	/* No em dash in ASCII: a hyphen stands for it. */
	row(1, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, " verdict: socket - 3000 pkt/s"));
}
END_TEST

START_TEST(help_overlay)
{
	char buf[1024];

	ST.cpu_refresh_ms = 0.5;
	ST.cpu_draw_ms = 0.25;
	ck_assert_int_eq(dash_key(&V, 'h', 1), DA_REDRAW);
	draw(80, 24, false);
	ck_assert_int_eq(find_text("  droptop dashboard: keys", buf,
				   sizeof(buf)), 1);
	ck_assert_int_eq(find_text("  source: test", buf, sizeof(buf)), 19);
	ck_assert_int_eq(find_text("  cost: 0.50 ms CPU per refresh "
				   "(drawing 0.25 ms),", buf, sizeof(buf)), 20);
	ck_assert_int_eq(find_text("        0.050 % of one CPU at -d 1", buf,
				   sizeof(buf)), 21);
	/* Any key closes it; q still quits. */
	ck_assert_int_eq(dash_key(&V, 'x', 1), DA_REDRAW);
	ck_assert(!V.help);
	dash_key(&V, '?', 1);
	ck_assert_int_eq(dash_key(&V, 'q', 1), DA_QUIT);
}
END_TEST

/* ---- keys ---------------------------------------------------------------- */

START_TEST(keys_scroll_sort_device)
{
	char buf[1024];

	V.show_idle = true;
	draw(80, 26, false);
	ck_assert_int_eq(V.page[DP_QUEUES], 3);
	dash_key(&V, DK_PGDN, 1);
	ck_assert_int_eq(V.scroll[DP_QUEUES], 2);
	dash_key(&V, DK_END, 1);
	draw(80, 26, false);
	ck_assert_int_eq(V.scroll[DP_QUEUES], 12 - 3);  /* clamped */
	ck_assert_int_ge(find_row("> RX queues: 12, sort rx/s  [10-12 of 12]",
				  buf, sizeof(buf)), 0);
	dash_key(&V, DK_HOME, 1);
	ck_assert_int_eq(V.scroll[DP_QUEUES], 0);
	dash_key(&V, DK_UP, 1);
	ck_assert_int_eq(V.scroll[DP_QUEUES], 0);
	ck_assert_int_eq(dash_key(&V, 's', 1), DA_REDRAW);
	draw(80, 26, false);
	ck_assert_int_ge(find_row("> RX queues: 12, sort drop/s", buf,
				  sizeof(buf)), 0);
	dash_key(&V, 's', 1);
	draw(80, 26, false);
	/* By number: queue 0 first. */
	ck_assert_int_ge(find_row("eth0       0 ", buf, sizeof(buf)), 12);
	dash_key(&V, '1', 1);
	ck_assert_int_eq(V.dev_focus, 0);
	draw(80, 26, false);
	row(0, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "[1:eth0]"));
	ck_assert_int_ge(find_row("> RX queues of eth0: 12", buf, sizeof(buf)), 0);
	dash_key(&V, '2', 1);   /* no second interface: unchanged */
	ck_assert_int_eq(V.dev_focus, 0);
	dash_key(&V, '1', 1);   /* again: all interfaces */
	ck_assert_int_eq(V.dev_focus, -1);
}
END_TEST

START_TEST(keys_actions)
{
	static const struct { int key; enum dash_action a; } cases[] = {
		{ 'q', DA_QUIT }, { 'p', DA_PAUSE }, { ' ', DA_PAUSE },
		{ 'r', DA_RESET }, { '+', DA_SLOWER }, { '-', DA_FASTER },
		{ 'd', DA_CYCLE_INTERVAL }, { 'n', DA_STEP },
		{ DK_RESIZE, DA_REDRAW }, { 'a', DA_REDRAW }, { 't', DA_REDRAW },
		{ 'g', DA_REDRAW }, { 'Z', DA_NONE },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		ck_assert_int_eq(dash_key(&V, cases[i].key, 1), cases[i].a);
	ck_assert(V.show_idle);
	ck_assert(V.show_totals);
	ck_assert(V.graph);
	ck_assert(dash_interval_next(1) == 2);
	ck_assert(dash_interval_prev(1) == 0.5);
	ck_assert(dash_interval_next(60) == 60);
	ck_assert(dash_interval_prev(0.2) == 0.2);
	ck_assert(dash_interval_cycle(60) == 0.2);
	ck_assert(dash_interval_cycle(0.7) == 1);
}
END_TEST

/* Adds the drop-reasons source to both snapshots: in the second, 40000
 * NO_SOCKET on udp/5361, 3000 SOCKET_RCVBUFF on udp/5353, 100 CPU_BACKLOG
 * (no port) and 10 NO_SOCKET on tcp/22 (off the UDP path: "other"). */
static void add_reasons(void)
{
	static const struct drop_reason_count keys[] = {
		{ "NO_SOCKET", AF_INET, IPPROTO_UDP, 5361, "lo", 50 },
		{ "SOCKET_RCVBUFF", AF_INET, IPPROTO_UDP, 5353, "lo", 0 },
		{ "CPU_BACKLOG", 0, -1, -1, "eth0", 7 },
		{ "NO_SOCKET", AF_INET6, IPPROTO_TCP, 22, "eth0", 1 },
	};
	static const uint64_t added[] = { 40000, 3000, 100, 10 };
	struct snapshot *both[2] = { &P, &C };

	for (int i = 0; i < 2; i++) {
		both[i]->have_drop_reasons = true;
		both[i]->nreasons = ARRAY_SIZE(keys);
		both[i]->reasons = xcalloc(ARRAY_SIZE(keys), sizeof(keys[0]));
		memcpy(both[i]->reasons, keys, sizeof(keys));
	}
	for (size_t k = 0; k < ARRAY_SIZE(keys); k++)
		C.reasons[k].count += added[k];
	diagnosis_free(&D);
	diagnosis_free(&TOT);
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
	ck_assert_int_eq(diagnose(&P, &C, &TOT), 0);
}

/* The row of the reasons panel r rows below its headings, into buf. */
static void reason_row(int r, char *buf, size_t size)
{
	int y = -1;

	for (int i = 0; i < CV.h && y < 0; i++) {
		dash_row_text(&CV, i, buf, size);
		if (strstr(buf, "drop reasons (kernel)"))
			y = i + 1;
	}
	ck_assert_int_ge(y, 0);
	row(y + 1 + r, buf, size);
}

/* buf with runs of blanks as one (the reason column is flexible) starts
 * with prefix. */
static void assert_starts(const char *buf, const char *prefix)
{
	char sq[1024];
	size_t n = 0;

	for (const char *p = buf; *p && n + 1 < sizeof(sq); p++)
		if (*p != ' ' || (n && sq[n - 1] != ' '))
			sq[n++] = *p;
	sq[n] = '\0';
	ck_assert_msg(strncmp(sq, prefix, strlen(prefix)) == 0,
		      "row '%s', expected '%s...'", buf, prefix);
}

/* The drop-reasons panel: one row per reason and port with its stage and
 * rate, busiest first; s sorts by stage (waterfall order, "other" last)
 * and by port; hidden when the source was not read. */
START_TEST(reasons_panel)
{
	char buf[1024];
	int s;

	draw(100, 60, false);
	ck_assert_int_lt(find_text("drop reasons", buf, sizeof(buf)), 0);
	ck_assert(!V.shown[DP_REASONS]);
	add_reasons();
	for (int wide = 0; wide < 2; wide++) {
		V.sort[DP_REASONS] = 0;
		draw(wide ? 170 : 100, 60, false);
		ck_assert(V.shown[DP_REASONS]);
		ck_assert_int_ge(find_text("drop reasons (kernel): 4, sort pkt/s",
					   buf, sizeof(buf)), 0);
		reason_row(0, buf, sizeof(buf));
		s = wide ? 85 : 0;
		ck_assert_msg(strlen(buf) > (size_t)s, "row '%s'", buf);
		assert_starts(buf + s, "NO_SOCKET udp udp/5361 40.00k");
		reason_row(1, buf, sizeof(buf));
		assert_starts(buf + s, "SOCKET_RCVBUFF socket udp/5353 3000 ");
		reason_row(3, buf, sizeof(buf));
		assert_starts(buf + s, "NO_SOCKET other tcp6/22 10");
	}
	V.focus = DP_REASONS;
	ck_assert_int_eq(dash_key(&V, 's', 1), DA_REDRAW);
	draw(100, 60, false);
	ck_assert_int_ge(find_text("sort stage", buf, sizeof(buf)), 0);
	reason_row(0, buf, sizeof(buf));
	assert_starts(buf, "CPU_BACKLOG softirq - 100");
	reason_row(1, buf, sizeof(buf));
	assert_starts(buf, "NO_SOCKET udp ");
	reason_row(3, buf, sizeof(buf));
	assert_starts(buf, "NO_SOCKET other ");
	dash_key(&V, 's', 1);
	draw(100, 60, false);
	ck_assert_int_ge(find_text("sort port", buf, sizeof(buf)), 0);
	reason_row(1, buf, sizeof(buf));
	assert_starts(buf, "NO_SOCKET other tcp6/22");
	reason_row(3, buf, sizeof(buf));
	assert_starts(buf, "NO_SOCKET udp udp/5361");
	/* At 80x24 the first hint keeps its lines (the reasons get what is
	 * left, here nothing); a taller terminal shows both. */
	V.focus = DP_QUEUES;
	draw(80, 24, false);
	ck_assert_int_eq(find_row(" hint: 500000 datagrams/s arrive", buf,
				  sizeof(buf)), 21);
	ck_assert(!V.shown[DP_REASONS]);
	draw(80, 32, false);
	ck_assert_int_ge(find_row(" hint: 500000 datagrams/s arrive", buf,
				  sizeof(buf)), 0);
	ck_assert(V.shown[DP_REASONS]);
	/* Tab reaches it, from the panel before. */
	V.focus = DP_SOCKETS;
	dash_key(&V, DK_TAB, 1);
	ck_assert_int_eq(V.focus, DP_REASONS);
}
END_TEST

/* Tab skips panels that were not drawn (the receiver without rows). */
START_TEST(tab_skips_hidden)
{
	draw(80, 24, false);
	ck_assert(!V.shown[DP_RECEIVER]);
	V.focus = DP_SOCKETS;
	dash_key(&V, DK_TAB, 1);
	ck_assert_int_eq(V.focus, DP_FINDINGS);
	dash_key(&V, DK_TAB, 1);
	ck_assert_int_eq(V.focus, DP_QUEUES);
	dash_key(&V, DK_BTAB, 1);
	ck_assert_int_eq(V.focus, DP_FINDINGS);
}
END_TEST

/* ---- text that fits: wrapping and shortening ----------------------------- */

/* The lines of text wrapped to w, joined with '|'. */
static void wrapped(const char *text, int w, int indent, char *buf,
		    size_t size)
{
	struct dash_lines l = { NULL, 0, 0 };
	struct strbuf sb;

	dash_wrap(&l, text, w, indent, DS_NORMAL);
	sb_init(&sb);
	for (size_t i = 0; i < l.n; i++)
		sb_printf(&sb, "%s%s", i ? "|" : "", l.v[i].text);
	copy_token(buf, size, sb.s ? sb.s : "", sb.len);
	sb_free(&sb);
	dash_lines_free(&l);
}

START_TEST(wrap_cases)
{
	static const struct {
		const char *text;
		int w, indent;
		const char *want;
	} cases[] = {
		/* A command that fits a line goes whole to the next one. */
		{ "hint: raise: sysctl -w net.core.rmem_max=26214400 (now 212992)",
		  40, 2, "hint: raise:|  sysctl -w net.core.rmem_max=26214400|"
			 "  (now 212992)" },
		/* Longer than a line: from a line of its own, at its spaces,
		 * then continued, never cut. */
		{ "fix: sysctl -w net.core.rmem_max=26214400", 20, 2,
		  "fix:|  sysctl -w|  net.core.rmem_max=|  26214400" },
		/* After a colon "ip" starts a command; in prose it is a word. */
		{ "x: ip -6 route show", 12, 0, "x:|ip -6 route|show" },
		{ "the ip -6 route show", 12, 0, "the ip -6|route show" },
		{ "no route (ip -6 route) here", 14, 0,
		  "no route|(ip -6 route)|here" },
		/* A command ends at a comma. */
		{ "a: ethtool -G eth0 rx 4096, or more", 22, 0,
		  "a:|ethtool -G eth0 rx|4096, or more" },
		{ "abcdefghij", 4, 2, "abcd|efgh|ij" },
		{ "\u00e9t\u00e9 \u00e9t\u00e9 \u00e9t\u00e9", 7, 0,
		  "\u00e9t\u00e9 \u00e9t\u00e9|\u00e9t\u00e9" },
		{ "  two  spaces  ", 80, 0, "two spaces" },
		{ "", 10, 0, "" },
		{ "word", 0, 0, "w|o|r|d" },
	};
	char buf[512];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		wrapped(cases[i].text, cases[i].w, cases[i].indent, buf,
			sizeof(buf));
		ck_assert_msg(strcmp(buf, cases[i].want) == 0,
			      "case %zu: '%s', want '%s'", i, buf,
			      cases[i].want);
	}
}
END_TEST

/* At every width: no line wider than the width, no character lost, and
 * the command on one line whenever the width can hold it. */
START_TEST(wrap_every_width)
{
	static const char text[] =
		"raise the socket receive buffer: setsockopt(SO_RCVBUF) in "
		"the application, capped by net.core.rmem_max: sysctl -w "
		"net.core.rmem_max=26214400 (now 212992)";
	static const char cmd[] = "sysctl -w net.core.rmem_max=26214400";
	size_t nonblank = 0;

	for (const char *c = text; *c; c++)
		nonblank += *c != ' ';
	for (int w = 1; w <= 200; w++) {
		struct dash_lines l = { NULL, 0, 0 };
		struct strbuf all;
		bool whole = false;

		dash_wrap(&l, text, w, 2, DS_BOLD);
		sb_init(&all);
		for (size_t i = 0; i < l.n; i++) {
			ck_assert_int_le(dash_text_cols(l.v[i].text), w);
			ck_assert_int_eq(l.v[i].st, DS_BOLD);
			whole |= strstr(l.v[i].text, cmd) != NULL;
			for (const char *c = l.v[i].text; *c; c++)
				if (*c != ' ')
					sb_putc(&all, *c);
		}
		if (w >= (int)strlen(cmd) + 2)
			ck_assert_msg(whole, "width %d: command split", w);
		ck_assert_int_eq(all.len, nonblank);
		sb_free(&all);
		dash_lines_free(&l);
	}
}
END_TEST

START_TEST(shorten_cases)
{
	static const struct {
		const char *text;
		int w;
		bool ascii;
		const char *want;
		int how;
	} cases[] = {
		{ "fits as it is", 13, false, "fits as it is", 0 },
		{ "dropped because buffers are full (RcvbufErrors)", 40, false,
		  "dropped because buffers are full", 1 },
		{ "a (x) b (y) c", 9, false, "a (x) b c", 1 },
		{ "verdict: softirq \u2014 265.3k pkt/s lost: dropped because "
		  "per-CPU backlog queues are full (softnet dropped)", 60,
		  false, "verdict: softirq \u2014 265.3k pkt/s lost: dropped "
			 "because\u2026", 2 },
		/* No "(" or ":" left before the ellipsis. */
		{ "one two: three four", 10, false, "one two\u2026", 2 },
		{ "one two: three four", 10, true, "one two...", 2 },
		{ "socket \u2014 lost 5", 9, false, "socket\u2026", 2 },
		{ "abcdefghijkl", 6, false, "abcde\u2026", 2 },
		{ "abcdef", 0, false, "", 2 },
	};
	char buf[256];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int how = dash_shorten(buf, sizeof(buf), cases[i].text,
				       cases[i].w, cases[i].ascii);

		ck_assert_msg(strcmp(buf, cases[i].want) == 0 &&
			      how == cases[i].how, "case %zu: '%s' (%d)", i,
			      buf, how);
		ck_assert_int_le(dash_text_cols(buf), cases[i].w);
	}
}
END_TEST

/* A hint with a command is readable at 80, 120 and 200 columns: the
 * command is on one row, focused or not. */
START_TEST(hint_command_every_size)
{
	static const int sizes[][2] = { { 80, 24 }, { 120, 40 }, { 200, 50 } };
	static const char cmd[] = "ethtool -G eth0 rx 4096 tx 4096";
	char buf[1024];

	free(D.verdict.hints[0]);
	D.verdict.hints[0] = xstrdup(
		"the ring of eth0 fills before the softirq empties it; make "
		"it as large as the driver allows, which is what the maximum "
		"ring parameters say, and check again: ethtool -G eth0 rx "
		"4096 tx 4096 (now 512)");
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		for (int f = 0; f < 2; f++) {
			V.focus = f ? DP_FINDINGS : DP_QUEUES;
			draw(sizes[i][0], sizes[i][1], false);
			ck_assert_msg(find_text(cmd, buf, sizeof(buf)) > 0,
				      "%dx%d focus %d: command not whole",
				      sizes[i][0], sizes[i][1], f);
		}
}
END_TEST

/* The owner, rcvbuf and fill of a socket from sock_diag; the fill about
 * to overflow is marked. */
START_TEST(socket_owner_columns)
{
	char buf[1024];
	struct socket_row *s = &D.socks[0];
	int y;

	s->pid = 2657;
	strcpy(s->comm, "udpsink");
	s->have_rcvbuf = true;
	s->rcvbuf = 4096;
	s->fill = opt_known(0.95);
	draw(80, 24, false);
	y = find_row("local                 pid/command     drop/s  queued B"
		     "     rcvbuf   fill    uid", buf, sizeof(buf));
	ck_assert_int_gt(y, 0);
	row(y + 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0.0.0.0:5353          2657/udpsink      3000"
			      "         0       4096  95.0%    105");
	ck_assert_int_eq(CV.cells[(y + 1) * CV.w + 70].style, DS_WARN);
	draw(120, 40, false);
	ck_assert_int_gt(find_row("0.0.0.0:5353          2657/udpsink      "
				  "        3000         0       4096  95.0% "
				  "0.0.0.0:*            105        941", buf,
				  sizeof(buf)), 0);
}
END_TEST

/* Before the first interval: host and kernel of the first snapshot, and
 * the seconds left. */
START_TEST(countdown_before_first)
{
	char buf[1024];

	ST.host = "firsthost";
	ST.kernel = "6.1.0-first";
	ST.first_left_s = 27;
	ST.nsteps = 0;
	dash_canvas_free(&CV);
	dash_canvas_init(&CV, 80, 24, false);
	dash_draw(&CV, NULL, NULL, &V, &ST);
	row(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, " droptop  firsthost  6.1.0-first  every 1 s  "
			      "live                        h: help");
	row(1, buf, sizeof(buf));
	ck_assert_str_eq(buf, " collecting the first interval: 27 s left");
}
END_TEST

/* A top line too long for 80 columns is compacted, then shortened; the
 * help mark stays at the right end. */
START_TEST(help_mark_kept)
{
	char buf[1024];

	strcpy(D.host, "a-rather-long-host-name.example.org");
	draw(80, 24, false);
	row(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, " a-rather-long-host-name.example.org 6.1.0-test "
			      "every 1 s replay 1/1\u2026    h: help");
	draw(200, 24, false);
	row(0, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, " droptop  a-rather-long-host-name"
				     ".example.org  6.1.0-test  every 1 s  "
				     "replay 1/1  1:eth0 "));
	ck_assert_ptr_nonnull(strstr(buf, " h: help"));
}
END_TEST

/* ---- canvas and formats --------------------------------------------------- */

START_TEST(canvas_clips_and_escapes)
{
	struct dash_canvas c;
	char buf[256];

	dash_canvas_init(&c, 10, 2, false);
	ck_assert_int_eq(dash_put(&c, 0, 6, -1, DS_NORMAL, "abcdefgh"), 4);
	dash_row_text(&c, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "      abcd");
	ck_assert_int_eq(dash_put(&c, 5, 0, -1, DS_NORMAL, "x"), 0);
	/* Control, malformed UTF-8, C1, wide: one '?' each. */
	dash_put(&c, 1, 0, -1, DS_NORMAL, "a\033[\xff\xc2\x85\xe4\xb8\xad\xc3\xa9z");
	dash_row_text(&c, 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a?[???\u00e9z");
	/* Bidi controls would reorder the row: '?' too. */
	dash_put(&c, 1, 0, -1, DS_NORMAL, "a\u202eb\u2067c\u2069d\u2030");
	dash_row_text(&c, 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "a?b?c?d\u2030");
	dash_canvas_free(&c);
	dash_canvas_init(&c, 4, 1, true);
	dash_put(&c, 0, 0, -1, DS_NORMAL, "\u00e9t\u00e9");
	dash_row_text(&c, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "?t?");
	dash_canvas_free(&c);
	dash_canvas_init(&c, 0, 0, false);
	dash_put(&c, 0, 0, 5, DS_NORMAL, "x");
	dash_bar(&c, 0, 0, 5, 1, DS_BAR);
	dash_canvas_free(&c);
}
END_TEST

/* The loss history: three refreshes of D (the socket stage losing
 * 3000/s), then one the socket stage has no figure for and one at half. */
static struct diag_history H;

static void fill_history(void)
{
	diag_history_init(&H);
	for (int i = 0; i < 3; i++)
		diag_history_add(&H, &D);
	hist_ring_push(&H.stage[STAGE_SOCKET], opt_unknown());
	hist_ring_push(&H.stage[STAGE_SOCKET], opt_known(1500));
}

static void draw_hist(int w, int h, bool ascii)
{
	dash_canvas_free(&CV);
	dash_canvas_init(&CV, w, h, ascii);
	dash_draw_hist(&CV, &D, &TOT, &H, &V, &ST);
}

static bool has_block(const char *s)
{
	static const char *const b[] = { "\u2581", "\u2582", "\u2583",
		"\u2584", "\u2585", "\u2586", "\u2587", "\u2588" };

	for (size_t i = 0; i < ARRAY_SIZE(b); i++)
		if (strstr(s, b[i]))
			return true;
	return false;
}

START_TEST(waterfall_sparklines)
{
	char buf[512], head[512];
	int y, x;

	fill_history();
	draw_hist(80, 24, false);
	y = find_row(" stage ", head, sizeof(head));
	ck_assert_int_ge(y, 0);
	ck_assert_ptr_nonnull(strstr(head, " history "));
	/* The newest at the right end of its column, rescaled to the row:
	 * full, full, full, a gap, half. */
	ck_assert_int_eq(find_row(" socket <", buf, sizeof(buf)), y + 6);
	ck_assert_ptr_nonnull(strstr(buf, "\u2588\u2588\u2588\u00b7\u2584 "));
	/* Under its heading (all ASCII up to it: bytes are columns). */
	x = (int)(strstr(head, " history ") - head) + 1;
	for (int i = 0; i < CV.w; i++)
		if (strcmp(CV.cells[(y + 6) * CV.w + i].ch, "\u2584") == 0)
			ck_assert_int_ge(i - 4, x);
	/* softirq lost 100/s all along: flat at the top; ip lost nothing:
	 * blank, not a row of lowest blocks. */
	find_row(" softirq ", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "\u2588\u2588\u2588 "));
	find_row(" ip ", buf, sizeof(buf));
	ck_assert(!has_block(buf));
	ck_assert_int_le(dash_text_cols(buf), 80);
	draw_hist(80, 24, true);
	find_row(" socket <", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "@@@?= "));
	/* Without the history (tests, reports): no column at all. */
	draw(80, 24, false);
	find_row(" stage ", buf, sizeof(buf));
	ck_assert_ptr_null(strstr(buf, "history"));
	/* Below 70 columns, or with the totals at 80, it gives way. */
	draw_hist(69, 24, false);
	find_row(" stage ", buf, sizeof(buf));
	ck_assert_ptr_null(strstr(buf, "history"));
	V.show_totals = true;
	draw_hist(80, 24, false);
	find_row(" stage ", buf, sizeof(buf));
	ck_assert_ptr_null(strstr(buf, "history"));
	/* Wide: it grows, up to all it keeps. */
	draw_hist(160, 40, false);
	find_row(" stage ", buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "history"));
	diag_history_free(&H);
}
END_TEST

/* g: the history of the top row of the focused panel, at the bottom. */
START_TEST(row_history_panel)
{
	char buf[512];
	int y;

	fill_history();
	draw_hist(80, 30, false);
	ck_assert_int_lt(find_text("history of", buf, sizeof(buf)), 0);
	ck_assert_int_eq(dash_key(&V, 'g', 1), DA_REDRAW);
	draw_hist(80, 30, false);
	y = find_text("history of RX queue eth0 4", buf, sizeof(buf));
	ck_assert_int_eq(y, 30 - 3);
	row(y + 1, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "rx/s"));
	ck_assert_ptr_nonnull(strstr(buf, "max 500.0k"));
	ck_assert_ptr_nonnull(strstr(buf, "\u2588\u2588\u2588"));
	row(y + 2, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "drops/s"));
	/* The queue's drops are unknown (sfc counts none per queue): gaps. */
	ck_assert_ptr_nonnull(strstr(buf, "\u00b7\u00b7\u00b7"));
	ck_assert(!has_block(buf));
	/* The panels above still fit. */
	ck_assert_int_ge(find_row("> RX queues", buf, sizeof(buf)), 0);
	V.focus = DP_SOCKETS;
	draw_hist(80, 30, false);
	y = find_text("history of socket 0.0.0.0 port 5353", buf, sizeof(buf));
	ck_assert_int_ge(y, 0);
	row(y + 2, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "max 3000"));
	ck_assert_ptr_nonnull(strstr(buf, "\u2588\u2588\u2588"));
	V.focus = DP_FINDINGS;
	draw_hist(80, 30, false);
	ck_assert_int_ge(find_text("history: focus the RX queues", buf,
				   sizeof(buf)), 0);
	/* Without a history kept for the row, it says so. */
	diag_history_clear(&H);
	V.focus = DP_CPUS;
	draw_hist(80, 30, false);
	ck_assert_int_ge(find_text("history of CPU ", buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "none kept yet"));
	diag_history_free(&H);
}
END_TEST

START_TEST(sparkline_chars)
{
	static const int lv[] = { HIST_EMPTY, 0, 1, 4, 8, HIST_GAP, 2 };
	struct dash_canvas c;
	char buf[256];

	dash_canvas_init(&c, 10, 1, false);
	dash_spark(&c, 0, 0, 7, lv, DS_BAR);
	dash_row_text(&c, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "  \u2581\u2584\u2588\u00b7\u2582");
	dash_canvas_free(&c);
	dash_canvas_init(&c, 10, 1, true);
	dash_spark(&c, 0, 0, 7, lv, DS_BAR);
	dash_row_text(&c, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "  .=@?:");
	dash_canvas_free(&c);
}
END_TEST

START_TEST(bars)
{
	struct dash_canvas c;
	char buf[256];

	dash_canvas_init(&c, 8, 4, false);
	dash_bar(&c, 0, 0, 4, 0.5, DS_BAR);
	dash_bar(&c, 1, 0, 4, 1.0 / 32, DS_BAR);
	dash_bar(&c, 2, 0, 4, 1e-9, DS_BAR);  /* never an empty bar */
	dash_bar(&c, 3, 0, 4, 7.0, DS_BAR);   /* clamped */
	dash_row_text(&c, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "\u2588\u2588");
	dash_row_text(&c, 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "\u258f");
	dash_row_text(&c, 2, buf, sizeof(buf));
	ck_assert_str_eq(buf, "\u258f");
	dash_row_text(&c, 3, buf, sizeof(buf));
	ck_assert_str_eq(buf, "\u2588\u2588\u2588\u2588");
	dash_canvas_free(&c);
	dash_canvas_init(&c, 8, 1, true);
	dash_bar(&c, 0, 0, 4, 0.6, DS_BAR);
	dash_row_text(&c, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "##|");
	dash_canvas_free(&c);
}
END_TEST

START_TEST(rate_format)
{
	static const struct { double v; bool known; const char *s; } cases[] = {
		{ 0, true, "0" }, { 1.5, true, "1.5" }, { 8200, true, "8200" },
		{ 9999, true, "9999" }, { 10000, true, "10.00k" },
		{ 265298, true, "265.3k" }, { 999999, true, "1.00M" },
		{ 54412186, true, "54.41M" }, { 123103001, true, "123.1M" },
		{ 2946091121154, true, "2.95T" }, { 0, false, "?" },
	};
	char buf[32];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		dash_fmt_rate(buf, sizeof(buf),
			      (struct optval){ cases[i].v, cases[i].known });
		ck_assert_str_eq(buf, cases[i].s);
	}
	dash_fmt_pct(buf, sizeof(buf), opt_known(0.004));
	ck_assert_str_eq(buf, "<0.01%");
	dash_fmt_pct(buf, sizeof(buf), opt_known(1.2394));
	ck_assert_str_eq(buf, "1.24%");
	dash_fmt_pct(buf, sizeof(buf), opt_known(100));
	ck_assert_str_eq(buf, "100.0%");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dashboard");
	TCase *tc = tcase_create("draw");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, essentials_80x24);
	tcase_add_test(tc, device_down_marked);
	tcase_add_test(tc, receiver_panel);
	tcase_add_test(tc, focus_gives_lines);
	tcase_add_test(tc, every_size);
	tcase_add_test(tc, interval_as_given);
	tcase_add_test(tc, wide_two_columns);
	tcase_add_test(tc, totals_columns);
	tcase_add_test(tc, ascii_bars);
	tcase_add_test(tc, help_overlay);
	tcase_add_test(tc, keys_scroll_sort_device);
	tcase_add_test(tc, keys_actions);
	tcase_add_test(tc, tab_skips_hidden);
	tcase_add_test(tc, reasons_panel);
	tcase_add_test(tc, canvas_clips_and_escapes);
	tcase_add_test(tc, bars);
	tcase_add_test(tc, sparkline_chars);
	tcase_add_test(tc, waterfall_sparklines);
	tcase_add_test(tc, row_history_panel);
	tcase_add_test(tc, rate_format);
	tcase_add_test(tc, wrap_cases);
	tcase_add_test(tc, wrap_every_width);
	tcase_add_test(tc, shorten_cases);
	tcase_add_test(tc, hint_command_every_size);
	tcase_add_test(tc, socket_owner_columns);
	tcase_add_test(tc, countdown_before_first);
	tcase_add_test(tc, help_mark_kept);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
