/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/net/snmp, /proc/net/netstat and /proc/net/snmp6.
 *
 * /proc/net/snmp and /proc/net/netstat come in line pairs, a header naming
 * the columns and a row of values with the same "Proto:" prefix. Columns
 * are looked up by name, because their number and order change between
 * kernels (Udp gained InCsumErrors in 3.10 and IgnoredMulti in 3.19, IpExt
 * InCsumErrors in 3.10; TcpExt gains a column every few releases).
 * /proc/net/snmp6 is one "Name value" pair per line. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "lines.h"
#include "nameidx.h"
#include "sources_internal.h"
#include "util.h"

#define SNMP_SRC "/proc/net/snmp"
#define SNMP6_SRC "/proc/net/snmp6"
#define NETSTAT_SRC "/proc/net/netstat"

struct snmp_name {
	const char *name;
	enum snmp_id id;
};

static const struct snmp_name ip_names[] = {
	{ "InReceives", IP_IN_RECEIVES },
	{ "InHdrErrors", IP_IN_HDR_ERRORS },
	{ "InAddrErrors", IP_IN_ADDR_ERRORS },
	{ "ForwDatagrams", IP_FORW_DATAGRAMS },
	{ "InUnknownProtos", IP_IN_UNKNOWN_PROTOS },
	{ "InDiscards", IP_IN_DISCARDS },
	{ "InDelivers", IP_IN_DELIVERS },
	{ "ReasmTimeout", IP_REASM_TIMEOUT },
	{ "ReasmReqds", IP_REASM_REQDS },
	{ "ReasmOKs", IP_REASM_OKS },
	{ "ReasmFails", IP_REASM_FAILS },
};

static const struct snmp_name udp_names[] = {
	{ "InDatagrams", UDP_IN_DATAGRAMS },
	{ "NoPorts", UDP_NO_PORTS },
	{ "InErrors", UDP_IN_ERRORS },
	{ "RcvbufErrors", UDP_RCVBUF_ERRORS },
	{ "InCsumErrors", UDP_IN_CSUM_ERRORS },
	{ "MemErrors", UDP_MEM_ERRORS },
};

/* The host's own "destination unreachable" replies: on loopback they come
 * back as IP input for ICMP (diag_notes.c). */
static const struct snmp_name icmp_names[] = {
	{ "OutDestUnreachs", ICMP_OUT_DEST_UNREACHS },
};

static const struct snmp_name snmp6_names[] = {
	{ "Ip6InReceives", IP6_IN_RECEIVES },
	{ "Ip6InHdrErrors", IP6_IN_HDR_ERRORS },
	{ "Ip6InAddrErrors", IP6_IN_ADDR_ERRORS },
	{ "Ip6InNoRoutes", IP6_IN_NO_ROUTES },
	{ "Ip6InTruncatedPkts", IP6_IN_TRUNCATED_PKTS },
	{ "Ip6InUnknownProtos", IP6_IN_UNKNOWN_PROTOS },
	{ "Ip6InDiscards", IP6_IN_DISCARDS },
	{ "Ip6InDelivers", IP6_IN_DELIVERS },
	{ "Udp6InDatagrams", UDP6_IN_DATAGRAMS },
	{ "Udp6NoPorts", UDP6_NO_PORTS },
	{ "Udp6InErrors", UDP6_IN_ERRORS },
	{ "Udp6RcvbufErrors", UDP6_RCVBUF_ERRORS },
	{ "Udp6InCsumErrors", UDP6_IN_CSUM_ERRORS },
	{ "Udp6MemErrors", UDP6_MEM_ERRORS },
	{ "Ip6OutForwDatagrams", IP6_OUT_FORW_DATAGRAMS },
	{ "Ip6ReasmTimeout", IP6_REASM_TIMEOUT },
	{ "Ip6ReasmReqds", IP6_REASM_REQDS },
	{ "Ip6ReasmOKs", IP6_REASM_OKS },
	{ "Ip6ReasmFails", IP6_REASM_FAILS },
	{ "Ip6InMcastPkts", IP6_IN_MCAST_PKTS },
	{ "Icmp6OutDestUnreachs", ICMP6_OUT_DEST_UNREACHS },
};

static const struct snmp_name ipext_names[] = {
	{ "InNoRoutes", IPEXT_IN_NO_ROUTES },
	{ "InTruncatedPkts", IPEXT_IN_TRUNCATED_PKTS },
	{ "InCsumErrors", IPEXT_IN_CSUM_ERRORS },
	{ "InMcastPkts", IPEXT_IN_MCAST_PKTS },
	{ "InBcastPkts", IPEXT_IN_BCAST_PKTS },
};

static const struct snmp_name tcpext_names[] = {
	{ "IPReversePathFilter", TCPEXT_IP_RP_FILTER },
};

