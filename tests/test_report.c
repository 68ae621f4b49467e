/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Report renderers: diagnoses are built by hand (the renderers only draw a
 * struct diagnosis), rendered as text and as JSON, and the JSON is checked
 * with jq expressions. */
#include "config.h"

#include <math.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "report.h"
#include "report_common.h"
#include "report_table.h"
#include "testutil.h"
#include "util.h"

/* ---- builders ---------------------------------------------------------- */

static struct optval K(double v)
{
	return opt_known(v);
}

static const struct optval U = { 0, false };

/* Every stage sees 120000 pkt/s and loses none; no verdict; no rows. */
static struct diagnosis *new_diag(void)
{
	struct diagnosis *d = xcalloc(1, sizeof(*d));

	d->interval_s = 1.0;
	d->realtime = 1714564800.0;   /* 2024-05-01 12:00:00 UTC */
	for (int i = 0; i < STAGE_N; i++) {
		d->stages[i].id = (enum stage_id)i;
		d->stages[i].in_pps = K(120000);
		d->stages[i].lost_pps = K(0);
		d->stages[i].lost = K(0);
	}
	d->unaccounted_pps = K(0);
	d->total_lost_pps = K(0);
	d->verdict.stage = STAGE_NONE;
	d->verdict.lost_pps = K(0);
	return d;
}

static void add_counter(struct stage *st, const char *name, struct optval v,
			bool is_loss)
{
	struct stage_counter *c = &st->counters[st->ncounters++];

	ck_assert_int_le(st->ncounters, MAX_STAGE_COUNTERS);
	c->name = name;
	c->known = v.known;
	c->per_s = v.v;
	c->delta = (uint64_t)v.v;
	c->is_loss = is_loss;
}

static void add_hint(struct diagnosis *d, const char *s)
{
	d->verdict.hints = xrealloc(d->verdict.hints,
				    (d->verdict.nhints + 1) * sizeof(char *));
	d->verdict.hints[d->verdict.nhints++] = xstrdup(s);
}

static struct device_row *add_dev(struct diagnosis *d, const char *name,
				  const char *driver, struct optval rx)
{
	struct device_row *dev;

	d->devs = xrealloc(d->devs, (d->ndevs + 1) * sizeof(*d->devs));
	dev = &d->devs[d->ndevs++];
	memset(dev, 0, sizeof(*dev));
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	snprintf(dev->driver, sizeof(dev->driver), "%s", driver);
	dev->rx_pps = rx;
	dev->nic_lost_pps = K(0);
	dev->nic_loss_source = "ethtool -S";
	dev->nrxq = 8;
	dev->numa_node = 0;
	dev->ring_rx = dev->ring_rx_max = -1;
	return dev;
}

static void add_other(struct device_row *dev, const char *name,
		      struct optval v)
{
	dev->other_names = xrealloc(dev->other_names,
				    (dev->nother + 1) * sizeof(char *));
	dev->other_ps = xrealloc(dev->other_ps,
				 (dev->nother + 1) * sizeof(*dev->other_ps));
	dev->other_names[dev->nother] = xstrdup(name);
	dev->other_ps[dev->nother++] = v;
}

static void add_queue(struct diagnosis *d, int queue, struct optval rx,
		      struct optval share, int irq, const char *cpus)
{
	struct queue_row *q;

	d->queues = xrealloc(d->queues, (d->nqueues + 1) * sizeof(*q));
	q = &d->queues[d->nqueues++];
	memset(q, 0, sizeof(*q));
	snprintf(q->dev, sizeof(q->dev), "eth0");
	q->queue = queue;
	q->rx_pps = rx;
	q->drops_pps = K(0);
	q->share = share;
	q->irq = irq;
	snprintf(q->cpus, sizeof(q->cpus), "%s", cpus);
	q->idle = rx.known && rx.v == 0;
	q->napi_id = -1;
	q->napi_pid = -1;
}

static struct cpu_row *add_cpu(struct diagnosis *d, int cpu,
			       struct optval softirq_pct, bool idle)
{
	struct cpu_row *c;

	d->cpus = xrealloc(d->cpus, (d->ncpus + 1) * sizeof(*c));
	c = &d->cpus[d->ncpus++];
	memset(c, 0, sizeof(*c));
	c->cpu = cpu;
	c->softirq_pct = softirq_pct;
	c->net_rx_ps = K(idle ? 0 : 3000);
	c->processed_ps = K(idle ? 0 : 120000);
	c->dropped_ps = K(0);
	c->squeeze_ps = K(idle ? 0 : 12);
	c->flow_limit_ps = K(0);
	c->numa_node = 0;
	c->idle = idle;
	return c;
}

static void add_socket(struct diagnosis *d, int family, const char *local,
		       uint16_t lport, uint64_t inode, struct optval drops)
{
	struct socket_row *s;

	d->socks = xrealloc(d->socks, (d->nsocks + 1) * sizeof(*s));
	s = &d->socks[d->nsocks++];
	memset(s, 0, sizeof(*s));
	s->family = family;
	snprintf(s->local, sizeof(s->local), "%s", local);
	s->lport = lport;
	snprintf(s->remote, sizeof(s->remote), "%s",
		 family == AF_INET6 ? "::" : "0.0.0.0");
	s->inode = inode;
	s->uid = 1000;
	s->rx_queue = drops.known && drops.v > 0 ? 212992 : 0;
	s->drops_ps = drops;
	s->drops = drops;
	s->idle = drops.known && drops.v == 0;
}

static void add_finding(struct diagnosis *d, const char *id,
			const char *detail)
{
	struct finding *f;

	d->findings = xrealloc(d->findings,
			       (d->nfindings + 1) * sizeof(*f));
	f = &d->findings[d->nfindings++];
	memset(f, 0, sizeof(*f));
	snprintf(f->id, sizeof(f->id), "%s", id);
	f->detail = xstrdup(detail);
	f->about.queue = f->about.cpu = f->about.port = -1;
}

static void add_note(struct diagnosis *d, const char *s)
{
	d->notes = xrealloc(d->notes, (d->nnotes + 1) * sizeof(char *));
	d->notes[d->nnotes++] = xstrdup(s);
}

/* Frees what the builders allocated (independent of diagnosis_free). */
static void free_diag(struct diagnosis *d)
{
	for (size_t i = 0; i < d->verdict.nhints; i++)
		free(d->verdict.hints[i]);
	free(d->verdict.hints);
	free(d->verdict.summary);
	for (size_t i = 0; i < d->ndevs; i++) {
		for (size_t j = 0; j < d->devs[i].nother; j++)
			free(d->devs[i].other_names[j]);
		free(d->devs[i].other_names);
		free(d->devs[i].other_ps);
	}
	free(d->devs);
	free(d->queues);
	free(d->cpus);
	free(d->socks);
	free(d->groups);
	for (size_t i = 0; i < d->nfindings; i++)
		free(d->findings[i].detail);
	free(d->findings);
	for (size_t i = 0; i < d->nnotes; i++)
		free(d->notes[i]);
	free(d->notes);
	free(d);
}

/* A UDP socket never read: 48211 of 120000 pkt/s die as RcvbufErrors. */
static struct diagnosis *socket_loss(void)
{
	struct diagnosis *d = new_diag();
	struct stage *so = &d->stages[STAGE_SOCKET];

