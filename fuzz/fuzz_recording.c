/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libFuzzer target for the recording reader: the input is a whole
 * recording file, plain or gzip. What parses is turned into snapshots (every source
 * through its parser), consecutive snapshots are diagnosed and rendered
 * as text and JSON, as `droptop --replay FILE --report` does. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "diagnose.h"
#include "raw.h"
#include "recording.h"
#include "report.h"
#include "snapshot.h"
#include "sources.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Diagnoses one pair and renders it both ways. */
static void render_pair(const struct snapshot *a, const struct snapshot *b)
{
	struct report_options o = { .all = true, .source = "fuzz" };
	struct diagnosis d = { 0 };
	/* One output buffer for the whole run: its growth by doubling is
	 * setup, not what the target tests (see fuzz_source.c). */
	static struct strbuf out;

	sb_reset(&out);
	if (diagnose(a, b, &d) == 0) {
		report_text(&d, &o, &out);
		report_json(&d, &o, &out);
	}
	diagnosis_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct raw_snapshot *raws = NULL;
	struct snapshot *snaps;
	char err[256];
	size_t n = 0, total;

	/* Plain or gzip, as --replay reads a file; a 4 KiB input inflates
	 * to at most a few MiB, within the recording limits. */
	if (recording_decode((const char *)data, size, &raws, &n, err,
			     sizeof(err)) < 0)
		return 0;
	total = n;
	/* Bound the work per input: the reader is what is fuzzed here. */
	if (n > 8)
		n = 8;
	snaps = calloc(n ? n : 1, sizeof(*snaps));
	for (size_t i = 0; i < n; i++) {
		snapshot_init(&snaps[i]);
		snapshot_from_raw(&raws[i], &snaps[i]);
		if (i > 0)
			render_pair(&snaps[i - 1], &snaps[i]);
	}
	for (size_t i = 0; i < n; i++)
		snapshot_free(&snaps[i]);
	free(snaps);
	recording_free(raws, total);
	return 0;
}
