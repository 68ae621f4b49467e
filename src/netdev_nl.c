/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netdev generic netlink (Linux 6.3+): qstats-get (per-queue and device
 * counters, 6.9+), queue-get (RX queue -> NAPI id) and napi-get (NAPI ->
 * IRQ, and the kthread pid in threaded mode). virtio_net since 6.10 gives
 * its per-queue packet counts only here, no longer in `ethtool -S`.
 *
 * Recording text, one object a line, "KEY VALUE" pairs after a prefix,
 * keys named as the kernel's attributes (Documentation/netlink/specs/
 * netdev.yaml):
 *   qstats DEV  "dev rx-packets 840 rx-bytes 90210 ..."  device scope
 *               "rx 0 rx-packets 840 rx-hw-drops 0 ..."  RX queue 0
 *               "tx 0 tx-packets 12 ..."                  TX queue 0
 *   napi DEV    "queue rx 0 napi 8193"  (no "napi N" when the queue has none)
 *               "napi 8193 irq 38 pid 1234" (irq, pid only when given)
 * A reader ignores keys and lines it does not know. */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_uapi.h"
#include "nl_sources.h"
#include "sources_internal.h"
#include "util.h"

#define QS_ATTR_MAX NETDEV_A_QSTATS_TX_WAKE
#define MAX_QUEUE 65535

struct qs_name {
	unsigned int attr;
	const char *name;
	int id;            /* enum qstat_id, -1 when only recorded */
};

static const struct qs_name qs_names[] = {
	{ NETDEV_A_QSTATS_RX_PACKETS, "rx-packets", QS_RX_PACKETS },
	{ NETDEV_A_QSTATS_RX_BYTES, "rx-bytes", QS_RX_BYTES },
	{ NETDEV_A_QSTATS_TX_PACKETS, "tx-packets", -1 },
	{ NETDEV_A_QSTATS_TX_BYTES, "tx-bytes", -1 },
	{ NETDEV_A_QSTATS_RX_ALLOC_FAIL, "rx-alloc-fail", QS_RX_ALLOC_FAIL },
	{ NETDEV_A_QSTATS_RX_HW_DROPS, "rx-hw-drops", QS_RX_HW_DROPS },
	{ NETDEV_A_QSTATS_RX_HW_DROP_OVERRUNS, "rx-hw-drop-overruns",
	  QS_RX_HW_DROP_OVERRUNS },
	{ NETDEV_A_QSTATS_RX_CSUM_COMPLETE, "rx-csum-complete",
	  QS_RX_CSUM_COMPLETE },
	{ NETDEV_A_QSTATS_RX_CSUM_UNNECESSARY, "rx-csum-unnecessary",
	  QS_RX_CSUM_UNNECESSARY },
	{ NETDEV_A_QSTATS_RX_CSUM_NONE, "rx-csum-none", QS_RX_CSUM_NONE },
	{ NETDEV_A_QSTATS_RX_CSUM_BAD, "rx-csum-bad", QS_RX_CSUM_BAD },
	{ NETDEV_A_QSTATS_RX_HW_GRO_PACKETS, "rx-hw-gro-packets", -1 },
	{ NETDEV_A_QSTATS_RX_HW_GRO_BYTES, "rx-hw-gro-bytes", -1 },
	{ NETDEV_A_QSTATS_RX_HW_GRO_WIRE_PACKETS, "rx-hw-gro-wire-packets",
	  -1 },
	{ NETDEV_A_QSTATS_RX_HW_GRO_WIRE_BYTES, "rx-hw-gro-wire-bytes", -1 },
	{ NETDEV_A_QSTATS_RX_HW_DROP_RATELIMITS, "rx-hw-drop-ratelimits",
	  QS_RX_HW_DROP_RATELIMITS },
	{ NETDEV_A_QSTATS_TX_HW_DROPS, "tx-hw-drops", -1 },
	{ NETDEV_A_QSTATS_TX_HW_DROP_ERRORS, "tx-hw-drop-errors", -1 },
	{ NETDEV_A_QSTATS_TX_CSUM_NONE, "tx-csum-none", -1 },
	{ NETDEV_A_QSTATS_TX_NEEDS_CSUM, "tx-needs-csum", -1 },
	{ NETDEV_A_QSTATS_TX_HW_GSO_PACKETS, "tx-hw-gso-packets", -1 },
	{ NETDEV_A_QSTATS_TX_HW_GSO_BYTES, "tx-hw-gso-bytes", -1 },
	{ NETDEV_A_QSTATS_TX_HW_GSO_WIRE_PACKETS, "tx-hw-gso-wire-packets",
	  -1 },
	{ NETDEV_A_QSTATS_TX_HW_GSO_WIRE_BYTES, "tx-hw-gso-wire-bytes", -1 },
	{ NETDEV_A_QSTATS_TX_HW_DROP_RATELIMITS, "tx-hw-drop-ratelimits",
	  -1 },
	{ NETDEV_A_QSTATS_TX_STOP, "tx-stop", -1 },
	{ NETDEV_A_QSTATS_TX_WAKE, "tx-wake", -1 },
};

