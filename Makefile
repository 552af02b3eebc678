# mcd: symbolic matrix calculus.  `make` builds ./mcd and build/libmcd.a;
# `make check` runs every test, then the unit, golden and robustness tests
# again under AddressSanitizer and UndefinedBehaviorSanitizer (objects in
# build/san/, or `make check SANITIZE=1` for that run alone); `make bench`
# prints the speed figures.

CC      ?= cc
BISON   ?= bison
FLEX    ?= flex
PREFIX  ?= /usr/local
SANITIZE ?= 0
FUZZ    ?= 0
FUZZ_SECONDS ?= 60
SWEEP_SEEDS ?= seed*

WARN    = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Werror
PKGS    = gmp
CFLAGS  ?= -O2 -g
ifeq ($(FUZZ),1)
# the libFuzzer build (make fuzz): clang, ASan and UBSan, in build/fuzz
B       = build/fuzz
CC      = clang
CFLAGS  += -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
else ifeq ($(SANITIZE),1)
B       = build/san
CFLAGS  += -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=address,undefined
else
B       = build
endif
ALL_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) -fvisibility=hidden \
	     -Iinclude -iquote src -iquote $(B) $(shell pkg-config --cflags $(PKGS)) $(CFLAGS)
LIBS    = $(shell pkg-config --libs $(PKGS)) -lm
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS   = $(shell pkg-config --libs check)

