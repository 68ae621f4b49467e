/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for one text source: the input is the raw text of the
 * recording source FUZZ_SOURCE (a compile-time string such as
 * "/proc/net/snmp" or "ethtool -S eth0"), parsed through the same path as
 * a replay (snapshot_from_raw, which also finishes the snapshot), then
 * diagnosed against itself and rendered, so that what a parser leaves in
 * the snapshot is exercised too. Built once per source by fuzz/Makefile.am. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "raw.h"
#include "report.h"
#include "snapshot.h"
#include "sources_internal.h"
#include "util.h"

#ifndef FUZZ_SOURCE
#error "FUZZ_SOURCE must name the recording source"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void parse_at(const uint8_t *data, size_t size, int64_t t,
		     struct snapshot *s)
{
	struct raw_snapshot r;

	raw_init(&r);
	r.realtime_ns = t;
	r.monotonic_ns = t;
	/* Parsers read NUL-terminated text: a NUL inside ends it early, as
	 * when a recording holds one. */
	raw_add_copy(&r, FUZZ_SOURCE, (const char *)data, size);
	snapshot_init(s);
	snapshot_from_raw(&r, s);
	raw_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot a, b;
	struct diagnosis d;
	struct report_options o = { .all = true, .source = "fuzz" };
	/* One output buffer for the whole run, emptied per input: growing
	 * a new one by doubling was a tenth of an empty input's time under
	 * ASan, whose quarantine gives every new block fresh pages. */
	static struct strbuf out;

	/* The previous snapshot is the input minus its last half, so that
	 * deltas (and counters going backwards) are exercised. */
	parse_at(data, size / 2, 1000000000, &a);
	parse_at(data, size, 2000000000, &b);
	memset(&d, 0, sizeof(d));
	sb_reset(&out);
	if (diagnose(&a, &b, &d) == 0) {
		report_text(&d, &o, &out);
		report_json(&d, &o, &out);
	}
	diagnosis_free(&d);
	snapshot_free(&a);
	snapshot_free(&b);
	return 0;
}
