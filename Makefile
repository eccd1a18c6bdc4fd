# nvtoken - the two commands a new user needs, and a few more.
#
#   make demo    set up, build the host library, module and tool and the
#                TLS client firmware, run the provisioning demonstration
#                (examples/provision/demo.sh), ending on the emulated device
#   make test    set up, build host (gcc + ASan/UBSan, also with the p256-m
#                engine for the KATs and OpenSSL cross-checks; clang; clang +
#                TSan for the thread tests) and Cortex-M4 (profile full, then
#                the ecdsa-p256 device profile's firmware and profile tests),
#                and make demo's optimised build (host-release: -O3 warns
#                where -O0 does not, and -Werror made make demo fail once
#                while make test passed), run every test
#   make bench   set up, build optimised, print the benchmark tables (host
#                timings, then Cortex-M4 instruction counts on QEMU, C_Sign on
#                each P-256 engine)
#   make size    set up, build for Cortex-M4, print .text/.data/.bss per layer
#                and the firmware image of each profile by part (also as
#                build/size/size.json)
#   make powercut  the full power-cut sweep of the store (every geometry,
#                program unit and cut mode; prints tried/failed per line), then
#                on QEMU the reference board's (boot 1 cut at every flash
#                operation in every mode, boot 2 must find the token before or
#                after) and corePKCS11's on nvtoken's PAL
#   make fuzz    the long fuzzing campaign: every libFuzzer target
#                (tests/fuzz/) until NVT_FUZZ_RUNS executions (10 million) or
#                NVT_FUZZ_SECONDS (3600), NVT_FUZZ_JOBS (JOBS) at a time;
#                ends with a table of executions per target
#   make clean   remove build output (fetched sources in deps/ stay)
#
# Every target runs scripts/setup first (installs what is missing; fast when
# nothing is) and then drives CMake through the presets in CMakePresets.json.

CMAKE ?= cmake
CTEST ?= ctest
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)

# configure+build one preset: $(call build,<preset>)
define build
	$(CMAKE) --preset $(1) >/dev/null
	$(CMAKE) --build --preset $(1) -j $(JOBS)
endef

.PHONY: all setup demo test bench size powercut fuzz clean

all: test

setup:
	@scripts/setup

demo: setup
	$(call build,host-release)
	@examples/provision/demo.sh build/host-release/src/libnvtoken.so \
	  build/host-release/tools/nvtoken build/demo build/host-release/examples/tls-client/tls_client

test: setup
	$(call build,host)
	$(call build,host-release)
	$(CTEST) --preset host
	$(call build,host-p256m)
	$(CTEST) --preset host-p256m
	$(call build,host-clang)
	$(CTEST) --preset host-clang
	$(call build,host-tsan)
	$(CTEST) --preset host-tsan
	$(call build,cortex-m4)
	$(CTEST) --preset cortex-m4
	$(call build,cortex-m4-ecdsa-p256)
	$(CTEST) --preset cortex-m4-ecdsa-p256

bench: setup
	$(call build,host-release)
	$(CMAKE) --build --preset host-release --target bench
	$(call build,cortex-m4)
	$(CMAKE) --build --preset cortex-m4 --target bench
	$(call build,cortex-m4-ecdsa-p256)
	$(CMAKE) --build --preset cortex-m4-ecdsa-p256 --target bench
	$(call build,cortex-m4-ecdsa-p256-ecp)
	$(CMAKE) --build --preset cortex-m4-ecdsa-p256-ecp --target bench

# The ECDSA profile is also built on mbedTLS's ECP engine, to show what
# p256-m saves.
SIZE_BUILDS = build/cortex-m4 build/cortex-m4-ecdsa-p256 build/cortex-m4-ecdsa-p256-ecp
size: setup
	$(call build,cortex-m4)
	$(call build,cortex-m4-ecdsa-p256)
	$(call build,cortex-m4-ecdsa-p256-ecp)
	@scripts/size-report build/cortex-m4
	@scripts/size-report build/cortex-m4-ecdsa-p256
	@scripts/size-image --json build/size/size.json $(SIZE_BUILDS)

powercut: setup
	$(call build,host-release)
	tests/powercut/run-sweep build/host-release/tests/powercut/nvt_powercut
	$(call build,cortex-m4)
	$(CTEST) --test-dir build/cortex-m4 -L powercut-full -V -j 2

NVT_FUZZ_SECONDS ?= 3600
NVT_FUZZ_RUNS ?= 10000000
NVT_FUZZ_JOBS ?= $(JOBS)
fuzz: setup
	$(CMAKE) --preset host-clang -DNVT_FUZZ_SECONDS=$(NVT_FUZZ_SECONDS) -DNVT_FUZZ_RUNS=$(NVT_FUZZ_RUNS) \
	  -DNVT_FUZZ_JOBS=$(NVT_FUZZ_JOBS) >/dev/null
	$(CMAKE) --build --preset host-clang -j $(JOBS)
	$(CMAKE) --build --preset host-clang --target fuzz

clean:
	rm -rf build
