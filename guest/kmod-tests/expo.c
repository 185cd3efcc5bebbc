/* expo.c - exports symbols for another module (expo_user): EXPORT_SYMBOL and EXPORT_SYMBOL_GPL. */
#include <linux/module.h>

int expo_calls;
EXPORT_SYMBOL(expo_calls);

int expo_add(int a, int b)
{
	expo_calls++;
	return a + b;
}
EXPORT_SYMBOL(expo_add);

int expo_secret(void) { return 42; }
EXPORT_SYMBOL_GPL(expo_secret);

static int __init expo_init(void) { return 0; }
static void __exit expo_exit(void) { pr_info("expo: expo_add was called %d times\n", expo_calls); }

module_init(expo_init);
module_exit(expo_exit);
MODULE_LICENSE("GPL");
