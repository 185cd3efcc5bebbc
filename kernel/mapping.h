/* User memory mappings: map, grant and recursive unmap between tasks over the mapping database. */
#ifndef KERNEL_MAPPING_H
#define KERNEL_MAPPING_H

#include <stdbool.h>
#include <stdint.h>
#include "bootinfo.h"

struct task;

/* A root mapping's frame belongs to the mapping (kernel memory charged to the
 * task): freed when the root goes. Kept beside R/W/X in the node's rights. */
#define MAPPING_OWNED 8u

/* Bytes of the per-frame table the database needs for all RAM and modules. */
uint64_t mapping_table_bytes(const struct boot_info *bi);
/* table_pa: that many contiguous bytes (pmem_init sets them aside). */
void mapping_init(uint64_t table_pa, uint64_t table_bytes);
/* A root mapping of frame at va (a page the kernel loaded, or the physical window). */
int mapping_insert_root(struct task *t, uint64_t va, uint64_t frame, unsigned rights);
/* True when any task maps the frame (through the database). */
bool mapping_frame_in_use(uint64_t frame);
/* Maps (or grants) the pages of src's [src_va, src_va + size) that are
 * mapped and known to the database onto dst's [dst_va, ...), with rights
 * reduced to `rights`. Returns PECAN_OK or PECAN_ENOMEM (a prefix may be done). */
int mapping_map(struct task *dst, uint64_t dst_va, struct task *src, uint64_t src_va, uint64_t size,
		unsigned rights, bool grant);
/* Revokes what derives from t's pages in [va, va + size), and t's own when self. */
void mapping_unmap(struct task *t, uint64_t va, uint64_t size, bool self);
/* A kernel-managed page (UTCB, KIP): not in the database, never revoked by users. */
int mapping_map_pinned(struct task *t, uint64_t va, uint64_t frame, unsigned rights);
void mapping_unmap_pinned(struct task *t, uint64_t va);
/* Removes every mapping of the task (with everything derived) and frees its page tables. */
void mapping_task_teardown(struct task *t);
uint64_t mapping_node_count(void);

#endif