/* ---- live: reply messages -> text ---- */

static bool genl_msg_ok(const struct nlmsghdr *nlh)
{
	return mnl_nlmsg_get_payload_len(nlh) >= GENL_HDRLEN;
}

/* "rx 3" / "tx 3" for a queue, false for a queue type droptop does not
 * know (skipped rather than mislabelled). */
static bool put_queue(struct strbuf *sb, const struct nlattr *type_attr,
		      const struct nlattr *id_attr)
{
	uint32_t type, id;

	if (!nl_attr_u32(type_attr, &type) || !nl_attr_u32(id_attr, &id))
		return false;
	if (type == NETDEV_QUEUE_TYPE_RX)
		sb_printf(sb, "rx %" PRIu32, id);
	else if (type == NETDEV_QUEUE_TYPE_TX)
		sb_printf(sb, "tx %" PRIu32, id);
	else
		return false;
	return true;
}

int qstats_msg_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[QS_ATTR_MAX + 1] = { 0 };
	struct strbuf *sb = data;
	uint64_t v;

	if (!genl_msg_ok(nlh))
		return MNL_CB_OK;
	nl_parse_attrs(nlh, GENL_HDRLEN, tb, QS_ATTR_MAX);
	if (!tb[NETDEV_A_QSTATS_QUEUE_ID])
		sb_puts(sb, "dev");
	else if (!put_queue(sb, tb[NETDEV_A_QSTATS_QUEUE_TYPE],
			    tb[NETDEV_A_QSTATS_QUEUE_ID]))
		return MNL_CB_OK;
	for (size_t i = 0; i < ARRAY_SIZE(qs_names); i++)
		if (nl_attr_uint(tb[qs_names[i].attr], &v))
			sb_printf(sb, " %s %" PRIu64, qs_names[i].name, v);
	sb_putc(sb, '\n');
	return MNL_CB_OK;
}

int queue_msg_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NETDEV_A_QUEUE_NAPI_ID + 1] = { 0 };
	struct strbuf *sb = data;
	size_t start = sb->len;
	uint32_t napi;

	if (!genl_msg_ok(nlh))
		return MNL_CB_OK;
	nl_parse_attrs(nlh, GENL_HDRLEN, tb, NETDEV_A_QUEUE_NAPI_ID);
	sb_puts(sb, "queue ");
	if (!put_queue(sb, tb[NETDEV_A_QUEUE_TYPE], tb[NETDEV_A_QUEUE_ID])) {
		sb->len = start;
		sb->s[start] = '\0';
		return MNL_CB_OK;
	}
	if (nl_attr_u32(tb[NETDEV_A_QUEUE_NAPI_ID], &napi))
		sb_printf(sb, " napi %" PRIu32, napi);
	sb_putc(sb, '\n');
	return MNL_CB_OK;
}

