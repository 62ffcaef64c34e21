# SPDX-License-Identifier: BSD-2-Clause
#
# Top-level build.  Everything is built under $(O) (default obj/, or
# obj-san/ when SANITIZE is set); the source tree is written only by
# `make regen`, whose output is committed.
#
#   make [-j2]            libraries, programs and tests
#   make check            run every test with Kyua
#   make demo             the main job on a built-in default input
#   make bench            run the benchmarks
#   make install PREFIX=/usr/local [DESTDIR=...]
#   make regen            regenerate the system call files from syscalls.master
#   make clean
#
#   SANITIZE=address,undefined   build and test with the sanitizers

SANITIZE ?=
ifeq ($(SANITIZE),)
O ?= obj
else
O ?= obj-san
endif
PREFIX ?= /usr/local
DESTDIR ?=
LIBDIR ?= $(PREFIX)/lib
INCDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
BINDIR ?= $(PREFIX)/bin

CC ?= cc
LD ?= ld
AR ?= ar
NM ?= nm
OBJCOPY ?= objcopy
KYUA ?= kyua

OPT ?= -O2 -g
WARN := -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	-Wmissing-prototypes -Wstrict-prototypes

ifneq ($(SANITIZE),)
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
endif

# Kernel code: freestanding, sees only headers from sys/.
# DIAGNOSTIC turns on KASSERT and the allocator's size checks.
DIAGNOSTIC ?= 1
KCPPFLAGS := -D_KERNEL -nostdinc -Isys -Isys/rump/include
ifeq ($(DIAGNOSTIC),1)
KCPPFLAGS += -DDIAGNOSTIC
endif
KCFLAGS := -std=gnu11 -ffreestanding -fno-common -fno-stack-protector \
	-fPIC -fno-strict-aliasing -fno-delete-null-pointer-checks \
	-fno-plt $(OPT) $(WARN) $(SANFLAGS)

# Host code: libraries, programs and tests.
HCPPFLAGS := -D_GNU_SOURCE -Isys/rump/include
HCFLAGS := -std=gnu11 -fPIC -pthread $(OPT) $(WARN) $(SANFLAGS)
HLDFLAGS := -pthread $(SANFLAGS)

LIBOUT := $(O)/lib
BINOUT := $(O)/bin
TESTOUT := $(O)/tests
# Run paths.  Programs look in ../lib beside their folder first, which is
# $(O)/lib in the build tree and $(LIBDIR) once installed, then in the
# build tree's lib (for tests and examples, which sit deeper).  Shared
# libraries look beside themselves.  These are recursive variables, and
# macros use them as $$(RPATH), so that make never reads $ORIGIN.
DOLLAR := $$
RPATH = -Wl,--disable-new-dtags,-rpath,'$(DOLLAR)ORIGIN/../lib:$(abspath $(LIBOUT))'
LIBRPATH = -Wl,--disable-new-dtags,-rpath,'$(DOLLAR)ORIGIN'

# Keep every object, also those only used to link one program, so that a
# second make finds nothing to do.
.SECONDARY:

.PHONY: all check demo bench install installcheck clean regen libs tests \
	programs deps
all: libs programs tests

# Missing Debian packages are installed when run as root.
deps:
	@sh mk/deps.sh

# ---------------------------------------------------------------------
# Object rules: $(O)/k/ holds kernel objects, $(O)/h/ host objects.

$(O)/k/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(KCPPFLAGS) $(KCFLAGS) -MMD -MP -c -o $@ $<

$(O)/h/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HCPPFLAGS) $(HCFLAGS) $(CPPFLAGS_$(firstword $(subst /, ,$*))) \
		$(CPPFLAGS_$(subst /,_,$(patsubst %/,%,$(dir $*)))) \
		-MMD -MP -c -o $@ $<

# Extra flags by first folder (CPPFLAGS_tests) or by whole folder
# (CPPFLAGS_lib_librumpuser).
CPPFLAGS_lib_librumpuser := -DLIBRUMPUSER
CPPFLAGS_tests := -Itests

# ---------------------------------------------------------------------
# Kernel libraries.  $(call kernlib,NAME,SOURCES,NEEDED) makes
# lib$(NAME).a and lib$(NAME).so from one relocatable object whose
# symbols have been moved to the rumpns_ namespace.

