#include "config.h"

#include "classify.h"

/* STUB: replaced by the classifier table. */
struct counter_class classify_counter(const char *name, int section_queue,
				      enum ctr_dir section_dir)
{
	(void)name; (void)section_queue; (void)section_dir;
	return (struct counter_class){ DIR_NONE, -1, KIND_OTHER, "" };
}

const char *ctr_kind_name(enum ctr_kind k)
{
	static const char *const names[] = { "other", "packets", "bytes", "drops" };
	return names[k];
}

const char *ctr_dir_name(enum ctr_dir d)
{
	static const char *const names[] = { "none", "rx", "tx" };
	return names[d];
}
