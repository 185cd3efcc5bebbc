/* proprietary.c - a non-GPL module that wants a GPL-only symbol: the load fails with "Unknown symbol". */
#include <linux/module.h>

int expo_secret(void);

static int __init proprietary_init(void) { return expo_secret() == 42 ? 0 : -EINVAL; }

module_init(proprietary_init);
MODULE_LICENSE("Proprietary");
