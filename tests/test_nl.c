/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The netlink helper against this kernel: family lookup through nlctrl,
 * an unknown family, an error carrying the kernel's extack text, and a
 * kept socket after a dump its callback stopped. */
#include "config.h"

#include <errno.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>

#include "nl.h"
#include "testutil.h"

START_TEST(resolves_nlctrl)
{
	struct nl_sock s;
	char err[256];
	uint16_t id;

	ck_assert_int_eq(nl_open(&s, NETLINK_GENERIC, err, sizeof(err)), 0);
	ck_assert_int_eq(nl_genl_family(&s, "nlctrl", &id, err, sizeof(err)), 0);
	ck_assert_uint_eq(id, GENL_ID_CTRL);
	ck_assert_int_eq(nl_genl_family(&s, "droptop-no-such", &id, err,
					sizeof(err)), -ENOENT);
	ck_assert_str_eq(err, "generic netlink family \"droptop-no-such\" not found");
	nl_close(&s);
}
END_TEST

/* ethtool netlink refuses a device that does not exist; the helper must
 * give ENODEV and whatever text the kernel attached. */
START_TEST(kernel_error_is_returned)
{
	struct nl_sock s;
	struct nlmsghdr *nlh;
	struct nlattr *hdr;
	char err[256];
	uint16_t id;
	int rc;

	ck_assert_int_eq(nl_open(&s, NETLINK_GENERIC, err, sizeof(err)), 0);
	if (nl_genl_family(&s, "ethtool", &id, err, sizeof(err)) < 0) {
		nl_close(&s);
		return; /* a kernel without ethtool netlink: nothing to ask */
	}
	nlh = nl_genl_start(&s, id, ETHTOOL_MSG_CHANNELS_GET, ETHTOOL_GENL_VERSION, 0);
	hdr = mnl_attr_nest_start(nlh, ETHTOOL_A_CHANNELS_HEADER);
	mnl_attr_put_strz(nlh, ETHTOOL_A_HEADER_DEV_NAME, "nosuchdev9");
	mnl_attr_nest_end(nlh, hdr);
	rc = nl_talk(&s, nlh, NULL, NULL, err, sizeof(err));
	ck_assert_int_eq(rc, -ENODEV);
	ck_assert_msg(err[0] != '\0', "no error text");
	nl_close(&s);
}
END_TEST

static int stop_at_first(const struct nlmsghdr *nlh, void *data)
{
	int *seen = data;

	(void)nlh;
	(*seen)++;
	errno = ECANCELED;
	return MNL_CB_ERROR;
}

struct lo_reply {
	int index;
	int messages;
};

static int note_index(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct lo_reply *lr = data;

	lr->messages++;
	if (nlh->nlmsg_type == RTM_NEWLINK)
		lr->index = ifm->ifi_index;
	return MNL_CB_OK;
}

/* A dump stopped by its callback leaves the rest of it queued (at least
 * its NLMSG_DONE): the next request on the kept socket must still get its
 * own answer, not the leftovers (the collector keeps sockets for a run). */
START_TEST(socket_usable_after_interrupted_dump)
{
	struct lo_reply lr = { 0, 0 };
	struct ifinfomsg *ifm;
	struct nlmsghdr *nlh;
	struct nl_sock s;
	char err[256];
	int seen = 0;

	ck_assert_int_eq(nl_open(&s, NETLINK_ROUTE, err, sizeof(err)), 0);
	nlh = nl_msg_start(&s, RTM_GETLINK, NLM_F_DUMP);
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ck_assert_int_eq(nl_talk(&s, nlh, stop_at_first, &seen, err,
				 sizeof(err)), -ECANCELED);
	ck_assert_int_eq(seen, 1);
	ck_assert(s.broken);
	for (int i = 0; i < 3; i++) {
		lr.messages = 0;
		nlh = nl_msg_start(&s, RTM_GETLINK, 0);
		ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
		ifm->ifi_family = AF_UNSPEC;
		mnl_attr_put_strz(nlh, IFLA_IFNAME, "lo");
		ck_assert_int_eq(nl_talk(&s, nlh, note_index, &lr, err,
					 sizeof(err)), 0);
		/* A single request: its one reply, without an ACK. */
		ck_assert_int_eq(lr.messages, 1);
		ck_assert_int_eq(lr.index, (int)if_nametoindex("lo"));
		ck_assert(!s.broken);
	}
	nl_close(&s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("nl");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, resolves_nlctrl);
	tcase_add_test(tc, kernel_error_is_returned);
	tcase_add_test(tc, socket_usable_after_interrupted_dump);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
