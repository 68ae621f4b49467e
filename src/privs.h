/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Privileges: droptop drops what it does not need once set-up is done. */
#ifndef DROPTOP_PRIVS_H
#define DROPTOP_PRIVS_H

#include <stdbool.h>
#include <stddef.h>

/* Keeps only the capabilities a live refresh uses (privs.c says which) or,
 * with live false, none; empties the bounding and ambient sets and sets
 * PR_SET_NO_NEW_PRIVS. Applies to the calling thread only (capabilities
 * are per thread): threads started before keep theirs. Returns 0, or -1
 * with the reason in err. */
int privs_drop(bool live, char *err, size_t errlen);

/* Whether the directory dirfd will let this thread create and rename
 * files once a live privs_drop() has run: 1 yes, 0 no, or a negative
 * errno. The capabilities held now are kept. */
int privs_dir_writable_after_drop(int dirfd);

#endif
