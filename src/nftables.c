/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The `nftables` source: the nf_tables base chains on the receive path's
 * hooks (prerouting and input of the ip, ip6 and inet families) in the
 * watched namespace, with the number of rules each holds and its policy.
 * Rule drops have no counter: that rules exist there is what lets the
 * diagnosis give the IP remainder to the netfilter stage.
 *
 * Live, it is an NFT_MSG_GETCHAIN dump, then one NFT_MSG_GETRULE dump per
 * such chain, over NETLINK_NETFILTER, which answers only with
 * CAP_NET_ADMIN. nft_cache_prepare() (before droptop drops its privileges)
 * joins the nf_tables event group and dumps once; the text is reused until
 * an event arrives. Without that socket, the ruleset's generation
 * (NFT_MSG_GETGEN) says when to dump again. Either way a large ruleset is
 * dumped once per change, not once per refresh.
 * The text, one line per chain:
 *   chain family=inet table=filter name=input hook=input policy=drop rules=3
 * Names are printed with any byte outside [A-Za-z0-9_.-] as '?'. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "lines.h"
#include "nl_sources.h"
#include "sources_internal.h"
#include "util.h"

#define NFT_SRC "nftables"
#define NFT_MAX_CHAINS 1024

static const char *family_name(uint8_t f)
{
	switch (f) {
	case NFPROTO_INET:
		return "inet";
	case NFPROTO_IPV4:
		return "ip";
	case NFPROTO_IPV6:
		return "ip6";
	default:
		return NULL;
	}
}

/* A string attribute, cut at its first NUL or its length, never read
 * beyond either; unprintable bytes become '?'. */
static bool attr_name(const struct nlattr *a, char *buf, size_t size)
{
	const char *p;
	size_t n, i;

	if (!a)
		return false;
	p = mnl_attr_get_payload(a);
	n = mnl_attr_get_payload_len(a);
	for (i = 0; i < n && i + 1 < size && p[i]; i++) {
		char c = p[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '.' ||
			  c == '-';

		buf[i] = ok ? c : '?';
	}
	buf[i] = '\0';
	return i > 0;
}

static bool attr_be32(const struct nlattr *a, uint32_t *v)
{
	uint32_t raw;

	if (!nl_attr_u32(a, &raw))
		return false;
	*v = ntohl(raw);
	return true;
}

static const struct nfgenmsg *nfgen(const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(struct nfgenmsg))
		return NULL;
	return mnl_nlmsg_get_payload(nlh);
}

/* A chain reply: kept when it is a base chain on prerouting or input of
 * a family whose packets reach IP. */
int nft_chain_msg(const struct nlmsghdr *nlh, void *data)
{
	struct nft_chains *cs = data;
	const struct nfgenmsg *g = nfgen(nlh);
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1] = { NULL };
	const struct nlattr *hk[NFTA_HOOK_MAX + 1] = { NULL };
	struct nft_chain c;

	if (!g || !family_name(g->nfgen_family))
		return MNL_CB_OK;
	memset(&c, 0, sizeof(c));
	c.family = g->nfgen_family;
	nl_parse_attrs(nlh, sizeof(*g), tb, NFTA_CHAIN_MAX);
	if (!tb[NFTA_CHAIN_HOOK] || !attr_name(tb[NFTA_CHAIN_TABLE], c.table,
					       sizeof(c.table)) ||
	    !attr_name(tb[NFTA_CHAIN_NAME], c.name, sizeof(c.name)))
		return MNL_CB_OK;
	nl_parse_nested(tb[NFTA_CHAIN_HOOK], hk, NFTA_HOOK_MAX);
	if (!attr_be32(hk[NFTA_HOOK_HOOKNUM], &c.hook) ||
	    (c.hook != NF_INET_PRE_ROUTING && c.hook != NF_INET_LOCAL_IN))
		return MNL_CB_OK;
	if (!attr_be32(tb[NFTA_CHAIN_POLICY], &c.policy))
		c.policy = NF_ACCEPT;
	if (cs->n == NFT_MAX_CHAINS)
		return MNL_CB_OK;
	cs->v = snapshot_grow(cs->v, &cs->cap, cs->n + 1, sizeof(*cs->v));
	cs->v[cs->n++] = c;
	return MNL_CB_OK;
}

/* A rule reply: counted when it is in the chain asked for (a kernel that
 * ignores the dump's filter sends every rule). */
