#include "config.h"

#include "diag_internal.h"

/* STUB */
void diag_findings(const struct snapshot *prev, const struct snapshot *cur, struct diagnosis *d)
{ (void)prev; (void)cur; (void)d; }
