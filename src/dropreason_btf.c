/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Drop reason names from BTF: enum skb_drop_reason, enum
 * skb_drop_reason_subsys, and each subsystem's own enum, found as the
 * enum named *drop_reason* whose values carry that subsystem's number in
 * their top 16 bits (ovs_drop_reason, mac80211_drop_reason...). Only
 * enums of the BTF given are read: a subsystem built as a module has its
 * enum in the module's BTF, and its reasons then show as SUBSYS:CODE. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "dropreason.h"
#include "util.h"

static void read_enum(const struct btf *btf, const struct btf_type *t,
		      struct enum_names *en)
{
	const struct btf_enum *e = btf_enum(t);

	for (unsigned int i = 0; i < btf_vlen(t); i++) {
		const char *name = btf__name_by_offset(btf, e[i].name_off);

		if (name && *name)
			enum_names_add(en, name, (uint32_t)e[i].val);
	}
}

static const struct btf_type *find_enum(const struct btf *btf,
					const char *name)
{
	__s32 id = btf__find_by_name_kind(btf, name, BTF_KIND_ENUM);

	return id > 0 ? btf__type_by_id(btf, (__u32)id) : NULL;
}

/* Whether enum t has a value in subsystem sub (its top 16 bits). */
static bool enum_in_subsys(const struct btf_type *t, uint32_t sub)
{
	const struct btf_enum *e = btf_enum(t);

	for (unsigned int i = 0; i < btf_vlen(t); i++)
		if ((uint32_t)e[i].val >> 16 == sub)
			return true;
	return false;
}

static void read_subsys_enum(const struct btf *btf, uint32_t sub,
			     struct enum_names *en)
{
	__u32 n = btf__type_cnt(btf);

	for (__u32 id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const char *name;

		if (!btf_is_enum(t))
			continue;
		name = btf__name_by_offset(btf, t->name_off);
		if (!name || !strstr(name, "drop_reason") ||
		    strncmp(name, "skb_drop_reason", 15) == 0)
			continue;
		if (enum_in_subsys(t, sub)) {
			read_enum(btf, t, en);
			return;
		}
	}
}

static void read_subsystems(const struct btf *btf, struct reason_names *rn)
{
	uint32_t max = 0;

	for (size_t i = 0; i < rn->subsys.n; i++)
		if (rn->subsys.e[i].value < 0x10000 && rn->subsys.e[i].value > max)
			max = rn->subsys.e[i].value;
	rn->nsub = max + 1;
	rn->sub = xcalloc(rn->nsub, sizeof(*rn->sub));
	for (uint32_t s = 1; s < rn->nsub; s++)
		read_subsys_enum(btf, s, &rn->sub[s]);
}

int reason_names_from_btf(struct reason_names *rn, const char *path,
			  char *msg, size_t size)
{
	const char *what = path ? path : "/sys/kernel/btf/vmlinux";
	struct btf *btf = path ? btf__parse(path, NULL) : btf__load_vmlinux_btf();
	const struct btf_type *t;
	long err = libbpf_get_error(btf);

	if (err || !btf) {
		snprintf(msg, size, "%s: no kernel BTF (%s)", what,
			 strerror(err ? (int)-err : ENOENT));
		return err ? (int)err : -ENOENT;
	}
	t = find_enum(btf, "skb_drop_reason");
	if (!t) {
		snprintf(msg, size, "%s: no enum skb_drop_reason (kernel before 5.17)",
			 what);
		btf__free(btf);
		return -ENOENT;
	}
	read_enum(btf, t, &rn->core);
	t = find_enum(btf, "skb_drop_reason_subsys");
	if (t) {
		read_enum(btf, t, &rn->subsys);
		read_subsystems(btf, rn);
	}
	btf__free(btf);
	return 0;
}