	add_counter(&d->stages[STAGE_NIC], "rx_missed_errors", K(0), true);
	add_counter(&d->stages[STAGE_UDP], "InDatagrams", K(120000), false);
	add_counter(&d->stages[STAGE_UDP], "NoPorts", K(0), true);
	add_counter(so, "RcvbufErrors", K(48211), true);
	so->lost_pps = K(48211);
	so->lost = K(48211);
	d->stages[STAGE_APP].in_pps = K(71789);
	d->total_lost_pps = K(48211);
	d->verdict.stage = STAGE_SOCKET;
	d->verdict.lost_pps = K(48211);
	d->verdict.summary = xstrdup("receive buffers full (RcvbufErrors)");
	add_hint(d, "raise SO_RCVBUF (net.core.rmem_max = 212992)");
	add_hint(d, "read faster: more receiver threads (SO_REUSEPORT)");
	add_dev(d, "lo", "", K(120000));
	add_socket(d, AF_INET, "127.0.0.1", 5000, 4242, K(48211));
	add_socket(d, AF_INET6, "::1", 53, 777, K(0));
	add_finding(d, "rcvbuf-overflow",
		    "127.0.0.1:5000 (inode 4242): rcvbuf 212992 B full");
	return d;
}

/* ---- rendering and inspection helpers ---------------------------------- */

static char *render_text(const struct diagnosis *d, bool all,
			 const char *source)
{
	struct report_options o = { .all = all, .source = source };
	struct strbuf sb;

	sb_init(&sb);
	report_text(d, &o, &sb);
	return sb_steal(&sb);
}

/* The line of text that starts with prefix (copied), or NULL. */
static char *line_starting(const char *text, const char *prefix)
{
	const char *pos = text, *line;
	size_t len, plen = strlen(prefix);

	while ((line = next_line(&pos, &len)))
		if (len >= plen && memcmp(line, prefix, plen) == 0)
			return xstrndup(line, len);
	return NULL;
}

/* Splits a copy of a line at blanks; returns the number of fields. */
static int fields(char *line, char **f, int max)
{
	int n = 0;

	for (char *tok = strtok(line, " "); tok && n < max;
	     tok = strtok(NULL, " "))
		f[n++] = tok;
	return n;
}

static int count_lines_starting(const char *text, const char *prefix)
{
	const char *pos = text, *line;
	size_t len, plen = strlen(prefix);
	int n = 0;

	while ((line = next_line(&pos, &len)))
		n += len >= plen && memcmp(line, prefix, plen) == 0;
	return n;
}

static void assert_has(const char *text, const char *needle)
{
	ck_assert_msg(strstr(text, needle), "missing \"%s\" in:\n%s", needle,
		      text);
}

static void assert_lacks(const char *text, const char *needle)
{
	ck_assert_msg(!strstr(text, needle), "unexpected \"%s\" in:\n%s",
		      needle, text);
}

/* JSON is written to a temporary file, unlinked at once (so that a failed
 * test leaves nothing behind) and questioned with jq as /dev/fd/N. */
struct jtest {
	int fd;
	char path[64];
	char *json;
};

static void need_jq(void)
{
	ck_assert_msg(system("jq --version >/dev/null 2>&1") == 0,
		      "jq is not installed: the JSON report tests need it "
		      "(apt-get install jq; CI installs it)");
}

static void jt_open(struct jtest *j, const struct diagnosis *d, bool all)
{
	struct report_options o = { .all = all, .source = "live" };
	char tmp[] = "/tmp/droptop-report-XXXXXX";
	struct strbuf sb;
	size_t len;

	need_jq();
	sb_init(&sb);
	report_json(d, &o, &sb);
	len = sb.len;
	j->json = sb_steal(&sb);
	j->fd = mkstemp(tmp);
	ck_assert_msg(j->fd >= 0, "mkstemp failed");
	unlink(tmp);
	ck_assert_int_eq(write(j->fd, j->json, len), (ssize_t)len);
	snprintf(j->path, sizeof(j->path), "/dev/fd/%d", j->fd);
}

/* jq -e exits 0 only when the expression's last value is neither false
 * nor null, and fails on invalid JSON. */
static void jt_true(struct jtest *j, const char *expr)
{
	char cmd[1024];

	ck_assert_ptr_null(strchr(expr, '\''));
	snprintf(cmd, sizeof(cmd), "jq -e '%s' %s >/dev/null 2>&1", expr,
		 j->path);
	ck_assert_msg(system(cmd) == 0, "jq -e '%s' is not true for:\n%s",
		      expr, j->json);
}

/* The raw bytes jq -j prints for expr (a string comes out unquoted). */
static char *jt_raw(struct jtest *j, const char *expr)
{
	char cmd[1024], buf[4096];
	struct strbuf sb;
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "jq -j '%s' %s", expr, j->path);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	sb_init(&sb);
	while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
		sb_append(&sb, buf, n);
	ck_assert_int_eq(pclose(p), 0);
	sb_append(&sb, "", 0);   /* terminated even when jq printed nothing */
	return sb_steal(&sb);
}

static void jt_close(struct jtest *j)
{
	close(j->fd);
	free(j->json);
}

/* ---- text ---------------------------------------------------------------- */

START_TEST(text_socket_loss_verdict_first)
{
	struct diagnosis *d = socket_loss();
	char *t = render_text(d, false, "live");
	const char *verdict = strstr(t, "verdict: ");

	ck_assert_ptr_nonnull(verdict);
	ck_assert_msg(verdict == t, "the verdict is not the first line: %s", t);
	assert_has(t, "droptop report: live, interval 1.00 s, "
		      "2024-05-01 12:00:00 UTC\n");
	assert_has(t, "verdict: socket \u2014 48211 pkt/s lost: receive "
		      "buffers full (RcvbufErrors)\n"
		      "  hint: raise SO_RCVBUF (net.core.rmem_max = 212992)\n"
		      "  hint: read faster: more receiver threads "
		      "(SO_REUSEPORT)\n");
	ck_assert_int_eq(count_lines_starting(t, "  hint: "), 2);
	free_diag(d);
	free(t);
}
END_TEST

START_TEST(text_waterfall_rows)
{
	struct diagnosis *d = socket_loss();
	char *t = render_text(d, false, "live");
	char *line, *f[12];
	int n;

	line = line_starting(t, "  socket ");
	ck_assert_ptr_nonnull(line);
	n = fields(line, f, 12);
	ck_assert_int_eq(n, 7);
	ck_assert_str_eq(f[1], "120000");
	ck_assert_str_eq(f[2], "48211");
	ck_assert_str_eq(f[3], "40.18%");
	ck_assert_str_eq(f[4], "<==");
	ck_assert_str_eq(f[5], "RcvbufErrors");
	ck_assert_str_eq(f[6], "48211/s");
	free(line);
	/* Zero loss counters are hidden by default, the mark only once. */
	line = line_starting(t, "  udp ");
	ck_assert_int_eq(fields(line, f, 12), 4);
	ck_assert_str_eq(f[3], "0.00%");
	free(line);
	line = line_starting(t, "  app ");
	ck_assert_int_eq(fields(line, f, 12), 4);
	ck_assert_str_eq(f[1], "71789");
	free(line);
	ck_assert_ptr_null(strstr(strstr(t, "<==") + 3, "<=="));
	assert_has(t, "  total lost: 48211 pkt/s");
	line = line_starting(t, "  unaccounted ");
	ck_assert_int_eq(fields(line, f, 12), 6);
	ck_assert_str_eq(f[1], "0");
	free(line);
	/* Waterfall order: nic first, app last, unaccounted after. */
	ck_assert_ptr_nonnull(strstr(t, "  nic "));
	ck_assert(strstr(t, "  nic ") < strstr(t, "  softirq ") &&
		  strstr(t, "  softirq ") < strstr(t, "  ip ") &&
		  strstr(t, "  ip ") < strstr(t, "  udp ") &&
		  strstr(t, "  udp ") < strstr(t, "  socket ") &&
		  strstr(t, "  socket ") < strstr(t, "  app ") &&
		  strstr(t, "  app ") < strstr(t, "  unaccounted "));
	free_diag(d);
	free(t);
}
END_TEST