LIB_SRC = $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ = $(LIB_SRC:src/%.c=$(B)/%.o) $(B)/parser.o $(B)/lexer.o
GEN_H   = $(B)/parser.h $(B)/lexer.h
UNIT_SRC = $(wildcard tests/unit/*.c) tests/gen.c
UNIT_OBJ = $(UNIT_SRC:tests/%.c=$(B)/tests/%.o)

.PHONY: all check check-quick check-valgrind check-sanitize unit golden robust replay sweep fuzz bench docs man clean install uninstall
all: mcd

mcd: $(B)/mcd
	@if [ "$(SANITIZE)" != 1 ]; then cp $(B)/mcd mcd; fi

$(B)/mcd: $(B)/main.o $(B)/libmcd.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

# Two archives of the same objects: libmcd-internal.a for the tests that
# reach inside, and libmcd.a, the one installed, linked into one relocatable
# object whose hidden symbols are made local: its only globals are the
# mcd_* functions of include/mcd.h (checked by tests/symbols.sh).
$(B)/libmcd-internal.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(B)/libmcd.a: $(LIB_OBJ)
	rm -f $@ $(B)/libmcd.o
	$(LD) -r -o $(B)/libmcd.o $^
	objcopy --localize-hidden $(B)/libmcd.o
	ar rcs $@ $(B)/libmcd.o

$(B)/parser.c $(B)/parser.h &: grammar/parser.y
	@mkdir -p $(B)
	$(BISON) -Wall -Werror --defines=$(B)/parser.h -o $(B)/parser.c $<

$(B)/lexer.c $(B)/lexer.h &: grammar/lexer.l $(B)/parser.h
	@mkdir -p $(B)
	$(FLEX) --header-file=$(B)/lexer.h -o $(B)/lexer.c $<

$(B)/%.o: src/%.c $(GEN_H)
	@mkdir -p $(B)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/%.o: $(B)/%.c $(GEN_H)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(B)/tests/%.o: tests/%.c $(GEN_H)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -iquote tests -iquote tests/unit -MMD -MP -c -o $@ $<

$(B)/unit: $(UNIT_OBJ) $(B)/libmcd-internal.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS) $(CHECK_LIBS)

# The whole suite: the quick tiers, then valgrind's leak check on the golden
# cases, then everything again under the sanitizers.
ifeq ($(SANITIZE),1)
check: check-quick
else
check: check-quick check-valgrind check-sanitize check-fuzz
endif

# A minute of libFuzzer over mcd_run from the seeds and every regression
# (clang, ASan, UBSan): any crash, leak or timeout fails the check.
.PHONY: check-fuzz
check-fuzz:
	$(MAKE) fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)

check-quick: unit golden robust replay sweep symbols install-test docs consumers check-completions

# The installed library's globals all start with mcd, and nothing in it exits.
.PHONY: symbols
symbols: $(B)/libmcd.a
	tests/symbols.sh $(B)/libmcd.a

unit: $(B)/unit
	$(B)/unit

# The shell completions offer exactly the layouts and formats --help lists
# (which come from the library's tables): tests/completions.sh.
.PHONY: check-completions
check-completions: $(B)/mcd
	tests/completions.sh $(B)/mcd

golden: $(B)/mcd
	tests/golden.sh $(B)/mcd tests/golden/*.t

robust: $(B)/mcd
	tests/robust.sh $(B)/mcd

# Every input the fuzzer found, replayed through the same entry point with
# this build's compiler (tests/fuzz/replay.c stands in for libFuzzer).
replay: $(B)/fuzz_replay
	$(B)/fuzz_replay tests/fuzz/regressions/*

# The allocation-failure sweep (tests/sweep.c) over the golden cases'
# expressions, README and identities, under each of the five option prefixes
# of tests/fuzz/seeds.sh.  make check runs it whole with the plain build,
# and under ASan and LeakSanitizer for the first two prefixes (no -wrt, and
# -wrt x: seeds numbered 0, 1, 5, 6 mod 10), which finds leaks.
.PHONY: sweep
sweep: $(B)/sweep
	tests/fuzz/seeds.sh $(B)/sweep-seeds >/dev/null
	$(B)/sweep $(B)/sweep-seeds/$(SWEEP_SEEDS)

$(B)/sweep: tests/sweep.c tests/fuzz/fuzz_mcd.c $(B)/libmcd-internal.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ tests/sweep.c tests/fuzz/fuzz_mcd.c $(B)/libmcd-internal.a $(LIBS)

$(B)/fuzz_replay: tests/fuzz/replay.c tests/fuzz/fuzz_mcd.c $(B)/libmcd.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ tests/fuzz/replay.c tests/fuzz/fuzz_mcd.c $(B)/libmcd.a $(LIBS)

# libFuzzer over mcd_run for FUZZ_SECONDS (60), with clang and ASan/UBSan;
# fails on any crash, leak, timeout or memory blow-up.  New findings land in
# build/fuzz/artifacts: copy them to tests/fuzz/regressions/ once fixed.
fuzz:
	$(MAKE) FUZZ=1 build/fuzz/fuzz_mcd
	tests/fuzz/seeds.sh build/fuzz/seeds >/dev/null
	@mkdir -p build/fuzz/corpus build/fuzz/artifacts
	build/fuzz/fuzz_mcd -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-max_len=512 -dict=tests/fuzz/mcd.dict -artifact_prefix=build/fuzz/artifacts/ \
		-print_final_stats=1 build/fuzz/corpus build/fuzz/seeds tests/fuzz/regressions

build/fuzz/fuzz_mcd: tests/fuzz/fuzz_mcd.c $(B)/libmcd.a
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $^ $(LIBS)

# The output formats read by their consumers: python3 + numpy runs every
# generated module's self-check, KaTeX (node) renders the LaTeX, jq parses the
# JSON, mcd reads the unicode back (tests/consumers.sh; .ci/run installs them).
.PHONY: consumers
consumers: $(B)/mcd
	timeout 1800 tests/consumers.sh $(B)/mcd tests/golden/*.t

# The manuals: the identities page is regenerated and must match the one
# committed; every documented example must print what it shows; both pages
# must lint clean.
# The page's entries: man/identities.list, then the unit tests' reference
# table (tests/unit/identities*.h, printed by tests/identities_list.c).
man: man/mcd-identities.7

$(B)/identities-list: tests/identities_list.c tests/unit/identities.h tests/unit/identities2.h tests/unit/identities4.h tests/unit/identities5.h tests/unit/identities6.h tests/unit/identities7.h tests/unit/identities8.h
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -iquote tests -o $@ tests/identities_list.c

$(B)/identities.all: man/identities.list $(B)/identities-list
	{ cat man/identities.list && $(B)/identities-list; } > $@

man/mcd-identities.7: $(B)/identities.all man/mkidentities.sh $(B)/mcd
	man/mkidentities.sh $(B)/mcd $(B)/identities.all > $@.tmp && mv $@.tmp $@

docs: $(B)/mcd $(B)/identities.all
	man/mkidentities.sh $(B)/mcd $(B)/identities.all > $(B)/mcd-identities.7
	@cmp -s $(B)/mcd-identities.7 man/mcd-identities.7 || { \
		echo "man/mcd-identities.7 is not what mcd prints now (run make man):"; \
		diff -u man/mcd-identities.7 $(B)/mcd-identities.7 | head -40; exit 1; }
	tests/examples.sh $(B) README.md man/mcd.1 man/mcd-identities.7
	@out=$$(mandoc -Tlint man/mcd.1 man/mcd.3 man/mcd-identities.7 2>&1) && [ -z "$$out" ] || { echo "$$out"; exit 1; }
	@out=$$(groff -t -man -ww -z man/mcd.1 man/mcd.3 man/mcd-identities.7 2>&1) && [ -z "$$out" ] || { echo "$$out"; exit 1; }
	@echo "docs: identities page current, examples pass, pages lint clean"

# What make install puts in place; make uninstall removes exactly these.
INSTALLED = bin/mcd lib/libmcd.a include/mcd.h lib/pkgconfig/mcd.pc \
	share/man/man1/mcd.1 share/man/man3/mcd.3 share/man/man7/mcd-identities.7 \
	share/bash-completion/completions/mcd share/zsh/site-functions/_mcd

install: $(B)/mcd $(B)/libmcd.a man/mcd-identities.7
	install -D -m 755 $(B)/mcd $(DESTDIR)$(PREFIX)/bin/mcd
	install -D -m 644 $(B)/libmcd.a $(DESTDIR)$(PREFIX)/lib/libmcd.a
	install -D -m 644 include/mcd.h $(DESTDIR)$(PREFIX)/include/mcd.h
	@mkdir -p $(DESTDIR)$(PREFIX)/lib/pkgconfig
	sed -e 's|@PREFIX@|$(PREFIX)|' -e "s|@VERSION@|$$(sed -n 's/^#define MCD_VERSION "\(.*\)"/\1/p' include/mcd.h)|" \
		mcd.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/mcd.pc
	install -D -m 644 man/mcd.1 $(DESTDIR)$(PREFIX)/share/man/man1/mcd.1
	install -D -m 644 man/mcd.3 $(DESTDIR)$(PREFIX)/share/man/man3/mcd.3
	install -D -m 644 man/mcd-identities.7 $(DESTDIR)$(PREFIX)/share/man/man7/mcd-identities.7
	install -D -m 644 completions/mcd.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/mcd
	install -D -m 644 completions/_mcd $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_mcd

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/,$(INSTALLED))

# make install and uninstall into a scratch DESTDIR, and a program built
# against the installed library with pkg-config (tests/install.sh).
.PHONY: install-test
install-test: $(B)/mcd $(B)/libmcd.a
	tests/install.sh

check-valgrind: $(B)/mcd
	VALGRIND=1 tests/golden.sh $(B)/mcd tests/golden/*.t

check-sanitize:
	$(MAKE) SANITIZE=1 unit golden robust replay
	$(MAKE) SANITIZE=1 sweep SWEEP_SEEDS='seed*[0156]'

# Timings of the pipeline at growing sizes (bench/bench.c); not part of check.
bench: $(B)/bench $(B)/mcd
	$(B)/bench
	bench/verify.sh $(B)/mcd
	bench/budget.sh $(B)/mcd
	bench/networks.sh $(B)/mcd

$(B)/bench: bench/bench.c $(B)/libmcd-internal.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libmcd-internal.a $(LIBS)

clean:
	rm -rf build mcd

-include $(wildcard $(B)/*.d $(B)/tests/*.d $(B)/tests/unit/*.d)

.PHONY: print-installed
print-installed:
	@echo $(INSTALLED)
