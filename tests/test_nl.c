/* The netlink helper against this kernel: family lookup through nlctrl,
 * an unknown family, and an error carrying the kernel's extack text. */
#include "config.h"

#include <errno.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
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

int main(void)
{
	Suite *s = suite_create("nl");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, resolves_nlctrl);
	tcase_add_test(tc, kernel_error_is_returned);
	suite_add_tcase(s, tc);
	return test_run_suite(s);
}
