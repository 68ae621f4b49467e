/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Names of drop reasons from an enum table (filled from the running
 * kernel's BTF, or from a fixture in the tests): never from a table of
 * numbers in droptop, since the numbers differ between kernels. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dropreason.h"
#include "util.h"

void enum_names_add(struct enum_names *en, const char *name, uint32_t value)
{
	en->e = xrealloc(en->e, (en->n + 1) * sizeof(*en->e));
	en->e[en->n].name = xstrdup(name);
	en->e[en->n].value = value;
	en->n++;
}

static void enum_names_free(struct enum_names *en)
{
	for (size_t i = 0; i < en->n; i++)
		free(en->e[i].name);
	free(en->e);
	en->e = NULL;
	en->n = 0;
}

void reason_names_free(struct reason_names *rn)
{
	enum_names_free(&rn->core);
	enum_names_free(&rn->subsys);
	for (size_t i = 0; i < rn->nsub; i++)
		enum_names_free(&rn->sub[i]);
	free(rn->sub);
	rn->sub = NULL;
	rn->nsub = 0;
}

static const char *enum_lookup(const struct enum_names *en, uint32_t v)
{
	for (size_t i = 0; i < en->n; i++)
		if (en->e[i].value == v)
			return en->e[i].name;
	return NULL;
}

/* NAME minus the first of prefixes it starts with. */
static const char *strip_prefix(const char *name, const char *const *prefixes)
{
	for (; *prefixes; prefixes++) {
		size_t n = strlen(*prefixes);

		if (strncmp(name, *prefixes, n) == 0 && name[n])
			return name + n;
	}
	return name;
}

static const char *const core_prefixes[] = { "SKB_DROP_REASON_", "SKB_", NULL };
static const char *const subsys_prefixes[] = { "SKB_DROP_REASON_SUBSYS_", NULL };

/* A subsystem's reason: SUBSYS:NAME, SUBSYS:CODE, or the plain number
 * when the subsystem itself has no name. */
static void subsys_reason_name(const struct reason_names *rn, uint32_t v,
			       char *buf, size_t size)
{
	uint32_t sub = v >> 16;
	const char *sname = enum_lookup(&rn->subsys, sub);
	const char *name = sub < rn->nsub ? enum_lookup(&rn->sub[sub], v) : NULL;

	if (!sname)
		snprintf(buf, size, "%u", v);
	else if (name)
		snprintf(buf, size, "%s:%s", strip_prefix(sname, subsys_prefixes),
			 name);
	else
		snprintf(buf, size, "%s:%u", strip_prefix(sname, subsys_prefixes),
			 v & 0xffff);
}

void reason_name(const struct reason_names *rn, uint32_t v, char *buf,
		 size_t size)
{
	const char *name;

	if (v >> 16) {
		subsys_reason_name(rn, v, buf, size);
		return;
	}
	name = enum_lookup(&rn->core, v);
	if (name)
		snprintf(buf, size, "%s", strip_prefix(name, core_prefixes));
	else
		snprintf(buf, size, "%u", v);
}
