#!/usr/bin/env bash
# tests/tools/clients.sh NVTOKEN MODULE DEVICES - what the nvtoken tool
# makes, as standard clients see it through libnvtoken.so (MODULE):
#
#   1. keys and certificates imported by the tool: pkcs11-tool lists them
#      with their ids, labels and flags, reads the certificates and public
#      keys back byte for byte, and signs with the imported EC and RSA keys
#      (verified by OpenSSL in software); OpenSSL signs with them through the
#      libp11 engine and pkcs11: URIs (unsanitized modules only: Debian's
#      OpenSSL cannot load one built with AddressSanitizer; the host-clang
#      build of `make test` runs it);
#   2. a batch of DEVICES devices (make test: 50 in host-clang, fewer under
#      the sanitizers), checked image by image: `nvtoken fsck` clean, the
#      certificate in the token is the one issued and verifies under the CA,
#      the flash file decodes to the image, and pkcs11-tool signs with the
#      device's key in its image - OpenSSL verifies the signature with the
#      device certificate's key; a second run skips every device.
#
# Host only. Every client runs bounded in time; the image of each step is
# selected with NVTOKEN_IMAGE, nothing of the user's configuration is read.
set -euo pipefail
tool=$(readlink -f "$1") module=$(readlink -f "$2") devices=$3
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nvt-clients.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export LC_ALL=C HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data"
unset NVTOKEN_IMAGE NVTOKEN_GEOMETRY NVTOKEN_CONF NVTOKEN_SYNC OPENSSL_ENGINES PKCS11_MODULE_PATH
mkdir -p "$HOME"
failed=0 passed=0
pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; shift; printf '%s\n' "$@" | tail -n 30 | sed 's/^/      | /'; }
check() {  # check <desc> <command...>
  local desc=$1
  shift
  if timeout -k 5 120 "$@" >check.out 2>&1 </dev/null; then pass "$desc"; else fail "$desc" "$(cat check.out)"; fi
}
software() { OPENSSL_CONF=/dev/null openssl "$@"; }
# p11 <image> <args...>: pkcs11-tool on one image through the module.
p11() {
  local image=$1
  shift
  NVTOKEN_IMAGE="$image" timeout -k 5 120 pkcs11-tool --module "$module" "$@" </dev/null
}

pin=4321 so_pin=10203040
echo "$pin" >pin
echo "$so_pin" >so-pin
fast=(--pin-iterations 100)
sanitized=0
nm -D --undefined-only "$module" 2>/dev/null | grep -q ' __asan_init' && sanitized=1

# --- 1. imported objects ------------------------------------------------------------------------
software req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 30 \
  -subj "/CN=Clients Test CA" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign \
  2>/dev/null
software x509 -in ca.pem -outform DER -out ca.der
software ecparam -name prime256v1 -genkey -noout -out ec.sec1.pem
software pkcs8 -topk8 -nocrypt -in ec.sec1.pem -out ec.key
software req -new -key ec.key -subj "/CN=ec-device" -out ec.csr
software x509 -req -in ec.csr -CA ca.pem -CAkey ca.key -set_serial 0x1001 -days 30 -out ec.crt 2>/dev/null
software x509 -in ec.crt -outform DER -out ec.crt.der
software pkey -in ec.key -pubout -outform DER -out ec.pub.der
software genrsa -out rsa.key 2048 2>/dev/null
software req -new -key rsa.key -subj "/CN=rsa-device" -out rsa.csr
software x509 -req -in rsa.csr -CA ca.pem -CAkey ca.key -set_serial 0x1002 -days 30 -out rsa.crt 2>/dev/null
software x509 -in rsa.crt -outform DER -out rsa.crt.der
software pkey -in rsa.key -pubout -outform DER -out rsa.pub.der
printf 'signed by a key the nvtoken tool imported\n' >data
software dgst -sha256 -binary -out data.sha256 data

check "nvtoken create" "$tool" create dev.img --geometry 4096x16x8 --label clients --so-pin-file so-pin \
  --pin-file pin "${fast[@]}"
check "nvtoken import an EC key" "$tool" import dev.img --pin-file pin --key ec.key --label ec-key --id 01
check "nvtoken import its certificate" "$tool" import dev.img --pin-file pin --cert ec.crt
check "nvtoken import an RSA key" "$tool" import dev.img --pin-file pin --key rsa.key --label rsa-key --id 02
check "nvtoken import its certificate" "$tool" import dev.img --pin-file pin --cert rsa.crt.der --label rsa-cert
check "nvtoken import the CA certificate" "$tool" import dev.img --pin-file pin --cert ca.pem --label ca --id 03

