#!/usr/bin/env bash
# tests/tools/nvtoken.sh NVTOKEN MKIMAGE - the nvtoken command line on
# images written by MKIMAGE (tests/tools/mkimage.c) through the store API:
# `stat` and `fsck` report what the store holds; damaged, truncated, blank
# and missing images and bad command lines give their own exit status and a
# one-line error; and no command changes a byte of the image or leaves a
# file behind.
set -euo pipefail
tool=$1 mkimage=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nvt-tool.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
failed=0 passed=0
pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; shift; printf '      | %s\n' "$@"; }

# run <expected status> <desc> <args...>: run the tool, keep out/err, check
# its exit status and that stderr is empty (status 0) or one line (else).
run() {
  local want=$1 desc=$2 st=0
  shift 2
  "$tool" "$@" >out 2>err || st=$?
  local lines
  lines=$(wc -l <err)
  if [ "$st" -ne "$want" ]; then
    fail "$desc: exit status $want" "got $st" "$(cat out err)"
  elif { [ "$want" -eq 0 ] && [ "$lines" -ne 0 ]; } ||
       { [ "$want" -ne 0 ] && [ "$want" -ne 2 ] && [ "$lines" -ne 1 ]; }; then
    fail "$desc: exit status $want and $([ "$want" -eq 0 ] && echo "nothing" || echo "one line") on stderr" "$(cat err)"
  else
    pass "$desc: exit status $want"
  fi
}
field() { sed -n "s/^$1: *//p" out; }
expect_field() {  # expect_field <name> <value>
  if [ "$(field "$1")" = "$2" ]; then pass "stat: $1 is $2"; else fail "stat: $1 is $2" "$(cat out)"; fi
}
# unchanged <file> <reference copy> <desc>
unchanged() {
  if cmp -s "$1" "$2"; then pass "$3: the image is unchanged"; else fail "$3: the image is unchanged"; fi
}

expected=$("$mkimage" device.img)
cp device.img device.ref
want() { sed -n "s/^$1: //p" <<<"$expected"; }

# --- a good image ---------------------------------------------------------------------
run 0 "stat of a good image" stat device.img
expect_field geometry "1024x8x8 (8 sectors of 1 KiB, 8-byte program unit, 8 KiB)"
expect_field objects "$(want objects)"
expect_field "live bytes" "$(want "live bytes")"
expect_field capacity 6720
expect_field "largest object" 3240
free=$(field "free bytes")
if [ -n "$free" ] && [ "$free" -gt 0 ] && [ "$free" -le 6720 ]; then pass "stat: free bytes $free"; else fail "stat: free bytes" "$(cat out)"; fi
if grep -qE "^erase counts: +min [0-9]+, max $(want "erase max"), mean [0-9]+\.[0-9]{2}\$" out; then
  pass "stat: erase counts min/max/mean, max $(want "erase max")"
else
  fail "stat: erase counts min/max/mean, max $(want "erase max")" "$(cat out)"
fi
# The map covers sectors 0-7, each once, in order.
covered=$(field "erase map" | tr ' ' '\n' | awk -F: '
  { n = split($1, r, "-"); lo = r[1]; hi = (n == 2 ? r[2] : r[1])
    for (s = lo; s <= hi; s++) printf "%d ", s }')
if [ "$covered" = "0 1 2 3 4 5 6 7 " ]; then pass "stat: erase map covers every sector once"; else fail "stat: erase map covers every sector once" "$(cat out)"; fi
if grep -qE '^fsck: +clean \([0-9]+ log, [0-9]+ blank, 0 damaged sectors; [0-9]+ records, 0 torn, 0 corrupt\)$' out; then
  pass "stat: fsck clean"
else
  fail "stat: fsck clean" "$(cat out)"
fi
if grep -q "nvtoken tool test marker" out; then fail "stat prints no object data" "$(cat out)"; else pass "stat prints no object data"; fi
unchanged device.img device.ref "stat"
run 0 "fsck of a good image" fsck device.img
if grep -qxE 'fsck: +clean' out && grep -qxE "objects: +$(want objects) live, 0 failing their CRC" out; then
  pass "fsck: clean, every live object checked"
else
  fail "fsck: clean, every live object checked" "$(cat out)"
fi
run 0 "stat with the image's own --geometry" stat --geometry 1024x8x8 device.img
unchanged device.img device.ref "fsck and stat --geometry"

# The module's lock file is used when present, and never created.
if [ -e device.img.lock ]; then fail "stat creates no lock file"; else pass "stat creates no lock file"; fi
: >device.img.lock
run 0 "stat of an image with a lock file (the module's)" stat device.img

# --- damaged images ----------------------------------------------------------------------
# One bit of the marker object's data cleared (as a stray program would):
# the object fails its CRC.
cp device.ref corrupt.img
python3 - corrupt.img <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
at = data.find(b"nvtoken tool test marker")
assert at >= 0, "marker not found"
data[at + 10] &= 0xFE
open(path, "wb").write(data)
PY
cp corrupt.img corrupt.ref
run 4 "stat of an image with a corrupt object" stat corrupt.img
if grep -q "1 corrupt)" out && grep -q "corrupt: 1 live object" err; then pass "stat: names the corruption"; else fail "stat: names the corruption" "$(cat out err)"; fi
run 4 "fsck of an image with a corrupt object" fsck corrupt.img
unchanged corrupt.img corrupt.ref "stat and fsck of a corrupt image"

head -c 5000 device.ref >truncated.img
cp truncated.img truncated.ref
run 4 "stat of a truncated image" stat truncated.img
if grep -q "truncated" err; then pass "stat: says truncated"; else fail "stat: says truncated" "$(cat err)"; fi
unchanged truncated.img truncated.ref "stat of a truncated image"
run 4 "stat --geometry of another shape" stat --geometry 2048x8x8 device.img

head -c 8192 /dev/zero | tr '\0' '\377' >blank.img
run 4 "stat of a blank image" stat blank.img
head -c 8192 /dev/zero >zero.img
run 4 "stat of a foreign image" stat zero.img
# Sector 0 wiped (a cut during its erase): the geometry is found elsewhere.
cp device.ref sector0.img
python3 - sector0.img <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
data[0:1024] = b"\xff" * 1024
open(path, "wb").write(data)
PY
run 0 "stat of an image whose sector 0 is blank (geometry from another sector)" stat sector0.img
expect_field geometry "1024x8x8 (8 sectors of 1 KiB, 8-byte program unit, 8 KiB)"

# --- cannot open -----------------------------------------------------------------------------
run 3 "stat of a missing image" stat missing.img
mkdir adir
run 3 "stat of a directory" stat adir

# --- bad command lines ---------------------------------------------------------------------
run 2 "no arguments"
run 2 "an unknown command" frobnicate device.img
run 2 "no image" stat
run 2 "two images" stat device.img device.img
run 2 "a bad geometry" stat --geometry 1000x8x8 device.img
run 0 "--help" --help
unchanged device.img device.ref "every command"
left=
for f in .* *; do  # an unmatched pattern stays as it is
  case "$f" in
    . | .. | ".*" | device.img | device.ref | device.img.lock | out | err | corrupt.img | corrupt.ref | \
    truncated.img | truncated.ref | blank.img | zero.img | sector0.img | adir) ;;
    *) left+="$f " ;;
  esac
done
if [ -z "$left" ]; then pass "no command leaves a file behind"; else fail "no command leaves a file behind" "$left"; fi

echo "nvtoken tool: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