/* Issue 15: with -i the waterfall says which stages the filter applies
 * to; without it, no such line. Device names are escaped. */
START_TEST(text_waterfall_device_filter)
{
	struct diagnosis *d = socket_loss();
	char eth0[] = "eth0", eth_esc[] = "eth\x1b" "1";
	char *devs[] = { eth0, eth_esc };
	struct report_options o = { .source = "live", .devs = devs, .ndevs = 2 };
	struct strbuf sb;
	char *t = render_text(d, false, "live");

	ck_assert_ptr_null(strstr(t, "filters the nic stage"));
	free(t);
	sb_init(&sb);
	report_text(d, &o, &sb);
	t = sb_steal(&sb);
	assert_has(t, "  total lost: 48211 pkt/s (unaccounted not included)\n"
		      "  -i eth0,eth\\x1b1 filters the nic stage only: softirq "
		      "counts every CPU, ip, udp, socket and app the whole "
		      "network namespace\n");
	free_diag(d);
	free(t);
}
END_TEST

/* The right edge of each number lines up with the end of its heading. */
START_TEST(text_columns_aligned)
{
	struct diagnosis *d = socket_loss();
	char *t = render_text(d, false, "live");
	char *head = line_starting(t, "  stage ");
	char *nic = line_starting(t, "  nic ");
	char *so = line_starting(t, "  socket ");
	size_t end = (size_t)(strstr(head, "lost pkt/s") - head) + 10;

	ck_assert_ptr_nonnull(head);
	ck_assert_int_eq(nic[end - 1], '0');
	ck_assert_int_eq(nic[end], ' ');
	ck_assert_int_eq(strncmp(so + end - 5, "48211 ", 6), 0);
	end = (size_t)(strstr(head, "in pkt/s") - head) + 8;
	ck_assert_int_eq(strncmp(so + end - 6, "120000 ", 7), 0);
	free(head);
	free(nic);
	free(so);
	free_diag(d);
	free(t);
}
END_TEST

START_TEST(text_none_verdict)
{
	struct diagnosis *d = new_diag();
	char *t = render_text(d, false, "/tmp/rec.txt");

	assert_has(t, "droptop report: /tmp/rec.txt, interval 1.00 s");
	assert_has(t, "verdict: none \u2014 no packet loss seen in 1.0 s\n");
	assert_lacks(t, "<==");
	assert_lacks(t, "hint:");
	/* No rows at all: the detail sections are left out. */
	assert_lacks(t, "RX queues");
	assert_lacks(t, "CPUs");
	assert_lacks(t, "findings");
	assert_lacks(t, "notes");
	assert_has(t, "  total lost: 0 pkt/s");
	free_diag(d);
	free(t);
}
END_TEST

/* A diagnosis where many figures could not be known. */
static struct diagnosis *unknowns(void)
{
	struct diagnosis *d = new_diag();
	struct device_row *dev;

	d->stages[STAGE_NIC].in_pps = U;
	add_counter(&d->stages[STAGE_NIC], "rx_missed_errors", U, true);
	d->stages[STAGE_APP].in_pps = U;
	d->stages[STAGE_APP].lost_pps = U;
	d->stages[STAGE_APP].lost = U;
	d->unaccounted_pps = U;
	d->total_lost_pps = U;
	dev = add_dev(d, "eth0", "mlx5_core", U);
	dev->nic_lost_pps = U;
	dev->nic_loss_source = NULL;
	dev->numa_node = -1;
	dev->nrxq = 0;
	add_queue(d, 0, U, U, -1, "");
	add_cpu(d, 2, U, false)->numa_node = -1;
	return d;
}

START_TEST(text_unknown_is_question_mark)
{
	struct diagnosis *d = unknowns();
	char *t = render_text(d, false, "live");
	char *line, *f[12];

	line = line_starting(t, "  nic ");
	ck_assert_int_eq(fields(line, f, 12), 6);
	ck_assert_str_eq(f[1], "?");
	ck_assert_str_eq(f[2], "0");
	ck_assert_str_eq(f[3], "?");
	ck_assert_str_eq(f[4], "rx_missed_errors");
	ck_assert_str_eq(f[5], "?/s");
	free(line);
	line = line_starting(t, "  app ");
	ck_assert_int_eq(fields(line, f, 12), 4);
	ck_assert_str_eq(f[1], "?");
	ck_assert_str_eq(f[2], "?");
	ck_assert_str_eq(f[3], "?");
	free(line);
	line = line_starting(t, "  unaccounted ");
	fields(line, f, 12);
	ck_assert_str_eq(f[1], "?");
	free(line);
	assert_has(t, "  total lost: ? pkt/s");
	line = line_starting(t, "  eth0  mlx5_core ");
	ck_assert_int_eq(fields(line, f, 12), 10);
	for (int i = 2; i < 10; i++)
		ck_assert_str_eq(f[i], "?");
	free(line);
	/* An unknown queue is not idle: it is shown, all "?". */
	line = line_starting(t, "  eth0      0 ");
	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq(fields(line, f, 12), 9);
	ck_assert_str_eq(f[2], "?");
	ck_assert_str_eq(f[3], "0");
	for (int i = 4; i < 9; i++)
		ck_assert_str_eq(f[i], "?");
	free(line);
	line = line_starting(t, "  2 ");
	ck_assert_int_eq(fields(line, f, 12), 8);
	ck_assert_str_eq(f[1], "?");
	ck_assert_str_eq(f[7], "?");
	free(line);
	free_diag(d);
	free(t);
}
END_TEST

/* Twelve queues of which one carries everything, as an RSS imbalance. */
static struct diagnosis *imbalance(void)
{
	struct diagnosis *d = new_diag();

	for (int q = 0; q < 12; q++) {
		double rx = q == 4 ? 119000 : q == 7 ? 1000 : 0;

		add_queue(d, q, K(rx), K(rx / 120000), 40 + q, "0-3");
	}
	add_cpu(d, 0, K(99.5), false)->serves_rx_irq = true;
	add_cpu(d, 1, K(0), true);
	add_finding(d, "rss-imbalance",
		    "eth0 queue 4 carries 99% of 120000 pkt/s; udp4 hash "
		    "fields sd (no ports)");
	return d;
}

START_TEST(text_idle_rows_hidden)
{
	struct diagnosis *d = imbalance();
	char *t = render_text(d, false, "live");
	char *all = render_text(d, true, "live");

	ck_assert_int_eq(count_lines_starting(t, "  eth0 "), 2);
	assert_has(t, "  (10 idle queues hidden, --all shows them)\n");
	assert_has(t, "  (1 idle CPU hidden, --all shows them)\n");
	assert_has(t, "  (* serves the IRQ of an RX queue)\n");
	assert_has(t, "\n  0*  ");
	ck_assert_int_eq(count_lines_starting(all, "  eth0 "), 12);
	assert_lacks(all, "hidden");
	assert_has(all, "\n  1   ");
	free_diag(d);
	free(t);
	free(all);
}
END_TEST

