/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The link state of each watched device: operstate and carrier as the
 * `link DEV` (rtnetlink) or `sysfs DEV` source recorded them, judged up,
 * down or unknown, and the link-down finding. A device that is down
 * counts no loss at all, so without this its silence reads as health. */
#include "config.h"

#include <string.h>

#include "diag_internal.h"
#include "util.h"

enum link_state diag_link_up(const char *operstate, int carrier)
{
	static const char *const not_passing[] = {
		"down", "lowerlayerdown", "notpresent", "dormant", "testing",
	};

	for (size_t i = 0; i < ARRAY_SIZE(not_passing); i++)
		if (strcmp(operstate, not_passing[i]) == 0)
			return LINK_DOWN;
	if (carrier == 0)
		return LINK_DOWN;
	if (strcmp(operstate, "up") == 0)
		return LINK_UP;
	/* "unknown" (loopback, tun, many virtual drivers) or not recorded:
	 * the carrier decides. */
	return carrier == 1 ? LINK_UP : LINK_UNKNOWN;
}

static enum link_state tri_state(int v)
{
	return v < 0 ? LINK_UNKNOWN : v ? LINK_UP : LINK_DOWN;
}

void diag_link_row_fill(const struct device *c, struct device_row *r)
{
	copy_token(r->operstate, sizeof(r->operstate), c->operstate,
		   strnlen(c->operstate, sizeof(c->operstate)));
	r->carrier = tri_state(c->carrier);
	r->admin = tri_state(c->admin_up);
	r->link = c->admin_up == 0 ? LINK_DOWN
				   : diag_link_up(r->operstate, c->carrier);
	/* Watching every device by default takes in the ones nobody uses;
	 * set down with not one packet received, they are idle, not
	 * broken. One set down after use, or without carrier, is not. */
	r->link_unused = r->link == LINK_DOWN && r->admin == LINK_DOWN &&
			 c->sys_have[SYS_RX_PACKETS] &&
			 c->sys[SYS_RX_PACKETS] == 0;
}

/* "set down, operstate down, no carrier" from what is known. */
void diag_link_state_put(struct strbuf *sb, const struct device_row *r)
{
	if (r->admin == LINK_DOWN)
		sb_puts(sb, "set down, ");
	if (r->operstate[0])
		sb_printf(sb, "operstate %s", r->operstate);
	if (r->carrier != LINK_UNKNOWN)
		sb_printf(sb, "%s%s", r->operstate[0] ? ", " : "",
			  r->carrier == LINK_UP ? "carrier" : "no carrier");
	if (!r->operstate[0] && r->carrier == LINK_UNKNOWN)
		sb_puts(sb, "state unknown");
}

/* Set down: bring it up. Up but without a carrier or with its lower
 * device down: the cable, the peer or the device under it. Not knowing
 * which (a recording without admin_up), both. */
void diag_link_fix_put(struct strbuf *sb, const struct device_row *r)
{
	if (r->admin == LINK_DOWN)
		sb_printf(sb, "ip link set %s up", r->name);
	else if (r->admin == LINK_UNKNOWN)
		sb_printf(sb, "ip link set %s up if it was set down, else "
			  "check the cable and the peer", r->name);
	else
		sb_printf(sb, "check the cable and the peer (the other end "
			  "of a veth, the switch port) or the device under "
			  "%s", r->name);
}

void diag_find_link_down(struct diagnosis *d)
{
	for (size_t i = 0; i < d->ndevs; i++) {
		const struct device_row *r = &d->devs[i];
		struct strbuf sb;

		if (r->link != LINK_DOWN || r->link_unused)
			continue;
		sb_init(&sb);
		sb_printf(&sb, "%s is down (", r->name);
		diag_link_state_put(&sb, r);
		sb_puts(&sb, "): it receives nothing and counts no loss; ");
		diag_link_fix_put(&sb, r);
		diag_about_device(&diag_add_finding(d, "link-down", &sb)->about,
				  r->name);
	}
}

const char *device_link_label(const struct device_row *r)
{
	if (r->link == LINK_UP)
		return "up";
	if (r->link == LINK_UNKNOWN)
		return "?";
	if (r->operstate[0] && strcmp(r->operstate, "up") != 0 &&
	    strcmp(r->operstate, "unknown") != 0)
		return r->operstate;
	return "no carrier";
}