int napi_msg_print(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[NETDEV_A_NAPI_PID + 1] = { 0 };
	struct strbuf *sb = data;
	uint32_t id, v;

	if (!genl_msg_ok(nlh))
		return MNL_CB_OK;
	nl_parse_attrs(nlh, GENL_HDRLEN, tb, NETDEV_A_NAPI_PID);
	if (!nl_attr_u32(tb[NETDEV_A_NAPI_ID], &id))
		return MNL_CB_OK;
	sb_printf(sb, "napi %" PRIu32, id);
	if (nl_attr_u32(tb[NETDEV_A_NAPI_IRQ], &v))
		sb_printf(sb, " irq %" PRIu32, v);
	if (nl_attr_u32(tb[NETDEV_A_NAPI_PID], &v))
		sb_printf(sb, " pid %" PRIu32, v);
	sb_putc(sb, '\n');
	return MNL_CB_OK;
}

/* One dump of family/cmd filtered by ifindex (attribute ifindex_attr),
 * optionally with a qstats scope. */
static int netdev_dump(struct nl_sock *s, uint16_t family, uint8_t cmd,
		       uint16_t ifindex_attr, unsigned int ifindex,
		       uint32_t scope, mnl_cb_t cb, struct strbuf *out,
		       char *err, size_t errlen)
{
	struct nlmsghdr *nlh = nl_genl_start(s, family, cmd,
					     NETDEV_FAMILY_VERSION,
					     NLM_F_DUMP);

	mnl_attr_put_u32(nlh, ifindex_attr, ifindex);
	if (scope)
		mnl_attr_put_u32(nlh, NETDEV_A_QSTATS_SCOPE, scope);
	return nl_talk(s, nlh, cb, out, err, errlen);
}

int netdev_qstats_collect(struct nl_sock *s, uint16_t family,
			  unsigned int ifindex, struct strbuf *out,
			  char *err, size_t errlen)
{
	int rc = netdev_dump(s, family, NETDEV_CMD_QSTATS_GET,
			     NETDEV_A_QSTATS_IFINDEX, ifindex, 0,
			     qstats_msg_print, out, err, errlen);

	if (rc < 0)
		return rc;
	return netdev_dump(s, family, NETDEV_CMD_QSTATS_GET,
			   NETDEV_A_QSTATS_IFINDEX, ifindex,
			   NETDEV_QSTATS_SCOPE_QUEUE, qstats_msg_print, out,
			   err, errlen);
}

int netdev_napi_collect(struct nl_sock *s, uint16_t family,
			unsigned int ifindex, struct strbuf *out,
			char *err, size_t errlen)
{
	int rc = netdev_dump(s, family, NETDEV_CMD_QUEUE_GET,
			     NETDEV_A_QUEUE_IFINDEX, ifindex, 0,
			     queue_msg_print, out, err, errlen);

	if (rc < 0)
		return rc;
	return netdev_dump(s, family, NETDEV_CMD_NAPI_GET,
			   NETDEV_A_NAPI_IFINDEX, ifindex, 0, napi_msg_print,
			   out, err, errlen);
}

/* ---- text -> snapshot ---- */

/* The lines of one netdev source, with the device and the source name
 * for notes. */
struct nd_parser {
	struct snapshot *s;
	struct device *d;
	char src[64];
	unsigned int lineno;
};

/* A missing token (NULL, at the end of a line) is no word: found by
 * fuzzing (tests/data/fuzz/napi-queue-no-kind.txt). */
static bool tok_is(const char *tok, size_t n, const char *word)
{
	return tok && strlen(word) == n && memcmp(tok, word, n) == 0;
}

static bool next_u64(const char **p, const char *end, uint64_t max,
		     uint64_t *v)
{
	size_t n;
	const char *tok = next_token(p, end, &n);

	return tok && parse_u64(tok, n, 10, v) && *v <= max;
}

