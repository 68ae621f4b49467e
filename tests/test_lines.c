/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The shared line loop (src/lines.c) on a real /proc/interrupts capture:
 * numbering, blank lines, a cut last line, and what the callback's verdict
 * does to the walk. The capture's line 46 is blank (it is in the source);
 * lines 47-49 are PIN:, NPI: and PIW:. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "sourcetest.h"
#include "testutil.h"
#include "util.h"

#define VIRTIO "interrupts/virtio-vm-4cpu-procfs.txt"
#define ENA "interrupts/ena-aws-graviton-aarch64-8cpu-node_exporter.txt"
#define SRC "lines-test"

/* Records the lines the loop hands over; answers verdict on line at. */
struct seen {
	unsigned int lineno[64];
	char first[64][8];	/* first token of each line, cut to 7 */
	size_t n;
	unsigned int at;
	enum line_verdict verdict;
};

static enum line_verdict record(struct snapshot *s, void *ctx,
				const char *line, size_t len,
				unsigned int lineno)
{
	struct seen *w = ctx;
	const char *p = line, *tok;
	size_t n;

	(void)s;
	ck_assert_uint_lt(w->n, 64);
	tok = next_token(&p, line + len, &n);
	ck_assert_ptr_nonnull(tok);
	copy_token(w->first[w->n], sizeof(w->first[0]), tok, n);
	w->lineno[w->n++] = lineno;
	return lineno == w->at ? w->verdict : LINE_OK;
}

/* Walks text with a fresh snapshot; returns walk_lines()'s result. */
static int walk(const char *text, unsigned int flags, struct seen *w,
		struct snapshot *s)
{
	snapshot_init(s);
	return walk_lines(s, SRC, text, flags, record, w);
}

START_TEST(numbers_and_skips_blank_lines)
{
	char *text = test_data(VIRTIO, NULL);
	struct seen w = { .at = 0 };
	struct snapshot s;

	ck_assert_int_eq(walk(text, 0, &w, &s), 0);
	ck_assert_uint_eq(w.n, 48); /* 49 lines, one blank */
	ck_assert_uint_eq(w.lineno[0], 1);
	ck_assert_str_eq(w.first[0], "CPU0");
	ck_assert_uint_eq(w.lineno[44], 45);
	ck_assert_str_eq(w.first[44], "MIS:");
	ck_assert_uint_eq(w.lineno[45], 47); /* 46 skipped */
	ck_assert_str_eq(w.first[45], "PIN:");
	ck_assert_uint_eq(w.lineno[47], 49);
	ck_assert_str_eq(w.first[47], "PIW:");
	assert_no_notes(&s, "a whole capture");
	snapshot_free(&s);
	free(text);
}
END_TEST

/* Blank lines, spaces and tabs only included, still count as lines. */
START_TEST(blank_lines_keep_their_numbers)
{
	char *raw = test_data(VIRTIO, NULL);
	char *text = xmalloc(strlen(raw) + 8);
	struct seen w = { .at = 0 };
	struct snapshot s;

	strcpy(text, "\n \t\n");
	strcat(text, raw);
	ck_assert_int_eq(walk(text, 0, &w, &s), 0);
	ck_assert_uint_eq(w.n, 48);
	ck_assert_uint_eq(w.lineno[0], 3);
	ck_assert_str_eq(w.first[0], "CPU0");
	ck_assert_uint_eq(w.lineno[47], 51);
	snapshot_free(&s);
	free(text);
	free(raw);
}
END_TEST

START_TEST(cut_last_line_is_noted_not_read)
{
	size_t len;
	char *raw = test_data(VIRTIO, &len);
	char *text = text_cut(raw, len - 1); /* PIW: loses its newline */
	struct seen w = { .at = 0 };
	struct snapshot s;

	ck_assert_int_eq(walk(text, 0, &w, &s), -ECANCELED);
	ck_assert_uint_eq(w.n, 47);
	ck_assert_str_eq(w.first[46], "NPI:");
	ck_assert_uint_eq(s.nnotes, 1);
	ck_assert_str_eq(s.notes[0], SRC ": line 49: incomplete last line "
				     "(truncated?)");
	snapshot_free(&s);

	/* parse_lines() reports the same as plain -EINVAL. */
	memset(&w, 0, sizeof(w));
	snapshot_init(&s);
	ck_assert_int_eq(parse_lines(&s, SRC, text, record, &w), -EINVAL);
	ck_assert(any_note_has(&s, "line 49: incomplete last line"));
	snapshot_free(&s);

	/* LINES_CUT_OK hands the cut line over, and notes nothing. */
	memset(&w, 0, sizeof(w));
	ck_assert_int_eq(walk(text, LINES_CUT_OK, &w, &s), 0);
	ck_assert_uint_eq(w.n, 48);
	ck_assert_str_eq(w.first[47], "PIW:");
	assert_no_notes(&s, "a cut line with LINES_CUT_OK");
	snapshot_free(&s);
	free(text);
	free(raw);
}
END_TEST

