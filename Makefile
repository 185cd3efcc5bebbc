# Pecan: the top-level build. `make run` boots the default scenario, `make check` tests everything.

BUILD    := build
E        ?= hello
DEFAULT_SCENARIO := shell
PYTHON   ?= python3

CC       := gcc
LD       := ld
OBJCOPY  := objcopy

WARN     := -Wall -Wextra -Werror
FREESTANDING := -std=gnu11 -O2 -g -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
	-fno-omit-frame-pointer -mno-red-zone -nostdlib -fno-asynchronous-unwind-tables $(WARN)

KERNEL_CFLAGS := $(FREESTANDING) -mcmodel=kernel -mgeneral-regs-only \
	-Iinclude -Ilib -Ikernel -Ikernel/arch/x86_64
USER_CFLAGS := $(FREESTANDING) -mgeneral-regs-only -Iinclude -Ilib -Iuser/lib/l4 -Iuser/lib/c -Iuser/lib/re/include
USER_LDFLAGS := -nostdlib -static -no-pie -Wl,-z,max-page-size=4096 -Wl,--build-id=none

.PHONY: all kernel user run qemu check bench fuzz deps clean
all: kernel user test-data guest-userland

# ---- kernel -----------------------------------------------------------
KERNEL_C := $(wildcard kernel/*.c kernel/arch/x86_64/*.c)
KERNEL_S := $(wildcard kernel/arch/x86_64/*.S)
LIB_C    := $(wildcard lib/*.c)
KERNEL_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C)) $(patsubst %.S,$(BUILD)/%.o,$(KERNEL_S)) \
	$(patsubst lib/%.c,$(BUILD)/kernel/lib/%.o,$(LIB_C))
KERNEL_LD := kernel/arch/x86_64/kernel.ld
HEADERS  := $(wildcard include/pecan/*.h lib/*.h kernel/*.h kernel/arch/x86_64/*.h)

kernel: $(BUILD)/kernel/pecan.bin $(BUILD)/kernel/pecan.elf

$(BUILD)/kernel/%.o: kernel/%.c $(HEADERS)
	@mkdir -p $(@D)
	@echo '  CC      $<'
	@$(CC) $(KERNEL_CFLAGS) -c -o $@ $<
$(BUILD)/kernel/%.o: kernel/%.S $(HEADERS)
	@mkdir -p $(@D)
	@echo '  CC      $<'
	@$(CC) $(KERNEL_CFLAGS) -c -o $@ $<
$(BUILD)/kernel/lib/%.o: lib/%.c $(HEADERS)
	@mkdir -p $(@D)
	@echo '  CC      $<'
	@$(CC) $(KERNEL_CFLAGS) -c -o $@ $<

# Two links: the first gives the addresses for the symbol table that the
# second links in (after .text and .rodata, so no function moves).
$(BUILD)/kernel/pecan.elf: $(KERNEL_OBJ) $(KERNEL_LD) tools/gen-ksyms.sh
	@echo '  LD      $@'
	@mkdir -p $(BUILD)/kernel/gen
	@tools/gen-ksyms.sh - $(BUILD)/kernel/gen/ksyms_empty.S
	@$(CC) $(KERNEL_CFLAGS) -c -o $(BUILD)/kernel/gen/ksyms_empty.o $(BUILD)/kernel/gen/ksyms_empty.S
	@$(LD) -n -z max-page-size=4096 --no-warn-rwx-segments -T $(KERNEL_LD) -o $(BUILD)/kernel/pecan.pass1.elf $(KERNEL_OBJ) $(BUILD)/kernel/gen/ksyms_empty.o
	@tools/gen-ksyms.sh $(BUILD)/kernel/pecan.pass1.elf $(BUILD)/kernel/gen/ksyms_table.S
	@$(CC) $(KERNEL_CFLAGS) -c -o $(BUILD)/kernel/gen/ksyms_table.o $(BUILD)/kernel/gen/ksyms_table.S
	@$(LD) -n -z max-page-size=4096 --no-warn-rwx-segments -T $(KERNEL_LD) -o $@ $(KERNEL_OBJ) $(BUILD)/kernel/gen/ksyms_table.o
	@nm -n $(BUILD)/kernel/pecan.pass1.elf | grep ' [tT] ' > $(BUILD)/kernel/text1.sym
	@nm -n $@ | grep ' [tT] ' > $(BUILD)/kernel/text2.sym
	@cmp -s $(BUILD)/kernel/text1.sym $(BUILD)/kernel/text2.sym || \
		{ echo "error: kernel text moved between the two links; the symbol table would be wrong" >&2; exit 1; }

# QEMU's multiboot loader takes no ELF64: boot a flat image whose multiboot
# header carries the load addresses (the a.out kludge); keep pecan.elf for gdb.
$(BUILD)/kernel/pecan.bin: $(BUILD)/kernel/pecan.elf
	@echo '  OBJCOPY $@'
	@$(OBJCOPY) -O binary $< $@

# ---- user programs ------------------------------------------------------
ULIB_C   := $(wildcard user/lib/l4/*.c user/lib/c/*.c user/lib/re/*.c)
ULIB_S   := $(wildcard user/lib/c/arch/x86_64/*.S)
ULIB_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(ULIB_C)) $(patsubst lib/%.c,$(BUILD)/user/lib/shared/%.o,$(LIB_C))
CRT0     := $(BUILD)/user/lib/c/arch/x86_64/crt0.o
UHEADERS := $(wildcard include/pecan/*.h include/pecan/rt/*.h lib/*.h user/lib/l4/*.h user/lib/l4/arch/x86_64/*.h user/lib/c/*.h) \
	$(wildcard user/lib/re/include/l4/re/*.h user/lib/re/include/l4/re/c/*.h user/*/*.h)

