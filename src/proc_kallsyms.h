/* SPDX-License-Identifier: GPL-2.0-or-later */
/* /proc/kallsyms: kernel text addresses to function names, for the
 * location of NOT_SPECIFIED drops (issue 14). Read once per run, bounded. */
#ifndef DROPTOP_PROC_KALLSYMS_H
#define DROPTOP_PROC_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* At most this much of /proc/kallsyms is read (Linux 6.18 with a few
 * modules: about 5 MB), and at most this many text symbols kept. */
#define KALLSYMS_MAX_BYTES (32u << 20)
#define KALLSYMS_MAX_SYMS (1u << 20)

struct ksym {
	uint64_t addr;
	uint32_t name;            /* offset in kallsyms.names */
};

struct kallsyms {
	struct ksym *syms;        /* text symbols, by address */
	size_t n;
	char *names;              /* NUL-terminated names */
	size_t bad;               /* lines that were not ADDR TYPE NAME */
	bool hidden;              /* every address 0: kptr_restrict */
	bool truncated;           /* a cap was reached */
};

/* Parses kallsyms text (len bytes): keeps the text symbols (t, T) whose
 * names are identifiers (letters, digits, _ and .), at most max_syms. */
void kallsyms_parse(struct kallsyms *ks, const char *text, size_t len,
		    size_t max_syms);
/* Reads fd (opened while droptop could still see the addresses: the
 * kernel checks the opener's credentials) up to the caps. Returns 0 or
 * a negative errno with msg naming path. */
int kallsyms_read(struct kallsyms *ks, int fd, const char *path, char *msg,
		  size_t size);
/* The function holding addr, or NULL (hidden, or no symbol at or below). */
const char *kallsyms_name(const struct kallsyms *ks, uint64_t addr);
void kallsyms_free(struct kallsyms *ks);

#endif
