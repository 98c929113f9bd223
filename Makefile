# drydock - top-level convenience targets. The real build is Meson; this
# file installs what a fresh Debian 12 machine lacks and drives it.
#   make demo    build, make a small demo image from Debian packages, scan it
#   make check   build (normal + ASan/UBSan + a TSan build of the engine
#                test), run unit, fuzz-replay and
#                integration tests; last line "N passed, N failed"
#   make fuzz    libFuzzer targets, FUZZ_SECONDS each (default 60)
#   make bench   bench/walk.sh (needs root: builds bookworm-big)
#   make bench-malware  bench/malware.sh (drydock vs yara -r, same rules)

BUILD      ?= build
ASAN_BUILD ?= build-asan
TSAN_BUILD ?= build-tsan
FUZZ_SECONDS ?= 60

# Debian packages needed to build and test (checked with dpkg-query, only
# the missing ones are installed).
BUILD_PKGS = gcc make meson ninja-build pkg-config libisal-dev libzstd-dev libsqlite3-dev \
             libzip-dev zlib1g-dev libyaml-dev libcurl4-openssl-dev libpcre2-dev \
             libssl-dev libjansson-dev libyara-dev libmicrohttpd-dev
TEST_PKGS  = clang libclang-rt-14-dev python3 zstd gzip jq git debootstrap \
             openssh-client clang-format python3-jsonschema rpm db5.3-util \
             sqlite3 openssl clamav-daemon clamav-testfiles yara time bc \
             docker-registry skopeo apache2-utils curl podman libxml2-utils \
             zsh fish groff-base man-db golang-go \
             unzip libcommons-lang3-java libguava-java liblog4j2-java libcommons-io-java \
             python3-cryptography python3-yaml
DEMO_PKGS  = debootstrap python3 openssl

.PHONY: all deps deps-test deps-js build build-asan build-tsan check demo fuzz bench bench-malware format \
        format-check clean

all: build

define install_missing
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then echo "need root to apt-get install:$$missing" >&2; exit 1; fi; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

deps:
	$(call install_missing,$(BUILD_PKGS))

deps-test: deps
	$(call install_missing,$(TEST_PKGS))

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=release -Db_ndebug=true >/dev/null

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

$(ASAN_BUILD)/build.ninja:
	CC=clang meson setup $(ASAN_BUILD) --buildtype=debug -Dc_args=-fno-sanitize-recover=all \
	  -Db_sanitize=address,undefined -Db_lundef=false >/dev/null

build-asan: deps-test $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)

# ThreadSanitizer: only the concurrency tests (one engine, many scans;
# the service's worker threads)
$(TSAN_BUILD)/build.ninja:
	CC=clang meson setup $(TSAN_BUILD) --buildtype=debug -Db_sanitize=thread \
	  -Db_lundef=false >/dev/null

build-tsan: deps-test $(TSAN_BUILD)/build.ninja
	ninja -C $(TSAN_BUILD) tests/test_engine tests/test_service

# npm test tools (Sigstore's JavaScript libraries for tests/integration/
# test_sigjs.sh), pinned by package-lock.json; skipped without npm.
SIGJS = tests/tools/sigstore-js
deps-js:
	@if command -v npm >/dev/null && [ ! -d $(SIGJS)/node_modules/@sigstore/mock ]; then \
	  npm ci --prefix $(SIGJS) --no-audit --no-fund >/dev/null || echo "npm ci $(SIGJS) failed: test_sigjs.sh will skip" >&2; \
	fi

check: deps-test deps-js build build-asan build-tsan
	@TSAN_BUILD=$(TSAN_BUILD) bash tests/run-all.sh $(BUILD) $(ASAN_BUILD)

demo: build
	$(call install_missing,$(DEMO_PKGS))
	@bash demo/run-demo.sh $(BUILD)/drydock

fuzz: deps-test
	@bash tests/fuzz/run-fuzz.sh $(FUZZ_SECONDS)

bench: build
	@bash bench/walk.sh $(BUILD)/drydock

bench-malware: build deps-test
	@bash bench/malware.sh $(BUILD)/drydock

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

format-check:
	clang-format --dry-run -Werror $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) tests/fuzz/out
