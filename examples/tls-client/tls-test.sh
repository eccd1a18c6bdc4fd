#!/usr/bin/env bash
# examples/tls-client/tls-test.sh MODULE FIRMWARE OUTDIR - the TLS client
# firmware against `openssl s_server`, with an EC P-256 and an RSA-2048 key,
# in TLS 1.3 and TLS 1.2 (four connections). ctest runs it (tls_client).
#
# Provisioning, as a factory does it on a PC, with the host module over the
# device's image (16 sectors of 2 KiB, 8-byte program unit: the geometry
# of the firmware's flash region):
#   1. the token initialised, user PIN set (pkcs11-tool);
#   2. two key pairs generated inside the token, private halves sensitive
#      and never extractable: "device-ec" (P-256, id 01), "device-rsa"
#      (RSA-2048, id 02);
#   3. a certificate request for each, signed by the token's key (OpenSSL
#      with the libp11 engine); a test CA (OpenSSL, software) issues the
#      client certificates, written into the token under the keys' ids,
#      and its own certificate, "tls-ca";
#   4. a server certificate for localhost from the same CA.
# Then the image goes to the emulated device (tls-run.sh), once per key and
# TLS version; and once to a server that trusts another CA, which must
# refuse it. Prints one line per step and per connection; the tools'
# output goes to OUTDIR/tls-test.log. Exit status 0 only if all passed.
#
#   MODULE    an unsanitized libnvtoken.so
#   FIRMWARE  the tls_client ELF
#   OUTDIR    where the image, the PKI and the logs go (made afresh)
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 MODULE FIRMWARE OUTDIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
module=$(readlink -f "$1") firmware=$(readlink -f "$2") out=$3
label=tls-device so_pin=87654321 pin=11223344
sector=2048 count=16 unit=8
timeout_s=120

rm -rf "$out"
mkdir -p "$out/pki"
out=$(cd "$out" && pwd)
log="$out/tls-test.log"
: >"$log"
current=""
on_exit() {
  local rc=$?
  if [ $rc -ne 0 ] && [ -n "$current" ]; then
    echo "FAILED: $current; the end of $log:" >&2
    tail -n 30 "$log" | sed 's/^/  | /' >&2
  fi
  exit $rc
}
trap on_exit EXIT
run() { echo "\$ $*" >>"$log"; timeout -k 5 "$timeout_s" "$@" </dev/null >>"$log" 2>&1; }
die() { echo "check failed: $*" >>"$log"; exit 1; }

unset NVTOKEN_IMAGE NVTOKEN_GEOMETRY OPENSSL_ENGINES PKCS11_MODULE_PATH
export LC_ALL=C HOME="$out/home"
mkdir -p "$HOME"
export NVTOKEN_CONF="$out/nvtoken.conf"
image="$out/device.img"
printf 'image = %s\ngeometry = %sx%sx%s\n' "$image" "$sector" "$count" "$unit" >"$NVTOKEN_CONF"
engines_dir=$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')
[ -f "$engines_dir/pkcs11.so" ] || { echo "no OpenSSL PKCS#11 engine: install libengine-pkcs11-openssl" >&2; exit 1; }
cat >"$out/engine.cnf" <<EOF
openssl_conf = openssl_init
[openssl_init]
engines = engine_section
[engine_section]
pkcs11 = pkcs11_section
[pkcs11_section]
engine_id = pkcs11
dynamic_path = $engines_dir/pkcs11.so
MODULE_PATH = $module
init = 0
EOF
with_engine() { OPENSSL_CONF="$out/engine.cnf" run openssl "$@"; }
software() { OPENSSL_CONF=/dev/null run openssl "$@"; }
p11() { run pkcs11-tool --module "$module" --token-label "$label" "$@"; }
cd "$out"

# --- 1. token ---------------------------------------------------------------------------------
current="token"
run pkcs11-tool --module "$module" --init-token --label "$label" --so-pin "$so_pin" || die "--init-token"
p11 --init-pin --login --so-pin "$so_pin" --pin "$pin" || die "--init-pin"
echo "provisioning: image $((sector * count / 1024)) KiB ($count x $((sector / 1024)) KiB, $unit-byte unit), token \"$label\" with a user PIN (pkcs11-tool, libnvtoken.so)"

# --- 2. keys ----------------------------------------------------------------------------------
current="keys"
keys=("device-ec 01 EC:prime256v1" "device-rsa 02 rsa:2048")
for k in "${keys[@]}"; do
  read -r name id type <<<"$k"
  p11 --login --pin "$pin" --keypairgen --key-type "$type" --id "$id" --label "$name" --usage-sign ||
    die "--keypairgen $type"
