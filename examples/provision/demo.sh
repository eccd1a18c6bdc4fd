#!/usr/bin/env bash
# examples/provision/demo.sh MODULE NVTOKEN OUTDIR [FIRMWARE] - the
# provisioning story of `make demo`, end to end, with standard tools:
#
#   1. a fresh flash image with a small MCU's geometry;
#   2. the token initialised, user PIN set (pkcs11-tool);
#   3. an EC P-256 key pair generated inside the token;
#   4. a certificate request signed by the token's key (OpenSSL + the
#      libp11 engine);
#   5. a local test CA (OpenSSL, software) issues the device certificate;
#   6. the device and CA certificates written into the token, read back;
#   7. mutual TLS on 127.0.0.1: openssl s_server requires a client
#      certificate from the CA; openssl s_client signs with the token's key;
#   8. the image's store statistics (tools/nvtoken stat);
#   9. (with FIRMWARE) the image on the device: the TLS client firmware
#      (examples/tls-client/) boots on QEMU's emulated Cortex-M4 from the
#      image, and does mutual TLS 1.3 and 1.2 with s_server over its UART,
#      the token on the device signing with the key made in step 3.
#
# Each step prints one line; what the tools say goes to OUTDIR/demo.log,
# shown only when a step fails. Every step checks its result; the script
# exits non-zero on the first failure. The image and the PKI files stay in
# OUTDIR (made afresh on each run). ctest runs it too (label demo).
#
#   MODULE   an unsanitized libnvtoken.so (Debian's clients cannot load a
#            sanitized one)
#   NVTOKEN  the nvtoken tool (build/<preset>/tools/nvtoken)
#   OUTDIR   where the image, certificates and log go (e.g. build/demo)
#   FIRMWARE the tls_client ELF (examples/tls-client/), for step 9
set -euo pipefail

