#!/usr/bin/env bash
# tests/seal/factory.sh QEMU_RUN DEVICE_BOOT FACTORY_PC NVTOKEN - the factory
# path and cloned images, end to end: a PC (the host module, through
# tests/seal/factory_pc.c) and QEMU "devices" (tests/seal/device_boot.c on
# the reference board, one device per --nvt-uid).
#
# Factory path (docs/DESIGN.md): the PC, given the board's factory secret
# and one board's UID, makes that board's image; the board boots it and
# signs with the key the PC generated; another board cannot start from it;
# the PC without the device key finds the token unreadable, cannot
# initialise it over, and changes nothing; with the key it opens again.
#
# Cloned images (issue 16.4): one golden image booted by two boards, each
# generating its key pair at first boot, gives two different keys.
#
# Needs the host build's programs (FACTORY_PC, NVTOKEN): exit 77 (skipped)
# without them.
set -euo pipefail
qemu_run=$1 device=$2 pc=$3 tool=$4
for f in "$pc" "$tool"; do
  if [ ! -x "$f" ]; then echo "SKIP: $f missing (build the host preset first)"; exit 77; fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nvt-factory.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
unset NVTOKEN_DEVICE_KEY NVTOKEN_DEVICE_UID NVTOKEN_IMAGE NVTOKEN_GEOMETRY NVTOKEN_CONF
export XDG_CONFIG_HOME="$tmp/config" ASAN_OPTIONS=detect_leaks=0
failed=0 passed=0
pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; shift; printf '      | %s\n' "$@"; }
expect() {  # expect <desc> <file> <regex>
  if grep -qE "$3" "$2"; then pass "$1"; else fail "$1" "$(cat "$2")"; fi
}
boot() {  # boot <uid> <image in> <image out> <mode> > output; returns the status
  NVT_QEMU_UID=$1 "$qemu_run" "$device" "$2" "$3" "$4"
}

# The reference board's factory secret (src/port/qemu/port_device.c) and a board.
printf 'nvtoken qemu reference factory!!' >factory.secret
uid=00112233445566778899aabbccddeeff

# --- the factory path --------------------------------------------------------------------
"$pc" provision device.img factory.secret "$uid" >made.txt
pass "the PC made an image for board $uid ($(sed -n 's/^serial: //p' made.txt))"
aes=9e3779b97f4a7c15   # the first bytes of the AES key the PC provisioned
if od -An -tx1 -v device.img | tr -d ' \n' | grep -q "$aes"; then fail "the PC's image holds no key in the clear"; else pass "the PC's image holds no key in the clear"; fi
if [ ! -e device.img.key ]; then pass "the PC made no key file of its own"; else fail "the PC made no key file of its own"; fi

st=0; boot "$uid" device.img booted.img sign >boot.txt 2>&1 || st=$?
if [ "$st" -eq 0 ]; then pass "board $uid boots the image and signs"; else fail "board $uid boots the image and signs" "status $st" "$(cat boot.txt)"; fi
expect "board $uid: the signature verifies" boot.txt '^signature verified by the public key'

other=ffeeddccbbaa99887766554433221100
st=0; boot "$other" device.img other.img sign >other.txt 2>&1 || st=$?
if [ "$st" -eq 3 ]; then pass "another board cannot start from it (its NV seed does not open)"; else fail "another board cannot start from it" "status $st" "$(cat other.txt)"; fi

cp booted.img kept.img
"$pc" check booted.img >nokey.txt
expect "the PC without the device key: the token record is unreadable" nokey.txt '^record: unreadable$'
expect "the PC without the device key: no session" nokey.txt '^session: refused$'
expect "the PC without the device key: C_InitToken refused" nokey.txt '^C_InitToken: refused, write-protected$'
if cmp -s booted.img kept.img; then pass "the PC without the key changed nothing"; else fail "the PC without the key changed nothing"; fi
if [ ! -e booted.img.key ]; then pass "and made no key for it"; else fail "and made no key for it"; fi
st=0; "$tool" fsck booted.img >fsck.txt 2>&1 || st=$?
expect "nvtoken fsck without the key: sealed records counted, not opened" fsck.txt '^sealed: +[0-9]+ records \(not opened: no device key\)$'
st=0; "$tool" fsck --device-key factory.secret --uid "$uid" booted.img >fsck.txt 2>&1 || st=$?
if [ "$st" -eq 0 ]; then pass "nvtoken fsck with the board's key: clean"; else fail "nvtoken fsck with the board's key: clean" "$(cat fsck.txt)"; fi
expect "nvtoken fsck with the board's key: every sealed record opens" fsck.txt '^sealed: +([0-9]+) records, \1 open with the device key, 0 tampered$'
"$pc" check booted.img factory.secret "$uid" >key.txt
expect "the PC with the board's key: the token opens" key.txt '^record: ok$'
if od -An -tx1 -v booted.img | tr -d ' \n' | grep -q "$aes"; then fail "the board's image holds no key in the clear"; else pass "the board's image holds no key in the clear"; fi

# --- cloned images -----------------------------------------------------------------------
"$pc" golden golden.img
keys=()
for board in 01 02 03; do
  st=0; boot "0000000000000000000000000000${board}ff" golden.img "clone$board.img" firstboot >"clone$board.txt" 2>&1 || st=$?
  if [ "$st" -ne 0 ]; then fail "board $board boots the golden image" "status $st" "$(cat "clone$board.txt")"; continue; fi
  keys+=("$(sed -n 's/^public key: //p' "clone$board.txt")")
done
distinct=$(printf '%s\n' "${keys[@]}" | sort -u | wc -l)
if [ "${#keys[@]}" -eq 3 ] && [ "$distinct" -eq 3 ]; then
  pass "three boards from one golden image: three different key pairs"
else
  fail "three boards from one golden image: three different key pairs" "${keys[@]}"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