if listing=$(p11 dev.img --login --pin "$pin" -O 2>&1); then
  pass "pkcs11-tool lists the objects"
else
  fail "pkcs11-tool lists the objects" "$listing"
fi
echo "$listing" >listing.txt
# Each object with its class, label and id, as pkcs11-tool prints them.
objects=$(awk '/^(Private Key|Public Key|Certificate) Object/ { cls = $1 } /^  label:/ { l = $2 } /^  ID:/ { print cls, l, $2 }' \
  listing.txt | sort | tr '\n' ' ')
want="Certificate ca 03 Certificate ec-key 01 Certificate rsa-cert 02 Private ec-key 01 Private rsa-key 02 Public ec-key 01 Public rsa-key 02 "
[ "$objects" = "$want" ] && pass "pkcs11-tool sees every imported object by class, label and id" ||
  fail "pkcs11-tool sees every imported object by class, label and id" "got:  $objects" "want: $want"
access=$(awk '/^Private Key Object/ { k = 1 } k && /^  Access:/ { sub(/^ *Access: */, ""); print; exit }' listing.txt)
if [[ ", $access," == *", sensitive,"* && ", $access," != *", extractable,"* ]]; then
  pass "pkcs11-tool: the imported private key is sensitive, not extractable ($access)"
else
  fail "pkcs11-tool: the imported private key is sensitive, not extractable" "$access"
fi
if grep -q "subject: *DN: CN=ec-device" listing.txt; then pass "pkcs11-tool: the certificate's subject"; else fail "pkcs11-tool: the certificate's subject" "$(cat listing.txt)"; fi
check "pkcs11-tool reads the certificate back, byte for byte" bash -c \
  "NVTOKEN_IMAGE=dev.img pkcs11-tool --module '$module' --read-object --type cert --id 01 -o back.der </dev/null && cmp back.der ec.crt.der"
check "pkcs11-tool reads the RSA certificate back" bash -c \
  "NVTOKEN_IMAGE=dev.img pkcs11-tool --module '$module' --read-object --type cert --id 02 -o back2.der </dev/null && cmp back2.der rsa.crt.der"
if [ "$sanitized" = 1 ]; then
  # pkcs11-tool's own conversion of an EC public key reads a curve name it
  # has freed (EVP_PKEY_fromdata), which the ASan runtime stops.
  echo "NOTE: pkcs11-tool --read-object --type pubkey runs in unsanitized builds (a use-after-free of pkcs11-tool's own under ASan)"
else
  check "pkcs11-tool reads the EC public key back" bash -c \
    "NVTOKEN_IMAGE=dev.img pkcs11-tool --module '$module' --read-object --type pubkey --id 01 -o pub.der </dev/null && cmp pub.der ec.pub.der"
fi
check "pkcs11-tool signs with the imported EC key" bash -c \
  "NVTOKEN_IMAGE=dev.img pkcs11-tool --module '$module' --login --pin $pin --sign -m ECDSA-SHA256 --id 01 --signature-format openssl -i data -o ec.sig </dev/null"
check "OpenSSL verifies the EC signature with the certificate's key" bash -c \
  "OPENSSL_CONF=/dev/null openssl x509 -in ec.crt -pubkey -noout >ec.pub.pem && OPENSSL_CONF=/dev/null openssl dgst -sha256 -verify ec.pub.pem -signature ec.sig data"
check "pkcs11-tool signs with the imported RSA key" bash -c \
  "NVTOKEN_IMAGE=dev.img pkcs11-tool --module '$module' --login --pin $pin --sign -m SHA256-RSA-PKCS --id 02 -i data -o rsa.sig </dev/null"
check "OpenSSL verifies the RSA signature" bash -c \
  "OPENSSL_CONF=/dev/null openssl x509 -in rsa.crt -pubkey -noout >rsa.pub.pem && OPENSSL_CONF=/dev/null openssl dgst -sha256 -verify rsa.pub.pem -signature rsa.sig data"

engines_dir=$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')
if [ "$sanitized" = 1 ]; then
  echo "NOTE: the module is built with AddressSanitizer: the OpenSSL engine checks run in unsanitized builds (host-clang)"
elif [ ! -f "$engines_dir/pkcs11.so" ]; then
  fail "the libp11 engine is installed" "no $engines_dir/pkcs11.so: install libengine-pkcs11-openssl (scripts/setup)"
