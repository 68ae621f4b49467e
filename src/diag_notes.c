/* The notes of a diagnosis: those of both snapshots, once each, and what
 * the rows cannot show (a device in one snapshot only, a source read in
 * one snapshot only). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "diag_internal.h"

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

void diag_notes(const struct diag_ctx *x, struct diagnosis *d)
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
	/* A live snapshot reads the rules; without conntrack's statistics
	 * beside them, nf_conntrack is not loaded: nothing to drop. */
	if ((x->cur->nf.have_nft || x->cur->nf.have_iptables) &&
	    !x->cur->nf.have_ct_stat)
		add_note(d, xstrdup("netfilter: conntrack not loaded (no "
				    "/proc/net/stat/nf_conntrack): no "
				    "conntrack drops"));
}