int nft_rule_msg(const struct nlmsghdr *nlh, void *data)
{
	struct nft_chain *c = data;
	const struct nfgenmsg *g = nfgen(nlh);
	const struct nlattr *tb[NFTA_RULE_MAX + 1] = { NULL };
	char table[NFT_NAME_MAX], chain[NFT_NAME_MAX];

	if (!g || g->nfgen_family != c->family)
		return MNL_CB_OK;
	nl_parse_attrs(nlh, sizeof(*g), tb, NFTA_RULE_MAX);
	if (attr_name(tb[NFTA_RULE_TABLE], table, sizeof(table)) &&
	    attr_name(tb[NFTA_RULE_CHAIN], chain, sizeof(chain)) &&
	    strcmp(table, c->table) == 0 && strcmp(chain, c->name) == 0)
		c->rules++;
	return MNL_CB_OK;
}

static int gen_msg(const struct nlmsghdr *nlh, void *data)
{
	const struct nfgenmsg *g = nfgen(nlh);
	const struct nlattr *tb[NFTA_GEN_MAX + 1] = { NULL };

	if (!g)
		return MNL_CB_OK;
	nl_parse_attrs(nlh, sizeof(*g), tb, NFTA_GEN_MAX);
	if (!attr_be32(tb[NFTA_GEN_ID], data))
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

static struct nlmsghdr *nft_request(struct nl_sock *s, uint8_t cmd,
				    uint8_t family, uint16_t flags)
{
	struct nlmsghdr *nlh =
		nl_msg_start(s, (NFNL_SUBSYS_NFTABLES << 8) | cmd, flags);
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));

	g->nfgen_family = family;
	g->version = NFNETLINK_V0;
	g->res_id = 0;
	return nlh;
}

/* Name checks make names safe to send back: they are what the kernel
 * gave, '?' only where a byte was not printable (then no rule matches and
 * the chain shows 0 rules, which the printed '?' explains). */
static int count_rules(struct nl_sock *s, struct nft_chain *c, char *err,
		       size_t errlen)
{
	struct nlmsghdr *nlh = nft_request(s, NFT_MSG_GETRULE, c->family,
					   NLM_F_DUMP);

	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, c->table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, c->name);
	c->rules = 0;
	return nl_talk(s, nlh, nft_rule_msg, c, err, errlen);
}

static const char *hook_name(uint32_t hook)
{
	return hook == NF_INET_PRE_ROUTING ? "prerouting" : "input";
}

void nft_chains_print(const struct nft_chains *cs, struct strbuf *out)
{
	for (size_t i = 0; i < cs->n; i++) {
		const struct nft_chain *c = &cs->v[i];

		sb_printf(out, "chain family=%s table=%s name=%s hook=%s "
			  "policy=%s rules=%" PRIu64 "\n",
			  family_name(c->family), c->table, c->name,
			  hook_name(c->hook),
			  c->policy == NF_DROP ? "drop" : "accept", c->rules);
	}
}

static int dump_chains(struct nl_sock *s, struct strbuf *out, char *err,
		       size_t errlen)
{
	struct nft_chains cs = { NULL, 0, 0 };
	struct nlmsghdr *nlh = nft_request(s, NFT_MSG_GETCHAIN, NFPROTO_UNSPEC,
					   NLM_F_DUMP);
	int rc = nl_talk(s, nlh, nft_chain_msg, &cs, err, errlen);

	for (size_t i = 0; rc == 0 && i < cs.n; i++)
		rc = count_rules(s, &cs.v[i], err, errlen);
	if (rc == 0)
		nft_chains_print(&cs, out);
	free(cs.v);
	return rc;
}

struct nft_cache *nft_cache_new(void)
{
	return xcalloc(1, sizeof(struct nft_cache));
}

void nft_cache_free(struct nft_cache *c)
{
	if (!c)
		return;
	if (c->open)
		nl_close(&c->sock);
	if (c->events)
		mnl_socket_close(c->events);
	free(c->text);
	free(c);
}

/* The ruleset's generation: a new one after every change. */
static int ruleset_gen(struct nl_sock *s, uint32_t *gen, char *err,
		       size_t errlen)
{
	struct nlmsghdr *nlh = nft_request(s, NFT_MSG_GETGEN, NFPROTO_UNSPEC,
					   0);

	return nl_talk(s, nlh, gen_msg, gen, err, errlen);
}

/* A fresh dump into the cache; out gets the text. */
static int dump_into(struct nft_cache *c, uint32_t gen, struct strbuf *out,
		     char *err, size_t errlen)
{
	struct strbuf sb;
	int rc;

	sb_init(&sb);
	rc = dump_chains(&c->sock, &sb, err, errlen);
	if (rc == 0) {
		free(c->text);
		sb_puts(out, sb.s ? sb.s : "");
		c->text = sb_steal(&sb);
		c->gen = gen;
		c->changed = false;
	}
	sb_free(&sb);
	return rc;
}

/* Whether an nf_tables event arrived since the last look (or the event
 * queue overflowed): the ruleset changed. */
