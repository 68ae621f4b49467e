/* SPDX-License-Identifier: GPL-2.0-or-later */
/* --record FILE.gz and --record-limit / --record-keep: what is written
 * reads back the same; a gzip stream cut short keeps its whole snapshots;
 * full files rotate or stop; damaged or oversized gzip is refused. */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "recfile.h"
#include "recgzip.h"
#include "recording.h"
#include "testutil.h"

static char dir[] = "/tmp/droptop-recgzip.XXXXXX";

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[sizeof(dir) + 300];

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	rmdir(dir);
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

static const char *in_dir(const char *name)
{
	static char p[4][sizeof(dir) + 64];
	static int i;

	i = (i + 1) % 4;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, name);
	return p[i];
}

/* Snapshot i: the real /proc/net/snmp capture with counters that grow,
 * as a live recording's do (fixed width: every snapshot the same size). */
static void fill(struct raw_snapshot *r, int i)
{
	char text[2048];
	int n;

	n = snprintf(text, sizeof(text),
		     "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors\n"
		     "Udp: %06d %06d %06d %06d %06d\n", 1000 * i, 3 * i, 7 * i, 11 * i, i);
	raw_init(r);
	r->realtime_ns = 1700000000000000000LL + i * 1000000000LL;
	r->monotonic_ns = 1000000000000LL + i * 1000000000LL;
	test_raw_add_file(r, "/proc/net/snmp", "snmp/rhcos-k4.18-hyperv-sosreport.txt");
	raw_add_copy(r, "udp", text, (size_t)n);
}

/* Writes snapshots first..last-1; the file is left open in f. */
static void write_snaps(struct recfile *f, int first, int last)
{
	char err[512];

	for (int i = first; i < last; i++) {
		struct raw_snapshot r;

		fill(&r, i);
		ck_assert_msg(recfile_append(f, &r, err, sizeof(err)) == 0,
			      "%s", err);
		raw_free(&r);
	}
}

/* Loads path; returns recording_load's result, *n snapshots; checks that
 * they are snapshots first.. in order, as written. */
static int load_check(const char *path, int first, size_t *n)
{
	struct raw_snapshot *s, want;
	char err[512];
	int rc = recording_load(path, &s, n, err, sizeof(err));

	ck_assert_msg(rc >= 0, "%s", err);
	for (size_t i = 0; i < *n; i++) {
		fill(&want, first + (int)i);
		ck_assert_int_eq(s[i].realtime_ns, want.realtime_ns);
		ck_assert_uint_eq(s[i].nsrcs, want.nsrcs);
		for (size_t k = 0; k < want.nsrcs; k++) {
			ck_assert_str_eq(s[i].srcs[k].name, want.srcs[k].name);
			ck_assert_uint_eq(s[i].srcs[k].len, want.srcs[k].len);
			ck_assert(memcmp(s[i].srcs[k].text, want.srcs[k].text,
					 want.srcs[k].len) == 0);
		}
		raw_free(&want);
	}
	recording_free(s, *n);
	return rc;
}

static off_t file_size(const char *path)
{
	struct stat st;

	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_size;
}

