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
OS :=		$(shell uname -s)

PKGS :=		libevent libevent_openssl libbsd-overlay yaml-0.1 libssl libcrypto
ifeq ($(OS),Linux)
PKGS +=		libseccomp libcap-ng
endif

PKG_CFLAGS :=	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS :=	$(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)

WARNS :=	-Wall -Wextra -Werror -Wshadow -Wpointer-arith \
		-Wstrict-prototypes -Wmissing-prototypes -Wformat=2
HARDEN :=	-D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
OPT ?=		-O2 -g
CFLAGS ?=
CFLAGS +=	-std=c11 $(OPT) $(WARNS) $(HARDEN) -D_GNU_SOURCE \
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

# Platform layer: *_linux.c on Linux, the portable files everywhere.
ifeq ($(OS),Linux)
PLAT :=		linux
else
PLAT :=		$(shell echo $(OS) | tr A-Z a-z)
endif
srcs_of =	$(filter-out $(wildcard $(1)/*_*linux.c $(1)/*_openbsd.c \
		    $(1)/*_freebsd.c),$(wildcard $(1)/*.c)) \
		$(wildcard $(1)/*_$(PLAT).c)

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

.PHONY: all deps check asan install clean demo fuzz bench unit-tests lint

deps:
	@sh mk/deps.sh

check: deps
	$(MAKE) all
	sh regress/run.sh

asan: deps
	$(MAKE) clean
	$(MAKE) SAN=1 OPT="-O1 -g" all
	TORTIE_ASAN=1 sh regress/run.sh

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
	if [ -z "$(DESTDIR)" ] && ! getent passwd _tortie >/dev/null; then \
	    useradd --system --no-create-home --home-dir /nonexistent \
	    --shell /usr/sbin/nologin _tortie; fi

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
