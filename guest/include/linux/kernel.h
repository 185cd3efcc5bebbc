/* linux/kernel.h - the kernel's everyday helpers: printk, formatting and parsing of numbers, ARRAY_SIZE, container_of. */
#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H
#include <stdarg.h>
#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/stddef.h>
#include <linux/limits.h>
#include <linux/errno.h>
#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/kstrtox.h>
#include <linux/container_of.h>
#include <linux/build_bug.h>

#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define ALIGN(x, a) (((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define PTR_ALIGN(p, a) ((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define round_up(x, y) ((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y) ((x) & ~((__typeof__(x))((y) - 1)))
#define abs(x) ({ __typeof__(x) __v = (x); __v < 0 ? -__v : __v; })
#define upper_32_bits(n) ((u32)(((n) >> 16) >> 16))
#define lower_32_bits(n) ((u32)((n) & 0xffffffff))
#define BIT(nr) (1UL << (nr))
#define BIT_ULL(nr) (1ULL << (nr))

int sprintf(char *buf, const char *fmt, ...) __printf(2, 3);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vsprintf(char *buf, const char *fmt, va_list args) __printf(2, 0);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args) __printf(3, 0);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int vscnprintf(char *buf, size_t size, const char *fmt, va_list args) __printf(3, 0);
char *kasprintf(gfp_t gfp, const char *fmt, ...) __printf(2, 3);
int sscanf(const char *buf, const char *fmt, ...) __scanf(2, 3);

void panic(const char *fmt, ...) __printf(1, 2) __noreturn __cold;
void dump_stack(void);
#define might_sleep() do { } while (0)
#define cond_resched() ({ 0; })
#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(c) do { if (unlikely(c)) BUG(); } while (0)
#define WARN_ON(c) ({ int __w = !!(c); if (unlikely(__w)) printk(KERN_WARNING "WARNING at %s:%d\n", __FILE__, __LINE__); unlikely(__w); })
#define WARN_ON_ONCE(c) WARN_ON(c)
#define WARN(c, fmt, ...) ({ int __w = !!(c); if (unlikely(__w)) printk(KERN_WARNING fmt, ##__VA_ARGS__); unlikely(__w); })
#define WARN_ONCE WARN

#endif
