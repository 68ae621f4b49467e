#include "config.h"

#include "sources.h"

/* STUB */
int interrupts_parse(struct snapshot *s, const char *text) { (void)s; (void)text; return 0; }
int irq_affinity_parse(struct snapshot *s, const char *text) { (void)s; (void)text; return 0; }
int irq_queue_for_device(const char *irq_name, const struct device *d) { (void)irq_name; (void)d; return -1; }
int irq_affinity_collect(const char *root, const struct snapshot *s, struct strbuf *out)
{ (void)root; (void)s; (void)out; return 0; }
