/* Copying between the kernel and a user address space, checked page by page. */
#ifndef KERNEL_UACCESS_H
#define KERNEL_UACCESS_H

#include <stddef.h>
#include <stdint.h>
#include "arch/x86_64/paging.h"

/* Both return PECAN_OK, or PECAN_EFAULT when any byte of the user range is
 * unmapped or lacks the needed permission; nothing is partially trusted. */
int copy_from_user(const struct address_space *as, void *dst, uint64_t src, size_t len);
int copy_to_user(const struct address_space *as, uint64_t dst, const void *src, size_t len);

#endif
