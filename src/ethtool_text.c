#include "config.h"

#include "sources.h"

/* STUB */
int ethtool_stats_parse(struct snapshot *s, const char *dev, const char *text)
{ (void)s; (void)dev; (void)text; return 0; }
int ethtool_info_parse(struct snapshot *s, const char *dev, const char *text)
{ (void)s; (void)dev; (void)text; return 0; }
int ethtool_channels_parse(struct snapshot *s, const char *dev, const char *text)
{ (void)s; (void)dev; (void)text; return 0; }
int ethtool_rxfh_parse(struct snapshot *s, const char *dev, int family, const char *text)
{ (void)s; (void)dev; (void)family; (void)text; return 0; }