static int nd_bad(struct nd_parser *x, const char *why)
{
	snapshot_note(x->s, "%s: line %u: %s", x->src, x->lineno, why);
	return -EINVAL;
}

static int qs_lookup(const char *tok, size_t n)
{
	for (size_t i = 0; i < ARRAY_SIZE(qs_names); i++)
		if (tok_is(tok, n, qs_names[i].name))
			return (int)i;
	return -2;
}

/* "KEY VALUE" pairs into q (NULL: checked, not kept). */
static int qs_pairs(struct nd_parser *x, struct qstats *q, const char *p,
		    const char *end)
{
	const char *key;
	size_t klen;
	uint64_t v;
	int i;

	while ((key = next_token(&p, end, &klen))) {
		if (!next_u64(&p, end, UINT64_MAX, &v))
			return nd_bad(x, "expected 'KEY VALUE' pairs");
		i = qs_lookup(key, klen);
		if (q && i >= 0 && qs_names[i].id >= 0) {
			q->have[qs_names[i].id] = true;
			q->v[qs_names[i].id] = v;
		}
	}
	return 0;
}

/* The slot of a qstats line for RX queue q: a new one per line (sorted
 * and merged by netdev_merge), the last one again when it is the same
 * queue; NULL beyond the limits. Never sized by the id: "rx 4000" is one
 * slot. */
static struct qstats *qs_queue(struct nd_parser *x, int q)
{
	struct device *d = x->d;
	struct queue_qstats *e;

	if (d->nqs_rxq && d->qs_rxq[d->nqs_rxq - 1].queue == q)
		return &d->qs_rxq[d->nqs_rxq - 1].qs;
	if (!snapshot_reserve_queue(x->s, d, q))
		return NULL;
	d->qs_rxq = snapshot_grow(d->qs_rxq, &d->qs_rxq_cap, d->nqs_rxq + 1,
				  sizeof(*d->qs_rxq));
	e = &d->qs_rxq[d->nqs_rxq];
	memset(e, 0, sizeof(*e));
	e->queue = q;
	e->seq = (unsigned int)d->nqs_rxq++;
	return &e->qs;
}

static int qstats_line(struct nd_parser *x, const char *p, const char *end)
{
	const char *tok;
	size_t n;
	uint64_t q;

	tok = next_token(&p, end, &n);
	if (tok_is(tok, n, "dev")) {
		x->d->have_qstats = true;
		return qs_pairs(x, &x->d->qs_dev, p, end);
	}
	if (!tok_is(tok, n, "rx") && !tok_is(tok, n, "tx"))
		return 0; /* a newer kind of line */
	if (!next_u64(&p, end, MAX_QUEUE, &q))
		return nd_bad(x, "expected a queue number");
	if (tok[0] != 'r')
		return qs_pairs(x, NULL, p, end); /* checked, not kept */
	return qs_pairs(x, qs_queue(x, (int)q), p, end);
}

/* Walks the lines; an unterminated last line may have lost digits. */
static int nd_parse(struct nd_parser *x, const char *text,
		    int (*line_fn)(struct nd_parser *, const char *,
				   const char *))
{
	const char *pos = text, *line;
	size_t len;
	int rc = 0;

	while ((line = next_line(&pos, &len))) {
		x->lineno++;
		if (only_blanks(line, line + len))
			continue;
		if (line[len] != '\n')
			return nd_bad(x, "incomplete last line (truncated?)");
		if (line_fn(x, line, line + len) < 0)
			rc = -EINVAL;
	}
	return rc;
}

int qstats_parse(struct snapshot *s, const char *dev, const char *text)
{
	struct nd_parser x = { .s = s, .d = snapshot_device(s, dev) };

	snprintf(x.src, sizeof(x.src), "qstats %s", dev);
	return nd_parse(&x, text, qstats_line);
}

