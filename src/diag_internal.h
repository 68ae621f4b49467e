/* Shared between diagnose.c and findings.c only. */
#ifndef DROPTOP_DIAG_INTERNAL_H
#define DROPTOP_DIAG_INTERNAL_H

#include "diagnose.h"

void diag_findings(const struct snapshot *prev, const struct snapshot *cur,
		   struct diagnosis *d);

#endif
