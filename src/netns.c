/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Entering a network namespace the way `ip netns exec` does: setns() on
 * the file bind-mounted at /run/netns/NAME, then a mount namespace of our
 * own in which /sys is sysfs mounted anew, since sysfs shows the devices of
 * the namespace that mounted it. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "netns.h"

static const char *why(int e)
{
	switch (e) {
	case ENOENT:
		return "no such namespace";
	case EPERM:
	case EACCES:
		return "permission denied (needs CAP_SYS_ADMIN, e.g. root)";
	case EINVAL:
		return "not a network namespace";
	default:
		return strerror(e);
	}
}

static int fail(char *err, size_t errlen, const char *name, const char *what,
		int e)
{
	snprintf(err, errlen, "network namespace %s: %s: %s", name, what,
		 why(e));
	return -e;
}

/* /sys of the new namespace, read-only if the old one was. */
static int remount_sys(const char *name, char *err, size_t errlen)
{
	unsigned long flags = 0;
	struct statvfs st;

	if (unshare(CLONE_NEWNS) < 0)
		return fail(err, errlen, name, "unshare(CLONE_NEWNS)", errno);
	/* Our mounts must not propagate back to the host. */
	if (mount("", "/", "none", MS_SLAVE | MS_REC, NULL) < 0)
		return fail(err, errlen, name, "mount --make-rslave /", errno);
	if (statvfs("/sys", &st) == 0 && (st.f_flag & ST_RDONLY))
		flags = MS_RDONLY;
	/* Fails harmlessly when nothing was mounted there. */
	umount2("/sys", MNT_DETACH);
	if (mount(name, "/sys", "sysfs", flags, NULL) < 0)
		return fail(err, errlen, name, "mount sysfs on /sys", errno);
	return 0;
}

int netns_enter(const char *name, char *err, size_t errlen)
{
	char path[4096];
	int fd, e;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fail(err, errlen, name, path, errno);
	if (setns(fd, CLONE_NEWNET) < 0) {
		e = errno;
		close(fd);
		return fail(err, errlen, name, "setns", e);
	}
	close(fd);
	return remount_sys(name, err, errlen);
}