/* The ENA capture ends in a line of spaces: without its newline it is
 * still blank, not a cut line. */
START_TEST(cut_blank_last_line_is_blank)
{
	size_t len;
	char *raw = test_data(ENA, &len);
	char *text = text_cut(raw, len - 1);
	struct seen w = { .at = 0 };
	struct snapshot s;

	ck_assert(raw[len - 1] == '\n' && raw[len - 2] == ' ');
	ck_assert_int_eq(walk(text, 0, &w, &s), 0);
	ck_assert_uint_eq(w.n, 60);
	ck_assert_uint_eq(w.lineno[59], 60);
	ck_assert_str_eq(w.first[59], "Err:");
	assert_no_notes(&s, "a cut blank line");
	snapshot_free(&s);
	free(text);
	free(raw);
}
END_TEST

START_TEST(stop_ends_the_walk)
{
	char *text = test_data(VIRTIO, NULL);
	struct seen w = { .at = 47, .verdict = LINE_STOP };
	struct snapshot s;

	ck_assert_int_eq(walk(text, 0, &w, &s), -ECANCELED);
	ck_assert_uint_eq(w.n, 46); /* lines 1-45 and 47 */
	ck_assert_uint_eq(w.lineno[45], 47);
	assert_no_notes(&s, "a stop (the callback notes)");
	snapshot_free(&s);

	memset(&w, 0, sizeof(w));
	w.at = 47;
	w.verdict = LINE_STOP;
	snapshot_init(&s);
	ck_assert_int_eq(parse_lines(&s, SRC, text, record, &w), -EINVAL);
	ck_assert_uint_eq(w.n, 46);
	snapshot_free(&s);
	free(text);
}
END_TEST

START_TEST(bad_line_goes_on)
{
	char *text = test_data(VIRTIO, NULL);
	struct seen w = { .at = 47, .verdict = LINE_BAD };
	struct snapshot s;

	ck_assert_int_eq(walk(text, 0, &w, &s), -EINVAL);
	ck_assert_uint_eq(w.n, 48);
	ck_assert_uint_eq(w.lineno[47], 49);
	snapshot_free(&s);

	memset(&w, 0, sizeof(w));
	w.at = 1;
	w.verdict = LINE_BAD;
	snapshot_init(&s);
	ck_assert_int_eq(parse_lines(&s, SRC, text, record, &w), -EINVAL);
	ck_assert_uint_eq(w.n, 48);
	snapshot_free(&s);
	free(text);
}
END_TEST

START_TEST(empty_text)
{
	struct seen w = { .at = 0 };
	struct snapshot s;

	ck_assert_int_eq(walk("", 0, &w, &s), 0);
	ck_assert_uint_eq(w.n, 0);
	snapshot_free(&s);
	ck_assert_int_eq(walk(" \n\t", 0, &w, &s), 0);
	ck_assert_uint_eq(w.n, 0);
	assert_no_notes(&s, "blank text");
	snapshot_free(&s);
}
END_TEST

int main(void)
{
	Suite *suite = suite_create("lines");
	TCase *tc = tcase_create("walk");

	tcase_add_test(tc, numbers_and_skips_blank_lines);
	tcase_add_test(tc, blank_lines_keep_their_numbers);
	tcase_add_test(tc, cut_last_line_is_noted_not_read);
	tcase_add_test(tc, cut_blank_last_line_is_blank);
	tcase_add_test(tc, stop_ends_the_walk);
	tcase_add_test(tc, bad_line_goes_on);
	tcase_add_test(tc, empty_text);
	suite_add_tcase(suite, tc);
	return test_run_suite(suite);
}
