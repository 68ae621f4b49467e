/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The kernel's drop reasons: the reason -> stage table, names from an
 * enum (this kernel's BTF, and a fixture of Linux 6.2's names, whose
 * numbers differ), the `drop-reasons` parser on good and bad text, and
 * the diagnosis of two snapshots. */
#include "config.h"

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifdef HAVE_BPF
#include <bpf/btf.h>
#endif

#include "diagnose.h"
#include "dropreason.h"
#include "report.h"
#include "testutil.h"
#include "util.h"

static const struct {
	const char *reason;
	int protocol;
	const char *stage;
} stages[] = {
	{ "FULL_RING", -1, "nic" },
	{ "NOMEM", IPPROTO_UDP, "nic" },
	{ "CPU_BACKLOG", IPPROTO_TCP, "softirq" },
	{ "IP_INHDR", IPPROTO_UDP, "ip" },
	{ "IP_RPFILTER", -1, "ip" },
	{ "OTHERHOST", IPPROTO_UDP, "ip" },
	{ "FRAG_REASM_TIMEOUT", -1, "ip" },
	{ "NETFILTER_DROP", IPPROTO_UDP, "netfilter" },
	{ "NO_SOCKET", IPPROTO_UDP, "udp" },
	{ "NO_SOCKET", IPPROTO_TCP, "other" },
	{ "UDP_CSUM", IPPROTO_UDP, "udp" },
	{ "SOCKET_RCVBUFF", IPPROTO_UDP, "socket" },
	{ "SOCKET_RCVBUFF", -1, "other" },
	{ "SOCKET_FILTER", IPPROTO_UDP, "socket" },
	{ "PROTO_MEM", IPPROTO_UDP, "socket" },
	{ "TCP_CSUM", IPPROTO_TCP, "other" },
	{ "NOT_SPECIFIED", IPPROTO_UDP, "other" },
	{ "IP", IPPROTO_UDP, "other" },       /* not a prefix match */
	{ "4711", IPPROTO_UDP, "other" },
	{ "OPENVSWITCH:OVS_DROP_EXPLICIT", -1, "other" },
};

START_TEST(stage_table)
{
	for (size_t i = 0; i < ARRAY_SIZE(stages); i++)
		ck_assert_msg(strcmp(drop_reason_stage(stages[i].reason,
							stages[i].protocol),
				     stages[i].stage) == 0,
			      "%s/%d: %s", stages[i].reason, stages[i].protocol,
			      drop_reason_stage(stages[i].reason, stages[i].protocol));
}
END_TEST

/* Lines "\tNAME = VALUE," of an enum as bpftool prints it. */
static void fixture_enum(const char *rel, struct enum_names *en)
{
	char *text = test_data(rel, NULL);
	const char *pos = text, *line;
	size_t len;

	while ((line = next_line(&pos, &len))) {
		char name[80];
		unsigned v;

		if (sscanf(line, " %79[A-Z0-9_] = %u,", name, &v) == 2)
			enum_names_add(en, name, v);
	}
	free(text);
}

static const char *name_of(const struct reason_names *rn, uint32_t v)
{
	static char buf[96];

	reason_name(rn, v, buf, sizeof(buf));
	return buf;
}

START_TEST(names_of_linux_6_2)
{
	struct reason_names rn = { 0 };

	fixture_enum("dropreason/skb_drop_reason-6.2.txt", &rn.core);
	ck_assert_uint_eq(rn.core.n, 75);
	ck_assert_str_eq(name_of(&rn, 3), "NO_SOCKET");
	ck_assert_str_eq(name_of(&rn, 8), "NETFILTER_DROP");
	ck_assert_str_eq(name_of(&rn, 16), "SOCKET_RCVBUFF");
	ck_assert_str_eq(name_of(&rn, 1), "CONSUMED");
	ck_assert_str_eq(name_of(&rn, 0), "NOT_DROPPED_YET");
	/* No name: the number, never a guess. */
	ck_assert_str_eq(name_of(&rn, 74), "MAX");
	ck_assert_str_eq(name_of(&rn, 75), "75");
	ck_assert_str_eq(name_of(&rn, 0x20003), "131075");
	reason_names_free(&rn);
}
END_TEST

