/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Helpers for the unit tests: test data files and snapshots built from
 * them through the same parsers the program uses. */
#ifndef DROPTOP_TESTUTIL_H
#define DROPTOP_TESTUTIL_H

#include <check.h>
#include <stddef.h>

#include "raw.h"
#include "snapshot.h"

/* Reads tests/data/REL; fails the test if it cannot. */
char *test_data(const char *rel, size_t *len);

/* Adds tests/data/REL to r as source NAME. */
void test_raw_add_file(struct raw_snapshot *r, const char *name, const char *rel);

/* Takes the traffic lock of the live shell tests (live_lock in lib.sh),
 * held until the test process exits: a unit test that sends loopback
 * datagrams must not land in the host-wide counters another test
 * compares. Fails the test after 120 s. */
void test_live_lock(void);

/* Runs one suite and returns the process exit status for automake. */
int test_run_suite(Suite *s);

#endif
