/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Drop reason names from BTF: enum skb_drop_reason, enum
 * skb_drop_reason_subsys, and each subsystem's own enum, found as the
 * enum named *drop_reason* whose values carry that subsystem's number in
 * their top 16 bits (ovs_drop_reason, mac80211_drop_reason...). A
 * subsystem built as a module has its enum in the module's split BTF
 * (/sys/kernel/btf/MODULE, on top of vmlinux's): reason_names_add_module
 * reads it the first time one of its reasons is seen. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

/* From type id first on: a split BTF's own types start after its base's. */
static void read_subsys_enum(const struct btf *btf, __u32 first, uint32_t sub,
			     struct enum_names *en)
{
	__u32 n = btf__type_cnt(btf);

	for (__u32 id = first; id < n; id++) {
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
		read_subsys_enum(btf, 1, s, &rn->sub[s]);
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

/* The module of a subsystem: its name in lower case up to the first '_'
 * (SKB_DROP_REASON_SUBSYS_OPENVSWITCH -> openvswitch,
 * ..._MAC80211_UNUSABLE -> mac80211). */
static bool subsys_module(const struct reason_names *rn, uint32_t sub,
			  char *buf, size_t size)
{
	static const char prefix[] = "SKB_DROP_REASON_SUBSYS_";
	const char *name = NULL;
	size_t n = 0;

	for (size_t i = 0; i < rn->subsys.n && !name; i++)
		if (rn->subsys.e[i].value == sub)
			name = rn->subsys.e[i].name;
	if (!name || strncmp(name, prefix, sizeof(prefix) - 1) != 0)
		return false;
	for (name += sizeof(prefix) - 1; name[n] && name[n] != '_'; n++)
		if (n + 1 >= size)
			return false;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	buf[n] = '\0';
	return n > 0;
}

static int read_module_enum(struct enum_names *en, uint32_t sub,
			    const char *path, const char *base_path,
			    char *msg, size_t size)
{
	struct btf *base = base_path ? btf__parse(base_path, NULL) :
				       btf__load_vmlinux_btf();
	struct btf *mod;
	long err = libbpf_get_error(base);

	if (err || !base) {
		snprintf(msg, size, "%s: %s", base_path ? base_path : "vmlinux BTF",
			 strerror(err ? (int)-err : ENOENT));
		return err ? (int)err : -ENOENT;
	}
	mod = btf__parse_split(path, base);
	err = libbpf_get_error(mod);
	if (err || !mod) {
		snprintf(msg, size, "%s: %s", path,
			 strerror(err ? (int)-err : ENOENT));
		btf__free(base);
		return err ? (int)err : -ENOENT;
	}
	read_subsys_enum(mod, btf__type_cnt(base), sub, en);
	btf__free(mod);
	btf__free(base);
	return 0;
}

int reason_names_add_module(struct reason_names *rn, uint32_t sub,
			    const char *dir, const char *base_path,
			    char *msg, size_t size)
{
	char module[32], path[PATH_MAX];
	struct enum_names *en;

	msg[0] = '\0';
	if (sub == 0 || sub >= rn->nsub)
		return 0;
	en = &rn->sub[sub];
	if (en->n || en->tried)
		return 0;
	en->tried = true; /* once per run, found or not */
	if (!subsys_module(rn, sub, module, sizeof(module)))
		return 0;
	snprintf(path, sizeof(path), "%s/%s", dir, module);
	if (access(path, R_OK) != 0)
		return 0; /* module not loaded: its reasons stay numbers */
	return read_module_enum(en, sub, path, base_path, msg, size);
}