START_TEST(text_queues_busiest_first)
{
	struct diagnosis *d = imbalance();
	char *t, *line, *f[12];
	int order[12], n = 0;
	const char *p, *pos, *l;
	size_t len;

	/* An unknown rate sorts after every known one. */
	d->queues[9].rx_pps = U;
	d->queues[9].idle = false;
	t = render_text(d, true, "live");
	p = strstr(t, "\nRX queues\n");
	ck_assert_ptr_nonnull(p);
	pos = p + 11;
	next_line(&pos, &len);   /* headings */
	while ((l = next_line(&pos, &len)) && len > 0 && n < 12) {
		line = xstrndup(l, len);
		ck_assert_int_ge(fields(line, f, 12), 7);
		order[n++] = atoi(f[1]);
		free(line);
	}
	ck_assert_int_eq(n, 12);
	ck_assert_int_eq(order[0], 4);
	ck_assert_int_eq(order[1], 7);
	ck_assert_int_eq(order[2], 0);    /* idle ones in queue order */
	ck_assert_int_eq(order[10], 11);
	ck_assert_int_eq(order[11], 9);   /* unknown last */
	line = line_starting(t, "  eth0      4 ");
	ck_assert_ptr_nonnull(line);
	fields(line, f, 12);
	ck_assert_str_eq(f[2], "119000");
	ck_assert_str_eq(f[4], "99.2%");
	ck_assert_str_eq(f[5], "44");
	ck_assert_str_eq(f[6], "0-3");
	free(line);
	assert_has(t, "\nfindings\n  [rss-imbalance] eth0 queue 4 carries "
		      "99% of 120000 pkt/s; udp4 hash fields sd (no ports)\n");
	free_diag(d);
	free(t);
}
END_TEST

START_TEST(text_sockets_and_other_counters)
{
	struct diagnosis *d = socket_loss();
	struct device_row *dev = &d->devs[0];
	char *t, *all, *line, *f[12];

	add_other(dev, "rx_weird_thing", K(12));
	add_other(dev, "tx_zero_thing", K(0));
	add_other(dev, "rx_unknown_thing", U);
	add_note(d, "eth1 vanished between the two snapshots");
	t = render_text(d, false, "live");
	all = render_text(d, true, "live");
	line = line_starting(t, "  127.0.0.1:5000 ");
	ck_assert_int_eq(fields(line, f, 12), 10);
	ck_assert_str_eq(f[1], "0.0.0.0:*");
	ck_assert_str_eq(f[2], "4242");
	ck_assert_str_eq(f[3], "1000");
	ck_assert_str_eq(f[4], "212992");
	ck_assert_str_eq(f[5], "48211");
	/* /proc/net/udp rows: no rcvbuf, fill or owner; in no group. */
	ck_assert_str_eq(f[6], "?");
	ck_assert_str_eq(f[7], "?");
	ck_assert_str_eq(f[8], "-");
	ck_assert_str_eq(f[9], "?");
	free(line);
	assert_has(t, "  (1 idle socket hidden, --all shows them)\n");
	assert_has(all, "\n  [::1]:53        [::]:*  ");
	assert_has(t, "\nother driver counters (not classified)\n");
	assert_has(t, "  lo   rx_weird_thing    12/s\n");
	assert_has(t, "  lo   rx_unknown_thing   ?/s\n");
	assert_has(t, "  (1 counter at 0/s hidden, --all shows them)\n");
	assert_has(all, "  lo   tx_zero_thing      0/s\n");
	assert_has(t, "\nnotes\n  eth1 vanished between the two snapshots\n");
	assert_has(t, "\nfindings\n  [rcvbuf-overflow] 127.0.0.1:5000");
	/* Sections in the documented order. */
	ck_assert(strstr(t, "\ndevices\n") < strstr(t, "\nUDP sockets\n") &&
		  strstr(t, "\nUDP sockets\n") < strstr(t, "\nfindings\n") &&
		  strstr(t, "\nfindings\n") < strstr(t, "\nother driver") &&
		  strstr(t, "\nother driver") < strstr(t, "\nnotes\n"));
	free_diag(d);
	free(t);
	free(all);
}
END_TEST

/* Bytes a driver or a file name might carry: quote, backslash, newline,
 * a stray 0xff, an escape character and a C1 control (CSI). */
#define NASTY "we\"ird\\name\nnext\xff\x1b[2J\xc2\x9b" "end"

static struct diagnosis *nasty(void)
{
	struct diagnosis *d = socket_loss();

	add_counter(&d->stages[STAGE_NIC], NASTY, K(5), true);
	add_other(&d->devs[0], NASTY, K(7));
	add_note(d, "note: " NASTY);
	snprintf(d->socks[0].local, sizeof(d->socks[0].local), "%s", NASTY);
	return d;
}

/* Every byte below 0x20 except the line ends, and every malformed UTF-8
 * sequence, has been escaped. */
static void assert_clean_text(const char *t)
{
	size_t n = strlen(t), len;

	for (size_t i = 0; i < n; i += len) {
		len = report_utf8_len(t + i, n - i);
		ck_assert_msg(len > 0, "bad UTF-8 at %zu: %s", i, t);
		ck_assert_msg(t[i] == '\n' || (unsigned char)t[i] >= 0x20,
			      "control byte %#x at %zu", t[i], i);
		ck_assert_msg((unsigned char)t[i] != 0xc2 ||
			      (unsigned char)t[i + 1] >= 0xa0,
			      "C1 control at %zu", i);
	}
}

#define NASTY_TEXT "we\"ird\\\\name\\nnext\\xff\\x1b[2J\\xc2\\x9bend"

START_TEST(text_escapes_nasty_strings)
{
	struct diagnosis *d = nasty();
	char *t = render_text(d, false, "/tmp/a\nb");

	assert_clean_text(t);
	assert_has(t, "droptop report: /tmp/a\\nb, ");
	assert_has(t, NASTY_TEXT " 5.0/s");
	assert_has(t, "  lo   " NASTY_TEXT "  7.0/s\n");
	assert_has(t, "\n  note: " NASTY_TEXT "\n");
	assert_has(t, "\n  " NASTY_TEXT ":5000  ");
	ck_assert_int_eq(count_lines_starting(t, "next"), 0);
	free_diag(d);
	free(t);
}
END_TEST

/* Bidi embedding, override and isolate controls (U+202A-202E,
 * U+2066-2069) would show the rest of a line reordered: a device name
 * could make "drops 0" of "drops 9000". They are escaped like controls;
 * the marks around them (U+2030, U+2070) are plain text. */
START_TEST(text_escapes_bidi_controls)
{
	struct diagnosis *d = socket_loss();
	char *t;

	add_note(d, "a\u202ab\u202ec\u2066d\u2069e\u2030f\u2070g");
	t = render_text(d, false, "x\u202ey");
	assert_clean_text(t);
	assert_has(t, "a\\xe2\\x80\\xaab\\xe2\\x80\\xaec\\xe2\\x81\\xa6d"
		   "\\xe2\\x81\\xa9e\u2030f\u2070g\n");
	assert_has(t, "droptop report: x\\xe2\\x80\\xaey, ");
	ck_assert_ptr_null(strstr(t, "\u202e"));
	free_diag(d);
	free(t);
}
END_TEST

/* ---- JSON ---------------------------------------------------------------- */

