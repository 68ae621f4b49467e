#include "config.h"

#include <errno.h>

#include "sources.h"

/* STUB */
int ethtool_collect(const char *dev, struct raw_snapshot *r)
{ (void)dev; (void)r; return -ENOSYS; }
