/* SPDX-License-Identifier: GPL-2.0-or-later */
#include "config.h"

#include "diagfixture.h"
#include "testutil.h"

struct snapshot P, C;
struct diagnosis D;
struct device *PDEV, *CDEV;

void fx_setup(void)
{
	tb_base(&P, FX_T0);
	tb_base(&C, FX_T0 + FX_INTERVAL);
	PDEV = tb_sfc(&P);
	CDEV = tb_sfc(&C);
}

void fx_teardown(void)
{
	diagnosis_free(&D);
	snapshot_free(&P);
	snapshot_free(&C);
}

void fx_run(void)
{
	diagnosis_free(&D);
	ck_assert_int_eq(diagnose(&P, &C, &D), 0);
}

const char *fx_finding(const char *id)
{
	const struct finding *f = diagnosis_finding(&D, id);

	return f ? f->detail : NULL;
}
