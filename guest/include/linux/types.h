/* linux/types.h - the kernel's basic types, over the compiler's <stdint.h>, <stddef.h> and <stdbool.h>. */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <linux/compiler.h>

/* bool is a type, not <stdbool.h>'s macro: module_param(x, bool, ...) pastes
 * the word into param_ops_bool. (lx's own files may have the macro already.) */
#ifndef __bool_true_false_are_defined
typedef _Bool bool;
enum { false = 0, true = 1 };
#define __bool_true_false_are_defined 1
#endif

typedef int8_t s8;
typedef uint8_t u8;
typedef int16_t s16;
typedef uint16_t u16;
typedef int32_t s32;
typedef uint32_t u32;
typedef int64_t s64;
typedef uint64_t u64;
typedef int8_t __s8;
typedef uint8_t __u8;
typedef int16_t __s16;
typedef uint16_t __u16;
typedef int32_t __s32;
typedef uint32_t __u32;
typedef int64_t __s64;
typedef uint64_t __u64;
typedef u16 __le16, __be16;
typedef u32 __le32, __be32;
typedef u64 __le64, __be64;

typedef long ssize_t;
typedef long long loff_t;
typedef u32 dev_t;          /* MAJOR << 20 | MINOR, as in Linux (linux/kdev_t.h) */
typedef unsigned short umode_t;
typedef int pid_t;
typedef unsigned int uid_t;
typedef unsigned int gid_t;
typedef long off_t;
typedef long time64_t;
typedef long long ktime_t;
typedef unsigned int gfp_t;
typedef unsigned int fmode_t;
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef u64 sector_t;
typedef unsigned long ulong;
typedef unsigned int uint;
typedef unsigned short ushort;
typedef unsigned char uchar;

typedef struct {
	int counter;
} atomic_t;
typedef struct {
	long counter;
} atomic64_t;
typedef atomic64_t atomic_long_t;

struct list_head {
	struct list_head *next, *prev;
};
struct hlist_head {
	struct hlist_node *first;
};
struct hlist_node {
	struct hlist_node *next, **pprev;
};

typedef struct {
	uid_t val;
} kuid_t;
typedef struct {
	gid_t val;
} kgid_t;

#endif