START_TEST(names_of_subsystems)
{
	struct reason_names rn = { 0 };

	enum_names_add(&rn.core, "SKB_DROP_REASON_NO_SOCKET", 3);
	enum_names_add(&rn.subsys, "SKB_DROP_REASON_SUBSYS_CORE", 0);
	enum_names_add(&rn.subsys, "SKB_DROP_REASON_SUBSYS_OPENVSWITCH", 2);
	rn.nsub = 3;
	rn.sub = xcalloc(rn.nsub, sizeof(*rn.sub));
	enum_names_add(&rn.sub[2], "OVS_DROP_EXPLICIT", 0x20003);
	ck_assert_str_eq(name_of(&rn, 0x20003), "OPENVSWITCH:OVS_DROP_EXPLICIT");
	ck_assert_str_eq(name_of(&rn, 0x20009), "OPENVSWITCH:9");
	ck_assert_str_eq(name_of(&rn, 0x10001), "65537");
	ck_assert_str_eq(name_of(&rn, 0x70001), "458753");
	ck_assert_str_eq(name_of(&rn, 3), "NO_SOCKET");
	reason_names_free(&rn);
}
END_TEST

#ifdef HAVE_BPF
/* This kernel's BTF: every enumerator reads back as its own name. */
START_TEST(names_of_this_kernel)
{
	struct reason_names rn = { 0 };
	char msg[160];
	bool have_rcvbuff = false;

	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return; /* no BTF here: the fixture test covers the lookup */
	ck_assert_int_eq(reason_names_from_btf(&rn, "/sys/kernel/btf/vmlinux",
					       msg, sizeof(msg)), 0);
	ck_assert_uint_gt(rn.core.n, 5);
	for (size_t i = 0; i < rn.core.n; i++) {
		const char *full = rn.core.e[i].name;
		const char *want = strncmp(full, "SKB_DROP_REASON_", 16) == 0 ?
					   full + 16 : full + 4;

		if (rn.core.e[i].value >> 16)
			continue; /* SUBSYS_MASK: a mask, never a reason */
		ck_assert_str_eq(name_of(&rn, rn.core.e[i].value), want);
		have_rcvbuff |= strcmp(want, "SOCKET_RCVBUFF") == 0;
	}
	ck_assert(have_rcvbuff);
	reason_names_free(&rn);
	ck_assert_int_lt(reason_names_from_btf(&rn, "/nonexistent/btf", msg,
					       sizeof(msg)), 0);
	ck_assert_ptr_nonnull(strstr(msg, "/nonexistent/btf"));
	reason_names_free(&rn);
}
END_TEST

/* Writes btf's raw data (a split BTF: only its own types) to path. */
static void write_btf(const struct btf *btf, const char *path)
{
	__u32 size;
	const void *raw = btf__raw_data(btf, &size);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(raw);
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(raw, 1, size, f), size);
	ck_assert_int_eq(fclose(f), 0);
}

static void add_enum(struct btf *btf, const char *name,
		     const char *const *names, const __u32 *values, int n)
{
	ck_assert_int_gt(btf__add_enum(btf, name, 4), 0);
	for (int i = 0; i < n; i++)
		ck_assert_int_eq(btf__add_enum_value(btf, names[i],
						     (__s64)values[i]), 0);
}

/* A generated kernel: vmlinux BTF with the core and subsystem enums, and
 * the split BTF of a module "openvswitch" with its own reasons, as
 * /sys/kernel/btf/openvswitch is when the module is loaded. */
static void write_kernel_btf(const char *dir, char *base_path, size_t size)
{
	static const char *const core[] = { "SKB_DROP_REASON_NOT_SPECIFIED",
					    "SKB_DROP_REASON_NO_SOCKET" };
	static const __u32 core_v[] = { 2, 3 };
	static const char *const subsys[] = {
		"SKB_DROP_REASON_SUBSYS_CORE",
		"SKB_DROP_REASON_SUBSYS_MAC80211_UNUSABLE",
		"SKB_DROP_REASON_SUBSYS_OPENVSWITCH",
		"SKB_DROP_REASON_SUBSYS_NUM" };
	static const __u32 subsys_v[] = { 0, 1, 2, 3 };
	static const char *const ovs[] = { "OVS_DROP_LAST_ACTION",
					   "OVS_DROP_ACTION_ERROR" };
	static const __u32 ovs_v[] = { 0x20001, 0x20002 };
	struct btf *base = btf__new_empty(), *mod;
	char path[512];

	ck_assert_ptr_nonnull(base);
	add_enum(base, "skb_drop_reason", core, core_v, 2);
	add_enum(base, "skb_drop_reason_subsys", subsys, subsys_v, 4);
	snprintf(base_path, size, "%s/vmlinux", dir);
	write_btf(base, base_path);
	mod = btf__new_empty_split(base);
	ck_assert_ptr_nonnull(mod);
	add_enum(mod, "ovs_drop_reason", ovs, ovs_v, 2);
	snprintf(path, sizeof(path), "%s/openvswitch", dir);
	write_btf(mod, path);
	btf__free(mod);
	btf__free(base);
}

