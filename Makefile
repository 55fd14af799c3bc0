# tortie — top-level GNU makefile (non-recursive).
#
# Layout: common/ builds libtortie.a; each process directory builds one
# binary from the file named like it (bgpd/tortied.c holds main()) plus an
# archive of its other files, so that unit tests can link single modules.

PREFIX ?=	/usr/local
SBINDIR ?=	$(PREFIX)/sbin
LIBEXECDIR ?=	$(PREFIX)/libexec/tortie
MANDIR ?=	$(PREFIX)/share/man
SYSCONFDIR ?=	/etc
DESTDIR ?=

CC ?=		cc
PKG_CONFIG ?=	pkg-config

# What every platform needs; the platform section adds its own.
PKGS :=		libevent libevent_openssl yaml-0.1 libssl libcrypto

# ======== Platform section ========
# Everything that differs between operating systems is in this section,
# and everything Linux-specific in its Linux part; the rest of this file
# and every source file not named *_<os>.c is portable to the BSDs (with
# gmake).  regress/integration/portability.t checks that.
#
# PLATFORM is uname -s in lower case; each directory builds its portable
# files and its *_$(PLATFORM).c files (sandbox_linux.c, kr_linux.c, ...),
# never another platform's.  Set it on the command line to see what
# another system would build.
PLATFORM :=	$(shell uname -s | tr A-Z a-z)
PLATFORMS :=	linux freebsd openbsd netbsd dragonfly
PLAT_CFLAGS :=
DEPS_CMD =	@echo "make deps: install the libraries of PKGS by hand"
INSTALL_USER =	@echo "make install: create the user _tortie by hand"

# ======== Linux section: begin ========
ifeq ($(PLATFORM),linux)
# glibc shows pipe2, accept4 and the BSD extensions only with this.
PLAT_CFLAGS :=	-D_GNU_SOURCE
# libbsd brings what the BSDs' libc has (strlcpy, arc4random,
# setproctitle, <sys/tree.h>); seccomp and cap-ng are the sandbox's.
PKGS +=		libbsd-overlay libseccomp libcap-ng
DEPS_CMD =	@sh mk/deps.sh
INSTALL_USER =	if [ -z "$(DESTDIR)" ] && ! getent passwd _tortie \
		    >/dev/null; then useradd --system --no-create-home \
		    --home-dir /nonexistent --shell /usr/sbin/nologin \
		    _tortie; fi
endif
# ======== Linux section: end ========

