#include "config.h"

#include "report.h"

/* STUB */
void report_json(const struct diagnosis *d, const struct report_options *o, struct strbuf *out)
{ (void)o; sb_printf(out, "{\"interval_s\": %g}\n", d->interval_s); }