static bool events_pending(struct nft_cache *c)
{
	char buf[8192];
	bool any = false;
	ssize_t n;

	while ((n = recv(mnl_socket_get_fd(c->events), buf, sizeof(buf),
			 MSG_DONTWAIT)) != 0) {
		if (n < 0 && errno != ENOBUFS)
			break;
		any = true;
	}
	return any;
}

static int sock_ready(struct nft_cache *c, char *err, size_t errlen)
{
	int rc;

	if (c->open)
		return 0;
	rc = nl_open(&c->sock, NETLINK_NETFILTER, err, errlen);
	c->open = rc == 0;
	return rc;
}

/* With the event socket of nft_cache_prepare(), the ruleset is dumped
 * again only after an event; without it, when GETGEN says the generation
 * changed. Both need CAP_NET_ADMIN, which the event socket needed only
 * once, when it joined the group. */
int nft_collect(struct nft_cache *c, struct strbuf *out, char *err,
		size_t errlen)
{
	uint32_t gen = 0;
	int rc = sock_ready(c, err, errlen);

	if (rc < 0)
		return rc;
	if (c->events) {
		c->changed |= events_pending(c);
		if (c->text && !c->changed) {
			sb_puts(out, c->text);
			return 0;
		}
		rc = dump_into(c, 0, out, err, errlen);
		if (rc == -EPERM)
			snprintf(err, errlen, "the ruleset changed since droptop "
				 "started and reading it again needs "
				 "CAP_NET_ADMIN");
		return rc;
	}
	rc = ruleset_gen(&c->sock, &gen, err, errlen);
	if (rc == 0 && c->text && gen == c->gen) {
		sb_puts(out, c->text);
		return 0;
	}
	return dump_into(c, gen, out, err, errlen);
}

int nft_cache_prepare(struct nft_cache *c, char *err, size_t errlen)
{
	struct strbuf sb;
	int rc = sock_ready(c, err, errlen);

	if (rc < 0)
		return rc;
	c->events = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!c->events ||
	    mnl_socket_bind(c->events, 1u << (NFNLGRP_NFTABLES - 1),
			    MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		snprintf(err, errlen, "joining the nf_tables event group: %s",
			 strerror(errno));
		if (c->events)
			mnl_socket_close(c->events);
		c->events = NULL;
		return rc;
	}
	/* Joined before the dump: a change during it is seen next time. */
	sb_init(&sb);
	rc = dump_into(c, 0, &sb, err, errlen);
	sb_free(&sb);
	return rc;
}

/* Parsing the recorded text. */
static bool kv_get(const char *line, const char *end, const char *key,
		   const char **val, size_t *n)
{
	const char *p = line, *tok;
	size_t k = strlen(key), len;

	while ((tok = next_token(&p, end, &len)))
		if (len > k && memcmp(tok, key, k) == 0 && tok[k] == '=') {
			*val = tok + k + 1;
			*n = len - k - 1;
			return true;
		}
	return false;
}

static bool kv_is(const char *line, const char *end, const char *key,
		  const char *a, const char *b, bool *is_a)
{
	const char *v;
	size_t n;

	if (!kv_get(line, end, key, &v, &n))
		return false;
	*is_a = strlen(a) == n && memcmp(v, a, n) == 0;
	return *is_a || (strlen(b) == n && memcmp(v, b, n) == 0);
}

static enum line_verdict nft_line(struct snapshot *s, void *ctx,
				  const char *line, size_t len,
				  unsigned int lineno)
{
	const char *end = line + len, *v;
	uint64_t rules;
	bool hook_pre, drop;
	size_t n;

	(void)ctx;
	if (len < 6 || memcmp(line, "chain ", 6) != 0)
		return LINE_OK; /* another kind of line: a newer droptop's */
	if (!kv_is(line, end, "hook", "prerouting", "input", &hook_pre) ||
	    !kv_is(line, end, "policy", "drop", "accept", &drop) ||
	    !kv_get(line, end, "rules", &v, &n) || !parse_u64(v, n, 10, &rules)) {
		snapshot_note(s, "%s: line %u: expected hook=prerouting|input "
			      "policy=accept|drop rules=N", NFT_SRC, lineno);
		return LINE_BAD;
	}
	s->nf.nft_rules += rules;
	if (s->nf.nft_rules < rules)
		s->nf.nft_rules = UINT64_MAX; /* a hostile sum: saturate */
	s->nf.nft_drop_chains += drop;
	return LINE_OK;
}

int nftables_parse(struct snapshot *s, const char *text)
{
	int rc = parse_lines(s, NFT_SRC, text, nft_line, NULL);

	s->nf.have_nft = true;
	return rc;
}
