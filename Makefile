# Hashmark — set-up, build, test, run. See README.md.
# `make run` and `make test` install missing Debian packages first (as root, idempotent, quiet).

SHELL := /bin/bash
DEBIAN_PACKAGES := pkg-config libssl-dev openssl libturbojpeg0-dev libpng-dev libwebp-dev \
                   libgif-dev libsqlite3-dev zlib1g-dev wordnet-base poppler-utils \
                   libsndfile1-dev libsamplerate0-dev
# What only the tests need: a headless browser renders the HTML evidence view; jq reads reports
# in the crash soak; the store tests start their own PostgreSQL server (initdb in a temporary folder).
TEST_PACKAGES := chromium jq postgresql
# SIMD kernels want popcnt/AVX2: build for the machine that runs Hashmark. Override with
# `make TARGET_CPU=x86-64` for a portable binary (slower Hamming scans).
TARGET_CPU ?= native
SWIFT_FLAGS := -c release -Xswiftc -target-cpu -Xswiftc $(TARGET_CPU)
BIN := .build/release/hashmark

.PHONY: deps test-deps install-packages build test run install eval fit clean

## deps: install the Debian packages Hashmark links against, only those missing.
deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEBIAN_PACKAGES)"

test-deps: deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_PACKAGES)"

install-packages:
	@missing=""; for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

## build: release build of the `hashmark` binary.
build: deps
	swift build $(SWIFT_FLAGS)

## test: unit and integration tests (release mode: the SIMD kernels are what is tested).
test: test-deps
	swift build $(SWIFT_FLAGS) --build-tests
	HASHMARK_BIN=$(CURDIR)/$(BIN) swift test $(SWIFT_FLAGS) --skip-build

VAR := var
DB := $(VAR)/hashmark.sqlite
SPOOL := $(VAR)/spool
KEYS := $(VAR)/keys
CORPUS_FILES := Corpus/manifest.csv $(wildcard Corpus/images/* Corpus/texts/* Corpus/audio/*) Models/image-descriptor/weights.bin

## run: build, index the bundled Corpus (when missing or stale), make a local signing key
## (when missing), and run the daemon in the foreground on a local spool under ./var.
run: build $(VAR)/corpus.stamp $(KEYS)/hashmark.key.pem
	@echo
	@echo "Hashmark is watching $(CURDIR)/$(SPOOL)/inbox"
	@echo "  drop files:   cp Corpus/images/scipy__ascent.jpg $(SPOOL)/inbox/"
	@echo "  reports:      $(SPOOL)/reports/<report-id>.json (+ .json.sig, ledger.jsonl)"
	@echo "  verify:       openssl pkeyutl -verify -pubin -inkey $(KEYS)/hashmark.pub.pem -rawin -in R.json -sigfile R.json.sig"
	@echo "  stop:         Ctrl-C"
	@echo
	$(BIN) watch --spool $(SPOOL) --db $(DB) --key $(KEYS)/hashmark.key.pem

# The corpus database is rebuilt from scratch whenever a Corpus file or the binary (whose
# fingerprint algorithms may have changed) is newer than it, or when the binary finds it indexed
# by other algorithms than its own (`corpus stats --check-current` exits 1; an engine would give
# every file a `corpus-stale` verdict). When the binary is about to be rebuilt, the rebuild remakes
# the database anyway.
ifneq ($(filter run $(VAR)/corpus.stamp,$(MAKECMDGOALS)),)
CORPUS_STALE := $(shell [ -x $(BIN) ] && [ -f $(DB) ] && ! $(BIN) corpus stats --db $(DB) --check-current >/dev/null 2>&1 && echo corpus-stale)
endif
.PHONY: corpus-stale
corpus-stale: ;
$(VAR)/corpus.stamp: $(CORPUS_FILES) $(BIN) $(CORPUS_STALE)
	@mkdir -p $(VAR)
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN) corpus add --db $(DB) --manifest Corpus/manifest.csv
	@touch $@

$(KEYS)/hashmark.key.pem:
	$(BIN) keygen --out $(KEYS)

## eval: the full accuracy suite on the bundled corpus with the shipped model (test split).
eval: build
	$(BIN) eval --out $(VAR)/eval

## fit: refit a decision model on the train split (~1 min on the bundled corpus; POOL=dir for a larger pool); review before replacing the shipped one.
fit: build
	$(BIN) eval --fit $(if $(POOL),--pool $(POOL)) --write-model $(VAR)/eval/fitted-model.json --out $(VAR)/eval

## install: binary, unit, sysusers/tmpfiles, config and a signing key (as root, on a systemd host).
PREFIX ?= /usr/local
install: build
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/hashmark
	install -D -m 0644 systemd/hashmark.service $(DESTDIR)/etc/systemd/system/hashmark.service
	install -D -m 0644 systemd/hashmark.sysusers $(DESTDIR)/usr/lib/sysusers.d/hashmark.conf
	install -D -m 0644 systemd/hashmark.tmpfiles $(DESTDIR)/usr/lib/tmpfiles.d/hashmark.conf
	install -D -m 0644 Models/hashmark-model.json $(DESTDIR)$(PREFIX)/share/hashmark/hashmark-model.json 2>/dev/null || true
	for f in model.json weights.bin vocab.txt static.json static.bin; do \
	  install -D -m 0644 Models/minilm-l6-v2/$$f $(DESTDIR)$(PREFIX)/share/hashmark/minilm-l6-v2/$$f; done
	for f in model.json weights.bin; do \
	  install -D -m 0644 Models/image-descriptor/$$f $(DESTDIR)$(PREFIX)/share/hashmark/image-descriptor/$$f; done
	install -D -m 0644 README.md $(DESTDIR)$(PREFIX)/share/doc/hashmark/README.md
	test -e $(DESTDIR)/etc/hashmark/hashmark.toml || install -D -m 0640 systemd/hashmark.toml $(DESTDIR)/etc/hashmark/hashmark.toml
	@if [ -z "$(DESTDIR)" ] && command -v systemd-sysusers >/dev/null; then \
	  systemd-sysusers && systemd-tmpfiles --create && \
	  if [ ! -e /etc/hashmark/signing-key.pem ]; then \
	    $(PREFIX)/bin/hashmark keygen --out /etc/hashmark/keys && \
	    mv /etc/hashmark/keys/hashmark.key.pem /etc/hashmark/signing-key.pem && \
	    mv /etc/hashmark/keys/hashmark.pub.pem /etc/hashmark/signing-key.pub.pem && rmdir /etc/hashmark/keys && \
	    chown hashmark:hashmark /etc/hashmark/signing-key.pem; fi; \
	  systemctl daemon-reload 2>/dev/null || true; \
	  echo "installed: systemctl enable --now hashmark"; fi

clean:
	rm -rf .build
