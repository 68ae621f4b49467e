#include "config.h"

#include "sources.h"

/* STUB */
int softirqs_parse(struct snapshot *s, const char *text) { (void)s; (void)text; return 0; }
