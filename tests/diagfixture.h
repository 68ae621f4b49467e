/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The shared fixture of the diagnosis tests: two snapshots FX_INTERVAL
 * seconds apart holding the base figures and eth0 of the sfc capture
 * (diagbuild.h); each test changes C (and PDEV/CDEV) and runs fx_run(). */
#ifndef DROPTOP_DIAGFIXTURE_H
#define DROPTOP_DIAGFIXTURE_H

#include "diagbuild.h"

#define FX_T0 100.0
#define FX_INTERVAL 2.0

extern struct snapshot P, C;
extern struct diagnosis D;
extern struct device *PDEV, *CDEV;

void fx_setup(void);
void fx_teardown(void);
/* Diagnoses P against C into D (freeing the previous D). */
void fx_run(void);
/* The detail of finding id in D, or NULL. */
const char *fx_finding(const char *id);

#endif