/* The rows droptop reads; other protocols are skipped. */
struct snmp_row {
	const char *prefix;
	const struct snmp_name *names;
	size_t n;
	struct nameidx *ix;  /* names, indexed (snmp_index_names) */
};

static struct nameidx ip_ix, udp_ix, icmp_ix, ipext_ix, tcpext_ix, snmp6_ix;

static const struct snmp_row snmp_rows[] = {
	{ "Ip:", ip_names, ARRAY_SIZE(ip_names), &ip_ix },
	{ "Udp:", udp_names, ARRAY_SIZE(udp_names), &udp_ix },
	{ "Icmp:", icmp_names, ARRAY_SIZE(icmp_names), &icmp_ix },
};

static const struct snmp_row netstat_rows[] = {
	{ "IpExt:", ipext_names, ARRAY_SIZE(ipext_names), &ipext_ix },
	{ "TcpExt:", tcpext_names, ARRAY_SIZE(tcpext_names), &tcpext_ix },
};

static void index_names(struct nameidx *ix, const struct snmp_name *names,
			size_t n)
{
	for (size_t i = 0; i < n; i++)
		nameidx_add(ix, names[i].name, (int)names[i].id);
}

/* Built once before main(), so no parser (in any thread) sees it half
 * built. */
__attribute__((constructor)) static void snmp_index_names(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(snmp_rows); i++)
		index_names(snmp_rows[i].ix, snmp_rows[i].names,
			    snmp_rows[i].n);
	for (size_t i = 0; i < ARRAY_SIZE(netstat_rows); i++)
		index_names(netstat_rows[i].ix, netstat_rows[i].names,
			    netstat_rows[i].n);
	index_names(&snmp6_ix, snmp6_names, ARRAY_SIZE(snmp6_names));
}

/* One file of header/value line pairs. */
struct pair_file {
	const char *src;
	const struct snmp_row *rows;
	size_t nrows;
	bool netstat;     /* sets have_netstat, else have_snmp */
};

static const struct pair_file snmp_file = {
	SNMP_SRC, snmp_rows, ARRAY_SIZE(snmp_rows), false,
};

static const struct pair_file netstat_file = {
	NETSTAT_SRC, netstat_rows, ARRAY_SIZE(netstat_rows), true,
};

/* The first token of a non-blank line ("Ip:"). */
static const char *line_prefix(const char *line, size_t len, size_t *n)
{
	return next_token(&line, line + len, n);
}

/* The row whose prefix is the n bytes at tok, or NULL. */
static const struct snmp_row *find_row(const struct pair_file *f,
				       const char *tok, size_t n)
{
	for (size_t i = 0; i < f->nrows; i++) {
		const char *p = f->rows[i].prefix;

		if (p[0] == tok[0] && strlen(p) == n && memcmp(p, tok, n) == 0)
			return &f->rows[i];
	}
	return NULL;
}

/* Reads the counters of one header/value pair into v/have; the snapshot is
 * only touched once the whole row has proved well-formed. The two lines
 * are walked once: a bad value is noted only when the counts of names and
 * values agree, as if they had been counted first. */
static int snmp_row_values(struct snapshot *s, const struct pair_file *f,
			   const struct snmp_row *row, const char *hdr,
			   size_t hlen, const char *val, size_t vlen,
			   unsigned int lineno)
{
	const char *hp = hdr, *hend = hdr + hlen, *vp = val, *vend = val + vlen;
	const char *name, *tok, *bad_name = NULL, *bad_tok = NULL;
	size_t nlen, tlen, bad_nlen = 0, bad_tlen = 0, nh = 0, nv = 0;
	uint64_t v[SNMP_N];
	bool have[SNMP_N] = { false };

	for (;;) {
		int id;

		name = next_token(&hp, hend, &nlen);
		tok = next_token(&vp, vend, &tlen);
		nh += name != NULL;
		nv += tok != NULL;
		if (!name || !tok)
			break;
		if (nh == 1 || bad_name) /* the "Proto:" prefixes */
			continue;
		id = nameidx_find(row->ix, name, nlen);
		if (id < 0)
			continue;
		if (!parse_u64(tok, tlen, 10, &v[id])) {
			bad_name = name;
			bad_nlen = nlen;
			bad_tok = tok;
			bad_tlen = tlen;
			continue;
		}
		have[id] = true;
	}
	nh += count_tokens(hp, hend);
	nv += count_tokens(vp, vend);
	if (nh != nv) {
		snapshot_note(s, "%s: line %u: %s %zu names but %zu values",
			      f->src, lineno, row->prefix, nh - 1, nv - 1);
		return -EINVAL;
	}
	if (bad_name) {
		snapshot_note(s, "%s: line %u: %s %.*s: not a counter '%.*s'",
			      f->src, lineno, row->prefix, (int)bad_nlen,
			      bad_name, (int)bad_tlen, bad_tok);
		return -EINVAL;
	}
	for (int i = 0; i < SNMP_N; i++) {
		if (have[i]) {
			s->snmp.v[i] = v[i];
			s->snmp.have[i] = true;
		}
	}
	if (f->netstat)
		s->have_netstat = true;
	else
		s->have_snmp = true;
	return 0;
}

