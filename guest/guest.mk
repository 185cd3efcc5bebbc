# guest/guest.mk: the guest userland of lx, included by the top Makefile.
#
#   make guest-userland   builds
#     build/guest/tests/NAME       a static Linux x86-64 program per guest/tests/NAME.c,
#                                  linked with the tiny runtime guest/tests/lib/ (no libc)
#     build/guest/busybox          Debian's busybox-static binary (tools/get-busybox.sh)
#     build/guest/rootfs/          the initramfs tree: guest/rootfs/ + /init + /bin/...
#     build/guest/initramfs.cpio   that tree as a cpio newc archive (tools/mkcpio.py)
#
# The programs are ordinary Linux programs: they run on the host too
# (build/guest/tests/forktree). docs/guest-userland.md says what each checks.
# Every variable here starts with GUEST_ so as not to clash with the Makefile's.

GUEST_BUILD   := $(BUILD)/guest
GUEST_CC      ?= gcc
GUEST_CFLAGS  := -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding -fno-stack-protector \
	-fno-pie -fno-pic -fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns \
	-Iguest/tests/lib
GUEST_LDFLAGS := -static -nostdlib -no-pie -Wl,-z,max-page-size=4096 -Wl,--build-id=none
GUEST_LIB_OBJ := $(GUEST_BUILD)/obj/lib/start.o $(GUEST_BUILD)/obj/lib/lt.o
GUEST_HEADERS := $(wildcard guest/tests/lib/*.h)
# every guest/tests/NAME.c is a program; `init` becomes /init, the others /bin/NAME
GUEST_PROGS   := $(basename $(notdir $(wildcard guest/tests/*.c)))
GUEST_TESTS   := $(filter-out init,$(GUEST_PROGS))
GUEST_BINS    := $(addprefix $(GUEST_BUILD)/tests/,$(GUEST_PROGS))
GUEST_ROOTFS_FILES := $(shell find guest/rootfs -type f -o -type l 2>/dev/null)
# /bin/NAME -> busybox links
GUEST_BUSYBOX_LINKS := sh ls echo cat

.PHONY: guest-userland guest-tests
guest-userland: $(GUEST_BUILD)/initramfs.cpio
guest-tests: $(GUEST_BINS)

$(GUEST_BUILD)/obj/lib/%.o: guest/tests/lib/%.c $(GUEST_HEADERS)
	@mkdir -p $(@D)
	@echo '  CC      $<'
	@$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<
$(GUEST_BUILD)/obj/lib/%.o: guest/tests/lib/%.S
	@mkdir -p $(@D)
	@echo '  CC      $<'
	@$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<
$(GUEST_BUILD)/obj/%.o: guest/tests/%.c $(GUEST_HEADERS)
	@mkdir -p $(@D)
	@echo '  CC      $<'
	@$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<
$(GUEST_BINS): $(GUEST_BUILD)/tests/%: $(GUEST_BUILD)/obj/%.o $(GUEST_LIB_OBJ)
	@mkdir -p $(@D)
	@echo '  LD      $@'
	@$(GUEST_CC) $(GUEST_LDFLAGS) -o $@ $(GUEST_LIB_OBJ) $< -lgcc

# Debian's busybox-static, downloaded (not installed) once.
$(GUEST_BUILD)/busybox: tools/get-busybox.sh
	@tools/get-busybox.sh $(BUILD)

# The tree is made afresh each time (its modes normalized: directories 755,
# files 644 or 755), then archived; mkcpio skips the .keep files.
$(GUEST_BUILD)/initramfs.cpio: $(GUEST_BINS) $(GUEST_BUILD)/busybox $(GUEST_ROOTFS_FILES) \
		tools/mkcpio.py guest/guest.mk
	@echo '  ROOTFS  $(GUEST_BUILD)/rootfs'
	@rm -rf $(GUEST_BUILD)/rootfs
	@mkdir -p $(GUEST_BUILD)/rootfs/bin
	@cp -R guest/rootfs/. $(GUEST_BUILD)/rootfs/
	@cp $(GUEST_BUILD)/tests/init $(GUEST_BUILD)/rootfs/init
	@cp $(addprefix $(GUEST_BUILD)/tests/,$(GUEST_TESTS)) $(GUEST_BUILD)/rootfs/bin/
	@cp $(GUEST_BUILD)/busybox $(GUEST_BUILD)/rootfs/bin/busybox
	@for l in $(GUEST_BUSYBOX_LINKS); do ln -s busybox $(GUEST_BUILD)/rootfs/bin/$$l; done
	@chmod -R u=rwX,go=rX $(GUEST_BUILD)/rootfs
	@chmod 1777 $(GUEST_BUILD)/rootfs/tmp
	@echo '  CPIO    $@'
	@$(PYTHON) tools/mkcpio.py $(GUEST_BUILD)/rootfs $@