# Every program: user/<prog>/*.c, or user/tests/<prog>.c for single-file tests.
USER_PROGS := $(notdir $(filter-out user/lib user/tests,$(wildcard user/*)))
TEST_PROGS := $(basename $(notdir $(wildcard user/tests/*.c)))
USER_BINS := $(addprefix $(BUILD)/user/bin/,$(USER_PROGS) $(TEST_PROGS))

user: $(USER_BINS)

$(BUILD)/user/%.o: user/%.c $(UHEADERS)
	@mkdir -p $(@D)
	@echo '  CC      $<'
	@$(CC) $(USER_CFLAGS) -c -o $@ $<
$(BUILD)/user/%.o: user/%.S
	@mkdir -p $(@D)
	@echo '  CC      $<'
	@$(CC) $(USER_CFLAGS) -c -o $@ $<
$(BUILD)/user/lib/shared/%.o: lib/%.c $(UHEADERS)
	@mkdir -p $(@D)
	@echo '  CC      $<'
	@$(CC) $(USER_CFLAGS) -c -o $@ $<
$(BUILD)/user/lib/libc.a: $(ULIB_OBJ)
	@rm -f $@
	@echo '  AR      $@'
	@ar rcs $@ $^

define user_program
$(BUILD)/user/bin/$(1): $(patsubst %.c,$(BUILD)/%.o,$(2)) $(CRT0) $(BUILD)/user/lib/libc.a
	@mkdir -p $$(@D)
	@echo '  LD      $$@'
	@$(CC) $(USER_LDFLAGS) -o $$@ $(CRT0) $(patsubst %.c,$(BUILD)/%.o,$(2)) $(BUILD)/user/lib/libc.a -lgcc
endef
$(foreach p,$(USER_PROGS),$(eval $(call user_program,$(p),$(wildcard user/$(p)/*.c))))
$(foreach p,$(TEST_PROGS),$(eval $(call user_program,$(p),user/tests/$(p).c)))

# ---- lx, the guest kernel: a launched program built from guest/ ----------
LX_C   := $(wildcard guest/*.c guest/fs/*.c)
LX_S   := $(wildcard guest/*.S)
LX_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(LX_C)) $(patsubst %.S,$(BUILD)/%.o,$(LX_S))
$(BUILD)/guest/%.o: guest/%.c $(UHEADERS) $(wildcard guest/*.h guest/fs/*.h)
	@mkdir -p $(@D)
	@echo '  CC      $<'
	@$(CC) $(USER_CFLAGS) -Iguest -c -o $@ $<
$(BUILD)/guest/%.o: guest/%.S
	@mkdir -p $(@D)
	@$(CC) $(USER_CFLAGS) -c -o $@ $<
# the realtime clock starts at the last commit's time (guest/sys_misc.c: lx has no RTC)
LX_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null)
$(BUILD)/guest/sys_misc.o: USER_CFLAGS += $(if $(LX_EPOCH),-DLX_EPOCH=$(LX_EPOCH))
$(BUILD)/user/bin/lx: $(LX_OBJ) $(CRT0) $(BUILD)/user/lib/libc.a
	@mkdir -p $(@D)
	@echo '  LD      $@'
	@$(CC) $(USER_LDFLAGS) -o $@ $(CRT0) $(LX_OBJ) $(BUILD)/user/lib/libc.a -lgcc
user: $(BUILD)/user/bin/lx

# ---- test data: files of tests/data become boot modules in build/tests ----
TEST_DATA := $(patsubst tests/data/%,$(BUILD)/tests/%,$(filter-out tests/data/cfg,$(wildcard tests/data/*))) \
	$(patsubst tests/data/cfg/%,$(BUILD)/tests/%,$(wildcard tests/data/cfg/*.cfg))
.PHONY: test-data
test-data: $(BUILD)/tests/truncated.elf $(TEST_DATA)
$(BUILD)/tests/truncated.elf: $(BUILD)/user/bin/hello
	@mkdir -p $(@D)
	@head -c 100 $< > $@
$(BUILD)/tests/%: tests/data/%
	@mkdir -p $(@D)
	@cp $< $@
$(BUILD)/tests/%.cfg: tests/data/cfg/%.cfg
	@mkdir -p $(@D)
	@cp $< $@

# ---- the guest's userland: busybox, test programs, the initramfs ----------
include guest/guest.mk

# ---- host unit tests ----------------------------------------------------
include tests/unit/unit.mk

# ---- running and testing ------------------------------------------------
deps:
	@tools/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@$(PYTHON) tools/pecan-qemu $(DEFAULT_SCENARIO)

qemu: deps
	@$(MAKE) --no-print-directory all
	@$(PYTHON) tools/pecan-qemu $(if $(GDB),--gdb) $(if $(MODULES),--modules "$(MODULES)") \
		$(if $(LX_ARGS),--lx-args "$(LX_ARGS)") $(E)

check: deps
	@$(MAKE) --no-print-directory all unit-tests
	@$(PYTHON) tools/check.py

bench: deps
	@$(MAKE) --no-print-directory all
	@tools/get-linux.sh $(BUILD)
	@$(PYTHON) tools/bench.py

# a million random system calls against lx (docs/fuzzing.md)
fuzz: deps
	@$(MAKE) --no-print-directory all
	@$(PYTHON) tests/system/fuzz_cases.py

clean:
	rm -rf $(BUILD)