static void copy_file(const char *from, const char *to)
{
	char *text;
	size_t len;
	FILE *fp;

	ck_assert_int_eq(read_text_file(from, &text, &len), 0);
	fp = fopen(to, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
	fclose(fp);
	free(text);
}

START_TEST(gzip_reads_back_as_written)
{
	const char *gz = in_dir("r.rec.gz"), *plain = in_dir("r.rec");
	struct recfile f;
	char err[512];
	size_t n;

	ck_assert_int_eq(recfile_open(&f, gz, false, err, sizeof(err)), 0);
	write_snaps(&f, 0, 30);
	ck_assert_int_eq(recfile_close(&f, err, sizeof(err)), 0);
	ck_assert_int_eq(recfile_open(&f, plain, false, err, sizeof(err)), 0);
	write_snaps(&f, 0, 30);
	ck_assert_int_eq(recfile_close(&f, err, sizeof(err)), 0);
	ck_assert_int_eq(load_check(gz, 0, &n), 0);
	ck_assert_uint_eq(n, 30);
	/* Each snapshot repeats the one before, within deflate's window. */
	ck_assert_msg(file_size(plain) >= 5 * file_size(gz), "%lld vs %lld",
		      (long long)file_size(plain), (long long)file_size(gz));
}
END_TEST

/* A killed run: the stream has no end, but each snapshot was flushed. */
START_TEST(gzip_cut_short_keeps_whole_snapshots)
{
	const char *gz = in_dir("r.rec.gz"), *cut = in_dir("cut.rec.gz");
	struct raw_snapshot *s;
	struct recfile f;
	char err[512];
	size_t n;

	ck_assert_int_eq(recfile_open(&f, gz, false, err, sizeof(err)), 0);
	write_snaps(&f, 0, 5);
	copy_file(gz, cut);
	ck_assert_int_eq(recfile_close(&f, err, sizeof(err)), 0);
	ck_assert_int_eq(load_check(cut, 0, &n), 1);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(recording_load(cut, &s, &n, err, sizeof(err)), 1);
	ck_assert_msg(strstr(err, "cut.rec.gz: gzip stream has no end"), "%s",
		      err);
	recording_free(s, n);
	ck_assert_int_eq(load_check(gz, 0, &n), 0);
	ck_assert_uint_eq(n, 5);
}
END_TEST

/* Text bytes of the header and snapshots first..last-1. */
static size_t text_bytes(int first, int last)
{
	struct strbuf sb;
	size_t len;

	sb_init(&sb);
	recording_write_header(&sb);
	for (int i = first; i < last; i++) {
		struct raw_snapshot r;

		fill(&r, i);
		recording_write_snapshot(&sb, &r);
		raw_free(&r);
	}
	len = sb.len;
	sb_free(&sb);
	return len;
}

/* Files of 4 snapshots, 2 kept: FILE holds the newest, each rotated file
 * begins with the last snapshot of the one before. */
static void check_rotation(const char *name)
{
	struct recfile_limits lim = { .max_bytes = text_bytes(0, 4), .keep = 2 };
	char n1[64], n2[64], n3[64];
	struct recfile f;
	char err[512];
	size_t n;

	snprintf(n1, sizeof(n1), "%s.1", name);
	snprintf(n2, sizeof(n2), "%s.2", name);
	snprintf(n3, sizeof(n3), "%s.3", name);
	ck_assert_int_eq(recfile_open_limited(&f, in_dir(name), false, &lim,
					      err, sizeof(err)), 0);
	/* Files: 0-3, 3-6, 6-9, 9-11; the first is dropped. */
	write_snaps(&f, 0, 12);
	ck_assert_int_eq(recfile_close(&f, err, sizeof(err)), 0);
	ck_assert_int_eq(load_check(in_dir(n2), 3, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(load_check(in_dir(n1), 6, &n), 0);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(load_check(in_dir(name), 9, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(access(in_dir(n3), F_OK), -1);
}

START_TEST(full_files_rotate)
{
	check_rotation("r.rec");
	ck_assert_uint_eq((size_t)file_size(in_dir("r.rec.1")), text_bytes(6, 10));
	check_rotation("z.rec.gz");
}
END_TEST

START_TEST(full_file_stops_without_keep)
{
	struct recfile_limits lim = { .max_bytes = text_bytes(0, 3), .keep = 0 };
	const char *p = in_dir("r.rec.gz");
	struct raw_snapshot r;
	struct recfile f;
	char err[512];
	size_t n;

	ck_assert_int_eq(recfile_open_limited(&f, p, false, &lim, err,
					      sizeof(err)), 0);
	write_snaps(&f, 0, 3);
	fill(&r, 3);
	ck_assert_int_eq(recfile_append(&f, &r, err, sizeof(err)), 1);
	ck_assert_msg(strstr(err, "r.rec.gz: full at"), "%s", err);
	/* Said once; what follows is not written. */
	ck_assert_int_eq(recfile_append(&f, &r, err, sizeof(err)), 0);
	raw_free(&r);
	ck_assert_int_eq(recfile_close(&f, err, sizeof(err)), 0);
	ck_assert_int_eq(load_check(p, 0, &n), 0);
	ck_assert_uint_eq(n, 3);
}
END_TEST

/* A rotated name planted as a link: refused at the start, and if it
 * appears later, rotation stops there without touching it. */
START_TEST(rotation_refuses_links)
{
	struct recfile_limits lim = { .max_bytes = text_bytes(0, 2), .keep = 2 };
	const char *p = in_dir("r.rec"), *l2 = in_dir("r.rec.2");
	const char *target = in_dir("victim");
	struct raw_snapshot r;
	struct recfile f;
	char err[512], buf[16] = "";
	FILE *fp = fopen(target, "w");
	size_t n;

	ck_assert_ptr_nonnull(fp);
	fputs("victim", fp);
	fclose(fp);
	ck_assert_int_eq(symlink(target, l2), 0);
	ck_assert_int_eq(recfile_open_limited(&f, p, true, &lim, err,
					      sizeof(err)), -1);
	ck_assert_msg(strstr(err, "r.rec.2: exists and is not a regular file "
			     "(a symbolic link)"), "%s", err);
	unlink(l2);
	ck_assert_int_eq(recfile_open_limited(&f, p, false, &lim, err,
					      sizeof(err)), 0);
	write_snaps(&f, 0, 3);      /* r.rec.1 holds 0-1, r.rec 1-2 */
	ck_assert_int_eq(symlink(target, l2), 0);
	fill(&r, 4);
	ck_assert_int_eq(recfile_append(&f, &r, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "a symbolic link"), "%s", err);
	raw_free(&r);
	ck_assert_int_eq(recfile_close(&f, err, sizeof(err)), 0);
	fp = fopen(target, "r");
	ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), fp));
	fclose(fp);
	ck_assert_str_eq(buf, "victim");
	ck_assert_int_eq(load_check(p, 1, &n), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(load_check(in_dir("r.rec.1"), 0, &n), 0);
	ck_assert_uint_eq(n, 2);
}
END_TEST

/* gzip of text, one member. */
static void gzip_text(const char *text, size_t len, struct strbuf *out)
{
	struct gz_writer *w = gz_writer_new();

	ck_assert_ptr_nonnull(w);
	ck_assert_int_eq(gz_writer_chunk(w, text, len, out), 0);
	ck_assert_int_eq(gz_writer_finish(w, out), 0);
	gz_writer_free(w);
}

static int decode(const struct strbuf *data, char *err, size_t errlen)
{
	struct raw_snapshot *s;
	size_t n;
	int rc = recording_decode(data->s, data->len, &s, &n, err, errlen);

	recording_free(s, n);
	return rc;
}

static void whole_recording(struct strbuf *gz)
{
	struct strbuf text;

	sb_init(&text);
	recording_write_header(&text);
	for (int i = 0; i < 3; i++) {
		struct raw_snapshot r;

		fill(&r, i);
		recording_write_snapshot(&text, &r);
		raw_free(&r);
	}
	gzip_text(text.s, text.len, gz);
	sb_free(&text);
}

START_TEST(damaged_gzip_refused)
{
	struct strbuf gz;
	char err[512];
	size_t len;

	sb_init(&gz);
	whole_recording(&gz);
	ck_assert_int_eq(decode(&gz, err, sizeof(err)), 0);
	len = gz.len;
	/* Cut inside a snapshot: no end, and an unfinished snapshot. */
	gz.len = len / 2;
	ck_assert_int_eq(decode(&gz, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "gzip data cut short (truncated?): line "),
		      "%s", err);
	gz.len = 5;
	ck_assert_int_eq(decode(&gz, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "truncated before any data"), "%s", err);
	/* A flipped byte in the trailer's CRC, then in the data. */
	gz.len = len;
	gz.s[len - 6] ^= 0x55;
	ck_assert_int_eq(decode(&gz, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "corrupt gzip data (incorrect data check)"),
		      "%s", err);
	gz.s[len - 6] ^= 0x55;
	gz.s[12] ^= 0xff;
	ck_assert_int_eq(decode(&gz, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "gzip"), "%s", err);
	gz.s[12] ^= 0xff;
	sb_append(&gz, "junk", 4);
	ck_assert_int_eq(decode(&gz, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "data after the end of the gzip stream"),
		      "%s", err);
	sb_free(&gz);
}
END_TEST

/* gz_inflate_text grows its text buffer itself: a stream inflating 4,000
 * times its size (past the first guess, 8x) comes back whole, and the
 * limit holds to the byte at any buffer size. */
START_TEST(gzip_inflates_in_place)
{
	const size_t big = 3u << 20;
	struct gz_limits lim = { .max_bytes = big, .max_line = 16 };
	struct strbuf gz;
	char *plain = xmalloc(big), *out, err[256];
	size_t outlen;
	bool cut;

	for (size_t i = 0; i < big; i += 4)
		memcpy(plain + i, i % 1000 ? "ab\n\n" : "cd\n\n", 4);
	sb_init(&gz);
	gzip_text(plain, big, &gz);
	ck_assert_uint_lt(gz.len * 8, big);
	ck_assert_int_eq(gz_inflate_text(gz.s, gz.len, &lim, &out, &outlen,
					 &cut, err, sizeof(err)), 0);
	ck_assert(!cut);
	ck_assert_uint_eq(outlen, big);
	ck_assert(memcmp(out, plain, big) == 0 && out[big] == '\0');
	free(out);
	/* One byte over the limit, at a small and at the large size. */
	for (size_t max = 4; max >= 3; max--) {
		lim.max_bytes = max;
		sb_reset(&gz);
		gzip_text("ab\n\n", 4, &gz);
		ck_assert_int_eq(gz_inflate_text(gz.s, gz.len, &lim, &out,
						 &outlen, &cut, err,
						 sizeof(err)), max == 4 ? 0 : -1);
		if (max == 4)
			ck_assert_str_eq(out, "ab\n\n");
		else
			ck_assert_msg(strstr(err, "more than 3 bytes"), "%s", err);
		free(out);
	}
	lim.max_bytes = big - 1;
	sb_reset(&gz);
	gzip_text(plain, big, &gz);
	ck_assert_int_eq(gz_inflate_text(gz.s, gz.len, &lim, &out, &outlen,
					 &cut, err, sizeof(err)), -1);
	ck_assert_ptr_null(out);
	free(plain);
	sb_free(&gz);
}
END_TEST

/* Bombs: 300 members of 1 MiB of short lines each (a few hundred bytes
 * apiece), one of NUL bytes, one line that never ends. Each is refused
 * by a recording limit, not after inflating all of it. */
START_TEST(gzip_bombs_bounded)
{
	const size_t mib = 1u << 20;
	struct strbuf bomb, member;
	char *chunk = xmalloc(mib + 1);
	char err[512];

	sb_init(&bomb);
	sb_init(&member);
	gzip_text(RECORDING_HEADER "\n", strlen(RECORDING_HEADER) + 1, &bomb);
	for (size_t i = 0; i < mib; i += 2)
		memcpy(chunk + i, "x\n", 2);
	gzip_text(chunk, mib, &member);
	ck_assert_uint_lt(member.len, 4096);
	for (int i = 0; i < 300; i++)
		sb_append(&bomb, member.s, member.len);
	ck_assert_int_eq(decode(&bomb, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "inflates to more than 268435456 bytes "
			     "(recording limit)"), "%s", err);

	sb_reset(&member);
	memset(chunk, 0, mib);
	gzip_text(chunk, mib, &member);
	ck_assert_int_eq(decode(&member, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "NUL byte"), "%s", err);

	sb_reset(&member);
	memset(chunk, 'y', mib);
	gzip_text(chunk, mib, &member);
	sb_reset(&bomb);
	sb_append(&bomb, member.s, member.len);
	sb_append(&bomb, member.s, member.len);
	ck_assert_int_eq(decode(&bomb, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "line longer than 1048576 bytes"), "%s", err);
	free(chunk);
	sb_free(&bomb);
	sb_free(&member);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("recgzip");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, gzip_reads_back_as_written);
	tcase_add_test(tc, gzip_cut_short_keeps_whole_snapshots);
	tcase_add_test(tc, full_files_rotate);
	tcase_add_test(tc, full_file_stops_without_keep);
	tcase_add_test(tc, rotation_refuses_links);
	tcase_add_test(tc, damaged_gzip_refused);
	tcase_add_test(tc, gzip_bombs_bounded);
	tcase_add_test(tc, gzip_inflates_in_place);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
