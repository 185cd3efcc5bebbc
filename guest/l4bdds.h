/* l4bdds: lx's driver for the block devices of the bdds server (docs/shell.md, docs/bdds.md). */
#ifndef LX_L4BDDS_H
#define LX_L4BDDS_H

/*
 * For the Nth argument `l4bdds.add=WHAT` of lx's command line (N = 0, 1,
 * ...), the device behind the capability named `l4bddsN` (cap=l4bddsN in
 * the config script: a bdds device gate) becomes /dev/l4bddsN, a character
 * device (major L4BDDS_MAJOR, minor N) that reads and writes the device's
 * bytes. WHAT says what the script put there: `rom/NAME` (lx checks the
 * device's size against the module's) or anything else (`ram:1M`), only
 * shown. A device that cannot be set up is reported and left out; the
 * numbers of the others stay.
 */
#define L4BDDS_MAJOR 240
#define L4BDDS_MAX 16

/* After fs_init: the devices and their /dev nodes. */
void l4bdds_init(int argc, char **argv);

#endif
