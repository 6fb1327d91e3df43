# sup — build, deps, test, install, demo.
#
#   make            build/supd build/supctl build/suprun
#   make test       every test level (unit + integration under ASan/UBSan, VM, container)
#   make demo       run examples/demo.ini in the foreground (Ctrl-C stops it)
#   make install    PREFIX=/usr/local DESTDIR=
#   make install-compat   also tini, tini-static, docker-init, dumb-init -> supd
#
# Every .c file of a module directory (docs/design.md, "Layers") goes into
# build/libsup.a except the entry points of cmd/; a new file needs no
# Makefile change.

.DEFAULT_GOAL := all

# Parallel by default, one job per CPU (an explicit -jN wins).
ifeq (,$(filter -j%,$(MAKEFLAGS)))
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)
endif

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
SBINDIR  = $(PREFIX)/sbin
MANDIR   = $(PREFIX)/share/man

CC      ?= cc
PKGS     = inih libseccomp libcap
CFLAGS  ?= -O2 -g
WARN     = -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wno-format-truncation
CPPFLAGS += -D_GNU_SOURCE -I.
BASEFLAGS = -std=gnu11 $(WARN) -fstack-protector-strong -fno-common
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lev

MODULES  = common confd pid1 runtime supervisor cmd
MAINS    = cmd/supd.c cmd/supctl.c cmd/suprun.c cmd/multicall.c
LIB_SRC  = $(filter-out $(MAINS),$(foreach m,$(MODULES),$(wildcard $(m)/*.c)))
HEADERS  = $(foreach m,$(MODULES),$(wildcard $(m)/*.h))

# Flavours: build/ (release), build/asan/ (what the tests run), build/static/.
B        = build
A        = build/asan
S        = build/static
ASAN     = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

BINS     = $(B)/supd $(B)/supctl $(B)/suprun
ABINS    = $(A)/supd $(A)/supctl $(A)/suprun

UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(patsubst tests/unit/%.c,$(A)/tests/%,$(UNIT_SRC))

# Small programs the integration tests run as services or probes.
HELPER_SRC = $(wildcard tests/helpers/*.c)
HELPER_BIN = $(patsubst tests/helpers/%.c,$(B)/helpers/%,$(HELPER_SRC))

static: deps $(B)/sup-static

.PHONY: static all deps asan unit test test-unit test-integration test-vm test-container \
        bench helpers demo install install-compat uninstall clean fuzz

all: deps $(BINS)

# Install the -dev packages pkg-config (or the libev header) cannot find.
# Every compile waits for it (order-only), so -j cannot run ahead of it.
deps:
	@missing=""; \
	for p in inih:libinih-dev libseccomp:libseccomp-dev libcap:libcap-dev; do \
	  pkg-config --exists $${p%%:*} 2>/dev/null || missing="$$missing $${p#*:}"; \
	done; \
	[ -f /usr/include/ev.h ] || missing="$$missing libev-dev"; \
	command -v pkg-config >/dev/null || missing="pkg-config $$missing"; \
	if [ -n "$$missing" ]; then \
	  echo "make: installing$$missing (apt-get)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

$(B)/%.o: %.c $(HEADERS) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(BASEFLAGS) $(CFLAGS) $(PKG_CFLAGS) -c -o $@ $<

$(A)/%.o: %.c $(HEADERS) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(BASEFLAGS) $(ASAN) $(PKG_CFLAGS) -c -o $@ $<

# PID 1 of a service's PID namespace and of `supd --` once its command runs:
# a freestanding program of its own (no libc, no loader; runtime/tiny/),
# built once, never with ASan, and
# embedded into libsup by runtime/tiny/image.S. x86_64 and aarch64 only:
# elsewhere the image is empty and the runtime re-execs its own program.
TINY_ARCH   = $(filter x86_64 aarch64,$(firstword $(subst -, ,$(shell $(CC) -dumpmachine))))
TINY_REAPER = $(if $(TINY_ARCH),$(B)/tiny/sup-reaper)
TINY_FLAGS  = -std=gnu11 $(WARN) -Os -nostdlib -static -ffreestanding -fno-stack-protector \
              -fno-builtin -fno-tree-loop-distribute-patterns -fno-pie -no-pie \
              -fno-asynchronous-unwind-tables \
              -Wl,--build-id=none -Wl,-z,noexecstack \
              $(if $(filter x86_64,$(TINY_ARCH)),-fcf-protection=none)
TINY_SRC    = $(wildcard runtime/tiny/*.c)
$(B)/tiny/sup-reaper: $(TINY_SRC) runtime/tiny/sys.h runtime/tiny/tiny.h pid1/pid1.h common/log.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(TINY_FLAGS) -o $@ $(TINY_SRC)
	strip $@
TINY_IMAGE_FLAGS = $(if $(TINY_ARCH),-DTINY_REAPER='"$(TINY_REAPER)"')
$(B)/runtime/tiny/image.o $(A)/runtime/tiny/image.o $(S)/runtime/tiny/image.o: \
                runtime/tiny/image.S $(TINY_REAPER)
	@mkdir -p $(dir $@)
	$(CC) $(TINY_IMAGE_FLAGS) -c -o $@ $<

$(B)/libsup.a: $(patsubst %.c,$(B)/%.o,$(LIB_SRC)) $(B)/runtime/tiny/image.o
	@rm -f $@; ar rcs $@ $^

$(A)/libsup.a: $(patsubst %.c,$(A)/%.o,$(LIB_SRC)) $(A)/runtime/tiny/image.o
	@rm -f $@; ar rcs $@ $^

# supd and suprun link their four libraries in: ld.so then maps and binds
# only libc, so `supd --` keeps no library's data, GOT and link map it does
# not use (figure 1a), and an exec is cheaper: suprun runs once per sandboxed
# command, supd once more as PID 1 of every service's PID namespace. -z now
# leaves no lazy binding to copy-on-write in their children (spawn bench).
LINKED_IN_LIBS = -Wl,-Bstatic $(shell pkg-config --libs-only-l $(PKGS) 2>/dev/null) -lev \
                 -Wl,-Bdynamic -Wl,-z,now -Wl,--gc-sections
$(B)/supd: $(B)/cmd/supd.o $(B)/libsup.a
	$(CC) $(CFLAGS) -o $@ $^ $(LINKED_IN_LIBS)
$(B)/supctl: $(B)/cmd/supctl.o $(B)/libsup.a
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)
$(B)/suprun: $(B)/cmd/suprun.o $(B)/libsup.a
	$(CC) $(CFLAGS) -o $@ $^ $(LINKED_IN_LIBS)

$(A)/supd: $(A)/cmd/supd.o $(A)/libsup.a
	$(CC) $(ASAN) -o $@ $^ $(PKG_LIBS)
$(A)/supctl: $(A)/cmd/supctl.o $(A)/libsup.a
	$(CC) $(ASAN) -o $@ $^ $(PKG_LIBS)
$(A)/suprun: $(A)/cmd/suprun.o $(A)/libsup.a
	$(CC) $(ASAN) -o $@ $^ $(PKG_LIBS)

$(A)/tests/%: tests/unit/%.c tests/unit/check.h $(A)/libsup.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(BASEFLAGS) $(ASAN) $(PKG_CFLAGS) -o $@ $< $(A)/libsup.a $(PKG_LIBS)

$(B)/helpers/%: tests/helpers/%.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(BASEFLAGS) -O2 -g -o $@ $<

# Drivers that run a library module by itself (tests/helpers/*drv.c) link libsup.
$(B)/helpers/%drv: tests/helpers/%drv.c $(B)/libsup.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(BASEFLAGS) -O2 -g $(PKG_CFLAGS) -o $@ $< $(B)/libsup.a $(PKG_LIBS)

asan: deps $(ABINS) $(UNIT_BIN) $(HELPER_BIN)

# Test-only tools (peers to compare with, unshare, runc, qemu...) are
# installed by the suites that need them: tests/lib/deps.sh.
# The static binary too: the compat tests run it under each peer's name,
# and a stale one left from an earlier build would be tested instead.
test: all asan static
	tests/run.sh

test-unit: all asan
	tests/run.sh -l unit
test-integration: all asan static
	tests/run.sh -l integration
test-vm: all asan
	tests/run.sh -l vm
test-container: all asan
	tests/run.sh -l container

# One statically linked multi-call binary (supd, supctl, suprun by argv[0] or
# first argument), for scratch/distroless images, as tini-static is used.
$(S)/%.o: %.c $(HEADERS) | deps
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(BASEFLAGS) -Os -ffunction-sections -fdata-sections $(PKG_CFLAGS) -c -o $@ $<
$(S)/supd_main.o: $(S)/cmd/supd.o
	objcopy --redefine-sym main=supd_main $< $@
$(S)/supctl_main.o: $(S)/cmd/supctl.o
	objcopy --redefine-sym main=supctl_main $< $@
$(S)/suprun_main.o: $(S)/cmd/suprun.o
	objcopy --redefine-sym main=suprun_main $< $@
$(B)/sup-static: $(S)/cmd/multicall.o $(S)/supd_main.o $(S)/supctl_main.o $(S)/suprun_main.o \
                 $(patsubst %.c,$(S)/%.o,$(LIB_SRC)) $(S)/runtime/tiny/image.o
	$(CC) -static -Os -Wl,--gc-sections -o $@ $^ $(PKG_LIBS)
	strip $@

# Test helper programs alone (the benchmarks need them; `asan` builds them too).
helpers: $(HELPER_BIN)

bench: all helpers
	tests/bench/run.sh

demo: all $(B)/helpers/sd_notify
	examples/demo.sh

MAN1     = $(wildcard docs/*.1)
MAN5     = $(wildcard docs/*.5)
MAN8     = $(wildcard docs/*.8)
EXAMPLEDIR = $(PREFIX)/share/doc/sup/examples

DOCDIR   = $(PREFIX)/share/doc/sup

# The examples' demo.ini runs sd_notify (a small READY=1 sender): it is
# installed beside the binaries, with the reference docs.
install: all $(B)/helpers/sd_notify
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	        $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(EXAMPLEDIR)
	install -m 0755 $(B)/helpers/sd_notify $(DESTDIR)$(BINDIR)/sd_notify
	install -m 0644 README.md $(wildcard docs/*.md) $(DESTDIR)$(DOCDIR)/
	install -m 0755 $(B)/supd $(DESTDIR)$(SBINDIR)/supd
	install -m 0755 $(B)/supctl $(DESTDIR)$(BINDIR)/supctl
	install -m 0755 $(B)/suprun $(DESTDIR)$(BINDIR)/suprun
	$(if $(MAN1),install -m 0644 $(MAN1) $(DESTDIR)$(MANDIR)/man1/)
	$(if $(MAN5),install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/)
	$(if $(MAN8),install -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/)
	$(if $(wildcard examples/*.ini),install -m 0644 $(wildcard examples/*.ini) $(DESTDIR)$(EXAMPLEDIR)/)

# The names of tini and dumb-init, as links to supd, which then reads their
# command lines (docs/compat.md). In /usr/bin, where the Debian packages and
# most images put them (tini-static, docker-init: /sbin, /usr/bin alike).
COMPAT_NAMES = tini tini-static docker-init dumb-init
COMPATDIR   ?= /usr/bin
install-compat: install
	install -d $(DESTDIR)$(COMPATDIR)
	for n in $(COMPAT_NAMES); do ln -sf $(SBINDIR)/supd $(DESTDIR)$(COMPATDIR)/$$n; done

uninstall:
	for n in $(COMPAT_NAMES); do \
	  [ "$$(readlink $(DESTDIR)$(COMPATDIR)/$$n)" = $(SBINDIR)/supd ] && rm -f $(DESTDIR)$(COMPATDIR)/$$n; :; done
	rm -f $(DESTDIR)$(SBINDIR)/supd $(DESTDIR)$(BINDIR)/supctl $(DESTDIR)$(BINDIR)/suprun \
	      $(DESTDIR)$(BINDIR)/sd_notify
	rm -rf $(DESTDIR)$(DOCDIR)
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1))) \
	      $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5))) \
	      $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8)))

clean:
	rm -rf build

# The confd fuzzer (libFuzzer; clang builds confd itself with coverage).
FUZZ_CC ?= clang
$(B)/fuzz/fuzz_confd: tests/fuzz/fuzz_confd.c $(wildcard confd/*.c) $(wildcard confd/*.h) $(wildcard common/*.c)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=undefined $(PKG_CFLAGS) -o $@ tests/fuzz/fuzz_confd.c \
	  $(wildcard confd/*.c) $(wildcard common/*.c) $(PKG_LIBS)

fuzz: $(B)/fuzz/fuzz_confd
	tests/fuzz/run.sh $${FUZZ_SECONDS:-60}

# docs/config.md and docs/supd.ini.5 are generated from confd's key table
# and their .in templates; a unit test (test_confd_doc) fails when a
# committed file is stale.
.PHONY: docs
docs: $(A)/tests/test_confd_doc
	$(A)/tests/test_confd_doc --doc > docs/config.md
	$(A)/tests/test_confd_doc --man > docs/supd.ini.5