done
listing=$(timeout "$timeout_s" pkcs11-tool --module "$module" --token-label "$label" --login --pin "$pin" \
            -O --type privkey 2>>"$log") || die "-O"
echo "$listing" >>"$log"
[ "$(grep -c "Access: *.*sensitive.*never extractable" <<<"$listing")" -eq 2 ] ||
  die "private keys not sensitive and never extractable"
echo "provisioning: key pairs device-ec (P-256) and device-rsa (RSA-2048) generated inside the token; private keys sensitive, never extractable"

# --- 3. certificates ----------------------------------------------------------------------------
current="certificates"
software req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout pki/ca.key \
  -out pki/ca.pem -days 30 -subj "/CN=nvtoken tls-test CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign || die "CA"
software x509 -in pki/ca.pem -outform DER -out pki/ca.der
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' \
  >pki/client.ext
serial=4096
for k in "${keys[@]}"; do
  read -r name id _ <<<"$k"
  with_engine req -new -engine pkcs11 -keyform engine \
    -key "pkcs11:token=$label;object=$name;type=private;pin-value=$pin" -subj "/CN=$name" \
    -out "pki/$name.csr" || die "certificate request of $name"
  software req -in "pki/$name.csr" -verify -noout || die "the request's signature ($name)"
  serial=$((serial + 1))
  software x509 -req -in "pki/$name.csr" -CA pki/ca.pem -CAkey pki/ca.key -set_serial "$serial" -days 30 \
    -extfile pki/client.ext -out "pki/$name.pem" || die "issuing $name's certificate"
  software x509 -in "pki/$name.pem" -outform DER -out "pki/$name.der"
  p11 --login --pin "$pin" --write-object "pki/$name.der" --type cert --id "$id" --label "$name" ||
    die "writing $name's certificate"
done
p11 --login --pin "$pin" --write-object pki/ca.der --type cert --id 10 --label tls-ca || die "writing the CA"
software req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout pki/server.key \
  -subj "/CN=localhost" -out pki/server.csr || die "server key"
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n' \
  >pki/server.ext
software x509 -req -in pki/server.csr -CA pki/ca.pem -CAkey pki/ca.key -set_serial 8192 -days 30 \
  -extfile pki/server.ext -out pki/server.pem || die "server certificate"
echo "provisioning: requests signed by the token's keys (openssl req -engine pkcs11); test CA issued CN=device-ec and CN=device-rsa, written into the token with the CA certificate \"tls-ca\""

# --- 4. the device ---------------------------------------------------------------------------------
current="TLS"
failed=0
for k in "${keys[@]}"; do
  read -r name _ _ <<<"$k"
  for v in 1.3 1.2; do
    if line=$("$here/tls-run.sh" "$firmware" "$image" "$pin" "$name" tls-ca "$v" pki "$out/$name-tls$v" 2>>"$log"); then
      echo "PASS: $name: $line"
    else
      echo "FAIL: $name, TLS $v (see $log)"
      failed=$((failed + 1))
    fi
  done
done
# The server's check is real: a server that trusts another CA refuses the
# device's certificate, and the run says so.
current="TLS with a server trusting another CA"
mkdir -p pki-other
software req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout pki-other/ca.key \
  -out pki-other/ca.pem -days 30 -subj "/CN=another CA" || die "another CA"
cp pki/server.pem pki/server.key pki-other/
if "$here/tls-run.sh" "$firmware" "$image" "$pin" device-ec tls-ca 1.3 pki-other "$out/other-ca" >>"$log" 2>&1; then
  echo "FAIL: a server trusting another CA accepted the device"
  failed=$((failed + 1))
elif grep -q "certificate verify failed" "$out/other-ca/server.out"; then
  echo "PASS: a server trusting another CA refused the device's certificate: s_server $(grep -m1 '^verify error:' "$out/other-ca/server.out")"
else
  echo "FAIL: a server trusting another CA: no verification error from s_server (see $log)"
  failed=$((failed + 1))
fi
current=""
if [ $failed -gt 0 ]; then
  echo "tls-test: $failed of 5 checks failed; the end of $log:"
  tail -n 40 "$log" | sed 's/^/  | /'
  exit 1
fi
echo "tls-test: 5 of 5 passed (4 connections, 1 refusal)"