START_TEST(json_socket_loss)
{
	struct diagnosis *d = socket_loss();
	struct jtest j;

	jt_open(&j, d, false);
	jt_true(&j, "type==\"object\"");
	jt_true(&j, ".interval_s==1 and .source==\"live\" and "
		    ".time==1714564800");
	jt_true(&j, ".verdict.stage==\"socket\"");
	jt_true(&j, ".verdict.lost_pps==48211");
	jt_true(&j, ".verdict.summary==\"receive buffers full "
		    "(RcvbufErrors)\"");
	jt_true(&j, ".verdict.hints==[\"raise SO_RCVBUF (net.core.rmem_max"
		    " = 212992)\",\"read faster: more receiver threads "
		    "(SO_REUSEPORT)\"]");
	jt_true(&j, ".stages|length==7");
	jt_true(&j, "[.stages[].stage]==[\"nic\",\"softirq\",\"ip\",\"netfilter\",\"udp\","
		    "\"socket\",\"app\"]");
	jt_true(&j, ".stages[5].lost_pps==48211 and .stages[5].lost==48211");
	jt_true(&j, ".stages[5].in_pps==120000 and .stages[6].in_pps==71789");
	jt_true(&j, ".stages[5].counters=={\"RcvbufErrors\":48211}");
	jt_true(&j, ".stages[4].counters=={\"InDatagrams\":120000,"
		    "\"NoPorts\":0}");
	jt_true(&j, ".stages[4].loss_counters==[\"NoPorts\"]");
	jt_true(&j, ".unaccounted_pps==0 and .total_lost_pps==48211");
	jt_true(&j, ".devices[0].name==\"lo\" and .devices[0].driver==null");
	jt_true(&j, ".devices[0].other=={} and .devices[0].nrxq==8");
	jt_true(&j, ".sockets|length==2");
	jt_true(&j, ".sockets[0]=={\"family\":\"ipv4\",\"local\":"
		    "\"127.0.0.1\",\"lport\":5000,\"remote\":\"0.0.0.0\","
		    "\"rport\":0,\"inode\":4242,\"uid\":1000,"
		    "\"rx_queue\":212992,\"drops_ps\":48211,\"drops\":48211,"
		    "\"rcvbuff_reason_ps\":null,"
		    "\"idle\":false,\"rcvbuf\":null,\"fill\":null,\"pid\":null,"
		    "\"comm\":null,\"group\":null,\"drops_share\":null}");
	jt_true(&j, ".socket_source==null and .socket_groups==[]");
	jt_true(&j, ".sockets[1].family==\"ipv6\" and .sockets[1].idle");
	jt_true(&j, ".findings==[{\"id\":\"rcvbuf-overflow\",\"detail\":"
		    "\"127.0.0.1:5000 (inode 4242): rcvbuf 212992 B full\","
		    "\"device\":null,\"queue\":null,\"cpu\":null,"
		    "\"inode\":null,\"local\":null,\"port\":null,"
		    "\"rate\":null,\"setting\":null,\"current\":null,"
		    "\"suggested\":null}]");
	jt_true(&j, ".queues==[] and .cpus==[] and .notes==[]");
	jt_true(&j, ".netns==null");
	jt_close(&j);
	free_diag(d);
}
END_TEST

/* A finding's about fields are JSON fields, beside id and detail. */
START_TEST(json_finding_fields)
{
	struct diagnosis *d = socket_loss();
	struct finding_about *a = &d->findings[0].about;
	struct jtest j;

	snprintf(a->local, sizeof(a->local), "127.0.0.1");
	a->port = 5000;
	a->inode = 4242;
	a->rate = K(48211);
	a->setting = "rcvbuf";
	a->current = K(212992);
	a->suggested = K(425984);
	add_finding(d, "ring-small", "eth0: ...");
	a = &d->findings[1].about;
	snprintf(a->device, sizeof(a->device), "eth0");
	a->queue = 3;
	a->cpu = 0;
	jt_open(&j, d, false);
	jt_true(&j, ".findings[0]|{id,detail,inode,local,port,rate,setting,"
		    "current,suggested,device,queue,cpu}=={\"id\":"
		    "\"rcvbuf-overflow\",\"detail\":\"127.0.0.1:5000 (inode "
		    "4242): rcvbuf 212992 B full\",\"inode\":4242,\"local\":"
		    "\"127.0.0.1\",\"port\":5000,\"rate\":48211,\"setting\":"
		    "\"rcvbuf\",\"current\":212992,\"suggested\":425984,"
		    "\"device\":null,\"queue\":null,\"cpu\":null}");
	jt_true(&j, ".findings[1]|.device==\"eth0\" and .queue==3 and "
		    ".cpu==0 and .inode==null and .rate==null");
	jt_close(&j);
	free_diag(d);
}
END_TEST

/* sock_diag rows: rcvbuf, fill, the group share and the owner. */
static void sockdiag_rows(struct diagnosis *d)
{
	struct socket_row *s = &d->socks[0];

	d->socket_source = "sock_diag";
	s->have_rcvbuf = true;
	s->rcvbuf = 4096;
	s->rx_queue = 3328;
	s->fill = K(3328.0 / 4096);
	s->pid = 2657;
	snprintf(s->comm, sizeof(s->comm), "udpsink");
	s->in_group = true;
	s->group = 0;
	s->drops_share = K(1);
	d->groups = xcalloc(1, sizeof(*d->groups));
	d->ngroups = 1;
	d->groups[0] = (struct socket_group){
		.family = AF_INET, .local = "127.0.0.1", .lport = 5000,
		.nmembers = 4, .drops = K(48211), .drops_ps = K(48211),
		.rx_queue = 3328,
	};
}

START_TEST(text_sockdiag_sockets)
{
	struct diagnosis *d = socket_loss();
	char *t, *line, *f[12];

	sockdiag_rows(d);
	t = render_text(d, false, "live");
	assert_has(t, "\nUDP sockets\n  (from sock_diag)\n  (1 group of "
		      "sockets sharing a port; group drops = share of the "
		      "group's drops, the kernel counts no packets per "
		      "socket)\n");
	line = line_starting(t, "  127.0.0.1:5000 ");
	ck_assert_int_eq(fields(line, f, 12), 10);
	ck_assert_str_eq(f[4], "3328");
	ck_assert_str_eq(f[6], "4096");
	ck_assert_str_eq(f[7], "81%");
	ck_assert_str_eq(f[8], "100%");
	ck_assert_str_eq(f[9], "2657/udpsink");
	free(line);
	free(t);
	free_diag(d);
}
END_TEST

/* With drop reasons: the sockets table gains RCVBUFF/s (11 columns, more
 * than the table held before), the ip row names its remainder's reasons. */
static void reasons_rows(struct diagnosis *d)
{
	d->have_reasons = true;
	d->reasons = xcalloc(1, sizeof(*d->reasons));
	d->nreasons = 1;
	snprintf(d->reasons[0].reason, sizeof(d->reasons[0].reason),
		 "SOCKET_RCVBUFF");
	d->reasons[0].stage = "socket";
	d->reasons[0].family = AF_INET;
	d->reasons[0].protocol = IPPROTO_UDP;
	d->reasons[0].port = 5000;
	d->reasons[0].pps = 48000;
	for (size_t i = 0; i < d->nsocks; i++)
		d->socks[i].rcvbuff_reason_ps =
		    opt_known(d->socks[i].lport == 5000 ? 48000 : 0);
	snprintf(d->ip_rest_reasons[0].reason,
		 sizeof(d->ip_rest_reasons[0].reason), "NETFILTER_DROP");
	d->ip_rest_reasons[0].pps = 700;
	d->nip_rest_reasons = 1;
}

