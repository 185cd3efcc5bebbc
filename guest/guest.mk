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
# the shell scenario's init (docs/shell.md): /sbin/init-shell
GUEST_SHELL_INIT := $(GUEST_BUILD)/shell/init-shell
# the modules (below): defined here, before the rules whose prerequisites name them
GUEST_KMOD_DIRS := examples/hello examples/chardev examples/l4log guest/kmod-tests
GUEST_KMOD_BUILD := $(GUEST_BUILD)/modules
GUEST_KMOD_STAMP := $(GUEST_KMOD_BUILD)/.built
GUEST_KMOD_RELEASE := $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"/\1/p' guest/include/linux/vermagic.h)
GUEST_KMOD_SRCS := $(foreach d,$(GUEST_KMOD_DIRS),$(wildcard $(d)/*.c $(d)/*.h $(d)/Makefile $(d)/Kbuild)) \
	$(wildcard guest/kbuild/* guest/include/*/*.h guest/include/*/*/*.h guest/include/*/*/*/*.h)

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

$(GUEST_SHELL_INIT): guest/shell/init-shell.c $(GUEST_LIB_OBJ) $(GUEST_HEADERS)
	@mkdir -p $(@D)
	@echo '  CC      $<'
	@$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(GUEST_LIB_OBJ) $< -lgcc

# Debian's busybox-static, downloaded (not installed) once.
$(GUEST_BUILD)/busybox: tools/get-busybox.sh
	@tools/get-busybox.sh $(BUILD)

# The tree is made afresh each time (its modes normalized: directories 755,
# files 644 or 755), then archived; mkcpio skips the .keep files.
$(GUEST_BUILD)/initramfs.cpio: $(GUEST_BINS) $(GUEST_BUILD)/busybox $(GUEST_ROOTFS_FILES) \
		$(GUEST_SHELL_INIT) $(GUEST_KMOD_STAMP) guest/kmod-tests/modtest.sh tools/mkcpio.py guest/guest.mk
	@echo '  ROOTFS  $(GUEST_BUILD)/rootfs'
	@rm -rf $(GUEST_BUILD)/rootfs
	@mkdir -p $(GUEST_BUILD)/rootfs/bin
	@cp -R guest/rootfs/. $(GUEST_BUILD)/rootfs/
	@cp $(GUEST_BUILD)/tests/init $(GUEST_BUILD)/rootfs/init
	@cp $(addprefix $(GUEST_BUILD)/tests/,$(GUEST_TESTS)) $(GUEST_BUILD)/rootfs/bin/
	@cp $(GUEST_BUILD)/busybox $(GUEST_BUILD)/rootfs/bin/busybox
	@for l in $(GUEST_BUSYBOX_LINKS); do ln -s busybox $(GUEST_BUILD)/rootfs/bin/$$l; done
	@# the shell scenario: its init, and a link for every applet where busybox installs it
	@mkdir -p $(GUEST_BUILD)/rootfs/sbin $(GUEST_BUILD)/rootfs/usr/bin $(GUEST_BUILD)/rootfs/usr/sbin
	@cp $(GUEST_SHELL_INIT) $(GUEST_BUILD)/rootfs/sbin/init-shell
	@for l in $$($(GUEST_BUILD)/busybox --list-full | grep /); do \
		[ -e $(GUEST_BUILD)/rootfs/$$l ] || [ -L $(GUEST_BUILD)/rootfs/$$l ] || \
			ln -s /bin/busybox $(GUEST_BUILD)/rootfs/$$l; done
	@# loadable modules (docs/modules.md): /lib/modules/*.ko, /bin/modtest
	@mkdir -p $(GUEST_BUILD)/rootfs/lib/modules/$(GUEST_KMOD_RELEASE)
	@: > $(GUEST_BUILD)/rootfs/lib/modules/$(GUEST_KMOD_RELEASE)/modules.dep
	@# find, not $$(wildcard): make's directory cache predates the modules just built
	@find $(GUEST_KMOD_BUILD) -name '*.ko' -exec cp {} $(GUEST_BUILD)/rootfs/lib/modules/ \;
	@cp guest/kmod-tests/modtest.sh $(GUEST_BUILD)/rootfs/bin/modtest
	@chmod 755 $(GUEST_BUILD)/rootfs/bin/modtest
	@chmod -R u=rwX,go=rX $(GUEST_BUILD)/rootfs
	@chmod 1777 $(GUEST_BUILD)/rootfs/tmp
	@echo '  CPIO    $@'
	@$(PYTHON) tools/mkcpio.py $(GUEST_BUILD)/rootfs $@

# ---- lx's Linux module API (guest/kapi/, docs/modules.md) ----------------
# guest/kapi/*.c implement what modules call; they are written against the
# module headers (guest/include/linux/), so they get those on their include
# path, and so does guest/ksyms.c (struct lx_ksym). Their objects join lx's
# link: LX_OBJ is expanded when lx's link recipe runs.
LX_KAPI_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard guest/kapi/*.c))
LX_KAPI_HEADERS := $(wildcard guest/kapi/*.h guest/include/linux/*.h guest/include/asm/*.h)
LX_OBJ += $(LX_KAPI_OBJ)
$(BUILD)/user/bin/lx: $(LX_KAPI_OBJ)
$(BUILD)/guest/kapi/%.o: guest/kapi/%.c $(UHEADERS) $(wildcard guest/*.h guest/fs/*.h) $(LX_KAPI_HEADERS)
	@mkdir -p $(@D)
	@echo '  CC      $<'
	@$(CC) $(USER_CFLAGS) -Iguest -Iguest/include -D__KERNEL__ -c -o $@ $<
$(BUILD)/guest/ksyms.o: USER_CFLAGS += -Iguest/include
$(BUILD)/guest/ksyms.o $(BUILD)/guest/module.o: $(LX_KAPI_HEADERS)

# ---- modules for the guest: the examples and the test modules -------------
# Each directory is copied to build/guest/modules/ and built there with the
# kbuild, as a user would build it (make -C guest/kbuild M=<dir>); the .ko
# files go to /lib/modules of the initramfs. Two broken ones are made from
# hello.ko for the loader's error paths: badmagic.ko (another vermagic)
# and truncated.ko.

.PHONY: guest-modules
guest-modules: $(GUEST_KMOD_STAMP)
$(GUEST_KMOD_STAMP): $(GUEST_KMOD_SRCS) guest/guest.mk
	@rm -rf $(GUEST_KMOD_BUILD)
	@for d in $(GUEST_KMOD_DIRS); do \
		mkdir -p $(GUEST_KMOD_BUILD)/$$d && \
		cp $$(ls $$d/*.c $$d/*.h $$d/Makefile $$d/Kbuild 2>/dev/null) $(GUEST_KMOD_BUILD)/$$d/ && \
		$(MAKE) --no-print-directory -s -C guest/kbuild M=$(abspath $(GUEST_KMOD_BUILD))/$$d modules | \
			sed -n 's|^  LD \[M\]  $(abspath $(GUEST_KMOD_BUILD))/\(.*\.ko\)|  KMOD    \1|p' || exit 1; \
	done
	@$(PYTHON) -c "import sys; d = open(sys.argv[1], 'rb').read(); \
		open(sys.argv[2], 'wb').write(d.replace(b'vermagic=$(GUEST_KMOD_RELEASE) ', b'vermagic=6.1.0-other-lx ')); \
		open(sys.argv[3], 'wb').write(d[:200])" \
		$(GUEST_KMOD_BUILD)/examples/hello/hello.ko $(GUEST_KMOD_BUILD)/guest/kmod-tests/badmagic.ko \
		$(GUEST_KMOD_BUILD)/guest/kmod-tests/truncated.ko
	@touch $@