/* "queue rx Q [napi N]"; TX queues are not used. */
static int queue_line(struct nd_parser *x, const char *p, const char *end)
{
	const char *tok;
	struct device *d = x->d;
	uint64_t q, napi;
	size_t n = 0;
	bool rx;

	tok = next_token(&p, end, &n);
	rx = tok_is(tok, n, "rx");
	if (!rx && !tok_is(tok, n, "tx"))
		return 0;
	if (!next_u64(&p, end, MAX_QUEUE, &q))
		return nd_bad(x, "expected 'queue rx|tx N'");
	tok = next_token(&p, end, &n);
	if (!tok)
		return 0; /* a queue without NAPI */
	if (!tok_is(tok, n, "napi") || !next_u64(&p, end, UINT32_MAX, &napi))
		return nd_bad(x, "expected 'napi ID' after the queue");
	if (!rx)
		return 0;
	d->qnapi = snapshot_grow(d->qnapi, &d->qnapi_cap, d->nqnapi + 1,
				 sizeof(*d->qnapi));
	d->qnapi[d->nqnapi++] = (struct queue_napi){ (int)q, (uint32_t)napi };
	return 0;
}

/* An IRQ named by NAPI gets an entry in the IRQ list, so that the
 * irq-affinity source (parsed later) can give it its CPUs. */
static void napi_irq_entry(struct snapshot *s, const char *dev, int irq)
{
	struct strbuf sb;

	if (snapshot_find_irq(s, irq))
		return;
	sb_init(&sb);
	sb_printf(&sb, "%s-napi", dev);
	snapshot_add_irq(s, irq, sb_steal(&sb));
}

/* "napi ID [irq N] [pid N]" */
static int napi_line(struct nd_parser *x, const char *p, const char *end)
{
	struct napi_info ni = { .irq = -1, .pid = -1 };
	const char *key;
	uint64_t v;
	size_t n;

	if (!next_u64(&p, end, UINT32_MAX, &v))
		return nd_bad(x, "expected 'napi ID'");
	ni.id = (uint32_t)v;
	while ((key = next_token(&p, end, &n))) {
		if (!next_u64(&p, end, INT32_MAX, &v))
			return nd_bad(x, "expected 'KEY VALUE' pairs");
		if (tok_is(key, n, "irq"))
			ni.irq = (int)v;
		else if (tok_is(key, n, "pid"))
			ni.pid = (int)v;
	}
	x->d->napis = snapshot_grow(x->d->napis, &x->d->napis_cap,
				    x->d->nnapis + 1, sizeof(*x->d->napis));
	x->d->napis[x->d->nnapis++] = ni;
	if (ni.irq >= 0)
		napi_irq_entry(x->s, x->d->name, ni.irq);
	return 0;
}

static int napi_src_line(struct nd_parser *x, const char *p, const char *end)
{
	size_t n;
	const char *tok = next_token(&p, end, &n);

	if (tok_is(tok, n, "queue"))
		return queue_line(x, p, end);
	if (tok_is(tok, n, "napi"))
		return napi_line(x, p, end);
	return 0;
}

int napi_parse(struct snapshot *s, const char *dev, const char *text)
{
	struct nd_parser x = { .s = s, .d = snapshot_device(s, dev) };

	snprintf(x.src, sizeof(x.src), "napi %s", dev);
	return nd_parse(&x, text, napi_src_line);
}

/* ---- merge rule ---- */

