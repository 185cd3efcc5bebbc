/* linux/vermagic.h - the one version string: uname's release and the vermagic every module must carry.
 * The loader (guest/module.c) and the kbuild (guest/kbuild/) read it from here. */
#ifndef _LINUX_VERMAGIC_H
#define _LINUX_VERMAGIC_H

#define UTS_RELEASE "6.1.0-pecan-lx"
#define VERMAGIC_STRING UTS_RELEASE " mod_unload"

#endif