START_TEST(text_reasons_sockets_and_remainder)
{
	struct diagnosis *d = socket_loss();
	char *t, *line, *f[14];

	sockdiag_rows(d);
	reasons_rows(d);
	t = render_text(d, false, "live");
	line = line_starting(t, "  local ");
	ck_assert_ptr_nonnull(strstr(line, "drops/s  RCVBUFF/s"));
	free(line);
	line = line_starting(t, "  127.0.0.1:5000 ");
	ck_assert_int_eq(fields(line, f, 14), 11);
	ck_assert_str_eq(f[6], "48000");
	ck_assert_str_eq(f[10], "2657/udpsink");
	free(line);
	line = line_starting(t, "  ip ");
	ck_assert_ptr_nonnull(line);
	ck_assert_ptr_nonnull(strstr(line, "remainder: reason NETFILTER_DROP 700/s"));
	free(line);
	free(t);
	free(d->reasons);
	free_diag(d);
}
END_TEST

START_TEST(json_reasons_sockets_and_remainder)
{
	struct diagnosis *d = socket_loss();
	struct jtest j;

	sockdiag_rows(d);
	reasons_rows(d);
	jt_open(&j, d, false);
	jt_true(&j, ".sockets[0].rcvbuff_reason_ps==48000");
	jt_true(&j, "(.stages[] | select(.stage==\"ip\") | .remainder_reasons)"
		    "==[{\"reason\":\"NETFILTER_DROP\",\"packets_ps\":700}]");
	jt_true(&j, "[.stages[] | select(.stage!=\"ip\") | has(\"remainder_reasons\")]"
		    " | any | not");
	jt_close(&j);
	free(d->reasons);
	free_diag(d);
}
END_TEST

START_TEST(json_sockdiag_sockets)
{
	struct diagnosis *d = socket_loss();
	struct jtest j;

	sockdiag_rows(d);
	jt_open(&j, d, false);
	jt_true(&j, ".socket_source==\"sock_diag\"");
	jt_true(&j, ".sockets[0].rcvbuf==4096 and .sockets[0].fill==0.8125 "
		    "and .sockets[0].pid==2657 and .sockets[0].comm==\"udpsink\""
		    " and .sockets[0].group==0 and .sockets[0].drops_share==1");
	jt_true(&j, ".sockets[1].group==null and .sockets[1].rcvbuf==null");
	jt_true(&j, ".socket_groups==[{\"family\":\"ipv4\",\"local\":"
		    "\"127.0.0.1\",\"lport\":5000,\"members\":4,\"drops\":48211,"
		    "\"drops_ps\":48211,\"rx_queue\":3328,\"packets_ps\":null}]");
	jt_close(&j);
	free_diag(d);
}
END_TEST

START_TEST(json_none_verdict)
{
	struct diagnosis *d = new_diag();
	struct jtest j;

	d->interval_s = 2.5;
	jt_open(&j, d, false);
	jt_true(&j, ".verdict=={\"stage\":\"none\",\"lost_pps\":0,"
		    "\"summary\":\"no packet loss seen in 2.5 s\","
		    "\"hints\":[]}");
	jt_true(&j, ".interval_s==2.5");
	jt_true(&j, "[.stages[].lost_pps]==[0,0,0,0,0,0,0]");
	jt_true(&j, ".devices==[] and .findings==[]");
	jt_close(&j);
	free_diag(d);
}
END_TEST

START_TEST(json_unknown_is_null)
{
	struct diagnosis *d = unknowns();
	struct jtest j;

	jt_open(&j, d, false);
	jt_true(&j, "(.stages[0].in_pps==null) and .stages[0].lost_pps==0");
	jt_true(&j, ".stages[0].counters|has(\"rx_missed_errors\")");
	jt_true(&j, ".stages[0].counters.rx_missed_errors==null");
	jt_true(&j, ".stages[6]|(.in_pps==null and .lost_pps==null and "
		    ".lost==null)");
	jt_true(&j, ".unaccounted_pps==null and .total_lost_pps==null");
	jt_true(&j, ".devices[0]|(.rx_pps==null and .nic_lost_pps==null and "
		    ".nic_loss_source==null and .numa_node==null and "
		    ".nrxq==null)");
	jt_true(&j, ".queues[0]|(.rx_pps==null and .share==null and "
		    ".irq==null and .cpus==null and .drops_pps==0)");
	jt_true(&j, ".cpus[0]|(.softirq_pct==null and .numa_node==null and "
		    ".net_rx_ps==3000)");
	jt_close(&j);
	free_diag(d);
}
END_TEST

static char *render_prom(const struct diagnosis *d);

/* A device's link state in JSON and Prometheus: known up, down (set
 * down, no carrier), and unknown (null, no sample). */
static struct diagnosis *links(void)
{
	struct diagnosis *d = new_diag();
	struct device_row *r;

	r = add_dev(d, "eth0", "ixgbe", opt_known(10));
	snprintf(r->operstate, sizeof(r->operstate), "up");
	r->carrier = r->admin = r->link = LINK_UP;
	r = add_dev(d, "eth1", "ixgbe", opt_known(0));
	snprintf(r->operstate, sizeof(r->operstate), "down");
	r->carrier = r->admin = r->link = LINK_DOWN;
	add_dev(d, "eth2", "ixgbe", opt_known(0));
	return d;
}

START_TEST(json_link_state)
{
	struct diagnosis *d = links();
	struct jtest j;

	jt_open(&j, d, false);
	jt_true(&j, "[.devices[] | [.operstate, .carrier, .admin_up, "
		    ".link_up]] == [[\"up\", true, true, true], "
		    "[\"down\", false, false, false], [null, null, null, null]]");
	jt_close(&j);
	free_diag(d);
}
END_TEST

START_TEST(prom_link_state)
{
	struct diagnosis *d = links();
	char *t = render_prom(d);

	assert_has(t, "# TYPE droptop_device_link_up gauge\n"
		      "droptop_device_link_up{device=\"eth0\"} 1\n"
		      "droptop_device_link_up{device=\"eth1\"} 0\n# HELP");
	assert_has(t, "droptop_device_carrier{device=\"eth1\"} 0\n# HELP");
	assert_has(t, "droptop_device_operstate{device=\"eth0\",state=\"up\"} 1\n"
		      "droptop_device_operstate{device=\"eth1\",state=\"down\"} 1\n");
	ck_assert_ptr_null(strstr(t, "device=\"eth2\",state"));
	free(t);
	free_diag(d);
}
END_TEST

/* JSON keeps every row, idle ones flagged, with or without --all, in the
 * diagnosis order. */
START_TEST(json_keeps_idle_rows)
{
	struct diagnosis *d = imbalance();
	struct jtest j;

	jt_open(&j, d, false);
	jt_true(&j, ".queues|length==12");
	jt_true(&j, "[.queues[]|select(.idle)]|length==10");
	jt_true(&j, "[.queues[].queue]==[range(12)]");
	jt_true(&j, ".queues[4]|(.rx_pps==119000 and .irq==44 and "
		    ".cpus==\"0-3\" and .idle==false)");
	jt_true(&j, ".queues[4].share>0.9916 and .queues[4].share<0.9917");
	jt_true(&j, "(.cpus|length==2) and .cpus[1].idle and "
		    ".cpus[0].serves_rx_irq and .cpus[0].softirq_pct==99.5");
	jt_true(&j, ".findings[0].id==\"rss-imbalance\"");
	jt_close(&j);
	free_diag(d);
}
END_TEST