static int qs_entry_cmp(const void *a, const void *b)
{
	const struct queue_qstats *x = a, *y = b;

	if (x->queue != y->queue)
		return x->queue < y->queue ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Later figures of a queue over earlier ones, key by key. */
static void qs_overlay(struct qstats *to, const struct qstats *from)
{
	for (int k = 0; k < QS_N; k++) {
		if (from->have[k]) {
			to->have[k] = true;
			to->v[k] = from->v[k];
		}
	}
}

/* One entry per queue, sorted by id: the lines of a queue merged in
 * their order, as if each had written into the same slot. */
static void qs_sort_merge(struct device *d)
{
	size_t keep = 0;

	if (d->nqs_rxq == 0)
		return; /* qs_rxq may be NULL: no qsort(NULL, 0) */
	qsort(d->qs_rxq, d->nqs_rxq, sizeof(*d->qs_rxq), qs_entry_cmp);
	for (size_t i = 0; i < d->nqs_rxq; i++) {
		if (keep && d->qs_rxq[keep - 1].queue == d->qs_rxq[i].queue)
			qs_overlay(&d->qs_rxq[keep - 1].qs, &d->qs_rxq[i].qs);
		else
			d->qs_rxq[keep++] = d->qs_rxq[i];
	}
	d->nqs_rxq = keep;
}

static void qs_apply(struct rx_queue *r, const struct qstats *qs)
{
	if (qs->have[QS_RX_PACKETS]) {
		r->have_packets = true;
		r->packets = qs->v[QS_RX_PACKETS];
		r->source = "qstats";
	}
	if (qs->have[QS_RX_BYTES]) {
		r->have_bytes = true;
		r->bytes = qs->v[QS_RX_BYTES];
	}
	if (qs->have[QS_RX_HW_DROPS] || qs->have[QS_RX_ALLOC_FAIL]) {
		r->have_drops = true;
		r->drops = qs->v[QS_RX_HW_DROPS] + qs->v[QS_RX_ALLOC_FAIL];
		r->drops_source = "qstats";
	}
}

/* Labels the figures ethtool -S gave, then lets qstats replace them. */
static void merge_qstats(struct device *d)
{
	for (int q = 0; q < d->nrxq; q++) {
		struct rx_queue *r = &d->rxq[q];

		r->source = r->have_packets ? "ethtool -S" : NULL;
		r->drops_source = r->have_drops ? "ethtool -S" : NULL;
	}
	qs_sort_merge(d);
	for (size_t i = 0; i < d->nqs_rxq; i++) {
		struct rx_queue *r = device_rxq(d, d->qs_rxq[i].queue);

		if (r)
			qs_apply(r, &d->qs_rxq[i].qs);
	}
}

/* NAPI ids sorted (then by position), so that each queue finds the first
 * NAPI of its id by bisection, not by a walk: 256 queues were 64k
 * comparisons per device. */
struct napi_ref {
	uint32_t id;
	size_t pos;
};

static int napi_ref_cmp(const void *a, const void *b)
{
	const struct napi_ref *x = a, *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static struct napi_ref *napi_refs(const struct device *d)
{
	struct napi_ref *r = xcalloc(d->nnapis ? d->nnapis : 1, sizeof(*r));

	for (size_t i = 0; i < d->nnapis; i++)
		r[i] = (struct napi_ref){ d->napis[i].id, i };
	qsort(r, d->nnapis, sizeof(*r), napi_ref_cmp);
	return r;
}

static const struct napi_info *find_napi(const struct device *d,
					 const struct napi_ref *r, uint32_t id)
{
	size_t lo = 0, hi = d->nnapis;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (r[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->nnapis && r[lo].id == id ? &d->napis[r[lo].pos] : NULL;
}

/* Queue -> NAPI -> IRQ from the kernel beats a guess from IRQ names. */
static void merge_napi(struct device *d)
{
	struct napi_ref *refs = napi_refs(d);

	for (size_t i = 0; i < d->nqnapi; i++) {
		const struct queue_napi *qn = &d->qnapi[i];
		const struct napi_info *ni;
		struct rx_queue *r;

		r = device_rxq(d, qn->queue);
		if (!r)
			continue;
		r->have_napi = true;
		r->napi_id = qn->napi_id;
		ni = find_napi(d, refs, qn->napi_id);
		if (!ni)
			continue;
		r->napi_pid = ni->pid;
		if (ni->irq >= 0) {
			r->irq = ni->irq;
			r->irq_from_napi = true;
		}
	}
	free(refs);
}

void netdev_merge(struct snapshot *s, struct device *d)
{
	(void)s;
	merge_qstats(d);
	merge_napi(d);
}
