# vrfd: GNU make. `make`, `make check`, `make SAN=1`, `make CC=clang`,
# `make install PREFIX=/usr/local DESTDIR=...`.

CC	?= cc
PREFIX	?= /usr/local
BINDIR	 = $(PREFIX)/bin
SBINDIR	 = $(PREFIX)/sbin
MANDIR	 = $(PREFIX)/share/man
DOCDIR	 = $(PREFIX)/share/doc/vrfd
SYSCONFDIR ?= /etc
UNITDIR	?= $(PREFIX)/lib/systemd/system
VERSION	 = 0.1.0

PKGS	 = libmnl yaml-0.1 json-c
# Debian 12's libev-dev ships no libev.pc: fall back to plain -lev.
EV_CFLAGS := $(shell pkg-config --cflags libev 2>/dev/null)
EV_LIBS	:= $(shell pkg-config --libs libev 2>/dev/null || echo -lev)
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS := $(shell pkg-config --libs $(PKGS))

WARN	 = -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wformat=2 -Wvla
ifeq ($(WERROR),1)
WARN	+= -Werror
endif
CFLAGS	?= -O2 -g
ifeq ($(SAN),1)
CFLAGS	+= -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=undefined
LDFLAGS	+= -fsanitize=address,undefined
endif
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) -D_GNU_SOURCE \
	   -DVRFD_VERSION='"$(VERSION)"' -Ivrfd -Itests/unit $(PKG_CFLAGS) $(EV_CFLAGS)
LIBS	 = $(PKG_LIBS) $(EV_LIBS) -lpthread

