# SPDX-License-Identifier: BSD-2-Clause
#
# Fuzz targets with clang's libFuzzer, included by the top Makefile.
#
#   make fuzz [FUZZTIME=30] [FUZZ_TARGETS="ext2fs ext2fs_rw partition sp"]
#   make fuzz-build                  build only
#   obj-fuzz/fuzz/fuzz_NAME FILE...  run inputs once (reproduce a crash)
#
# `make fuzz` builds the libraries in $(FUZZ_O) with clang, coverage
# instrumentation for libFuzzer and the address and undefined-behaviour
# sanitizers, and otherwise the kernel's usual flags (the same Makefile
# rules, run with CC, SANITIZE and WARN set).  Each tests/fuzz/fuzz_NAME.c
# is linked with libFuzzer, gets its seed corpus from
# `tests/fuzz/mkseeds.sh NAME` and runs for FUZZTIME seconds, one target
# after the other.  Inputs that add coverage are kept in
# $(FUZZ_O)/corpus/NAME for the next run.  A crash, a sanitizer report
# or an input that runs longer than FUZZ_TIMEOUT seconds fails the make;
# the input is left in $(FUZZ_O)/crashes/ and the end of the log is
# printed.  A target whose component has no sources yet is skipped with
# a message.

FUZZ_O ?= obj-fuzz
FUZZ_CC ?= clang
FUZZTIME ?= 30
FUZZ_TIMEOUT ?= 10
FUZZ_RSS_MB ?= 2048
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,\
	$(wildcard tests/fuzz/fuzz_*.c))

# -fsanitize=fuzzer-no-link instruments for coverage without linking
# libFuzzer's main into the libraries; the targets link it.
FUZZ_SANITIZE := fuzzer-no-link,address,undefined
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
# Extra warning switches for kernel code compiled by clang (none needed
# with clang 14 so far).
FUZZ_WARN := $(WARN)

# Libraries of each target beyond librump and librumpuser, and the
# sources without which the target is skipped.  --no-as-needed keeps the
# components that the program reaches only through mount(2).
FUZZ_LIBS_ext2fs := -Wl,--push-state,--no-as-needed -lrumpfs_ext2fs \
	-lrumpvfs -Wl,--pop-state
FUZZ_NEEDS_ext2fs := $(EXT2FS_SRCS)
FUZZ_LIBS_ext2fs_rw := $(FUZZ_LIBS_ext2fs)
FUZZ_NEEDS_ext2fs_rw := $(EXT2FS_SRCS)
FUZZ_LIBS_partition := -Wl,--push-state,--no-as-needed -lrumpvfs \
	-Wl,--pop-state
FUZZ_NEEDS_partition := $(wildcard sys/dev/disk/*.c)
# The remote system call server, with the VFS faction for calls on files.
FUZZ_LIBS_sp := -Wl,--push-state,--no-as-needed -lrumpvfs -Wl,--pop-state
FUZZ_NEEDS_sp := $(wildcard lib/librumpuser/rumpuser_sp.c)

FUZZ_READY := $(foreach t,$(FUZZ_TARGETS),\
	$(if $(strip $(FUZZ_NEEDS_$(t))),$(t)))
FUZZ_SKIPPED := $(filter-out $(FUZZ_READY),$(FUZZ_TARGETS))
FUZZ_BINS := $(patsubst %,$(FUZZ_O)/fuzz/fuzz_%,$(FUZZ_READY))
FUZZ_SEEDS := $(patsubst %,$(FUZZ_O)/seeds/%/.made,$(FUZZ_READY))

.PHONY: fuzz fuzz-build fuzz-libs fuzz-bins

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@for t in $(FUZZ_SKIPPED); do \
		echo "fuzz_$$t: skipped, its kernel sources do not exist yet"; \
	done
	@status=0; for t in $(FUZZ_READY); do \
		FUZZ_O=$(FUZZ_O) FUZZTIME=$(FUZZTIME) \
		FUZZ_TIMEOUT=$(FUZZ_TIMEOUT) FUZZ_RSS_MB=$(FUZZ_RSS_MB) \
		sh tests/fuzz/run.sh $$t || status=1; \
	done; exit $$status

fuzz-build: fuzz-libs
	@$(MAKE) --no-print-directory fuzz-bins

# The libraries, by the top Makefile's own rules in $(FUZZ_O).
fuzz-libs:
	@$(MAKE) --no-print-directory O=$(FUZZ_O) CC=$(FUZZ_CC) \
		SANITIZE='$(FUZZ_SANITIZE)' WARN='$(FUZZ_WARN)' libs

fuzz-bins: $(FUZZ_BINS) $(FUZZ_SEEDS)

$(FUZZ_O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/h_fuzzimage.h \
		$(wildcard $(FUZZ_O)/lib/*.so.0)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(HCPPFLAGS) $(FUZZ_CFLAGS) $(WARN) -o $@ $< \
		-L$(FUZZ_O)/lib \
		-Wl,--disable-new-dtags,-rpath,$(abspath $(FUZZ_O)/lib) \
		$(FUZZ_LIBS_$*) -lrump -lrumpuser -lpthread -ldl

$(FUZZ_O)/fuzz/fuzz_sp: lib/librumpuser/sp_proto.h

$(FUZZ_O)/seeds/%/.made: tests/fuzz/mkseeds.sh
	sh tests/fuzz/mkseeds.sh $* $(@D)
	@touch $@
