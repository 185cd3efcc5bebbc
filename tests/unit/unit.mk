# unit.mk - host unit tests for lib/: each tests/unit/test_<name>.c becomes build/host/unit/test_<name>.
# Included by the top-level Makefile, which runs make from the repository root.

UNIT_CC      ?= cc
UNIT_CFLAGS  := -std=gnu11 -g -O1 -Wall -Wextra -Werror \
                -fsanitize=address,undefined -fno-omit-frame-pointer \
                -Ilib -Itests/unit
UNIT_LIB_SRCS := $(wildcard lib/*.c)
UNIT_LIB_HDRS := $(wildcard lib/*.h) tests/unit/unit.h
UNIT_TEST_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_TEST_BINS := $(patsubst tests/unit/%.c,build/host/unit/%,$(UNIT_TEST_SRCS))

.PHONY: unit-tests
unit-tests: $(UNIT_TEST_BINS)

# One compile per binary: the lib sources are few and small, and building
# them with the test keeps host objects apart from kernel objects.
build/host/unit/test_%: tests/unit/test_%.c $(UNIT_LIB_SRCS) $(UNIT_LIB_HDRS) tests/unit/unit.mk
	@mkdir -p $(@D)
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ $< $(UNIT_LIB_SRCS)
