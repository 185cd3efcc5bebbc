/* Flexpages and typed message items: how memory and capabilities move by IPC and map. */
#ifndef PECAN_FPAGE_H
#define PECAN_FPAGE_H

#include <stdint.h>

/*
 * A flexpage names a naturally aligned, power-of-two sized range:
 *
 *  63                        12 11  10 9    6 5      0
 * +----------------------------+------+------+--------+
 * |  base (address / selector) | kind |rights| order  |
 * +----------------------------+------+------+--------+
 *
 * Memory: base is a byte address (aligned to 2^order, order >= 12), the
 *   rights are PECAN_FPAGE_R/W/X.
 * Capabilities: base is a selector shifted left by 12, the range is
 *   2^order selectors, the rights are PECAN_CAP_R/W/D masks.
 * The value 0 (kind PECAN_FPAGE_NONE) means "no flexpage".
 */
typedef uint64_t pecan_fpage_t;

enum pecan_fpage_kind {
	PECAN_FPAGE_NONE = 0,
	PECAN_FPAGE_MEM = 1,
	PECAN_FPAGE_CAP = 2,
};

enum pecan_fpage_rights {
	PECAN_FPAGE_R = 1 << 0,
	PECAN_FPAGE_W = 1 << 1,
	PECAN_FPAGE_X = 1 << 2,
	PECAN_FPAGE_RWX = 7,
};

/* Capability rights (also in cap fpages). */
enum pecan_cap_rights {
	PECAN_CAP_R = 1 << 0, /* use: invoke the object's read / basic operations, send to a gate */
	PECAN_CAP_W = 1 << 1, /* modify: operations that change the object */
	PECAN_CAP_D = 1 << 2, /* delegate: map the capability on to other tasks */
	PECAN_CAP_RWD = 7,
};

#define PECAN_FPAGE_ORDER_MASK 0x3full
#define PECAN_FPAGE_RIGHTS_SHIFT 6
#define PECAN_FPAGE_RIGHTS_MASK 0xfull
#define PECAN_FPAGE_KIND_SHIFT 10
#define PECAN_FPAGE_KIND_MASK 0x3ull
#define PECAN_FPAGE_BASE_MASK (~(uint64_t)0xfff)
#define PECAN_PAGE_ORDER 12

static inline pecan_fpage_t pecan_fpage_mem(uint64_t addr, unsigned order, unsigned rights)
{
	return (addr & PECAN_FPAGE_BASE_MASK) | ((uint64_t)PECAN_FPAGE_MEM << PECAN_FPAGE_KIND_SHIFT) |
	       (((uint64_t)rights & PECAN_FPAGE_RIGHTS_MASK) << PECAN_FPAGE_RIGHTS_SHIFT) |
	       (order & PECAN_FPAGE_ORDER_MASK);
}

static inline pecan_fpage_t pecan_fpage_cap(uint64_t selector, unsigned order, unsigned rights)
{
	return (selector << 12) | ((uint64_t)PECAN_FPAGE_CAP << PECAN_FPAGE_KIND_SHIFT) |
	       (((uint64_t)rights & PECAN_FPAGE_RIGHTS_MASK) << PECAN_FPAGE_RIGHTS_SHIFT) |
	       (order & PECAN_FPAGE_ORDER_MASK);
}

static inline unsigned pecan_fpage_kind(pecan_fpage_t f)
{
	return (unsigned)((f >> PECAN_FPAGE_KIND_SHIFT) & PECAN_FPAGE_KIND_MASK);
}
static inline unsigned pecan_fpage_order(pecan_fpage_t f) { return (unsigned)(f & PECAN_FPAGE_ORDER_MASK); }
static inline unsigned pecan_fpage_rights(pecan_fpage_t f)
{
	return (unsigned)((f >> PECAN_FPAGE_RIGHTS_SHIFT) & PECAN_FPAGE_RIGHTS_MASK);
}
/* The base: a byte address for memory, a selector for capabilities. */
static inline uint64_t pecan_fpage_base(pecan_fpage_t f)
{
	return pecan_fpage_kind(f) == PECAN_FPAGE_CAP ? f >> 12 : f & PECAN_FPAGE_BASE_MASK;
}

/*
 * A typed item is two message words following the untyped words:
 *
 *   word 0:  bits 0..3 item type (below), bits 12..63 hotspot
 *   word 1:  the sender's flexpage (memory or capability)
 *
 * MAP copies the mapping (the sender keeps it; unmap revokes it later),
 * GRANT moves it (the sender loses it). The item lands in the receiver's
 * window (buffer register) of the same kind; when the window is larger than
 * the flexpage, the hotspot (taken modulo the window size) picks the place.
 * A flexpage larger than the window fails the IPC with PECAN_ERANGE.
 */
enum pecan_item_type {
	PECAN_ITEM_MAP = 1,
	PECAN_ITEM_GRANT = 2,
};
#define PECAN_ITEM_TYPE_MASK 0xfull
#define PECAN_ITEM_HOTSPOT_MASK (~0xfffull)

static inline uint64_t pecan_item_word0(unsigned type, uint64_t hotspot)
{
	return (hotspot & PECAN_ITEM_HOTSPOT_MASK) | (type & PECAN_ITEM_TYPE_MASK);
}

#endif
