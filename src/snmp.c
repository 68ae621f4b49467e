#include "config.h"

#include "sources.h"

/* STUB */
int snmp_parse(struct snapshot *s, const char *text) { (void)s; (void)text; return 0; }
int snmp6_parse(struct snapshot *s, const char *text) { (void)s; (void)text; return 0; }
