/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The diagnosis as data: the functions diagnose.h declares for reading
 * and freeing a struct diagnosis. diagnose() itself, which calls every
 * step, is in diag_run.c: the steps use these types, so keeping the run
 * apart lets the files depend on each other one way only. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "diagnose.h"

const char *stage_name(int id)
{
	static const char *const names[STAGE_N] = {
		"nic", "softirq", "ip", "netfilter", "udp", "socket", "app",
	};

	return id >= 0 && id < STAGE_N ? names[id] : "none";
}

static void free_strings(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void diagnosis_free(struct diagnosis *d)
{
	for (size_t i = 0; i < d->ndevs; i++) {
		free(d->devs[i].other_names); /* one block, names too */
		free(d->devs[i].other_ps);
	}
	free(d->devs);
	free(d->queues);
	free(d->cpus);
	free(d->socks);
	free(d->groups);
	free(d->receiver.threads);
	free(d->reasons);
	for (size_t i = 0; i < d->nfindings; i++)
		free(d->findings[i].detail);
	free(d->findings);
	free(d->verdict.summary);
	free_strings(d->verdict.hints, d->verdict.nhints);
	free_strings(d->notes, d->nnotes);
	memset(d, 0, sizeof(*d));
	d->verdict.stage = STAGE_NONE;
}

const struct finding *diagnosis_finding(const struct diagnosis *d,
					const char *id)
{
	for (size_t i = 0; i < d->nfindings; i++)
		if (strcmp(d->findings[i].id, id) == 0)
			return &d->findings[i];
	return NULL;
}
