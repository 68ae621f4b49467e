/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The name index (nameidx.c) and the source dispatch built on it
 * (sources.c) against the table walks they replaced. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "nameidx.h"
#include "sources_internal.h"
#include "testutil.h"

/* The walk nameidx replaced: the first name of the table equal to tok. */
static int walk_find(const char *const *names, size_t n, const char *tok,
		     size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) == len && memcmp(names[i], tok, len) == 0)
			return (int)i;
	return -1;
}

static const char *const snmp6ish[] = {
	"Ip6InReceives", "Ip6InHdrErrors", "Ip6InAddrErrors", "Ip6InNoRoutes",
	"Ip6InTruncatedPkts", "Ip6InUnknownProtos", "Ip6InDiscards",
	"Ip6InDelivers", "Udp6InDatagrams", "Udp6NoPorts", "Udp6InErrors",
	"Udp6RcvbufErrors", "Udp6InCsumErrors", "Udp6MemErrors",
	"Ip6OutForwDatagrams", "Ip6ReasmTimeout", "Ip6ReasmReqds",
	"Ip6ReasmOKs", "Ip6ReasmFails", "Ip6InMcastPkts", "I", "x", "ab",
	"Icmp6OutDestUnreachs", "InErrors", "Ip6InReceives", /* twice */
};

/* Every name, every prefix and extension of one, and every one-byte
 * change of one: the index answers as the walk does. */
START_TEST(nameidx_as_walk)
{
	const size_t n = sizeof(snmp6ish) / sizeof(snmp6ish[0]);
	struct nameidx ix = { 0 };
	char buf[64];

	for (size_t i = 0; i < n; i++)
		nameidx_add(&ix, snmp6ish[i], (int)i);
	ck_assert_uint_eq(ix.n, n - 1); /* the repeated name kept once */
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(snmp6ish[i]);

		memcpy(buf, snmp6ish[i], len + 1);
		for (size_t l = 0; l <= len; l++)
			ck_assert_int_eq(nameidx_find(&ix, buf, l),
					 walk_find(snmp6ish, n, buf, l));
		buf[len] = 's';
		ck_assert_int_eq(nameidx_find(&ix, buf, len + 1),
				 walk_find(snmp6ish, n, buf, len + 1));
		buf[len] = '\0';
		for (size_t k = 0; k < len; k++) {
			for (int c = 1; c < 256; c += 7) {
				char was = buf[k];

				buf[k] = (char)c;
				ck_assert_int_eq(nameidx_find(&ix, buf, len),
						 walk_find(snmp6ish, n, buf, len));
				buf[k] = was;
			}
		}
	}
	ck_assert_int_eq(nameidx_find(&ix, "", 0), -1);
}
END_TEST

/* The index is as good when full: half its slots. */
START_TEST(nameidx_full)
{
	static char names[NAMEIDX_SLOTS / 2][8];
	struct nameidx ix = { 0 };

	for (int i = 0; i < NAMEIDX_SLOTS / 2; i++) {
		snprintf(names[i], sizeof(names[i]), "n%d", i);
		nameidx_add(&ix, names[i], i);
	}
	for (int i = 0; i < NAMEIDX_SLOTS / 2; i++)
		ck_assert_int_eq(nameidx_find(&ix, names[i], strlen(names[i])),
				 i);
	ck_assert_int_eq(nameidx_find(&ix, "n64", 3), -1);
	ck_assert_int_eq(nameidx_find(&ix, "m1", 2), -1);
}
END_TEST

/* Names of every length from 1 to 40 that share their length, first,
 * middle and last bytes (one slot's probe chain): each is found, and a
 * copy with any one byte changed (or a tail, as in a longer token) is
 * found only when the walk finds it. The word-wise compare must see a
 * difference at any position, the overlapping last word included. */
START_TEST(nameidx_every_length_every_byte)
{
	static char names[40][3][48];
	const char *flat[3];
	char tok[48];

	for (size_t len = 1; len <= 40; len++) {
		struct nameidx ix = { 0 };

		for (int k = 0; k < 3; k++) {
			char *n = names[len - 1][k];

			for (size_t j = 0; j < len; j++)
				n[j] = (char)('a' + (j * 7 + (size_t)k *
						      (j % 5 == 3)) % 26);
			n[len] = '\0';
			flat[k] = n;
			nameidx_add(&ix, n, k);
		}
		for (int k = 0; k < 3; k++) {
			int want = walk_find(flat, 3, flat[k], len);

			ck_assert_int_eq(nameidx_find(&ix, flat[k], len), want);
			for (size_t j = 0; j < len; j++) {
				memcpy(tok, flat[k], len + 1);
				tok[j] ^= 0x01;
				ck_assert_int_eq(nameidx_find(&ix, tok, len),
						 walk_find(flat, 3, tok, len));
				tok[j] = (char)0x80;
				ck_assert_int_eq(nameidx_find(&ix, tok, len),
						 walk_find(flat, 3, tok, len));
			}
		}
	}
}
END_TEST

static void check_source(const char *name)
{
	const char *a1 = NULL, *a2 = NULL;
	int i = source_parser_find(name, &a1);
	int w = source_parser_walk(name, 0, &a2);

	ck_assert_msg(i == w, "'%s': index %d, walk %d", name, i, w);
	if (i < 0)
		return;
	ck_assert_ptr_eq(a1, a2);
	/* No second parser reads the same source. */
	ck_assert_int_eq(source_parser_walk(name, (size_t)i + 1, &a2), -1);
}

/* Every parser's name, alone, with an argument, with a cut or changed
 * byte, with a space and nothing after it: dispatched as the walk over
 * the table did. */
START_TEST(dispatch_as_walk)
{
	static const char *const tails[] = {
		"", " ", " eth0", " a b", "  x", "x", "x eth0", " rx-flow-hash udp4",
		"-dev eth0", "\t eth0",
	};
	const char *p;
	char buf[256];

	for (size_t i = 0; (p = source_parser_name(i)); i++) {
		size_t len = strlen(p);

		for (size_t t = 0; t < sizeof(tails) / sizeof(tails[0]); t++) {
			snprintf(buf, sizeof(buf), "%s%s", p, tails[t]);
			check_source(buf);
			for (size_t k = 0; k < len; k++) {
				char was = buf[k];

				buf[k] = 'Z';
				check_source(buf);
				buf[k] = was;
			}
			for (size_t k = 0; k < len; k++) {
				snprintf(buf, sizeof(buf), "%.*s%s", (int)k, p,
					 tails[t]);
				check_source(buf);
			}
		}
	}
	check_source("");
	check_source(" ");
	check_source("ethtool -S eth0");
	check_source("ethtool -n eth0 rx-flow-hash udp6");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nameidx");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, nameidx_as_walk);
	tcase_add_test(tc, nameidx_full);
	tcase_add_test(tc, nameidx_every_length_every_byte);
	tcase_add_test(tc, dispatch_as_walk);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
