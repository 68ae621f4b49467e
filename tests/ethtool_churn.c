/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/ethtool_churn DEV N [STOPFILE]: N refreshes of DEV's `ethtool -S`
 * (fewer if STOPFILE appears) while tests/ethtool_churn.sh changes DEV's
 * channels under them: the even ones through one ethtool cache, as the
 * dashboard makes them, the odd ones each with a new cache, as droptop's
 * first refresh. Each text collected must parse, one counter per line.
 * Prints "refreshes N recorded R changing C" and one line "count K" per
 * distinct count seen; exits 1 on a text that does not parse. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "raw.h"
#include "snapshot.h"
#include "sources_internal.h"

#define MAX_COUNTS 16

static size_t counter_lines(const char *text)
{
	size_t n = 0;

	for (const char *p = strchr(text, '\n'); p && p[1]; p = strchr(p + 1,
								      '\n'))
		n++;
	return n;
}

/* 0, or -1 if the text does not parse into one counter per line. */
static int check_text(const char *dev, const char *text, size_t *count)
{
	struct snapshot s;
	struct device *d;
	int rc;

	snapshot_init(&s);
	rc = ethtool_stats_parse(&s, dev, text);
	d = snapshot_find_device(&s, dev);
	*count = counter_lines(text);
	if (rc < 0 || s.nnotes || !d || d->nctrs != *count)
		rc = -1;
	snapshot_free(&s);
	return rc;
}

static void remember(size_t *counts, size_t *ncounts, size_t count)
{
	for (size_t i = 0; i < *ncounts; i++)
		if (counts[i] == count)
			return;
	if (*ncounts < MAX_COUNTS)
		counts[(*ncounts)++] = count;
}

int main(int argc, char **argv)
{
	size_t counts[MAX_COUNTS], ncounts = 0, recorded = 0, changing = 0;
	struct ethtool_cache *ec;
	char name[64];
	long n;

	if (argc < 3 || argc > 4 || (n = strtol(argv[2], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: ethtool_churn DEV N [STOPFILE]\n");
		return 2;
	}
	snprintf(name, sizeof(name), "ethtool -S %s", argv[1]);
	ec = ethtool_cache_new();
	for (long i = 0; i < n; i++) {
		const struct raw_source *src;
		struct raw_snapshot r;
		size_t count;

		raw_init(&r);
		if (i % 2)
			ethtool_collect(argv[1], &r);
		else
			ethtool_collect_cached(ec, argv[1], COLLECT_COUNTERS, 0,
					       &r);
		src = raw_find(&r, name);
		for (size_t k = 0; k < r.nnotes; k++)
			changing += strstr(r.notes[k], "kept changing") != NULL;
		if (src && check_text(argv[1], src->text, &count) < 0) {
			fprintf(stderr, "refresh %ld: text does not parse\n", i);
			return 1;
		}
		if (src) {
			recorded++;
			remember(counts, &ncounts, count);
		}
		raw_free(&r);
		if (argc == 4 && i % 64 == 0 && access(argv[3], F_OK) == 0)
			n = i + 1;
	}
	ethtool_cache_free(ec);
	printf("refreshes %ld recorded %zu changing %zu\n", n, recorded,
	       changing);
	for (size_t i = 0; i < ncounts; i++)
		printf("count %zu\n", counts[i]);
	return 0;
}
