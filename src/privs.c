/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Dropping capabilities with the raw capget/capset syscalls and prctl (no
 * libcap). A live refresh needs only:
 *   CAP_SYS_PTRACE       readlink /proc/PID/fd/N of other users' processes
 *   CAP_DAC_READ_SEARCH  list /proc/PID/fd (mode 0500, the owner's)
 * for the socket owners. Everything else a refresh reads (procfs, sysfs,
 * sock_diag, the ethtool get ioctls and netlink, netdev qstats) is open to
 * any user; what needs more (--netns, SO_RCVBUFFORCE, the --record file)
 * is done during set-up, before the drop. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "privs.h"

#define CAP_WORDS _LINUX_CAPABILITY_U32S_3

static const int live_caps[] = { CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH };

static int fail(char *err, size_t errlen, const char *what, int e)
{
	snprintf(err, errlen, "dropping privileges: %s: %s", what, strerror(e));
	return -1;
}

static bool kept(int cap, bool live)
{
	for (size_t i = 0; live && i < sizeof(live_caps) / sizeof(live_caps[0]); i++)
		if (live_caps[i] == cap)
			return true;
	return false;
}

/* The bounding set caps what an execve could ever regain. Dropping from it
 * needs CAP_SETPCAP: without it, nothing can be regained that way either
 * once NO_NEW_PRIVS is set. PR_CAPBSET_READ fails past the last
 * capability the kernel knows. */
static int drop_bounding(bool live, bool have_setpcap, char *err,
			 size_t errlen)
{
	for (int cap = 0; cap < CAP_WORDS * 32 &&
			  prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++) {
		if (kept(cap, live) || !have_setpcap)
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
			return fail(err, errlen, "PR_CAPBSET_DROP", errno);
	}
	return 0;
}

static bool has_cap(const struct __user_cap_data_struct *d, int cap)
{
	return d[cap / 32].effective & (UINT32_C(1) << (cap % 32));
}

/* The capabilities of word w (0..CAP_WORDS-1) that a drop keeps. */
static uint32_t kept_mask(int w, bool live)
{
	uint32_t keep = 0;

	for (int b = 0; b < 32; b++)
		if (kept(w * 32 + b, live))
			keep |= UINT32_C(1) << b;
	return keep;
}

/* effective = permitted = what is kept and held now; inheritable empty. */
static int set_caps(struct __user_cap_data_struct *d, bool live, char *err,
		    size_t errlen)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0,
	};

	for (int w = 0; w < CAP_WORDS; w++) {
		uint32_t keep = kept_mask(w, live);

		d[w].permitted &= keep;
		d[w].effective = d[w].permitted;
		d[w].inheritable = 0;
	}
	if (syscall(SYS_capset, &h, d) < 0)
		return fail(err, errlen, "capset", errno);
	return 0;
}

int privs_drop(bool live, char *err, size_t errlen)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0,
	};
	struct __user_cap_data_struct d[CAP_WORDS];

	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &h, d) < 0)
		return fail(err, errlen, "capget", errno);
	if (drop_bounding(live, has_cap(d, CAP_SETPCAP), err, errlen) < 0)
		return -1;
	/* EINVAL: a kernel before 4.3 has no ambient set. */
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 &&
	    errno != EINVAL)
		return fail(err, errlen, "PR_CAP_AMBIENT_CLEAR_ALL", errno);
	if (set_caps(d, live, err, errlen) < 0)
		return -1;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fail(err, errlen, "PR_SET_NO_NEW_PRIVS", errno);
	return 0;
}

int privs_dir_writable_after_drop(int dirfd)
{
	struct __user_cap_header_struct h = {
		.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0,
	};
	struct __user_cap_data_struct now[CAP_WORDS], less[CAP_WORDS];
	int rc, e;

	memset(now, 0, sizeof(now));
	if (syscall(SYS_capget, &h, now) < 0)
		return -errno;
	memcpy(less, now, sizeof(less));
	for (int w = 0; w < CAP_WORDS; w++)
		less[w].effective &= kept_mask(w, true);
	/* The kernel's own answer (ACLs, a read-only mount) with what the
	 * drop keeps: effective only, so the rest comes back at once. */
	if (syscall(SYS_capset, &h, less) < 0)
		return -errno;
	rc = faccessat(dirfd, ".", W_OK | X_OK, AT_EACCESS);
	e = errno;
	if (syscall(SYS_capset, &h, now) < 0)
		return -errno;
	if (rc == 0)
		return 1;
	return e == EACCES || e == EPERM || e == EROFS ? 0 : -e;
}
