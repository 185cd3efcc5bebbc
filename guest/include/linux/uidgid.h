/* linux/uidgid.h - everyone is root in lx. */
#ifndef _LINUX_UIDGID_H
#define _LINUX_UIDGID_H
#include <linux/types.h>
#define KUIDT_INIT(v) ((kuid_t){v})
#define KGIDT_INIT(v) ((kgid_t){v})
#define GLOBAL_ROOT_UID KUIDT_INIT(0)
#define GLOBAL_ROOT_GID KGIDT_INIT(0)
static inline uid_t __kuid_val(kuid_t uid) { return uid.val; }
static inline gid_t __kgid_val(kgid_t gid) { return gid.val; }
#define uid_eq(a, b) (__kuid_val(a) == __kuid_val(b))
#define current_uid() GLOBAL_ROOT_UID
#define current_gid() GLOBAL_ROOT_GID
#define current_euid() GLOBAL_ROOT_UID
#endif