define kernlib
$(1)_OBJS := $$(patsubst %.c,$(O)/k/%.o,$(2))
-include $$($(1)_OBJS:.o=.d)
$(LIBOUT)/lib$(1).o: $$($(1)_OBJS) mk/rename.sh
	@mkdir -p $$(@D)
	$(LD) -r -o $$@.tmp $$($(1)_OBJS)
	NM=$(NM) OBJCOPY=$(OBJCOPY) sh mk/rename.sh $$@.tmp $$@
	@rm -f $$@.tmp
$(LIBOUT)/lib$(1).a: $(LIBOUT)/lib$(1).o
	rm -f $$@
	$(AR) rcs $$@ $$<
$(LIBOUT)/lib$(1).so.0: $(LIBOUT)/lib$(1).o $(foreach n,$(3),$(LIBOUT)/lib$(n).so)
	$(CC) -shared -nostdlib -Wl,-Bsymbolic-functions \
		-Wl,-soname,lib$(1).so.0 -o $$@ $$< \
		-L$(LIBOUT) $(foreach n,$(3),-l$(n)) $(SANFLAGS)
$(LIBOUT)/lib$(1).so: $(LIBOUT)/lib$(1).so.0
	ln -sf lib$(1).so.0 $$@
KERNLIBS += $(1)
endef

# Host libraries.  $(call hostlib,NAME,SOURCES,LDLIBS)
define hostlib
$(1)_OBJS := $$(patsubst %.c,$(O)/h/%.o,$(2))
-include $$($(1)_OBJS:.o=.d)
$(LIBOUT)/lib$(1).a: $$($(1)_OBJS)
	@mkdir -p $$(@D)
	rm -f $$@
	$(AR) rcs $$@ $$^
$(LIBOUT)/lib$(1).so.0: $$($(1)_OBJS)
	@mkdir -p $$(@D)
	$(CC) -shared -Wl,-soname,lib$(1).so.0 -o $$@ $$^ $(HLDFLAGS) $(3)
$(LIBOUT)/lib$(1).so: $(LIBOUT)/lib$(1).so.0
	ln -sf lib$(1).so.0 $$@
HOSTLIBS += $(1)
endef

