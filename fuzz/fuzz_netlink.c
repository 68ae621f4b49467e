/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for one netlink reply printer: the input is a stream of
 * netlink messages as the kernel sends them (the layout of the .bin files
 * in tests/data/netlink). Every data message goes through FUZZ_PRINTER, as
 * nl_talk() would pass it, and the printed text then through the parser of
 * the recording source FUZZ_SOURCE, as on a live run. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nl_sources.h"
#include "raw.h"
#include "snapshot.h"
#include "sources_internal.h"
#include "util.h"

#if !defined(FUZZ_PRINTER) || !defined(FUZZ_SOURCE)
#error "FUZZ_PRINTER and FUZZ_SOURCE must be defined"
#endif


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse_text(struct strbuf *text)
{
	struct raw_snapshot r;
	struct snapshot s;

	raw_init(&r);
	raw_add_copy(&r, FUZZ_SOURCE, text->s ? text->s : "", text->len);
	snapshot_init(&s);
	snapshot_from_raw(&r, &s);
	snapshot_free(&s);
	raw_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The kernel hands messages over 4-byte aligned: so does this copy
	 * (malloc aligns), and ASan sees the exact end of the input. */
	/* libmnl finds the end of a message's attributes by aligning its
	 * length up to 4: the kernel's buffers always hold that padding, so
	 * this copy has it too (zeroed). */
	char *buf = calloc(1, (size + 3) & ~(size_t)3 ? (size + 3) & ~(size_t)3 : 4);
	const struct nlmsghdr *nlh = (const void *)buf;
	int left = (int)size;
	struct strbuf sb;

	if (!buf || size > (1u << 20)) {
		free(buf);
		return 0;
	}
	memcpy(buf, data, size);
	sb_init(&sb);
	/* nl_talk() relies on mnl_cb_run(), whose mnl_nlmsg_ok() takes a
	 * length above INT_MAX as fitting: the kernel never sends one, so
	 * the harness (not the code under test) rules it out. */
	while (mnl_nlmsg_ok(nlh, left) && nlh->nlmsg_len <= (uint32_t)left) {
		if (nlh->nlmsg_type >= NLMSG_MIN_TYPE &&
		    FUZZ_PRINTER(nlh, &sb) < MNL_CB_OK)
			break;
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	parse_text(&sb);
	sb_free(&sb);
	free(buf);
	return 0;
}
