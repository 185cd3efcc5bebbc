/* asm/current.h */
#include <linux/sched.h>
