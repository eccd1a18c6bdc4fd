#!/usr/bin/env bash
# tests/seal/tool_seal.sh NVTOKEN V1IMAGE - `nvtoken fsck` and `nvtoken seal`
# on an image written by the last version before sealing (tests/seal/
# v1_mkimage.c): fsck counts what is in the clear; seal seals it under the
# image's device key, creating <image>.key (mode 0600); fsck then opens every
# sealed record with that key, finds them all tampered with another one, and
# no piece of the image's AES key is left in it.
set -euo pipefail
tool=$1 v1=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nvt-seal.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
unset NVTOKEN_DEVICE_KEY NVTOKEN_DEVICE_UID NVTOKEN_CONF NVTOKEN_IMAGE NVTOKEN_GEOMETRY
export XDG_CONFIG_HOME="$tmp/config"
failed=0 passed=0
pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; shift; printf '      | %s\n' "$@"; }
run() {  # run <expected status> <desc> <args...>
  local want=$1 desc=$2 st=0
  shift 2
  "$tool" "$@" >out 2>err || st=$?
  if [ "$st" -eq "$want" ]; then pass "$desc: exit status $want"; else fail "$desc: exit status $want" "got $st" "$(cat out err)"; fi
}
has() {  # has <desc> <regex>: a line of out matches
  if grep -qE "$2" out; then pass "$1"; else fail "$1" "$(cat out err)"; fi
}
# the first 8 bytes of the image's sensitive AES-256 key (tests/seal/v1_values.h)
aes_piece=5c2e9107d43a66b8
in_image() { od -An -tx1 -v "$1" | tr -d ' \n' | grep -c "$aes_piece" || true; }

cp "$v1" a.img
if [ "$(in_image a.img)" -gt 0 ]; then pass "the image as written holds its AES key in the clear"; else fail "the image as written holds its AES key in the clear"; fi
run 0 "fsck of an image written before sealing" fsck a.img
has "fsck: nothing sealed, no key" '^sealed: +0 records \(not opened: no device key\)$'
has "fsck: six sensitive records in the clear" '^in the clear: +6 sensitive records'
if [ ! -e a.img.key ]; then pass "fsck makes no key"; else fail "fsck makes no key"; fi

run 0 "seal" seal a.img
has "seal: sealed now" '^sealed: +now$'
has "seal: the device key next to the image" "^device key: +a.img.key\$"
if [ "$(stat -c %a a.img.key)" = 600 ] && [ "$(stat -c %s a.img.key)" = 32 ]; then
  pass "the key file: 32 bytes, mode 0600"
else
  fail "the key file: 32 bytes, mode 0600" "$(ls -l a.img.key)"
fi
if [ "$(in_image a.img)" -eq 0 ]; then pass "no piece of the AES key left in the image"; else fail "no piece of the AES key left in the image"; fi

run 0 "fsck with the image's key" fsck a.img
has "fsck: every sealed record opens" '^sealed: +8 records, 8 open with the device key, 0 tampered$'
if grep -q "in the clear" out; then fail "fsck: nothing in the clear" "$(cat out)"; else pass "fsck: nothing in the clear"; fi

head -c 32 /dev/urandom >other.key
run 4 "fsck with another device's key" fsck --device-key other.key a.img
has "fsck: every sealed record tampered" '^sealed: +8 records, 0 open with the device key, 8 tampered$'
if [ "$(wc -l <err)" -eq 1 ] && grep -q "do not open with this device key" err; then pass "fsck: one line says so"; else fail "fsck: one line says so" "$(cat err)"; fi

cp a.img b.img
run 0 "seal of a sealed image" seal a.img
has "seal: already sealed" '^sealed: +already$'
if cmp -s a.img b.img; then pass "sealing a sealed image changes nothing"; else fail "sealing a sealed image changes nothing"; fi

mv a.img.key kept.key
cp a.img c.img
run 3 "seal without the key of a sealed image" seal c.img
if [ ! -e c.img.key ]; then pass "no new key made for an image that holds sealed records"; else fail "no new key made for an image that holds sealed records"; fi

# fsck --repair: one flipped bit at a time in the bytes the store wrote,
# until one lands in a block the store corrects (a header or table entry)
# and one in a copy of the token's own records (0x0000-0x0006); --repair
# puts each right, and fsck then finds nothing.
mv kept.key a.img.key
flip() { python3 -c 'import sys; f=open(sys.argv[1],"r+b"); o=int(sys.argv[2]); f.seek(o); b=f.read(1)[0]; f.seek(o); f.write(bytes([b ^ 0x10]))' "$1" "$2"; }
written=$(python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); print(" ".join(str(i) for i in range(0, len(d), 7) if d[i] != 0xff))' a.img)
found_block=0 found_copy=0
for off in $written; do
  [ "$found_block" = 1 ] && [ "$found_copy" = 1 ] && break
  cp a.img d.img && cp a.img.key d.img.key
  flip d.img "$off"
  "$tool" fsck d.img >out 2>err || true
  kind=""
  if [ "$found_block" = 0 ] && grep -qE '^damage: +[1-9][0-9]* blocks with a flipped bit' out; then kind=block; fi
  if [ "$found_copy" = 0 ] && grep -qE '^lost object: +0x000[0-6] ' out; then kind=copy; fi
  [ -n "$kind" ] || continue
  run 0 "fsck --repair of a flipped bit in a $kind (offset $off)" fsck --repair d.img
  has "fsck --repair ($kind): the report after the repair is clean" '^fsck: +clean$'
  has "fsck --repair ($kind): no block left to correct" '^damage: +0 blocks with a flipped bit'
  if [ "$kind" = block ]; then has "fsck --repair (block): the store rewrote a sector" '^store repairs: +[1-9]'; found_block=1; fi
  if [ "$kind" = copy ]; then has "fsck --repair (copy): the token's copy restored" '^token copies: +restored$'; found_copy=1; fi
  run 0 "fsck after the repair ($kind)" fsck d.img
  has "fsck after the repair ($kind): every sealed record opens" '^sealed: +8 records, 8 open with the device key, 0 tampered$'
done
if [ "$found_block" = 1 ] && [ "$found_copy" = 1 ]; then pass "flips found in a store block and in a token copy"; else fail "flips found in a store block and in a token copy" "block=$found_block copy=$found_copy"; fi
run 2 "stat --repair is refused" stat --repair a.img

# A flipped bit in a public object's data: fsck names it by id and label.
named=0
for off in $(python3 -c 'import sys; d=open(sys.argv[1],"rb").read(); n=b"a public data object of the v1 image"; i=d.find(n)
while i >= 0: print(i + 9); i=d.find(n, i + 1)' a.img); do
  cp a.img e.img && cp a.img.key e.img.key
  flip e.img "$off"
  "$tool" fsck e.img >out 2>err || true
  if grep -qE '^lost object: +0x[0-9a-f]{4} \(its data fails its CRC; label "v1 public"\)$' out; then named=1; break; fi
done
if [ "$named" = 1 ]; then pass "fsck names a lost public object by its label"; else fail "fsck names a lost public object by its label" "$(cat out err)"; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