START_TEST(json_escapes_nasty_strings)
{
	struct diagnosis *d = nasty();
	struct jtest j;
	char *s;

	jt_open(&j, d, false);
	/* No raw control bytes or invalid UTF-8 reach the JSON text. */
	assert_clean_text(j.json);
	assert_has(j.json, "\"we\\\"ird\\\\name\\nnext\\ufffd\\u001b[2J");
	s = jt_raw(&j, ".notes[0]");
	ck_assert_str_eq(s, "note: we\"ird\\name\nnext\xef\xbf\xbd\x1b[2J"
			    "\xc2\x9b" "end");
	free(s);
	s = jt_raw(&j, ".stages[0].counters|keys|map(select(startswith("
		       "\"we\")))[0]");
	ck_assert_str_eq(s, "we\"ird\\name\nnext\xef\xbf\xbd\x1b[2J"
			    "\xc2\x9b" "end");
	free(s);
	jt_true(&j, ".stages[0].counters|length==2");
	jt_true(&j, ".devices[0].other|to_entries|.[0].value==7");
	jt_true(&j, ".sockets[0].local|endswith(\"end\")");
	jt_close(&j);
	free_diag(d);
}
END_TEST

/* A diagnosis of nothing at all (as a failed diagnose() leaves it) still
 * renders: every figure unknown, every list empty. */
START_TEST(empty_diagnosis_renders)
{
	struct diagnosis d;
	struct report_options o = { .all = false, .source = NULL };
	struct strbuf sb;
	struct jtest j;

	memset(&d, 0, sizeof(d));
	d.verdict.stage = STAGE_NONE;
	sb_init(&sb);
	report_text(&d, &o, &sb);
	assert_has(sb.s, "droptop report: live, interval 0.00 s\n");
	assert_has(sb.s, "verdict: none \u2014 no packet loss seen in 0.0 s");
	sb_free(&sb);
	jt_open(&j, &d, false);
	jt_true(&j, ".stages|length==7");
	jt_true(&j, "[.stages[].in_pps]==[null,null,null,null,null,null,null]");
	jt_true(&j, ".verdict.lost_pps==null and .time==null");
	jt_true(&j, ".sockets==[] and .notes==[]");
	jt_close(&j);
}
END_TEST

/* report_number() as it was, printf alone: "%.6f", trailing zeros and
 * point dropped, "-0" as "0". */
static void number_by_printf(char *buf, size_t size, double v)
{
	size_t n;

	snprintf(buf, size, "%.6f", v + 0.0);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '0')
		n--;
	if (n > 0 && buf[n - 1] == '.')
		n--;
	buf[n] = '\0';
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, size, "0");
}

/* The whole numbers printed without printf give what printf gives:
 * around every power of ten, the 1e15 bound, halves and near-wholes,
 * negatives, -0, and what is not finite for report_integer(). */
START_TEST(numbers_as_printf)
{
	double v[400];
	size_t n = 0;
	char got[400], want[400];

	for (double p = 1; p < 1e17; p *= 10) {
		const double d[] = { -1, -0.5, 0, 0.5, 1, 1e-7, -1e-7 };

		for (size_t i = 0; i < ARRAY_SIZE(d); i++) {
			v[n++] = p + d[i];
			v[n++] = -(p + d[i]);
		}
	}
	v[n++] = 0.0;
	v[n++] = -0.0;
	v[n++] = 999999999999999.0;
	v[n++] = 1e15;
	v[n++] = -1e15;
	v[n++] = 4503599627370495.5;
	v[n++] = 9007199254740993.0;
	v[n++] = 1.25;
	v[n++] = 48211;
	for (uint64_t x = 99; n < ARRAY_SIZE(v); x = x * 6364136223846793005ULL + 1)
		v[n++] = (double)(int64_t)(x >> (x % 64)) / (x % 3 ? 1 : 8);
	for (size_t i = 0; i < n; i++) {
		size_t len = report_number(got, sizeof(got), v[i]);

		number_by_printf(want, sizeof(want), v[i]);
		ck_assert_msg(strcmp(got, want) == 0, "%.17g: %s, not %s",
			      v[i], got, want);
		ck_assert_uint_eq(len, strlen(want));
		len = report_integer(got, sizeof(got), v[i]);
		snprintf(want, sizeof(want), "%.0f", v[i] + 0.0);
		if (len > 0)
			ck_assert_str_eq(got, want);
		else
			ck_assert(fabs(v[i]) >= 1e15 || v[i] != floor(v[i]));
	}
	ck_assert_uint_eq(report_integer(got, sizeof(got), NAN), 0);
	ck_assert_uint_eq(report_integer(got, sizeof(got), INFINITY), 0);
	ck_assert_uint_eq(report_integer(got, 3, 123), 0);
	ck_assert_uint_eq(report_integer(got, 4, 123), 3);
}
END_TEST

/* Percentages and words in table cells as printf writes them: whole
 * shares take a way without printf, -0 and halves the printf one. */
START_TEST(table_cells_as_printf)
{
	static const char *const heads[] = { "x" };
	const double v[] = { 0, -0.0, 1, 100, 99.5, 12.25, -3, 1e15, 2e16,
			     0.04, 7, 1234567 };
	char want[64];
	struct table t;
	size_t i = 1;

	table_init(&t, "l", heads);
	for (int dec = 0; dec <= 2; dec++)
		for (size_t k = 0; k < ARRAY_SIZE(v); k++)
			table_add_pct(&t, opt_known(v[k]), dec);
	table_add_word(&t, "plain word");
	table_add_word(&t, NULL);
	for (int dec = 0; dec <= 2; dec++)
		for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
			snprintf(want, sizeof(want), "%.*f%%", dec, v[k]);
			ck_assert_str_eq(table_cell(&t, i++), want);
		}
	ck_assert_str_eq(table_cell(&t, i++), "plain word");
	ck_assert_str_eq(table_cell(&t, i++), "(null)");
	table_free(&t);
}
END_TEST

/* The cells written in one step (rates, integers, plain strings) hold
 * what the general way (fmt_rate, printf, text_escape) writes, and a
 * table printed twice in a row (the second one on the first one's
 * buffers) comes out the same, aligned by display columns. */
