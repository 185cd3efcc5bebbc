/* Kernel memory: objects of power-of-two size classes and whole pages, from the kernel's frame pool. */
#ifndef KERNEL_KMEM_H
#define KERNEL_KMEM_H

#include <stddef.h>
#include <stdint.h>

#define KMEM_MIN 32
#define KMEM_MAX 4096

/* The size an allocation of `size` bytes really takes (what quotas charge). */
size_t kmem_size(size_t size);
/* A zeroed block of at least `size` bytes (<= KMEM_MAX), or NULL. */
void *kmem_alloc(size_t size);
void kmem_free(void *p, size_t size);
/* Bytes handed out and not yet freed: the leak check compares this. */
uint64_t kmem_in_use(void);
/* Bytes that could still be handed out (free frames plus free class blocks). */
uint64_t kmem_available(void);

#endif
