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
#include <sanitizer/asan_interface.h>

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
	/* The NUL-terminated copy the parsers read lives in one buffer for
	 * the whole run: a new block per input was a sixth of the time of a
	 * 7 KB /proc/interrupts under ASan (fresh pages, the 0xbe fill).
	 * What lies past its NUL is poisoned, so that a read beyond the
	 * text is still caught as with a block of the exact size. */
	static struct strbuf text;
	static char name[] = FUZZ_SOURCE;
	struct raw_source src;
	struct raw_snapshot r;

	if (text.s)
		ASAN_UNPOISON_MEMORY_REGION(text.s, text.cap);
	sb_reset(&text);
	sb_append(&text, (const char *)data, size);
	ASAN_POISON_MEMORY_REGION(text.s + size + 1, text.cap - size - 1);
	raw_init(&r);
	r.realtime_ns = t;
	r.monotonic_ns = t;
	/* Parsers read NUL-terminated text: a NUL inside ends it early, as
	 * when a recording holds one. */
	src.name = name;
	src.text = text.s;
	src.len = size;
	r.srcs = &src;
	r.nsrcs = 1;
	snapshot_init(s);
	snapshot_from_raw(&r, s);
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
