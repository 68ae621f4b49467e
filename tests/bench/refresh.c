/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tests/bench/refresh: what one droptop refresh costs, in CPU time.
 *
 *   refresh live [N]          N full live refreshes (collect every source
 *                             of this host, parse, diagnose against the
 *                             previous snapshot, render the text report to
 *                             a buffer) by one collector, as the dashboard
 *                             does, in 5 blocks (the median block is the
 *                             figure); N more with each phase timed apart;
 *                             then N / 10 rounds of the same data
 *                             gathered the way users do today: ethtool -S
 *                             for each device, nstat -az, cat of
 *                             softnet_stat, softirqs and snmp, ss -uamn, as
 *                             processes. Prints CPU per refresh of each and
 *                             the ratio.
 *   refresh replay FILE [N]   N refreshes of a recording's last two
 *                             snapshots (parse both, diagnose, render):
 *                             the per-refresh cost without the kernel's
 *                             share, for the scale bench.
 *
 * CPU time is CLOCK_PROCESS_CPUTIME_ID for droptop (this process) and
 * getrusage(RUSAGE_CHILDREN) for the tools (their user + system time, the
 * fork/exec included), plus this process's own share of spawning them.
 * Output: "key value" lines, read by tests/bench/run. */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "collect.h"
#include "diagnose.h"
#include "raw.h"
#include "recording.h"
#include "report.h"
#include "snapshot.h"
#include "sources_internal.h"
#include "util.h"

extern char **environ;

