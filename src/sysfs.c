#include "config.h"

#include <errno.h>

#include "sources.h"

/* STUB */
int sysfs_stats_parse(struct snapshot *s, const char *dev, const char *text) { (void)s; (void)dev; (void)text; return 0; }
int sysfs_dev_parse(struct snapshot *s, const char *dev, const char *text) { (void)s; (void)dev; (void)text; return 0; }
int numa_parse(struct snapshot *s, const char *text) { (void)s; (void)text; return 0; }
int sysctl_parse(struct snapshot *s, const char *text) { (void)s; (void)text; return 0; }
int sysfs_stats_collect(const char *root, const char *dev, struct strbuf *out) { (void)root; (void)dev; (void)out; return -ENOSYS; }
int sysfs_dev_collect(const char *root, const char *dev, struct strbuf *out) { (void)root; (void)dev; (void)out; return -ENOSYS; }
int numa_collect(const char *root, char *const *devs, size_t ndevs, struct strbuf *out) { (void)root; (void)devs; (void)ndevs; (void)out; return -ENOSYS; }
int sysctl_collect(const char *root, struct strbuf *out) { (void)root; (void)out; return -ENOSYS; }
int sysfs_list_devices(const char *root, char ***names, size_t *n) { (void)root; *names = NULL; *n = 0; return 0; }
