/* The message tag: label, untyped word count, typed item count, flags. */
#ifndef PECAN_MSGTAG_H
#define PECAN_MSGTAG_H

#include <stdint.h>

/*
 *  63            32 31     16 15   13 12      7 6        0
 * +----------------+---------+-------+---------+----------+
 * |     label      |  flags  |   0   |  items  |  words   |
 * +----------------+---------+-------+---------+----------+
 *
 * words: untyped message registers MR[0 .. words-1]
 * items: typed items (two words each) in the MRs right after the words
 * words + 2 * items must not exceed PECAN_MR_COUNT.
 */
typedef uint64_t pecan_msgtag_t;

#define PECAN_TAG_WORDS_SHIFT 0
#define PECAN_TAG_WORDS_MASK 0x7full
#define PECAN_TAG_ITEMS_SHIFT 7
#define PECAN_TAG_ITEMS_MASK 0x3full
#define PECAN_TAG_FLAGS_SHIFT 16
#define PECAN_TAG_FLAGS_MASK 0xffffull
#define PECAN_TAG_LABEL_SHIFT 32

static inline pecan_msgtag_t pecan_msgtag(uint32_t label, unsigned words, unsigned items, unsigned flags)
{
	return ((uint64_t)label << PECAN_TAG_LABEL_SHIFT) |
	       (((uint64_t)flags & PECAN_TAG_FLAGS_MASK) << PECAN_TAG_FLAGS_SHIFT) |
	       (((uint64_t)items & PECAN_TAG_ITEMS_MASK) << PECAN_TAG_ITEMS_SHIFT) |
	       (((uint64_t)words & PECAN_TAG_WORDS_MASK) << PECAN_TAG_WORDS_SHIFT);
}

static inline unsigned pecan_msgtag_words(pecan_msgtag_t t)
{
	return (unsigned)((t >> PECAN_TAG_WORDS_SHIFT) & PECAN_TAG_WORDS_MASK);
}
static inline unsigned pecan_msgtag_items(pecan_msgtag_t t)
{
	return (unsigned)((t >> PECAN_TAG_ITEMS_SHIFT) & PECAN_TAG_ITEMS_MASK);
}
static inline unsigned pecan_msgtag_flags(pecan_msgtag_t t)
{
	return (unsigned)((t >> PECAN_TAG_FLAGS_SHIFT) & PECAN_TAG_FLAGS_MASK);
}
static inline uint32_t pecan_msgtag_label(pecan_msgtag_t t) { return (uint32_t)(t >> PECAN_TAG_LABEL_SHIFT); }

#endif
