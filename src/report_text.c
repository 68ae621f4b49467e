#include "config.h"

#include "report.h"

/* STUB */
void report_text(const struct diagnosis *d, const struct report_options *o, struct strbuf *out)
{ (void)o; sb_printf(out, "verdict: %s\n", stage_name(d->verdict.stage)); }