/* The header line waiting for its value line: its prefix, and the row
 * of that prefix (NULL for a protocol droptop does not read). */
struct snmp_walk {
	const struct pair_file *f;
	const char *hdr;
	size_t hlen;
	unsigned int hdr_no;
	const char *hdr_tok;
	size_t hdr_tlen;
	const struct snmp_row *row;
};

/* The waiting header of a row we use has no value line after it. */
static int snmp_lone_header(struct snapshot *s, const struct snmp_walk *w)
{
	if (!w->hdr || !w->row)
		return 0;
	snapshot_note(s, "%s: line %u: %s header without a value line",
		      w->f->src, w->hdr_no, w->row->prefix);
	return -EINVAL;
}

static enum line_verdict snmp_line(struct snapshot *s, void *ctx,
				   const char *line, size_t len,
				   unsigned int lineno)
{
	struct snmp_walk *w = ctx;
	enum line_verdict v = LINE_OK;
	size_t tlen;
	const char *tok = line_prefix(line, len, &tlen);

	if (w->hdr && tlen == w->hdr_tlen &&
	    memcmp(tok, w->hdr_tok, tlen) == 0) {
		if (w->row && snmp_row_values(s, w->f, w->row, w->hdr, w->hlen,
					      line, len, lineno) < 0)
			v = LINE_BAD;
		w->hdr = NULL;
		return v;
	}
	if (snmp_lone_header(s, w) < 0)
		v = LINE_BAD;
	w->hdr = line;
	w->hlen = len;
	w->hdr_no = lineno;
	w->hdr_tok = tok;
	w->hdr_tlen = tlen;
	w->row = find_row(w->f, tok, tlen);
	return v;
}

static int pair_file_parse(struct snapshot *s, const struct pair_file *f,
			   const char *text)
{
	struct snmp_walk w = { .f = f };
	int rc = walk_lines(s, f->src, text, 0, snmp_line, &w);

	/* A cut last line is the only note: the header before it may have
	 * lost its value line to the cut. */
	if (rc == -ECANCELED)
		return -EINVAL;
	if (snmp_lone_header(s, &w) < 0)
		rc = -EINVAL;
	return rc;
}

int snmp_parse(struct snapshot *s, const char *text)
{
	int rc = pair_file_parse(s, &snmp_file, text);

	if (!s->have_snmp && rc == 0) {
		snapshot_note(s, "%s: no Ip or Udp counters", SNMP_SRC);
		rc = -EINVAL;
	}
	return rc;
}

int netstat_parse(struct snapshot *s, const char *text)
{
	int rc = pair_file_parse(s, &netstat_file, text);

	if (!s->have_netstat && rc == 0) {
		snapshot_note(s, "%s: no IpExt or TcpExt counters",
			      NETSTAT_SRC);
		rc = -EINVAL;
	}
	return rc;
}

/* One "Name value" line of /proc/net/snmp6. */
static enum line_verdict snmp6_line(struct snapshot *s, void *ctx,
				    const char *line, size_t len,
				    unsigned int lineno)
{
	const char *p = line, *end = line + len, *name, *val;
	size_t nlen, vlen;
	uint64_t v;
	int id;

	(void)ctx;
	name = next_token(&p, end, &nlen);
	val = next_token(&p, end, &vlen);
	if (!val || !only_blanks(p, end)) {
		snapshot_note(s, "%s: line %u: expected 'name value'",
			      SNMP6_SRC, lineno);
		return LINE_BAD;
	}
	id = nameidx_find(&snmp6_ix, name, nlen);
	if (id < 0)
		return LINE_OK;
	if (!parse_u64(val, vlen, 10, &v)) {
		snapshot_note(s, "%s: line %u: %.*s: not a counter '%.*s'",
			      SNMP6_SRC, lineno, (int)nlen, name, (int)vlen,
			      val);
		return LINE_BAD;
	}
	s->snmp.v[id] = v;
	s->snmp.have[id] = true;
	s->have_snmp6 = true;
	return LINE_OK;
}

int snmp6_parse(struct snapshot *s, const char *text)
{
	int rc = parse_lines(s, SNMP6_SRC, text, snmp6_line, NULL);

	if (!s->have_snmp6 && rc == 0) {
		snapshot_note(s, "%s: no Ip6 or Udp6 counters", SNMP6_SRC);
		rc = -EINVAL;
	}
	return rc;
}