/* A subsystem's reasons named from its module's split BTF once seen; a
 * module not loaded, an unreadable one and an unknown subsystem keep the
 * number. */
START_TEST(names_from_module_btf)
{
	char dir[] = "/tmp/droptop-btf-XXXXXX", base[512], bad[600], msg[160];
	struct reason_names rn = { 0 };
	FILE *f;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	write_kernel_btf(dir, base, sizeof(base));
	ck_assert_int_eq(reason_names_from_btf(&rn, base, msg, sizeof(msg)), 0);
	ck_assert_str_eq(name_of(&rn, 3), "NO_SOCKET");
	ck_assert_str_eq(name_of(&rn, 0x20001), "OPENVSWITCH:1");
	ck_assert_int_eq(reason_names_add_module(&rn, 2, dir, base, msg,
						 sizeof(msg)), 0);
	ck_assert_str_eq(name_of(&rn, 0x20001), "OPENVSWITCH:OVS_DROP_LAST_ACTION");
	ck_assert_str_eq(name_of(&rn, 0x20002), "OPENVSWITCH:OVS_DROP_ACTION_ERROR");
	ck_assert_str_eq(name_of(&rn, 0x20009), "OPENVSWITCH:9");
	/* mac80211 is not loaded (no file): a number, and no error. */
	ck_assert_int_eq(reason_names_add_module(&rn, 1, dir, base, msg,
						 sizeof(msg)), 0);
	ck_assert_str_eq(name_of(&rn, 0x10005), "MAC80211_UNUSABLE:5");
	ck_assert_int_eq(reason_names_add_module(&rn, 7, dir, base, msg,
						 sizeof(msg)), 0);
	ck_assert_str_eq(name_of(&rn, 0x70001), "458753");
	reason_names_free(&rn);

	/* A module file that is not BTF: an error naming it, numbers stay. */
	snprintf(bad, sizeof(bad), "%s/openvswitch", dir);
	f = fopen(bad, "w");
	ck_assert_ptr_nonnull(f);
	fputs("not BTF\n", f);
	fclose(f);
	ck_assert_int_eq(reason_names_from_btf(&rn, base, msg, sizeof(msg)), 0);
	ck_assert_int_lt(reason_names_add_module(&rn, 2, dir, base, msg,
						 sizeof(msg)), 0);
	ck_assert_ptr_nonnull(strstr(msg, bad));
	ck_assert_str_eq(name_of(&rn, 0x20001), "OPENVSWITCH:1");
	/* Tried once: no second parse. */
	ck_assert_int_eq(reason_names_add_module(&rn, 2, dir, base, msg,
						 sizeof(msg)), 0);
	reason_names_free(&rn);
	unlink(bad);
	unlink(base);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST
#endif

START_TEST(parse_good)
{
	struct snapshot s;

	snapshot_init(&s);
	ck_assert_int_eq(drop_reasons_parse(&s,
		"NO_SOCKET ipv4 udp 5361 lo 40\n"
		"OPENVSWITCH:9 - - - - 2\n"
		"17 ipv6 tcp 22 eth0 1\n"
		"overflow 7\n"
		"location arp_process 50\n"
		"location tcp_v4_rcv.cold 2\n"
		"location-overflow 3\n"), 0);
	ck_assert(s.have_drop_reasons);
	ck_assert_uint_eq(s.nreasons, 3);
	ck_assert_str_eq(s.reasons[0].reason, "NO_SOCKET");
	ck_assert_int_eq(s.reasons[0].family, AF_INET);
	ck_assert_int_eq(s.reasons[0].protocol, IPPROTO_UDP);
	ck_assert_int_eq(s.reasons[0].port, 5361);
	ck_assert_str_eq(s.reasons[0].dev, "lo");
	ck_assert_uint_eq(s.reasons[0].count, 40);
	ck_assert_int_eq(s.reasons[1].family, 0);
	ck_assert_int_eq(s.reasons[1].protocol, -1);
	ck_assert_int_eq(s.reasons[1].port, -1);
	ck_assert_str_eq(s.reasons[1].dev, "");
	ck_assert_int_eq(s.reasons[2].protocol, IPPROTO_TCP);
	ck_assert_uint_eq(s.reasons_overflow, 7);
	ck_assert_uint_eq(s.nreason_funcs, 2);
	ck_assert_str_eq(s.reason_funcs[0].func, "arp_process");
	ck_assert_uint_eq(s.reason_funcs[0].count, 50);
	ck_assert_str_eq(s.reason_funcs[1].func, "tcp_v4_rcv.cold");
	ck_assert_uint_eq(s.reason_funcs_overflow, 3);
	ck_assert_uint_eq(s.nnotes, 0);
	snapshot_free(&s);
}
END_TEST

static const char *const bad_lines[] = {
	"NO_SOCKET ipv4 udp 65536 lo 1\n",
	"NO_SOCKET ipv5 udp 53 lo 1\n",
	"NO_SOCKET ipv4 udp 53 lo\n",
	"NO_SOCKET ipv4 udp 53 lo 1 2\n",
	"NO_SOCKET ipv4 udp 53 lo -1\n",
	"NO_SOCKET ipv4 256 53 lo 1\n",
	"NO\033[2JSOCKET ipv4 udp 53 lo 1\n",
	"NO_SOCKET ipv4 udp 53 l\001o 1\n",
	"NO_SOCKET ipv4 udp 53 averyveryverylongname 1\n",
	"overflow x\n",
	"location tcp_v4_rcv\n",
	"location tcp_v4_rcv 1 2\n",
	"location ffff:81 3\n",
	"location tcp\033[2J 3\n",
	"location aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa 3\n",
	"location-overflow -1\n",
};

START_TEST(parse_bad)
{
	for (size_t i = 0; i < ARRAY_SIZE(bad_lines); i++) {
		struct snapshot s;
		char text[160];

		snprintf(text, sizeof(text), "UDP_CSUM ipv4 udp 9 lo 3\n%s",
			 bad_lines[i]);
		snapshot_init(&s);
		ck_assert_int_eq(drop_reasons_parse(&s, text), -22);
		ck_assert_msg(s.nreasons == 1, "%s", bad_lines[i]);
		ck_assert_uint_eq(s.nnotes, 1);
		ck_assert_ptr_nonnull(strstr(s.notes[0], "drop-reasons: line 2"));
		snapshot_free(&s);
	}
}
END_TEST

static void snap(struct snapshot *s, double t, const char *text)
{
	snapshot_init(s);
	s->monotonic = t;
	ck_assert_int_eq(drop_reasons_parse(s, text), 0);
}

static const struct reason_row *row(const struct diagnosis *d,
				    const char *reason, int protocol)
{
	for (size_t i = 0; i < d->nreasons; i++)
		if (strcmp(d->reasons[i].reason, reason) == 0 &&
		    d->reasons[i].protocol == protocol)
			return &d->reasons[i];
	return NULL;
}

/* The Prometheus output carries the same functions as the text and JSON
 * reports: one series each, the busiest REASON_FUNCS_MAX only. */
static void prom_has_functions(const struct diagnosis *d)
{
	static const char name[] =
		"droptop_drop_reason_function_packets_per_second{";
	struct report_options o = { .source = "test" };
	struct strbuf sb;
	size_t n = 0;

	sb_init(&sb);
	report_prom(d, &o, &sb);
	for (const char *p = sb.s; (p = strstr(p, name)); p++)
		n++;
	ck_assert_uint_eq(n, REASON_FUNCS_MAX);
	ck_assert_ptr_nonnull(strstr(sb.s, "droptop_drop_reason_function_"
				     "packets_per_second{function=\"arp_process\"} 20\n"));
	ck_assert_ptr_nonnull(strstr(sb.s, "{function=\"f3\"} 4\n"));
	ck_assert_ptr_null(strstr(sb.s, "{function=\"f2\"}"));
	ck_assert_ptr_null(strstr(sb.s, "{function=\"gone\"}"));
	sb_free(&sb);
}

/* NOT_SPECIFIED by function: deltas, the busiest REASON_FUNCS_MAX kept in
 * order, the rest counted, the locations' overflow noted. */
START_TEST(diagnosis_reason_funcs)
{
	struct snapshot a, b;
	struct diagnosis d;
	struct strbuf t1, t2;

	sb_init(&t1);
	sb_init(&t2);
	sb_puts(&t1, "NOT_SPECIFIED - - - - 10\nlocation arp_process 10\n"
		     "location gone 5\n");
	sb_puts(&t2, "NOT_SPECIFIED - - - - 200\nlocation arp_process 50\n"
		     "location gone 5\nlocation-overflow 4\n");
	for (int i = 0; i < 10; i++)
		sb_printf(&t2, "location f%d %d\n", i, 2 * (i + 1));
	snap(&a, 10, t1.s);
	snap(&b, 12, t2.s);
	ck_assert_int_eq(diagnose(&a, &b, &d), 0);
	ck_assert_uint_eq(d.nreason_funcs, REASON_FUNCS_MAX);
	ck_assert_str_eq(d.reason_funcs[0].reason, "arp_process");
	ck_assert_double_eq_tol(d.reason_funcs[0].pps, 20, 1e-9);
	ck_assert_str_eq(d.reason_funcs[1].reason, "f9");
	ck_assert_double_eq_tol(d.reason_funcs[1].pps, 10, 1e-9);
	ck_assert_str_eq(d.reason_funcs[7].reason, "f3");
	/* f0..f2 beyond the top 8; "gone" did not drop in the interval. */
	ck_assert_uint_eq(d.reason_funcs_more, 3);
	ck_assert_uint_eq(d.nnotes, 1);
	ck_assert_ptr_nonnull(strstr(d.notes[0], "4 NOT_SPECIFIED drops not placed"));
	prom_has_functions(&d);
	diagnosis_free(&d);
	snapshot_free(&a);
	snapshot_free(&b);
	sb_free(&t1);
	sb_free(&t2);
}
END_TEST

START_TEST(diagnosis_rates_and_stages)
{
	struct snapshot a, b;
	struct diagnosis d;
	const struct reason_row *r;

	snap(&a, 10, "NO_SOCKET ipv4 udp 5000 lo 10\n"
		     "NO_SOCKET ipv4 tcp 22 lo 4\n"
		     "overflow 1\n");
	snap(&b, 12, "NO_SOCKET ipv4 udp 5000 lo 30\n"
		     "NO_SOCKET ipv4 udp 5000 eth0 6\n"
		     "NO_SOCKET ipv4 tcp 22 lo 8\n"
		     "SOCKET_RCVBUFF ipv4 udp 6000 - 2\n"
		     "overflow 6\n");
	ck_assert_int_eq(diagnose(&a, &b, &d), 0);
	ck_assert(d.have_reasons);
	ck_assert_uint_eq(d.nreasons, 3);
	/* Devices summed: 20 on lo and 6 new on eth0 over 2 s. */
	ck_assert_str_eq(d.reasons[0].reason, "NO_SOCKET");
	ck_assert_uint_eq(d.reasons[0].packets, 26);
	ck_assert_double_eq_tol(d.reasons[0].pps, 13, 1e-9);
	ck_assert_str_eq(d.reasons[0].stage, "udp");
	r = row(&d, "NO_SOCKET", IPPROTO_TCP);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->stage, "other");
	ck_assert_uint_eq(r->packets, 4);
	r = row(&d, "SOCKET_RCVBUFF", IPPROTO_UDP);
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->stage, "socket");
	/* Reasons explain; they never make a stage's figure. */
	ck_assert(!d.stages[STAGE_UDP].lost_pps.known ||
		  d.stages[STAGE_UDP].lost_pps.v == 0);
	ck_assert_uint_eq(d.nnotes, 1);
	ck_assert_ptr_nonnull(strstr(d.notes[0], "5 drops not itemised"));
	diagnosis_free(&d);
	snapshot_free(&a);
	snapshot_free(&b);
}
END_TEST