RUMPUSER_SRCS := $(wildcard lib/librumpuser/*.c)
$(eval $(call hostlib,rumpuser,$(RUMPUSER_SRCS),-ldl))

# librump: the kernel base.  File system, network and device code in
# sys/kern belongs to the factions and is kept out of it.
RUMP_SRCS := $(filter-out sys/kern/vfs_% sys/kern/uipc_%,\
	$(wildcard sys/kern/*.c)) \
	$(wildcard sys/lib/libkern/*.c) \
	$(wildcard sys/rump/librump/rumpkern/*.c)
$(eval $(call kernlib,rump,$(RUMP_SRCS),rumpuser))

# librumpvfs: the VFS faction.  The VFS code of sys/kern, the file
# systems that live in the faction (rumpfs, etfs) and its glue.
RUMPVFS_SRCS := $(wildcard sys/kern/vfs_*.c) \
	$(wildcard sys/dev/disk/*.c) \
	$(wildcard sys/rump/librump/rumpvfs/*.c)
ifneq ($(strip $(RUMPVFS_SRCS)),)
$(eval $(call kernlib,rumpvfs,$(RUMPVFS_SRCS),rump))
endif

# File system components: the driver in sys/fs/NAME and its glue in
# sys/rump/fs/lib/libNAME.
EXT2FS_SRCS := $(wildcard sys/fs/ext2fs/*.c) \
	$(wildcard sys/rump/fs/lib/libext2fs/*.c)
ifneq ($(strip $(EXT2FS_SRCS)),)
$(eval $(call kernlib,rumpfs_ext2fs,$(EXT2FS_SRCS),rumpvfs rump))
endif

# Kernel components that exist only for the tests.
TESTCOMP_SRCS := $(wildcard tests/kern/kcomp/*.c)
ifneq ($(TESTCOMP_SRCS),)
$(eval $(call kernlib,rumptestcomp,$(TESTCOMP_SRCS),rump))
endif
# Kernel-side helpers of the VFS tests (buffer cache), apart from
# librumptestcomp because that one registers components of its own.
VFSTESTCOMP_SRCS := $(wildcard tests/vfs/kcomp/*.c)
ifneq ($(VFSTESTCOMP_SRCS),)
$(eval $(call kernlib,rumptestvfs,$(VFSTESTCOMP_SRCS),rumpvfs rump))
endif

# libukfs: file system images through rump system calls.
UKFS_SRCS := $(wildcard lib/libukfs/*.c)
ifneq ($(strip $(UKFS_SRCS)),)
$(eval $(call hostlib,ukfs,$(UKFS_SRCS),-L$(LIBOUT) -lrumpvfs -lrump -lrumpuser))
$(LIBOUT)/libukfs.so.0: $(LIBOUT)/librumpvfs.so $(LIBOUT)/librump.so \
	$(LIBOUT)/librumpuser.so
endif

# librumpclient: remote system calls.  The generated rump_sys_* stubs
# are built a second time, with RUMP_CLIENT, from lib/librumpclient/stubs.
RUMPCLIENT_SRCS := $(wildcard lib/librumpclient/*.c) \
	$(wildcard lib/librumpclient/stubs/*.c)
CPPFLAGS_lib_librumpclient_stubs := -nostdinc -Isys -DRUMP_CLIENT
$(eval $(call hostlib,rumpclient,$(RUMPCLIENT_SRCS),))

# librumphijack: the LD_PRELOAD library.  It finds librumpclient through
# its run path, as programs started with LD_PRELOAD name only the library.
RUMPHIJACK_SRCS := $(wildcard lib/librumphijack/*.c)
ifneq ($(strip $(RUMPHIJACK_SRCS)),)
$(eval $(call hostlib,rumphijack,$(RUMPHIJACK_SRCS),-L$(LIBOUT) $$(LIBRPATH) -lrumpclient -ldl))
$(LIBOUT)/librumphijack.so.0: $(LIBOUT)/librumpclient.so
endif

LIB_TARGETS := $(foreach l,$(KERNLIBS) $(HOSTLIBS),\
	$(LIBOUT)/lib$(l).a $(LIBOUT)/lib$(l).so)
libs: $(LIB_TARGETS)

# pkg-config files are written by make install, for its PREFIX.

# ---------------------------------------------------------------------
# Programs: one folder per program under usr.bin/, linked with the
# libraries named in its LIBS file (one -l flag per line).

PROGRAMS := $(notdir $(wildcard usr.bin/*))
define program
$(1)_OBJS := $$(patsubst %.c,$(O)/h/%.o,$$(wildcard usr.bin/$(1)/*.c))
-include $$($(1)_OBJS:.o=.d)
$(BINOUT)/$(1): $$($(1)_OBJS) usr.bin/$(1)/LIBS $(LIB_TARGETS)
	@mkdir -p $$(@D)
	$(CC) -o $$@ $$($(1)_OBJS) $(HLDFLAGS) -L$(LIBOUT) $$(RPATH) \
		$$(shell cat usr.bin/$(1)/LIBS) -lpthread -ldl
endef
$(foreach p,$(PROGRAMS),$(eval $(call program,$(p))))
programs: $(addprefix $(BINOUT)/,$(PROGRAMS))

# Examples: each share/examples/rump/NAME.c is a program linked with the
# kernel base, or with the libraries in NAME.libs when that file exists.

EXAMPLES := $(patsubst share/examples/rump/%.c,$(O)/examples/%,\
	$(wildcard share/examples/rump/*.c))
-include $(patsubst %.c,$(O)/h/%.d,$(wildcard share/examples/rump/*.c))
$(O)/examples/%: $(O)/h/share/examples/rump/%.o $(LIB_TARGETS)
	@mkdir -p $(@D)
	$(CC) -o $@ $< $(HLDFLAGS) -L$(LIBOUT) $(RPATH) \
		$(shell cat share/examples/rump/$*.libs 2>/dev/null || \
		echo -lrump -lrumpuser) -lpthread -ldl
programs: $(EXAMPLES)

# Benchmarks: each bench/NAME.c is a program like the examples, linked
# with the libraries in bench/NAME.libs when that file exists.
BENCHES := $(patsubst bench/%.c,$(O)/bench/%,$(wildcard bench/*.c))
-include $(patsubst %.c,$(O)/h/%.d,$(wildcard bench/*.c))
$(O)/bench/%: $(O)/h/bench/%.o $(LIB_TARGETS)
	@mkdir -p $(@D)
	$(CC) -o $@ $< $(HLDFLAGS) -L$(LIBOUT) $(RPATH) \
		$(shell cat bench/$*.libs 2>/dev/null || echo -lrump -lrumpuser) \
		-lpthread -ldl
programs: $(BENCHES)

# ---------------------------------------------------------------------
# Tests: tests/DIR/t_NAME.c becomes a test program linked with the
# libraries in tests/DIR/LIBS; t_NAME.sh scripts are copied; Kyuafiles
# are copied beside them.

TEST_DIRS := tests/* tests/*/*
TEST_C := $(wildcard $(addsuffix /t_*.c,$(TEST_DIRS)))
TEST_SH := $(wildcard $(addsuffix /t_*.sh,$(TEST_DIRS)))
TEST_HELPERS_C := $(wildcard $(addsuffix /h_*.c,$(TEST_DIRS)))
TEST_KYUAFILES := tests/Kyuafile $(wildcard $(addsuffix /Kyuafile,$(TEST_DIRS)))
TEST_BINS := $(patsubst tests/%.c,$(TESTOUT)/%,$(TEST_C) $(TEST_HELPERS_C))
TEST_SCRIPTS := $(patsubst tests/%.sh,$(TESTOUT)/%,$(TEST_SH))
TEST_FILES := $(patsubst tests/%,$(TESTOUT)/%,$(TEST_KYUAFILES))

-include $(patsubst %.c,$(O)/h/%.d,$(TEST_C) $(TEST_HELPERS_C))

.SECONDEXPANSION:
$(TESTOUT)/%: $(O)/h/tests/%.o $$(dir tests/%)LIBS $(LIB_TARGETS)
	@mkdir -p $(@D)
	$(CC) -o $@ $< $(HLDFLAGS) -L$(LIBOUT) $(RPATH) \
		$(shell cat $(dir tests/$*)LIBS) -latf-c -lpthread -ldl

$(TESTOUT)/%: tests/%.sh
	@mkdir -p $(@D)
	cp $< $@
	chmod +x $@

$(TESTOUT)/Kyuafile: tests/Kyuafile
	@mkdir -p $(@D)
	cp $< $@

$(TESTOUT)/%/Kyuafile: tests/%/Kyuafile
	@mkdir -p $(@D)
	cp $< $@

tests: $(TEST_BINS) $(TEST_SCRIPTS) $(TEST_FILES)

# The link test also runs statically linked, as far as the toolchain
# allows: the sanitizer runtimes cannot be linked statically.
ifeq ($(SANITIZE),)
$(TESTOUT)/kern/h_link_static: $(O)/h/tests/kern/h_link.o $(LIB_TARGETS)
	$(CC) -static -o $@ $< -L$(LIBOUT) -lrump -lrumpuser -lpthread -ldl \
		2>$@.log || (cat $@.log; exit 1)
tests: $(TESTOUT)/kern/h_link_static
endif

# Fuzz targets (clang libFuzzer), when mk/fuzz.mk exists.
-include mk/fuzz.mk

check: deps
	@$(MAKE) --no-print-directory all
	sh mk/check.sh $(O)

# ---------------------------------------------------------------------

demo: deps
	@$(MAKE) --no-print-directory all
	sh mk/demo.sh $(O)

bench: deps
	@$(MAKE) --no-print-directory all
	sh bench/run.sh $(O)

regen:
	sh sys/rump/makerumpsyscalls.sh sys/kern/syscalls.master

INSTALL_HEADERS := $(wildcard sys/rump/include/rump/*.h)
MANPAGES := $(wildcard doc/*.[1-9])

install: libs programs
	install -d $(DESTDIR)$(INCDIR)/rump $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(BINDIR)
	install -m 644 $(INSTALL_HEADERS) $(DESTDIR)$(INCDIR)/rump/
	for l in $(KERNLIBS) $(HOSTLIBS); do \
		case $$l in rumptest*) continue;; esac; \
		install -m 644 $(LIBOUT)/lib$$l.a $(DESTDIR)$(LIBDIR)/ && \
		install -m 755 $(LIBOUT)/lib$$l.so.0 $(DESTDIR)$(LIBDIR)/ && \
		ln -sf lib$$l.so.0 $(DESTDIR)$(LIBDIR)/lib$$l.so || exit 1; \
	done
	for pc in mk/*.pc.in; do \
		n=$${pc##*/}; \
		sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
			-e 's|@INCDIR@|$(INCDIR)|g' $$pc \
			> $(DESTDIR)$(LIBDIR)/pkgconfig/$${n%.in} || exit 1; \
	done
	for p in $(PROGRAMS); do \
		install -m 755 $(BINOUT)/$$p $(DESTDIR)$(BINDIR)/ || exit 1; \
	done
	for m in $(MANPAGES); do \
		s=$${m##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s && \
		install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; \
	done
	ln -sf rump.mount.8 $(DESTDIR)$(MANDIR)/man8/rump.umount.8

installcheck: libs programs
	sh mk/installcheck.sh

clean:
	rm -rf $(O)
