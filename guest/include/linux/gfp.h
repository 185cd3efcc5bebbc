/* linux/gfp.h - allocation flags: lx's allocator never sleeps, so they only name the caller's intent. */
#ifndef _LINUX_GFP_H
#define _LINUX_GFP_H
#include <linux/types.h>
#define __GFP_ZERO 0x100u
#define __GFP_NOWARN 0x200u
#define __GFP_NOFAIL 0x400u
#define GFP_KERNEL 0x1u
#define GFP_ATOMIC 0x2u
#define GFP_NOWAIT 0x4u
#define GFP_NOIO 0x8u
#define GFP_NOFS 0x10u
#define GFP_USER 0x20u
#define GFP_DMA 0x40u
#define GFP_HIGHUSER 0x80u
#define GFP_KERNEL_ACCOUNT GFP_KERNEL
#endif