# Objects live under build/; a change of compiler or flags rebuilds them.
B	 = build
# The layers, one folder each: the core library (indexes all share,
# topology, kernel access, engine), the wire format both ends share, the
# daemon, the command line.
LIB_SRC	 = $(sort $(wildcard vrfd/util/*.c vrfd/topo/*.c vrfd/kernel/*.c \
	   vrfd/engine/*.c))
LIB_OBJ	 = $(LIB_SRC:%.c=$(B)/%.o)
PROTO_SRC = $(sort $(wildcard vrfd/proto/*.c))
PROTO_OBJ = $(PROTO_SRC:%.c=$(B)/%.o)
DAEMON_SRC = $(sort $(wildcard vrfd/daemon/*.c))
DAEMON_OBJ = $(DAEMON_SRC:%.c=$(B)/%.o)
CLI_SRC	 = $(sort $(wildcard cli/*.c))
CLI_OBJ	 = $(CLI_SRC:%.c=$(B)/%.o)
TEST_SRC = $(sort $(wildcard tests/unit/test_*.c))
TEST_BIN = $(TEST_SRC:tests/unit/%.c=$(B)/tests/%)
LIBVRFD	 = $(B)/libvrfd.a
LIBPROTO = $(B)/libvrfdproto.a

all: vrfd/vrfd cli/vrfctl

$(B)/flags: FORCE
	@mkdir -p $(B)
	@echo '$(CC) $(ALL_CFLAGS) $(LDFLAGS)' | cmp -s - $@ || \
	    echo '$(CC) $(ALL_CFLAGS) $(LDFLAGS)' > $@

$(B)/%.o: %.c $(B)/flags
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBVRFD): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(LIBPROTO): $(PROTO_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/bin/vrfd: $(DAEMON_OBJ) $(LIBPROTO) $(LIBVRFD)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(B)/bin/vrfctl: $(CLI_OBJ) $(LIBPROTO) $(LIBVRFD)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# Renamed into place: a vrfd running from the tree keeps its binary.
vrfd/vrfd: $(B)/bin/vrfd
	cp $< $@.new && mv -f $@.new $@

cli/vrfctl: $(B)/bin/vrfctl
	cp $< $@.new && mv -f $@.new $@

# The daemon and CLI with ASan and UBSan beside the normal build, for the
# namespace test that runs vrfd under the sanitizers.
asan:
	$(MAKE) B=build/asan SAN=1 build/asan/bin/vrfd build/asan/bin/vrfctl

# Unit tests link the daemon's objects too (nscache, watch_event, ...),
# but never its main().
$(B)/tests/%: $(B)/tests/unit/%.o $(B)/tests/unit/proto_check.o $(filter-out $(B)/vrfd/daemon/main.o,$(DAEMON_OBJ)) $(LIBPROTO) $(LIBVRFD)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# test_diff makes allocations fail one by one (tests/unit/fault.h).
FAULT_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc \
	-Wl,--wrap=reallocarray,--wrap=strdup,--wrap=strndup \
	-Wl,--wrap=asprintf,--wrap=vasprintf,--wrap=open_memstream
$(B)/tests/test_diff: $(B)/tests/unit/test_diff.o $(B)/tests/unit/fault.o \
    $(LIBPROTO) $(LIBVRFD)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $(FAULT_WRAP) -o $@ $^ $(LIBS)

# Programs that namespace tests drive (they need root: run by tests/run).
$(B)/tests/nl_smoke: $(B)/tests/netns/nl_smoke.o $(LIBVRFD)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) -lpthread

$(B)/tests/addr_proto: $(B)/tests/netns/addr_proto.o $(LIBVRFD)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# watch.c with no daemon around it: the log and the watch only.
$(B)/tests/watch_ends: $(B)/tests/netns/watch_ends.o $(B)/vrfd/daemon/watch.o \
    $(B)/vrfd/daemon/watch_event.o $(B)/vrfd/daemon/log.o $(LIBVRFD)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

tests: $(TEST_BIN) $(B)/tests/nl_smoke $(B)/tests/addr_proto \
    $(B)/tests/watch_ends bench/floor

# Every test: unit tests, the shipped examples, and the namespace tests
# (which need root and run each in a private sandbox).
check: all tests asan
	@tests/run all

check-unit: all tests
	@tests/run unit

check-netns: all
	@tests/run netns

# The loader's fuzz target (libFuzzer; needs clang).
fuzz: $(B)/fuzz_topo
$(B)/fuzz_topo: tests/fuzz/fuzz_topo.c $(wildcard vrfd/util/*.[ch] vrfd/topo/*.[ch]) \
    vrfd/proto/report_json.c vrfd/proto/jsonget.c vrfd/engine/report.c
	@mkdir -p $(dir $@)
	clang -std=gnu11 -g -O1 -D_GNU_SOURCE -Ivrfd $(PKG_CFLAGS) \
	    -fsanitize=fuzzer,address,undefined -o $@ tests/fuzz/fuzz_topo.c \
	    $(wildcard vrfd/util/*.c vrfd/topo/*.c) vrfd/proto/report_json.c \
	    vrfd/proto/jsonget.c vrfd/engine/report.c $(PKG_LIBS)

lint-man:
	mandoc -Tlint -Wwarning vrfd/daemon/vrfd.8 cli/vrfctl.8 topology/vrf-topology.5 \
	    conf/vrfd.conf.5

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(DOCDIR)/examples \
	    $(DESTDIR)$(SYSCONFDIR)/vrfd \
	    $(DESTDIR)$(SYSCONFDIR)/iproute2/rt_protos.d
	install -m 0755 vrfd/vrfd $(DESTDIR)$(SBINDIR)/vrfd
	install -m 0755 cli/vrfctl $(DESTDIR)$(BINDIR)/vrfctl
	install -m 0644 topology/vrf-topology.5 $(DESTDIR)$(MANDIR)/man5/
	for m in vrfd/daemon/vrfd.8 cli/vrfctl.8 conf/vrfd.conf.5; do \
	    install -m 0644 $$m $(DESTDIR)$(MANDIR)/man$${m##*.}/; done
	install -m 0644 topology/*.yaml $(DESTDIR)$(DOCDIR)/examples/
	install -m 0644 docs/tutorial.md docs/how-it-works.md $(DESTDIR)$(DOCDIR)/
	install -m 0644 conf/rt_protos.d/vrfd.conf \
	    $(DESTDIR)$(SYSCONFDIR)/iproute2/rt_protos.d/vrfd.conf
	install -m 0644 conf/vrfd.conf $(DESTDIR)$(SYSCONFDIR)/vrfd/vrfd.conf
	install -d $(DESTDIR)$(UNITDIR)
	sed 's|/usr/local/sbin/vrfd|$(SBINDIR)/vrfd|' conf/vrfd.service \
	    > $(DESTDIR)$(UNITDIR)/vrfd.service

clean:
	rm -rf $(B) vrfd/vrfd cli/vrfctl bench/floor

bench: all bench/floor
	bench/run

# The benchmark's floor: a plan's kernel work with nothing else.
# It reads a namespace's mark by vrfd's one rule (kernel/own.c).
bench/floor: bench/floor.c vrfd/kernel/own.c vrfd/kernel/own.h $(B)/flags
	$(CC) $(ALL_CFLAGS) -pthread $(LDFLAGS) -o $@ bench/floor.c \
	    vrfd/kernel/own.c $(shell pkg-config --libs libmnl)

# docs/tutorial.md from docs/tutorial.in.md: every command run again, as
# root, in a fresh tests/netns/sandbox (t_tutorial compares it in make
# check).
tutorial: all
	python3 docs/tutorial.py --write

.PHONY: all asan bench check check-unit check-netns tests fuzz lint-man install clean tutorial FORCE
-include $(shell find $(B) -name '*.d' 2>/dev/null)