START_TEST(table_cells_one_step)
{
	static const char *const heads[] = { "name", "", "rate" };
	const double v[] = { 0, -0.0, 0.5, 9.99, 10, 12.5, -42, 1e15, 2e16,
			     NAN, INFINITY, 123456 };
	const char *const units[] = { "", "/s", "123456789" };
	const char *const strs[] = { "eth0", "na\xc3\xafve", "a\\b",
				     "bell\x07", "" };
	struct strbuf want, got;
	struct table t;
	size_t i = ARRAY_SIZE(heads);

	sb_init(&want);
	sb_init(&got);
	table_init(&t, "llr", heads);
	for (size_t u = 0; u < ARRAY_SIZE(units); u++)
		for (size_t k = 0; k < ARRAY_SIZE(v); k++)
			table_add_rate_unit(&t, opt_known(v[k]), units[u]);
	table_add_rate(&t, (struct optval){ 5, false });
	for (size_t k = 0; k < ARRAY_SIZE(strs); k++)
		table_add_str(&t, strs[k]);
	table_add_u64(&t, UINT64_MAX);
	table_add_int(&t, -1);
	table_add_int(&t, 7);
	for (size_t u = 0; u < ARRAY_SIZE(units); u++)
		for (size_t k = 0; k < ARRAY_SIZE(v); k++) {
			sb_reset(&want);
			fmt_rate(&want, opt_known(v[k]));
			sb_puts(&want, units[u]);
			ck_assert_str_eq(table_cell(&t, i++), want.s);
		}
	ck_assert_str_eq(table_cell(&t, i++), "?");
	for (size_t k = 0; k < ARRAY_SIZE(strs); k++) {
		sb_reset(&want);
		text_escape(&want, strs[k]);
		ck_assert_str_eq(table_cell(&t, i), want.s);
		ck_assert_uint_eq(t.cells[i].len, strlen(want.s));
		ck_assert_uint_eq(t.cells[i].width,
				  utf8_columns(want.s, strlen(want.s)));
		i++;
	}
	ck_assert_str_eq(table_cell(&t, i++), "18446744073709551615");
	ck_assert_str_eq(table_cell(&t, i++), "?");
	ck_assert_str_eq(table_cell(&t, i++), "7");
	table_free(&t);

	for (int round = 0; round < 2; round++) {
		table_init(&t, "lrl", heads);
		table_add_str(&t, "na\xc3\xafve");
		table_add_word(&t, "");
		table_add_rate(&t, opt_known(12345));
		table_add_str(&t, "x");
		table_add_word(&t, "");
		table_add_rate_unit(&t, opt_known(0), "/s");
		sb_reset(&got);
		table_print(&t, &got);
		table_free(&t);
		ck_assert_str_eq(got.s, "  name   rate\n"
					"  na\xc3\xafve  12345\n"
					"  x      0/s\n");
	}
	sb_free(&want);
	sb_free(&got);
}
END_TEST

START_TEST(json_numbers)
{
	struct diagnosis *d = new_diag();
	struct jtest j;

	d->stages[STAGE_IP].lost_pps = K(0.5);
	d->stages[STAGE_IP].in_pps = K(1.0 / 3);
	d->stages[STAGE_UDP].lost_pps = K(-0.0);
	jt_open(&j, d, false);
	assert_has(j.json, "\"lost_pps\": 0.5,");
	assert_has(j.json, "\"in_pps\": 0.333333,");
	assert_lacks(j.json, "-0");
	jt_true(&j, ".stages[2].lost_pps==0.5");
	jt_close(&j);
	free_diag(d);
}
END_TEST

/* ---- prometheus ---------------------------------------------------------- */

static char *render_prom(const struct diagnosis *d)
{
	struct report_options o = { .all = false, .source = "live" };
	struct strbuf sb;

	sb_init(&sb);
	report_prom(d, &o, &sb);
	sb_append(&sb, "", 0);
	return sb_steal(&sb);
}

START_TEST(prom_socket_loss)
{
	struct diagnosis *d = socket_loss();
	char *t = render_prom(d);

	assert_has(t, "# HELP droptop_stage_lost_packets_per_second ");
	assert_has(t, "# TYPE droptop_stage_lost_packets_per_second gauge\n");
	assert_has(t, "droptop_verdict_stage{stage=\"socket\"} 1\n");
	assert_has(t, "droptop_verdict_stage{stage=\"nic\"} 0\n");
	assert_has(t, "droptop_device_rx_packets_per_second{device=\"lo\"} ");
	/* Sockets by address and port, never inode; the idle one is left
	 * out (no --all). */
	assert_has(t, "droptop_socket_drops_per_second{local=\"127.0.0.1\","
		      "port=\"5000\"} 48211\n");
	assert_has(t, "droptop_sockets{local=\"127.0.0.1\",port=\"5000\"} 1\n");
	assert_lacks(t, "inode=");
	assert_lacks(t, "port=\"53\"");
	/* Each family is declared once, its samples together. */
	ck_assert_int_eq(count_lines_starting(t, "# TYPE droptop_verdict_stage "),
			 1);
	free_diag(d);
	free(t);
}
END_TEST

/* Unknown figures have no sample, never a 0; the family stays declared. */
START_TEST(prom_unknown_has_no_sample)
{
	struct diagnosis d;
	char *t;

	memset(&d, 0, sizeof(d));
	d.verdict.stage = STAGE_NONE;
	t = render_prom(&d);
	assert_has(t, "# TYPE droptop_stage_in_packets_per_second gauge\n");
	assert_lacks(t, "droptop_stage_in_packets_per_second{");
	assert_lacks(t, "\ndroptop_lost_packets_per_second ");
	assert_has(t, "droptop_verdict_stage{stage=\"app\"} 0\n");
	assert_lacks(t, " 1\n");
	free(t);
}
END_TEST

START_TEST(prom_escapes_nasty_strings)
{
	struct diagnosis *d = nasty();
	char *t = render_prom(d);

	assert_clean_text(t);
	/* \, " and newline escaped; stray byte, ESC and C1 CSI replaced. */
	assert_has(t, "counter=\"we\\\"ird\\\\name\\nnext"
		      "\xef\xbf\xbd\xef\xbf\xbd[2J\xef\xbf\xbd" "end\",loss=\"1\"} 5\n");
	ck_assert_int_eq(count_lines_starting(t, "next"), 0);
	free_diag(d);
	free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("report");
	TCase *text = tcase_create("text");
	TCase *json = tcase_create("json");
	TCase *prom = tcase_create("prometheus");

	tcase_add_test(text, text_socket_loss_verdict_first);
	tcase_add_test(text, text_waterfall_rows);
	tcase_add_test(text, text_waterfall_device_filter);
	tcase_add_test(text, text_columns_aligned);
	tcase_add_test(text, text_none_verdict);
	tcase_add_test(text, text_unknown_is_question_mark);
	tcase_add_test(text, text_idle_rows_hidden);
	tcase_add_test(text, text_queues_busiest_first);
	tcase_add_test(text, text_sockets_and_other_counters);
	tcase_add_test(text, text_escapes_nasty_strings);
	tcase_add_test(text, text_escapes_bidi_controls);
	tcase_add_test(text, text_sockdiag_sockets);
	tcase_add_test(json, json_socket_loss);
	tcase_add_test(json, json_finding_fields);
	tcase_add_test(json, json_sockdiag_sockets);
	tcase_add_test(text, text_reasons_sockets_and_remainder);
	tcase_add_test(json, json_reasons_sockets_and_remainder);
	tcase_add_test(json, json_none_verdict);
	tcase_add_test(json, json_unknown_is_null);
	tcase_add_test(json, json_link_state);
	tcase_add_test(json, json_keeps_idle_rows);
	tcase_add_test(json, json_escapes_nasty_strings);
	tcase_add_test(json, json_numbers);
	tcase_add_test(json, numbers_as_printf);
	tcase_add_test(json, table_cells_as_printf);
	tcase_add_test(json, table_cells_one_step);
	tcase_add_test(json, empty_diagnosis_renders);
	suite_add_tcase(s, text);
	suite_add_tcase(s, json);
	tcase_add_test(prom, prom_socket_loss);
	tcase_add_test(prom, prom_link_state);
	tcase_add_test(prom, prom_unknown_has_no_sample);
	tcase_add_test(prom, prom_escapes_nasty_strings);
	suite_add_tcase(s, prom);
	return test_run_suite(s);
}
