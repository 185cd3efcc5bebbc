/* lx's capability selectors: slots of its own capability space for the objects it creates. */
#ifndef LX_SEL_H
#define LX_SEL_H

#include <stdint.h>

/* A free selector, or 0 when all PECAN_CAP_SPACE_SIZE are in use. */
uint64_t lx_sel_alloc(void);
/* Deletes the capability at sel (lx holds the only root: the object goes)
 * and makes the selector free for the next lx_sel_alloc. */
void lx_sel_free(uint64_t sel);
/* Selectors in use (for /proc and the tests). */
unsigned lx_sel_used(void);

#endif