START_TEST(diagnosis_without_or_reset)
{
	struct snapshot a, b;
	struct diagnosis d;

	snap(&a, 1, "NO_SOCKET ipv4 udp 5000 lo 10\n");
	snap(&b, 2, "NO_SOCKET ipv4 udp 5000 lo 3\nUDP_CSUM ipv4 udp 7 lo 1\n");
	ck_assert_int_eq(diagnose(&a, &b, &d), 0);
	ck_assert_uint_eq(d.nreasons, 1);
	ck_assert_str_eq(d.reasons[0].reason, "UDP_CSUM");
	ck_assert_uint_eq(d.nnotes, 1);
	diagnosis_free(&d);
	snapshot_free(&a);
	snapshot_init(&a);
	a.monotonic = 1;
	ck_assert_int_eq(diagnose(&a, &b, &d), 0);
	ck_assert(!d.have_reasons);
	ck_assert_uint_eq(d.nreasons, 0);
	diagnosis_free(&d);
	snapshot_free(&a);
	snapshot_free(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dropreason");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, stage_table);
	tcase_add_test(tc, names_of_linux_6_2);
	tcase_add_test(tc, names_of_subsystems);
#ifdef HAVE_BPF
	tcase_add_test(tc, names_of_this_kernel);
	tcase_add_test(tc, names_from_module_btf);
#endif
	tcase_add_test(tc, parse_good);
	tcase_add_test(tc, parse_bad);
	tcase_add_test(tc, diagnosis_rates_and_stages);
	tcase_add_test(tc, diagnosis_reason_funcs);
	tcase_add_test(tc, diagnosis_without_or_reset);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return test_run_suite(suite());
}
