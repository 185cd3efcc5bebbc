/* expo_user.c - uses expo's exports: loading it makes expo "used by" it. */
#include <linux/module.h>

int expo_add(int a, int b);
int expo_secret(void);

static int __init expo_user_init(void)
{
	pr_info("expo_user: 2 + 3 = %d, secret %d\n", expo_add(2, 3), expo_secret());
	return 0;
}

static void __exit expo_user_exit(void) { pr_info("expo_user: 4 + 5 = %d\n", expo_add(4, 5)); }

module_init(expo_user_init);
module_exit(expo_user_exit);
MODULE_LICENSE("GPL");