else
  cat >engine.cnf <<EOF
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
  for k in "ec-key ec.pub.pem" "rsa-key rsa.pub.pem"; do
    read -r label pub <<<"$k"
    uri="pkcs11:token=clients;object=$label;type=private;pin-value=$pin"
    check "OpenSSL (libp11 engine) signs with the imported key $label" bash -c \
      "NVTOKEN_IMAGE=dev.img OPENSSL_CONF=engine.cnf openssl dgst -sha256 -engine pkcs11 -keyform engine -sign '$uri' -out $label.engine.sig data"
    check "OpenSSL verifies it in software" env OPENSSL_CONF=/dev/null openssl dgst -sha256 -verify "$pub" \
      -signature "$label.engine.sig" data
    check "OpenSSL (libp11 engine) reads the public key of $label" bash -c \
      "NVTOKEN_IMAGE=dev.img OPENSSL_CONF=engine.cnf openssl pkey -engine pkcs11 -inform engine -pubin -in 'pkcs11:token=clients;object=$label;type=public' -pubout -out $label.engine.pub && cmp $label.engine.pub $pub"
  done
fi
check "the image passes fsck after the clients' logins" "$tool" fsck dev.img

# --- 2. a batch of devices, checked one by one ----------------------------------------------------------------
mkdir -p devices
{
  echo "serial,label,subject,geometry,output"
  for i in $(seq -w 1 "$devices"); do
    echo "SN$i,dev-$i,\"CN=device-$i,O=nvtoken test\",2048x16x8,devices/dev-$i.img"
  done
} >manifest.csv
start=$(date +%s%N)
check "nvtoken batch of $devices devices" "$tool" batch manifest.csv --ca-key ca.key --ca-cert ca.pem \
  --so-pin-file so-pin --pin-file pin --address 0x0807C000 "${fast[@]}"
ms=$((($(date +%s%N) - start) / 1000000))
echo "batch of $devices devices: $ms ms"
bad=()
for i in $(seq -w 1 "$devices"); do
  d=devices/dev-$i
  why=""
  # The flash file first: a login (the signature below) counts a PIN
  # attempt in the image, which then no longer equals it.
  if ! objcopy -I ihex -O binary "$d.hex" flash.bin || ! cmp -s flash.bin "$d.img"; then
    why="the flash file is not the image"
  elif ! "$tool" fsck "$d.img" >fsck.out 2>&1 || ! grep -qE '^fsck: +clean$' fsck.out; then
    why="fsck: $(cat fsck.out)"
  elif ! software verify -CAfile ca.pem "$d.crt" >/dev/null 2>&1; then
    why="the certificate does not verify under the CA"
  elif ! NVTOKEN_IMAGE="$d.img" timeout -k 5 60 pkcs11-tool --module "$module" --read-object --type cert --id 01 \
         -o cert.der </dev/null >/dev/null 2>&1 || ! cmp -s cert.der <(software x509 -in "$d.crt" -outform DER); then
    why="the token's certificate is not the one issued"
  elif ! printf 'device %s signs this\n' "$i" >msg ||
       ! NVTOKEN_IMAGE="$d.img" timeout -k 5 60 pkcs11-tool --module "$module" --login --pin "$pin" --sign \
         -m ECDSA-SHA256 --id 01 --signature-format openssl -i msg -o msg.sig </dev/null >sign.out 2>&1; then
    why="pkcs11-tool cannot sign: $(cat sign.out)"
  elif ! software x509 -in "$d.crt" -pubkey -noout >dev.pub.pem ||
       ! software dgst -sha256 -verify dev.pub.pem -signature msg.sig msg >/dev/null 2>&1; then
    why="the signature does not verify with the device certificate's key"
  fi
  [ -z "$why" ] || bad+=("$d: $why")
done
if [ ${#bad[@]} -eq 0 ]; then
  pass "all $devices devices: fsck clean, certificate issued and imported, signature by the device's key verified, flash file is the image"
else
  fail "all $devices devices checked" "${bad[@]}"
fi
check "nvtoken batch again: every device verified and skipped" bash -c \
  "'$tool' batch manifest.csv --ca-key ca.key --ca-cert ca.pem --so-pin-file so-pin --pin-file pin --address 0x0807C000 | tail -1 | grep -q '^batch: $((10#$devices)) devices: 0 made, $((10#$devices)) skipped'"

echo "nvtoken with PKCS#11 clients: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