static double cpu_self(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double cpu_children(void)
{
	struct rusage ru;

	getrusage(RUSAGE_CHILDREN, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static double wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Parse, diagnose against prev, render; prev becomes the new snapshot. */
static size_t refresh_from_raw(const struct raw_snapshot *r,
			       struct snapshot *prev, struct strbuf *out)
{
	struct report_options ro = { .all = false, .source = "bench" };
	struct snapshot cur;
	struct diagnosis d;

	snapshot_init(&cur);
	snapshot_from_raw(r, &cur);
	sb_reset(out);
	if (diagnose(prev, &cur, &d) == 0)
		report_text(&d, &ro, out);
	diagnosis_free(&d);
	snapshot_free(prev);
	*prev = cur;
	return out->len;
}

/* The snapshot the first refresh is diagnosed against. */
static void first_snapshot(struct collector *col, struct snapshot *prev)
{
	struct raw_snapshot r;

	snapshot_init(prev);
	raw_init(&r);
	collector_run(col, &r);
	snapshot_from_raw(&r, prev);
	raw_free(&r);
}

#define BLOCKS 5

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The n refreshes in BLOCKS blocks: the median block is the figure, the
 * others show how much other jobs on the host moved it. */
static int bench_droptop_live(int n, char **devs, size_t ndevs)
{
	struct collect_config cc = {
		.root = "", .devs = devs, .ndevs = ndevs, .use_ethtool = true,
		.use_sockdiag = true, .use_netlink = true,
	};
	struct collector *col = collector_new(&cc);
	int per = n / BLOCKS > 0 ? n / BLOCKS : 1;
	double cpu[BLOCKS], c0, w0;
	struct raw_snapshot r;
	struct snapshot prev;
	struct strbuf out;
	size_t bytes = 0;

	sb_init(&out);
	first_snapshot(col, &prev);
	w0 = wall();
	for (int b = 0; b < BLOCKS; b++) {
		c0 = cpu_self();
		for (int i = 0; i < per; i++) {
			raw_init(&r);
			collector_run(col, &r);
			bytes += refresh_from_raw(&r, &prev, &out);
			raw_free(&r);
		}
		cpu[b] = (cpu_self() - c0) / per * 1e6;
	}
	collector_free(col);
	qsort(cpu, BLOCKS, sizeof(*cpu), dbl_cmp);
	printf("droptop_cpu_us %.1f\n", cpu[BLOCKS / 2]);
	printf("droptop_cpu_range_us %.1f..%.1f\n", cpu[0], cpu[BLOCKS - 1]);
	printf("droptop_wall_us %.1f\n", (wall() - w0) / (per * BLOCKS) * 1e6);
	printf("droptop_report_bytes %zu\n", bytes / (size_t)(per * BLOCKS));
	snapshot_free(&prev);
	sb_free(&out);
	return 0;
}

/* The same refreshes with each phase timed apart (in a run of its own:
 * the clock reads add a little to each refresh). */
static int bench_droptop_phases(int n, char **devs, size_t ndevs)
{
	struct collect_config cc = {
		.root = "", .devs = devs, .ndevs = ndevs, .use_ethtool = true,
		.use_sockdiag = true, .use_netlink = true,
	};
	struct report_options ro = { .all = false, .source = "bench" };
	struct collector *col = collector_new(&cc);
	double t[3] = { 0, 0, 0 }, c0;
	struct raw_snapshot r;
	struct snapshot prev, cur;
	struct diagnosis d;
	struct strbuf out;

	sb_init(&out);
	first_snapshot(col, &prev);
	for (int i = 0; i < n; i++) {
		c0 = cpu_self();
		raw_init(&r);
		collector_run(col, &r);
		t[0] += cpu_self() - c0;
		c0 = cpu_self();
		snapshot_init(&cur);
		snapshot_from_raw(&r, &cur);
		t[1] += cpu_self() - c0;
		c0 = cpu_self();
		sb_reset(&out);
		if (diagnose(&prev, &cur, &d) == 0)
			report_text(&d, &ro, &out);
		diagnosis_free(&d);
		t[2] += cpu_self() - c0;
		snapshot_free(&prev);
		prev = cur;
		raw_free(&r);
	}
	printf("droptop_collect_us %.1f\n", t[0] / n * 1e6);
	printf("droptop_parse_us %.1f\n", t[1] / n * 1e6);
	printf("droptop_diag_render_us %.1f\n", t[2] / n * 1e6);
	collector_free(col);
	snapshot_free(&prev);
	sb_free(&out);
	return 0;
}

/* Runs argv with stdout and stderr on /dev/null and waits for it. */
static int spawn_quiet(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int st, rc;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0)
		return -rc;
	if (waitpid(pid, &st, 0) < 0)
		return -errno;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -EIO;
}

/* spawn_quiet on writable copies of ARGS (posix_spawnp takes char *). */
static int run_tool(const char *const *args)
{
	char *argv[8];
	size_t n;
	int rc;

	for (n = 0; n < 7 && args[n]; n++)
		argv[n] = xstrdup(args[n]);
	argv[n] = NULL;
	rc = spawn_quiet(argv);
	while (n--)
		free(argv[n]);
	return rc;
}

/* One round of the tools a user runs to see the same counters. */
static int tools_round(char **devs, size_t ndevs)
{
	static const char *const nstat[] = { "nstat", "-az", NULL };
	static const char *const cat[] = { "cat", "/proc/net/softnet_stat",
					   "/proc/softirqs", "/proc/net/snmp",
					   NULL };
	static const char *const ss[] = { "ss", "-uamn", NULL };
	int bad = 0;

	for (size_t i = 0; i < ndevs; i++) {
		const char *eth[] = { "ethtool", "-S", devs[i], NULL };

		/* Devices without statistics (ifb) make ethtool fail:
		 * its CPU is still spent. */
		run_tool(eth);
	}
	bad |= run_tool(nstat) < 0;
	bad |= run_tool(cat) < 0;
	bad |= run_tool(ss) < 0;
	return bad ? -1 : 0;
}

static int bench_tools(int n, char **devs, size_t ndevs)
{
	double c0 = cpu_self(), k0 = cpu_children(), w0 = wall();

	for (int i = 0; i < n; i++)
		if (tools_round(devs, ndevs) < 0) {
			fputs("refresh: nstat, cat or ss failed\n", stderr);
			return 1;
		}
	printf("tools_cpu_us %.1f\n",
	       (cpu_self() - c0 + cpu_children() - k0) / n * 1e6);
	printf("tools_wall_us %.1f\n", (wall() - w0) / n * 1e6);
	return 0;
}

static int bench_live(int n)
{
	char **devs;
	size_t ndevs;
	int rc = sysfs_list_devices("", &devs, &ndevs);

	if (rc < 0) {
		fprintf(stderr, "refresh: /sys/class/net: %s\n", strerror(-rc));
		return 1;
	}
	printf("devices %zu\n", ndevs);
	rc = bench_droptop_live(n, devs, ndevs);
	if (rc == 0)
		rc = bench_droptop_phases(n, devs, ndevs);
	/* Fewer tool rounds: each costs milliseconds. */
	if (rc == 0)
		rc = bench_tools(n / 10 > 0 ? n / 10 : 1, devs, ndevs);
	for (size_t i = 0; i < ndevs; i++)
		free(devs[i]);
	free(devs);
	return rc;
}

static long maxrss_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Parse the last snapshot, diagnose it against the one before (parsed
 * once), render: parse and diagnosis + render timed apart, the fastest of
 * n runs of each (other jobs on the host only ever add time). */
static int bench_replay(const char *path, int n)
{
	struct report_options ro = { .all = false, .source = "bench" };
	struct raw_snapshot *snaps;
	struct snapshot prev, cur;
	struct diagnosis d;
	struct strbuf out;
	double parse = 1e9, diag = 1e9, c0, t;
	char err[512];
	size_t ns;

	if (recording_load(path, &snaps, &ns, err, sizeof(err)) < 0 ||
	    ns < 2) {
		fprintf(stderr, "refresh: %s\n", ns < 2 ? path : err);
		return 1;
	}
	sb_init(&out);
	snapshot_init(&prev);
	snapshot_from_raw(&snaps[ns - 2], &prev);
	for (int i = 0; i < n; i++) {
		c0 = cpu_self();
		snapshot_init(&cur);
		snapshot_from_raw(&snaps[ns - 1], &cur);
		t = cpu_self() - c0;
		parse = t < parse ? t : parse;
		c0 = cpu_self();
		sb_reset(&out);
		if (diagnose(&prev, &cur, &d) == 0)
			report_text(&d, &ro, &out);
		diagnosis_free(&d);
		t = cpu_self() - c0;
		diag = t < diag ? t : diag;
		snapshot_free(&cur);
	}
	printf("replay_parse_us %.1f\n", parse * 1e6);
	printf("replay_diag_render_us %.1f\n", diag * 1e6);
	printf("replay_report_bytes %zu\n", out.len);
	printf("maxrss_kb %ld\n", maxrss_kb());
	snapshot_free(&prev);
	sb_free(&out);
	recording_free(snaps, ns);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "live") == 0)
		return bench_live(argc > 2 ? atoi(argv[2]) : 1000);
	if (argc >= 3 && strcmp(argv[1], "replay") == 0)
		return bench_replay(argv[2], argc > 3 ? atoi(argv[3]) : 100);
	fputs("usage: refresh live [N] | refresh replay FILE [N]\n", stderr);
	return 2;
}
