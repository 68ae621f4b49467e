/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers of the procfs and sysfs source tests.
 *
 * Edits of real captures: cut a file, drop a line or a column, replace a
 * value. Lines are numbered from 1, tokens (blank-separated) from 0, -1 is
 * the last token. Every result is malloc'ed; an edit that finds no such
 * line or token fails the running test. */
#ifndef DROPTOP_SOURCETEST_H
#define DROPTOP_SOURCETEST_H

#include <stdbool.h>
#include <stddef.h>

#include "snapshot.h"

char *text_cut(const char *text, size_t cut);
/* The number of the nth (from 1) line whose first token is word. */
int text_find_line(const char *text, const char *word, int nth);
int text_count_lines(const char *text);
char *text_drop_line(const char *text, int lineno);
char *text_drop_token(const char *text, int lineno, int tok);
char *text_replace_token(const char *text, int lineno, int tok,
			 const char *with);
/* Reverses the order of the tokens of a line after the first one. */
char *text_reverse_tokens(const char *text, int lineno);
/* Calls fn on every file of tests/data/DIR; returns how many. */
int text_for_each_data_file(const char *dir, void (*fn)(const char *rel));
/* Writes text to path; fails the test if it cannot. */
void text_write_file(const char *path, const char *text);

/* A text parser of sources.h with the common shape. */
typedef int (*parse_fn)(struct snapshot *s, const char *text);
int udp4_parse(struct snapshot *s, const char *text);
int udp6_parse(struct snapshot *s, const char *text);

/* Initialises s and parses a text, or tests/data/REL, into it. */
int parse_text(struct snapshot *s, parse_fn parse, const char *text);
int parse_data(struct snapshot *s, parse_fn parse, const char *rel);

void assert_no_notes(const struct snapshot *s, const char *what);
bool any_note_has(const struct snapshot *s, const char *needle);

#endif
