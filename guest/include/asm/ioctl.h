/* asm/ioctl.h */
#include <linux/ioctl.h>