plat_files =	$(foreach p,$(PLATFORMS),$(wildcard $(1)/*_$(p).c))
srcs_of =	$(filter-out $(call plat_files,$(1)),$(wildcard $(1)/*.c)) \
		$(wildcard $(1)/*_$(PLATFORM).c)
# ======== End of the platform section ========

PKG_CFLAGS :=	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS :=	$(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

WARNS :=	-Wall -Wextra -Werror -Wshadow -Wpointer-arith \
		-Wstrict-prototypes -Wmissing-prototypes -Wformat=2
HARDEN :=	-D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
OPT ?=		-O2 -g
CFLAGS ?=
CFLAGS +=	-std=c11 $(OPT) $(WARNS) $(HARDEN) $(PLAT_CFLAGS) \
		-DLIBEXECDIR=\"$(LIBEXECDIR)\" -Icommon -Ikroute $(PKG_CFLAGS)
LDFLAGS +=	-pie -Wl,-z,relro,-z,now
LDLIBS +=	$(PKG_LIBS) -lm

ifeq ($(SAN),1)
# The sanitizer build is for run-time checks; -O1 makes gcc's truncation
# analysis guess differently from the -O2 build, which stays the judge.
CFLAGS +=	-fsanitize=address,undefined -fno-omit-frame-pointer \
		-fno-sanitize-recover=undefined -Wno-error=format-truncation
LDFLAGS +=	-fsanitize=address,undefined
endif

# COMMON_EXCLUDE leaves files out (e.g. another module's work in progress).
COMMON_EXCLUDE ?=
COMMON_SRCS :=	$(filter-out $(COMMON_EXCLUDE),$(call srcs_of,common))
COMMON_OBJS :=	$(COMMON_SRCS:.c=.o)
LIBTORTIE :=	common/libtortie.a

# dir:binary pairs
PROGS :=	bgpd:tortied sessiond:sessiond ribd:ribd kroute:kroute \
		dsd:dsd ctl:tortiectl
BINS :=		$(foreach p,$(PROGS),$(word 1,$(subst :, ,$(p)))/$(word 2,$(subst :, ,$(p))))
HELPERS :=	sessiond/sessiond ribd/ribd kroute/kroute dsd/dsd

all: $(BINS) unit-tests

$(LIBTORTIE): $(COMMON_OBJS)
	rm -f $@
	ar rcs $@ $^

define prog_rules
$(1)_SRCS :=	$$(call srcs_of,$(1))
$(1)_MAIN :=	$(1)/$(2).o
$(1)_OBJS :=	$$(filter-out $$($(1)_MAIN),$$($(1)_SRCS:.c=.o))
$(1)/lib$(2).a: $$($(1)_OBJS)
	rm -f $$@
	ar rcs $$@ $$^
$(1)/$(2): $$($(1)_MAIN) $(1)/lib$(2).a $(LIBTORTIE)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
PROC_LIBS +=	$(1)/lib$(2).a
ALL_OBJS +=	$$($(1)_SRCS:.c=.o)
endef
$(foreach p,$(PROGS),$(eval $(call prog_rules,$(word 1,$(subst :, ,$(p))),$(word 2,$(subst :, ,$(p))))))

# Unit tests: regress/unit/test_*.c, each one binary, cmocka, linking the
# process archives so that pure parts of a process can be tested alone.
UNIT_SRCS :=	$(wildcard regress/unit/test_*.c)
UNIT_BINS :=	$(UNIT_SRCS:.c=)
CMOCKA_LIBS :=	$(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)

unit-tests: $(UNIT_BINS)

regress/unit/%: regress/unit/%.o $(PROC_LIBS) $(LIBTORTIE)
	$(CC) $(LDFLAGS) -o $@ $< $(PROC_LIBS) $(LIBTORTIE) $(CMOCKA_LIBS) \
	    $(LDLIBS)

# Header dependencies.
DEPFLAGS =	-MMD -MP
%.o: %.c
	$(CC) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<
-include $(wildcard */*.d regress/*/*.d)

.PHONY: all deps check asan valgrind install clean demo fuzz bench unit-tests lint

deps:
	$(DEPS_CMD)

check: deps
	$(MAKE) all
	sh regress/run.sh

asan: deps
	$(MAKE) clean
	$(MAKE) SAN=1 OPT="-O1 -g" all
	TORTIE_ASAN=1 sh regress/run.sh

# memcheck over the unit tests and the parent in labs (regress/valgrind.sh).
valgrind: deps all
	sh regress/valgrind.sh

fuzz: deps
	$(MAKE) -C regress/fuzz run

bench: deps all
	sh regress/bench/run.sh

demo: deps all
	sh regress/lab/demo.sh

install: $(BINS)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBEXECDIR)
	install -m 755 bgpd/tortied ctl/tortiectl $(DESTDIR)$(SBINDIR)/
	install -m 755 $(HELPERS) $(DESTDIR)$(LIBEXECDIR)/
	install -d $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8
	for m in doc/*.5; do [ -f "$$m" ] && \
	    install -m 644 "$$m" $(DESTDIR)$(MANDIR)/man5/ || true; done
	for m in doc/*.8; do [ -f "$$m" ] && \
	    install -m 644 "$$m" $(DESTDIR)$(MANDIR)/man8/ || true; done
	install -d $(DESTDIR)$(SYSCONFDIR)/tortie
	[ -f $(DESTDIR)$(SYSCONFDIR)/tortie/tortie.yaml ] || \
	    install -m 640 doc/tortie.yaml.example \
	    $(DESTDIR)$(SYSCONFDIR)/tortie/tortie.yaml
	$(INSTALL_USER)

clean:
	rm -f $(BINS) $(LIBTORTIE) $(PROC_LIBS) $(UNIT_BINS)
	rm -f */*.o */*.d regress/*/*.o regress/*/*.d

# For building one test by hand while other modules are in flux:
#   cc $$(make -s print-cflags) -o /tmp/t regress/unit/test_x.c common/x.c \
#       common/log.c common/util.c $$(make -s print-libs)
print-cflags:
	@echo $(CFLAGS)
print-libs:
	@echo $(LDFLAGS) $(CMOCKA_LIBS) $(LDLIBS)
print-common-srcs:
	@echo $(COMMON_SRCS)