if [ $# -ne 3 ] && [ $# -ne 4 ]; then
  echo "usage: $0 MODULE NVTOKEN OUTDIR [FIRMWARE]" >&2
  exit 2
fi
firmware=
[ $# -eq 4 ] && firmware=$(readlink -f "$4")
start=$(date +%s%N)
here=$(cd "$(dirname "$0")" && pwd)
module=$(readlink -f "$1")
tool=$(readlink -f "$2")
out=$3

# The device: 2 KiB flash pages programmed 8 bytes (a double-word, with ECC)
# at a time, as on an STM32L4; 16 pages (32 KiB) reserved for the token.
sector=2048 count=16 unit=8
label=demo-device so_pin=10203040 pin=4321
subject="demo-device-0001"
timeout_s=60

mkdir -p "$out"
shown=${out%/}  # as given, for the lines printed
out=$(cd "$out" && pwd)
rm -rf "$out/pki" "$out/tls" "$out/device" "$out/device.img" "$out/device.img.lock" "$out/demo.log"
mkdir -p "$out/pki" "$out/tls"
log="$out/demo.log"
: >"$log"
step=0 steps=8
[ -n "$firmware" ] && steps=9
current=""

# The log's tail when anything fails, wherever it failed.
on_exit() {
  local rc=$?
  [ -n "${server_pid:-}" ] && kill "$server_pid" 2>/dev/null
  if [ $rc -ne 0 ]; then
    echo "FAILED at step $step/$steps${current:+ ($current)}; the end of $log:" >&2
    tail -n 30 "$log" | sed 's/^/  | /' >&2
  fi
  exit $rc
}
trap on_exit EXIT

begin() { step=$((step + 1)); current=$1; printf '\n=== [%d/%d] %s\n' "$step" "$steps" "$1" >>"$log"; }
done_line() { printf '[%d/%d] %s\n' "$step" "$steps" "$1"; }
die() { echo "check failed: $*" >>"$log"; exit 1; }
# run <cmd...>: bounded in time, its output to the log.
run() { echo "\$ $*" >>"$log"; timeout -k 5 "$timeout_s" "$@" </dev/null >>"$log" 2>&1; }

# --- the environment: only this demo's token, no user settings -----------------------
unset NVTOKEN_IMAGE NVTOKEN_GEOMETRY NVTOKEN_SYNC OPENSSL_ENGINES PKCS11_MODULE_PATH
export LC_ALL=C
export NVTOKEN_CONF="$out/nvtoken.conf"
image="$out/device.img"
printf '# written by examples/provision/demo.sh\nimage = %s\ngeometry = %sx%sx%s\n' \
  "$image" "$sector" "$count" "$unit" >"$NVTOKEN_CONF"

if nm -D --undefined-only "$module" 2>/dev/null | grep -q ' __asan_init'; then
  echo "$module is built with AddressSanitizer; Debian's clients cannot load it: use an unsanitized build (host-release, host-clang)" >&2
  exit 1
fi
engines_dir=$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')
[ -f "$engines_dir/pkcs11.so" ] || {
  echo "no OpenSSL PKCS#11 engine at $engines_dir/pkcs11.so: install libengine-pkcs11-openssl (scripts/setup)" >&2
  exit 1
}
cat >"$out/openssl-engine.cnf" <<EOF
# OpenSSL with the libp11 engine loading nvtoken (examples/provision/demo.sh)
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
: >"$out/openssl-plain.cnf"
with_engine() { OPENSSL_CONF="$out/openssl-engine.cnf" run openssl "$@"; }
software() { OPENSSL_CONF="$out/openssl-plain.cnf" run openssl "$@"; }
p11() { run pkcs11-tool --module "$module" --token-label "$label" "$@"; }
p11_user() { p11 --login --pin "$pin" "$@"; }
key_uri="pkcs11:token=$label;object=device-key;type=private;pin-value=$pin"
pub_uri="pkcs11:token=$label;object=device-key;type=public"
# stat_field <name>: a field of the last `nvtoken stat` (in $stat).
stat_field() { sed -n "s/^$1: *//p" <<<"$stat"; }

cd "$out"

# --- 1. a fresh image ---------------------------------------------------------------------
begin "fresh image"
# The module creates the image of the configured geometry when a client
# first asks for its slot, and formats it.
run pkcs11-tool --module "$module" -L || die "pkcs11-tool -L"
[ "$(stat -c %s "$image")" -eq $((sector * count)) ] || die "image size"
stat=$("$tool" stat "$image" 2>>"$log") || die "nvtoken stat"
echo "$stat" >>"$log"
[ "$(stat_field objects)" = 0 ] || die "a fresh image holds objects"
done_line "fresh image: $count sectors x $((sector / 1024)) KiB, $unit-byte program unit ($((sector * count / 1024)) KiB of STM32L4-style flash pages) -> $shown/device.img"

# --- 2. token and PIN -----------------------------------------------------------------------
begin "token and PINs"
run pkcs11-tool --module "$module" --init-token --label "$label" --so-pin "$so_pin" || die "--init-token"
p11 --init-pin --login --so-pin "$so_pin" --pin "$pin" || die "--init-pin"
slots=$(timeout "$timeout_s" pkcs11-tool --module "$module" -L 2>>"$log") || die "-L"
echo "$slots" >>"$log"
grep -q "token label *: $label\$" <<<"$slots" || die "no token $label in the slot list"
grep -q "token flags *:.*, PIN initialized" <<<"$slots" || die "user PIN not initialised"
done_line "token \"$label\" initialised, SO PIN and user PIN set (pkcs11-tool)"

# --- 3. the key pair, made inside -----------------------------------------------------------
begin "key pair"
p11_user --keypairgen --key-type EC:prime256v1 --id 01 --label device-key --usage-sign ||
  die "--keypairgen"
listing=$(timeout "$timeout_s" pkcs11-tool --module "$module" --token-label "$label" \
            --login --pin "$pin" -O --type privkey 2>>"$log") || die "-O"
echo "$listing" >>"$log"
access=$(awk '/^Private Key Object/ { k = 1 } k && $1 == "Access:" { sub(/^[^:]*: */, ""); print; exit }' \
           <<<"$listing")
[[ ", $access," == *", sensitive,"* && ", $access," == *", never extractable,"* ]] ||
  die "the private key is not sensitive and never extractable: $access"
with_engine pkey -engine pkcs11 -inform engine -pubin -in "$pub_uri" -pubout -out pki/device.pub.pem ||
  die "public key through the engine"
software pkey -pubin -in pki/device.pub.pem -noout -text || die "public key unreadable"
grep -q "ASN1 OID: prime256v1" "$log" || die "not a P-256 key"
done_line "EC P-256 key pair generated inside the token (id 01, \"device-key\"): private key sensitive, never extractable"

# --- 4. certificate request, signed by the token ------------------------------------------------
begin "certificate request"
with_engine req -new -engine pkcs11 -keyform engine -key "$key_uri" -subj "/CN=$subject" \
  -out pki/device.csr || die "openssl req through the engine"
software req -in pki/device.csr -verify -noout || die "the request's signature"
software req -in pki/device.csr -pubkey -noout -out pki/csr.pub.pem || die "the request's key"
cmp -s pki/csr.pub.pem pki/device.pub.pem || die "the request is not for the token's key"
done_line "certificate request for CN=$subject signed by the token's key (openssl req -engine pkcs11), signature verified"

# --- 5. the test CA issues the certificate --------------------------------------------------------
begin "test CA"
software req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
  -keyout pki/ca.key -out pki/ca.pem -days 30 -subj "/CN=nvtoken demo CA" \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign ||
  die "the CA"
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' \
  >pki/device.ext
software x509 -req -in pki/device.csr -CA pki/ca.pem -CAkey pki/ca.key -set_serial 0x1001 \
  -days 30 -extfile pki/device.ext -out pki/device.pem || die "issuing the device certificate"
software verify -CAfile pki/ca.pem pki/device.pem || die "the device certificate does not verify"
software x509 -in pki/device.pem -outform DER -out pki/device.der
software x509 -in pki/ca.pem -outform DER -out pki/ca.der
done_line "local test CA \"nvtoken demo CA\" (P-256, in software, $shown/pki) issued the device certificate, serial 0x1001"

# --- 6. certificates into the token ----------------------------------------------------------------
begin "certificates written"
p11_user --write-object pki/device.der --type cert --id 01 --label device-cert || die "write device-cert"
p11_user --write-object pki/ca.der --type cert --id 02 --label demo-ca || die "write demo-ca"
for c in device-cert:device demo-ca:ca; do
  p11 --read-object --type cert --label "${c%%:*}" -o "pki/${c#*:}.back.der" || die "read back ${c%%:*}"
  cmp -s "pki/${c#*:}.der" "pki/${c#*:}.back.der" || die "${c%%:*} read back differs"
done
done_line "device certificate (id 01) and CA certificate (id 02) written into the token, read back byte-identical"

# --- 7. mutual TLS ---------------------------------------------------------------------------------
begin "mutual TLS"
software req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout tls/server.key \
  -subj "/CN=localhost" -out tls/server.csr || die "server key"
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n' \
  >tls/server.ext
software x509 -req -in tls/server.csr -CA pki/ca.pem -CAkey pki/ca.key -set_serial 0x2001 \
  -days 30 -extfile tls/server.ext -out tls/server.pem || die "server certificate"
# The server picks a free port (":0") and says which; it takes one
# connection, requires a client certificate from the CA, and stops.
OPENSSL_CONF="$out/openssl-plain.cnf" timeout -k 5 "$timeout_s" openssl s_server \
  -accept 127.0.0.1:0 -naccept 1 -rev -cert tls/server.pem -key tls/server.key \
  -CAfile pki/ca.pem -Verify 1 -verify_return_error </dev/null >tls/server.out 2>&1 &
server_pid=$!
port=
for _ in $(seq 100); do
  port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' tls/server.out)
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { cat tls/server.out >>"$log"; die "s_server does not listen"; }
printf 'provisioned\nCLOSE\n' >tls/client.in
echo "\$ openssl s_client -connect 127.0.0.1:$port -engine pkcs11 -keyform engine -key <token> ..." >>"$log"
crc=0
OPENSSL_CONF="$out/openssl-engine.cnf" timeout -k 5 "$timeout_s" openssl s_client \
  -connect "127.0.0.1:$port" -engine pkcs11 -keyform engine -key "$key_uri" -cert pki/device.pem \
  -CAfile pki/ca.pem -verify_return_error -servername localhost -verify_hostname localhost \
  -brief -ign_eof \
  <tls/client.in >tls/client.out 2>&1 || crc=$?
src=0
wait "$server_pid" || src=$?
server_pid=
{ echo "--- s_client (exit status $crc):"; cat tls/client.out; echo "--- s_server (exit status $src):"; cat tls/server.out; } >>"$log"
if [ $crc -ne 0 ] || [ $src -ne 0 ]; then die "s_client or s_server failed"; fi
grep -qxF "Peer certificate: CN = $subject" tls/server.out || die "the server did not see CN=$subject"
grep -qxF "Verification: OK" tls/server.out || die "the server did not verify the client certificate"
grep -qxF "Verification: OK" tls/client.out || die "the client did not verify the server"
grep -qxF "denoisivorp" tls/client.out || die "no reply through the connection"
proto=$(sed -n 's/^Protocol version: //p' tls/server.out)
sigtype=$(sed -n 's/^Signature type: //p' tls/server.out)
done_line "mutual TLS on 127.0.0.1:$port ($proto): s_server verified the client certificate CN=$subject, signed by the token's key (${sigtype:-ECDSA}) through the engine"

# --- 8. the image ------------------------------------------------------------------------------------
begin "store statistics"
stat=$("$tool" stat "$image" 2>>"$log") || die "nvtoken stat"
echo "$stat" >>"$log"
grep -qE '^fsck: +clean ' <<<"$stat" || die "fsck"
[ "$(stat_field objects)" -ge 5 ] || die "fewer objects than keys and certificates"
erase=$(stat_field "erase counts")
done_line "store: $(stat_field objects) objects, $(stat_field "live bytes") bytes used, $(stat_field "free bytes") of $(stat_field capacity) free; erase counts ${erase//,/}; fsck clean (nvtoken stat)"

# --- 9. the image on the device -----------------------------------------------------------------
if [ -n "$firmware" ]; then
  begin "TLS on the device"
  # What s_server needs (tls-run.sh): the CA, and the server's certificate.
  mkdir -p device/pki
  cp pki/ca.pem tls/server.pem tls/server.key device/pki/
  lines=()
  for v in 1.3 1.2; do
    echo "\$ examples/tls-client/tls-run.sh ... $v" >>"$log"
    line=$("$here/../tls-client/tls-run.sh" "$firmware" "$image" "$pin" device-key demo-ca "$v" \
             device/pki "device/tls$v" 2>>"$log") || die "TLS $v from the device"
    echo "$line" >>"$log"
    lines+=("$line")
  done
  done_line "the image on the emulated device (QEMU mps2-an386, Cortex-M4, examples/tls-client): mutual TLS with s_server over its UART, signed inside the token by the key of step 3 (lent to mbedTLS as a PSA key):"
  printf '      %s\n' "${lines[@]}"
fi

ms=$((($(date +%s%N) - start) / 1000000))
printf 'demo done in %d.%d s; what the tools said: %s\n' $((ms / 1000)) $((ms % 1000 / 100)) "$shown/demo.log"
