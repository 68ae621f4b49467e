/* Diagnosis entry point. The waterfall lives in diag_stages.c, the rows in
 * diag_rows.c, the verdict in diag_hints.c and the findings in findings.c;
 * the helpers they share in diag_common.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "diag_internal.h"
#include "util.h"

const char *stage_name(int id)
{
	static const char *const names[STAGE_N] = {
		"nic", "softirq", "ip", "udp", "socket", "app",
	};

	return id >= 0 && id < STAGE_N ? names[id] : "none";
}

static bool has_note(const struct diagnosis *d, const char *text)
{
	for (size_t i = 0; i < d->nnotes; i++)
		if (strcmp(d->notes[i], text) == 0)
			return true;
	return false;
}

static void add_note(struct diagnosis *d, char *text)
{
	if (has_note(d, text)) {
		free(text);
		return;
	}
	d->notes = xrealloc(d->notes, (d->nnotes + 1) * sizeof(*d->notes));
	d->notes[d->nnotes++] = text;
}

/* Devices in one snapshot only have no row: a note says what happened. */
static void note_devices(const struct diag_ctx *x, struct diagnosis *d)
{
	for (size_t i = 0; i < x->prev->ndevs; i++) {
		const char *name = x->prev->devs[i].name;

		if (!snapshot_find_device(x->cur, name))
			add_note(d, diag_strdup_printf("device %s vanished",
						       name));
	}
	for (size_t i = 0; i < x->cur->ndevs; i++) {
		const char *name = x->cur->devs[i].name;

		if (!snapshot_find_device(x->prev, name))
			add_note(d, diag_strdup_printf("device %s appeared",
						       name));
	}
}

static void collect_notes(const struct diag_ctx *x, struct diagnosis *d)
{
	for (size_t i = 0; i < x->prev->nnotes; i++)
		add_note(d, xstrdup(x->prev->notes[i]));
	for (size_t i = 0; i < x->cur->nnotes; i++)
		add_note(d, xstrdup(x->cur->notes[i]));
	note_devices(x, d);
	if (x->prev->have_snmp6 != x->cur->have_snmp6)
		add_note(d, xstrdup("/proc/net/snmp6 read in only one "
				    "snapshot: IPv6 left out"));
	if (x->prev->have_sockdiag != x->cur->have_sockdiag)
		add_note(d, xstrdup("UDP sockets from sock_diag in one "
				    "snapshot, /proc/net/udp in the other"));
}

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
	/* Written this way so that a NaN interval is refused as well. */
	if (!(out->interval_s > 0))
		return -1;
	x.interval = out->interval_s;
	collect_notes(&x, out);
	diag_rows(&x, out);
	diag_receiver_rows(&x, out);
	diag_stages(&x, out);
	diag_verdict(&x, out);
	diag_findings(&x, out);
	return 0;
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
		free_strings(d->devs[i].other_names, d->devs[i].nother);
		free(d->devs[i].other_ps);
	}
	free(d->devs);
	free(d->queues);
	free(d->cpus);
	free(d->socks);
	free(d->groups);
	free(d->receiver.threads);
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
