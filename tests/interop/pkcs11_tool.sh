#!/usr/bin/env bash
# tests/interop/pkcs11_tool.sh MODULE - OpenSC's pkcs11-tool (Debian's opensc)
# against libnvtoken.so on a fresh image: every command of the token-core
# issue, each checked for its exit status and its expected output.
#
# The image lives in a temporary directory (NVTOKEN_IMAGE); no user
# configuration is read (XDG_CONFIG_HOME points into the same directory).
# ctest runs it in the host preset against the ASan/UBSan module, with the
# sanitizer runtime preloaded into pkcs11-tool (see CMakeLists.txt), and in
# host-clang against the plain module.
set -u
module=${1:?usage: $0 MODULE}
command -v pkcs11-tool >/dev/null || { echo "pkcs11-tool not found (Debian package opensc)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export NVTOKEN_IMAGE=$work/token.img
export XDG_CONFIG_HOME=$work/config
unset NVTOKEN_CONF

failures=0
p() { pkcs11-tool --module "$module" "$@"; }

# expect NAME STATUS(0|fail) REGEX... -- COMMAND...: run it, then check the
# status and that the output (stdout and stderr) matches every regex.
expect() {
  local name=$1 want=$2
  shift 2
  local patterns=()
  while [ "$1" != "--" ]; do patterns+=("$1"); shift; done
  shift
  local out status
  out=$("$@" 2>&1)
  status=$?
  local ok=1
  if [ "$want" = 0 ] && [ $status -ne 0 ]; then ok=0; fi
  if [ "$want" = fail ] && [ $status -eq 0 ]; then ok=0; fi
  for re in "${patterns[@]}"; do
    grep -Eq -- "$re" <<<"$out" || { ok=0; echo "   missing: $re"; }
  done
  if [ $ok = 1 ]; then
    echo "ok   $name"
  else
    echo "FAIL $name (status $status)"
    sed 's/^/   | /' <<<"$out"
    failures=$((failures + 1))
  fi
}

# A DER certificate and a data file to store.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$work/key.pem" \
  -subj "/CN=nvtoken interop/O=nvtoken" -days 30 -set_serial 0x4e56 -outform DER -out "$work/cert.der" \
  2>/dev/null || { echo "openssl could not make a certificate"; exit 1; }
printf 'nvtoken data object\n' >"$work/data.bin"

expect "-L lists the slot with a blank token (image created)" 0 \
  'Available slots:' 'Slot 0 \(0x0\)' 'token state: +uninitialized' -- p -L
[ -s "$NVTOKEN_IMAGE" ] && echo "ok   the image file exists" || { echo "FAIL no image at $NVTOKEN_IMAGE"; failures=$((failures + 1)); }

# pkcs11-tool takes the default interface, "PKCS 11" 3.0, whose C_GetInfo
# says 3.0 (C_GetFunctionList's 2.40 list would say 2.40).
expect "-I shows the library (through the v3.0 interface)" 0 \
  'Cryptoki version 3\.0' 'Manufacturer +nvtoken project' -- p -I

expect "--init-token" 0 'Token successfully initialized' -- \
  p --init-token --label "nvtoken interop" --so-pin 12345678

expect "-T shows the initialised token" 0 \
  'token label +: nvtoken interop' 'token manufacturer : nvtoken project' 'token model +: nvtoken' \
  'token flags +: login required, rng, token initialized' 'serial num +: [0-9A-F]{16}' 'pin min/max +: 4/64' -- p -T

expect "--init-pin (SO login)" 0 'User PIN successfully initialized' -- \
  p --init-pin --login --login-type so --so-pin 12345678 --pin 1234

expect "-T shows the user PIN initialised" 0 'token flags +: .*PIN initialized' -- p -T

expect "-M lists the mechanisms" 0 'Supported mechanisms:' 'SHA256, digest' -- p -M

expect "--login with the user PIN" 0 'Using slot 0' -- p --login --pin 1234 --list-objects

expect "--login with a wrong PIN fails" fail 'CKR_PIN_INCORRECT' -- p --login --pin 0000 --list-objects
expect "-T shows the failed attempt" 0 'user PIN count low' -- p -T

expect "--change-pin" 0 'PIN successfully changed' -- p --login --pin 1234 --change-pin --new-pin 5678
expect "the old PIN is gone" fail 'CKR_PIN_INCORRECT' -- p --login --pin 1234 --list-objects

expect "--write-object a DER certificate" 0 \
  'Created certificate:' 'label: +interop cert' 'subject: +DN: CN ?= ?nvtoken interop, O ?= ?nvtoken' \
  'serial: +4E56' 'ID: +4e56' -- \
  p --login --pin 5678 --write-object "$work/cert.der" --type cert --id 4e56 --label "interop cert"

expect "--write-object a data object" 0 'Created Data Object:' "label: +'interop data'" -- \
  p --login --pin 5678 --write-object "$work/data.bin" --type data --label "interop data"

expect "--list-objects shows both" 0 \
  "Certificate Object; type = X\.509 cert" 'label: +interop cert' "Data object" "label: +'interop data'" -- \
  p --login --pin 5678 --list-objects

expect "--read-object the certificate" 0 '' -- \
  p --read-object --type cert --id 4e56 --output-file "$work/cert.out"
cmp -s "$work/cert.der" "$work/cert.out" && echo "ok   the certificate reads back unchanged" ||
  { echo "FAIL the certificate read back differs"; failures=$((failures + 1)); }

expect "--read-object the data object" 0 '' -- \
  p --login --pin 5678 --read-object --type data --label "interop data" --output-file "$work/data.out"
cmp -s "$work/data.bin" "$work/data.out" && echo "ok   the data object reads back unchanged" ||
  { echo "FAIL the data object read back differs"; failures=$((failures + 1)); }

expect "--delete-object the certificate" 0 '' -- \
  p --login --pin 5678 --delete-object --type cert --id 4e56
out=$(p --login --pin 5678 --list-objects 2>&1)
if grep -q 'Certificate Object' <<<"$out" || ! grep -q "interop data" <<<"$out"; then
  echo "FAIL after --delete-object the list is wrong"; sed 's/^/   | /' <<<"$out"; failures=$((failures + 1))
else
  echo "ok   the certificate is gone, the data object stays"
fi

echo "$failures failure(s)"
[ $failures -eq 0 ]
