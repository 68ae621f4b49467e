#include "config.h"

#include <string.h>

#include "diag_internal.h"

/* STUB */
const char *stage_name(int id)
{
	static const char *const names[] = { "nic", "softirq", "ip", "udp", "socket", "app" };
	return id >= 0 && id < STAGE_N ? names[id] : "none";
}

int diagnose(const struct snapshot *prev, const struct snapshot *cur, struct diagnosis *out)
{
	memset(out, 0, sizeof(*out));
	out->verdict.stage = STAGE_NONE;
	out->interval_s = cur->monotonic - prev->monotonic;
	return 0;
}

void diagnosis_free(struct diagnosis *d) { memset(d, 0, sizeof(*d)); }

const struct finding *diagnosis_finding(const struct diagnosis *d, const char *id)
{
	for (size_t i = 0; i < d->nfindings; i++)
		if (strcmp(d->findings[i].id, id) == 0)
			return &d->findings[i];
	return NULL;
}
