/* SPDX-License-Identifier: GPL-2.0-or-later */
/* diagnose(): runs the steps in order. The notes in diag_notes.c, the rows
 * in diag_rows.c and diag_receiver.c, the waterfall in diag_stages.c, the
 * verdict in diag_hints.c and the findings in diag_findings.c; the helpers
 * they share in diag_common.c. Each step may read what the ones before
 * it wrote into the diagnosis, hence the order. */
#include "config.h"

#include <string.h>

#include "diag_internal.h"

int diagnose(const struct snapshot *prev, const struct snapshot *cur,
	     struct diagnosis *out)
{
	struct diag_ctx x = { .prev = prev, .cur = cur };

	memset(out, 0, sizeof(*out));
	out->verdict.stage = STAGE_NONE;
	out->interval_s = cur->monotonic - prev->monotonic;
	out->realtime = cur->realtime;
	memcpy(out->host, cur->hostname, sizeof(out->host));
	memcpy(out->kernel, cur->kernel_release, sizeof(out->kernel));
	memcpy(out->netns, cur->netns, sizeof(out->netns));
	/* Written this way so that a NaN interval is refused as well. */
	if (!(out->interval_s > 0))
		return -1;
	x.interval = out->interval_s;
	diag_notes(&x, out);
	diag_rows(&x, out);
	diag_receiver_rows(&x, out);
	diag_reasons(&x, out);
	diag_stages(&x, out);
	diag_reasons_join(&x, out);
	diag_icmp_note(&x, out);
	diag_verdict(&x, out);
	diag_findings(&x, out);
	return 0;
}
