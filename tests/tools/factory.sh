#!/usr/bin/env bash
# tests/tools/factory.sh NVTOKEN - the factory commands of the nvtoken tool
# (create, import, list, export, genkey, write, batch) with inputs made by
# OpenSSL: what each does, every error with its exit status and one line on
# stderr, and that a refused command leaves the image as it was. Host only;
# no PKCS#11 client is needed (tests/tools/clients.sh uses them).
set -euo pipefail
tool=$(readlink -f "$1")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/nvt-factory.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
export LC_ALL=C OPENSSL_CONF=/dev/null
failed=0 passed=0
pass() { passed=$((passed + 1)); echo "PASS: $1"; }
fail() { failed=$((failed + 1)); echo "FAIL: $1"; shift; printf '      | %s\n' "$@"; }
check() {  # check <desc> <command...>: pass if the command succeeds
  local desc=$1
  shift
  if "$@" >check.out 2>&1; then pass "$desc"; else fail "$desc" "$(cat check.out)"; fi
}

# run <expected status> <desc> <args...>: the tool's exit status, and
# stderr empty (status 0) or exactly one line (any other).
run() {
  local want=$1 desc=$2 st=0
  shift 2
  "$tool" "$@" >out 2>err </dev/null || st=$?
  local lines
  lines=$(wc -l <err)
  if [ "$st" -ne "$want" ]; then
    fail "$desc: exit status $want" "got $st" "$(cat out err)"
  elif { [ "$want" -eq 0 ] && [ "$lines" -ne 0 ]; } || { [ "$want" -ne 0 ] && [ "$lines" -ne 1 ]; }; then
    fail "$desc: exit status $want and $([ "$want" -eq 0 ] && echo "nothing" || echo "one line") on stderr" "$(cat err)"
  else
    pass "$desc: exit status $want"
  fi
}
# run_in <stdin file> <expected status> <desc> <args...>
run_in() {
  local input=$1
  shift
  local want=$1 desc=$2 st=0
  shift 2
  "$tool" "$@" <"$input" >out 2>err || st=$?
  if [ "$st" -eq "$want" ]; then pass "$desc: exit status $want"; else fail "$desc: exit status $want" "got $st" "$(cat out err)"; fi
}
unchanged() {  # unchanged <file> <copy> <desc>
  if cmp -s "$1" "$2"; then pass "$3: the image is unchanged"; else fail "$3: the image is unchanged"; fi
}
says() {  # says <desc> <pattern> <file>
  if grep -qE -- "$2" "$3"; then pass "$1"; else fail "$1" "no /$2/ in:" "$(cat "$3")"; fi
}
objects_of() {  # objects_of <image>: the token's objects as list --json gives them
  "$tool" list "$1" --pin-file pin --json | python3 -c 'import json, sys; print(json.dumps(json.load(sys.stdin)["objects"]))'
}
same_objects() {  # same_objects <image> <saved objects_of> <desc>
  if [ "$(objects_of "$1")" = "$2" ]; then pass "$3: the token's objects are unchanged"; else fail "$3: the token's objects are unchanged"; fi
}
count_class() {  # count_class <image> <class>: objects of that class (user logged in)
  "$tool" list "$1" --pin-file pin --json | python3 -c '
import json, sys
print(sum(1 for o in json.load(sys.stdin)["objects"] if o["class"] == sys.argv[1]))' "$2"
}

echo 10203040 >so-pin
echo 4321 >pin
echo 9999 >wrong-pin
fast=(--pin-iterations 100)

# --- help and command lines -----------------------------------------------------------------
run 0 "--help" --help
for c in create import list export genkey write batch stat fsck; do
  run 0 "$c --help" "$c" --help
  says "$c --help shows its usage" "^usage: nvtoken $c" out
done
run 2 "no command"
run 2 "an unknown command" frobnicate
run 2 "an unknown option" create x.img --bogus
run 2 "an option without its value" create x.img --geometry
run 2 "two images" list a.img b.img

# --- create --------------------------------------------------------------------------------------
run 0 "create a 16 x 2 KiB image" create dev.img --geometry 2048x16x8 --label dev --so-pin-file so-pin \
  --pin-file pin "${fast[@]}"
says "create says what it made" "^created dev.img: 2048x16x8 \(32768 bytes\); token initialised, user PIN set$" out
[ "$(stat -c %s dev.img)" = 32768 ] && pass "create: the image has the geometry's size" || fail "create: size"
[ "$(stat -c %a dev.img)" = 600 ] && pass "create: the image is mode 0600" || fail "create: mode" "$(stat -c %a dev.img)"
run 0 "fsck of the new image" fsck dev.img
run 0 "list of the new image" list dev.img --pin-file pin
says "list: the token's label, no objects" '^token: +"dev" .*user PIN set' out
says "list: no objects" '^objects: 0$' out
cp dev.img dev.ref
run 7 "create over an existing image" create dev.img --geometry 2048x16x8 --so-pin-file so-pin
unchanged dev.img dev.ref "create over an existing image"
run 2 "create without --geometry" create new.img --so-pin-file so-pin
run 2 "create with a bad geometry" create new.img --geometry 1000x4x8 --so-pin-file so-pin
run 2 "create: --pin-file without --so-pin-file" create new.img --geometry 1024x4x8 --pin-file pin
run 2 "create: a label over 32 bytes" create new.img --geometry 1024x4x8 --label "$(printf 'l%.0s' {1..33})"
run 3 "create: a missing PIN file" create new.img --geometry 1024x4x8 --so-pin-file nonexistent
: >empty-pin
run 9 "create: an empty PIN file" create new.img --geometry 1024x4x8 --so-pin-file empty-pin
echo 123 >short-pin
run 5 "create: a PIN too short for the token" create new.img --geometry 1024x4x8 --so-pin-file short-pin
[ ! -e new.img ] && pass "create: a refused create leaves no file" || fail "create: a refused create leaves no file"
leftovers=$(ls ./*.tmp-* 2>/dev/null || true)
[ -z "$leftovers" ] && pass "create: no temporary file left" || fail "create: no temporary file left" "$leftovers"
printf '10203040\n4321\n' >both-pins
run_in both-pins 0 "create: both PINs from standard input" create stdin.img --geometry 1024x8x8 \
  --so-pin-file - --pin-file - "${fast[@]}"
run 0 "a PIN from standard input works" list stdin.img --pin-file pin
run 0 "create without PINs: formatted only" create blank-token.img --geometry 1024x4x8
says "create says the token is not initialised" "formatted, token not initialised" out
run 4 "list of a token not initialised" list blank-token.img

# --- inputs from OpenSSL -----------------------------------------------------------------------------
openssl ecparam -name prime256v1 -genkey -noout -out ec.sec1.pem
openssl pkcs8 -topk8 -nocrypt -in ec.sec1.pem -out ec.p8.pem
openssl pkey -in ec.p8.pem -outform DER -out ec.p8.der
openssl pkey -in ec.p8.pem -pubout -out ec.pub.pem
openssl pkey -in ec.p8.pem -pubout -outform DER -out ec.pub.der
openssl req -x509 -new -key ec.p8.pem -subj "/CN=device 1/O=Acme, Inc." -days 30 -out ec.crt.pem
openssl x509 -in ec.crt.pem -outform DER -out ec.crt.der
echo "open sesame" >passphrase
openssl ecparam -name secp384r1 -genkey -noout -out p384.sec1.pem
openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256 -passout file:passphrase -in p384.sec1.pem \
  -out p384.enc.pem
openssl pkcs8 -topk8 -v2 aes-128-cbc -passout file:passphrase -in ec.sec1.pem -outform DER -out ec.enc.der
openssl genrsa -traditional -out rsa.pkcs1.pem 2048 2>/dev/null
openssl pkey -in rsa.pkcs1.pem -outform DER -out rsa.p8.der
openssl pkey -in rsa.pkcs1.pem -pubout -out rsa.pub.pem
openssl genpkey -algorithm ed25519 -out ed25519.pem
openssl ecparam -name secp256k1 -genkey -noout -out k256.pem
openssl genrsa -out rsa1024.pem 1024 2>/dev/null
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 30 \
  -subj "/CN=Test CA/O=Acme" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
d_hex=$(openssl ec -in ec.sec1.pem -text -noout 2>/dev/null | sed -n '/^priv:/,/^pub:/p' | grep -v ':$' | tr -d ' :\n')

# --- import --------------------------------------------------------------------------------------------
run 0 "import an EC P-256 PKCS#8 PEM key" import dev.img --pin-file pin --key ec.p8.pem --label ec --id 01
says "import says what it imported" '^imported private key "ec" \(EC P-256, id 01\) and its public key into dev.img$' out
run 0 "import its certificate (id from its key)" import dev.img --pin-file pin --cert ec.crt.pem
says "the certificate takes its key's id and label" '^imported certificate "ec" \(id 01,' out
run 0 "import an EC key from SEC1 PEM" import dev.img --pin-file pin --key ec.sec1.pem --label sec1 --id 02
run 0 "import an EC key from PKCS#8 DER" import dev.img --pin-file pin --key ec.p8.der --label der --id 03
run 0 "import an encrypted PKCS#8 (AES-256, PBKDF2-SHA256) P-384 key" import dev.img --pin-file pin \
  --key p384.enc.pem --passphrase-file passphrase --label p384 --id 04
run 0 "import an encrypted PKCS#8 DER (AES-128) key" import dev.img --pin-file pin --key ec.enc.der \
  --passphrase-file passphrase --label encder --id 05
openssl ecparam -name secp521r1 -genkey -noout -out p521.pem
run 0 "import an EC P-521 key" import dev.img --pin-file pin --key p521.pem --label p521 --id 09
run 0 "import an RSA-2048 key from PKCS#1 PEM" import dev.img --pin-file pin --key rsa.pkcs1.pem --label rsa --id 06
run 0 "import an RSA key from PKCS#8 DER, without its public key" import dev.img --pin-file pin --key rsa.p8.der \
  --label rsa-der --id 07 --no-pubkey
run 0 "import a public key" import dev.img --pin-file pin --pubkey rsa.pub.pem --label rsa-pub --id 08
run 0 "import a CA certificate without its key" import dev.img --pin-file pin --cert ca.pem --label ca --id 0a
run 0 "import a key with --attr extractable=true" import dev.img --pin-file pin --key ec.sec1.pem --label exp \
  --id 0b --attr extractable=true --attr sign=true

# Refusals after the login: the token's objects stay as they were (the
# login itself counts a PIN attempt in the image, by design).
objects=$(objects_of dev.img)
run 7 "import a key under an id taken" import dev.img --pin-file pin --key ec.p8.pem --label again --id 01
same_objects dev.img "$objects" "a duplicate id"
run 7 "import a certificate whose key has one already" import dev.img --pin-file pin --cert ec.crt.der
same_objects dev.img "$objects" "a duplicate certificate"
run 5 "import with a wrong PIN" import dev.img --pin-file wrong-pin --key ec.p8.pem --label x --id 20
same_objects dev.img "$objects" "a wrong PIN"
# Refusals before the login (the input is read and checked first): not a
# byte of the image changes.
cp dev.img dev.ref
run 9 "import an encrypted key without its passphrase" import dev.img --pin-file pin --key p384.enc.pem --label x --id 20
says "it says to give the passphrase" "encrypted: give --passphrase-file" err
run 9 "import an encrypted DER key without its passphrase" import dev.img --pin-file pin --key ec.enc.der --label x --id 20
run 9 "import with a wrong passphrase" import dev.img --pin-file pin --key p384.enc.pem --passphrase-file pin \
  --label x --id 20
says "it says the passphrase is wrong" "wrong passphrase" err
sed 's/^[A-Za-z0-9+\/]\{10\}/!!!!!!!!!!/' ec.p8.pem >broken.pem
run 9 "import a malformed PEM key" import dev.img --pin-file pin --key broken.pem --label x --id 20
printf -- '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n' >broken-cert.pem
run 9 "import a malformed PEM certificate" import dev.img --pin-file pin --cert broken-cert.pem --id 20 --label x
run 9 "import a certificate file as a key" import dev.img --pin-file pin --key ec.crt.pem --label x --id 20
run 9 "import a key file as a certificate" import dev.img --pin-file pin --cert ec.p8.pem --id 20 --label x
head -c 300 /dev/urandom >noise.bin
run 9 "import random bytes as a key" import dev.img --pin-file pin --key noise.bin --label x --id 20
run 10 "import an Ed25519 key (not in the token's profile)" import dev.img --pin-file pin --key ed25519.pem --label x --id 20
run 10 "import a secp256k1 key (a curve the token lacks)" import dev.img --pin-file pin --key k256.pem --label x --id 20
openssl pkey -in k256.pem -outform DER -out k256.der 2>/dev/null
run 10 "import a secp256k1 key from DER" import dev.img --pin-file pin --key k256.der --label x --id 20
run 10 "import an RSA-1024 key (a device's profile has no RSA under 2048 bits)" import dev.img --pin-file pin --key rsa1024.pem --label x --id 20
says "it names the key the profile lacks" "no RSA-1024 keys" err
openssl req -x509 -new -key ec.p8.pem -subj "/CN=same key" -days 30 -out ec2.crt.pem
unchanged dev.img dev.ref "every input refused"
objects=$(objects_of dev.img)
run 9 "import a certificate with the id of another key" import dev.img --pin-file pin --cert ec2.crt.pem --id 06
says "it says whose key it certifies" "certifies the key with id 01, not 06" err
openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other.key -out other.crt -days 30 \
  -subj "/CN=nobody" 2>/dev/null
run 6 "import a certificate of no key in the image, without --id" import dev.img --pin-file pin --cert other.crt
run 9 "import a certificate under a key's id it does not certify" import dev.img --pin-file pin --cert other.crt \
  --id 02 --label x
same_objects dev.img "$objects" "certificates refused"
cp dev.img dev.ref
run 2 "import: an unknown --attr" import dev.img --pin-file pin --key ec.p8.pem --label x --id 20 --attr bogus=true
run 2 "import: a bad --attr value" import dev.img --pin-file pin --key ec.p8.pem --label x --id 20 --attr sign=maybe
run 2 "import: two inputs" import dev.img --pin-file pin --key ec.p8.pem --cert ec.crt.pem --label x --id 20
run 2 "import: a key without --id" import dev.img --pin-file pin --key ec.p8.pem --label x
run 2 "import: a bad --id" import dev.img --pin-file pin --key ec.p8.pem --label x --id 0g
run 2 "import: no --pin-file" import dev.img --key ec.p8.pem --label x --id 20
run 3 "import: a missing key file" import dev.img --pin-file pin --key missing.pem --label x --id 20
run 3 "import into a missing image" import missing.img --pin-file pin --key ec.p8.pem --label x --id 20
unchanged dev.img dev.ref "every refused command line"
run 4 "import into an image of another geometry (--geometry)" import dev.img --geometry 4096x8x8 --pin-file pin \
  --key ec.p8.pem --label x --id 20
unchanged dev.img dev.ref "an image of another geometry"
head -c 20000 dev.img >truncated.img
run 4 "import into a truncated image" import truncated.img --pin-file pin --key ec.p8.pem --label x --id 20
head -c 32768 /dev/zero | tr '\0' '\377' >erased.img
cp erased.img erased.ref
run 4 "import into an erased (never formatted) image" import erased.img --pin-file pin --key ec.p8.pem --label x --id 20
unchanged erased.img erased.ref "an erased image"

# A full image: keys until the token says no; no half key pair is left.
# (5 x 1 KiB: with the store's capacity rule of format version 2, the last
# key's private half fits there and its public half does not.)
run 0 "create a 5 x 1 KiB image" create small.img --geometry 1024x5x8 --so-pin-file so-pin --pin-file pin "${fast[@]}"
st=0 i=0
while [ "$st" -eq 0 ] && [ "$i" -lt 20 ]; do
  i=$((i + 1))
  "$tool" import small.img --pin-file pin --key ec.p8.pem --label "k$i" --id "$(printf %02x "$i")" >out 2>err || st=$?
done
[ "$st" -eq 8 ] && pass "import into a full image: exit status 8 (after $((i - 1)) keys)" ||
  fail "import into a full image: exit status 8" "got $st after $i" "$(cat err)"
says "it says the image is full" "CKR_DEVICE_MEMORY \(the image is full\)" err
priv=$(count_class small.img private-key) pub=$(count_class small.img public-key)
[ "$priv" = "$pub" ] && [ "$priv" -eq $((i - 1)) ] && [ "$priv" -gt 0 ] &&
  pass "a full image keeps whole key pairs only ($priv)" ||
  fail "a full image keeps whole key pairs only" "private $priv, public $pub, imports $((i - 1))"
# Here the private half fitted and the public one did not: the private key
# was taken back (the pair counts above show it).
says "the refused half was the public key" "refused the public key" err
run 8 "a too large object for the geometry" import small.img --pin-file pin --key rsa.pkcs1.pem --label big --id 40
run 0 "a full image passes fsck" fsck small.img

objects=$(objects_of dev.img)
run 9 "import: a template the token refuses (always-authenticate on a public key)" import dev.img --pin-file pin \
  --pubkey ec.pub.pem --label x --id 20 --attr always-authenticate=true
same_objects dev.img "$objects" "a template refused"

# --- list --------------------------------------------------------------------------------------------
rm -f dev.img.lock
cp dev.img dev.ref
run 0 "list without a PIN" list dev.img
unchanged dev.img dev.ref "list without a PIN"
if grep -q "^private-key" out; then fail "list without a PIN shows no private key"; else pass "list without a PIN shows no private key"; fi
says "list without a PIN shows public keys" "^public-key +01 +ec +EC P-256 +256 +no" out
[ ! -e dev.img.lock ] && pass "list without a PIN makes no lock file" || fail "list without a PIN makes no lock file"
run 0 "list with the PIN" list dev.img --pin-file pin
says "list: the private key, private, sensitive, not extractable" \
  "^private-key +01 +ec +EC P-256 +256 +yes +yes +no +no +[0-9a-f]{16}" out
says "list: the RSA key's size" "^private-key +06 +rsa +RSA +2048 +yes +yes +no" out
says "list: the P-384 key" "^private-key +04 +p384 +EC P-384 +384" out
says "list: --attr extractable=true shows" "^private-key +0b +exp +EC P-256 +256 +yes +yes +yes" out
says "list: the certificate and its subject" "^certificate +01 +ec +X.509 .*CN=device 1, O=Acme\\\\, Inc\." out
key_fp=$(openssl pkey -pubin -in ec.pub.pem -outform DER | sha256sum | cut -c1-16)
says "list: the key's SHA-256 is the SubjectPublicKeyInfo's" "^public-key +01 +ec .* $key_fp" out
if [ -n "$d_hex" ] && grep -qi "$d_hex" out; then fail "list shows no private value"; else pass "list shows no private value"; fi
run 0 "list --json" list dev.img --pin-file pin --json
if python3 - out ec.crt.der <<'PY'
import json, sys, hashlib, subprocess
doc = json.load(open(sys.argv[1]))
objs = {(o["class"], o["id"]): o for o in doc["objects"]}
k = objs[("private-key", "01")]
assert k["sensitive"] and not k["extractable"] and k["private"], k
assert k["uri"] == "pkcs11:token=dev;object=ec;id=%01;type=private", k["uri"]
assert "value" not in k and "d" not in k
c = objs[("certificate", "01")]
assert c["category"] == "token-user" and c["subject"] == "CN=device 1, O=Acme\\, Inc.", c
assert c["size"] == len(open(sys.argv[2], "rb").read())
assert objs[("certificate", "0a")]["ca"] and objs[("certificate", "0a")]["category"] == "authority"
assert doc["geometry"] == "2048x16x8" and doc["token"]["label"] == "dev"
assert len(doc["objects"]) == 20, len(doc["objects"])
PY
then pass "list --json: identities, flags, certificate fields, no secret"; else fail "list --json" "$(cat out)"; fi
run 5 "list with a wrong PIN" list dev.img --pin-file wrong-pin
run 3 "list a missing image" list missing.img
run 4 "list with another --geometry" list dev.img --geometry 2048x8x8

# --- export --------------------------------------------------------------------------------------------
rm -f dev.img.lock
run 0 "export a certificate (PEM)" export dev.img --label ec --cert -o back.crt.pem
check "export: the PEM certificate is the imported one, byte for byte" cmp back.crt.pem <(openssl x509 -in ec.crt.pem)
run 0 "export a certificate (DER) to stdout" export dev.img --id 01 --cert --der -o -
check "export: the DER certificate is the imported one" cmp out ec.crt.der
run 0 "export a public key (PEM)" export dev.img --id 01 --pubkey
check "export: the public key is the imported key's, byte for byte" cmp out ec.pub.pem
run 0 "export a public key (DER)" export dev.img --label ec --pubkey --der -o back.pub.der
check "export: the DER public key is the imported key's" cmp back.pub.der ec.pub.der
run 0 "export an imported public key" export dev.img --id 08 --pubkey
check "export: the RSA public key is the imported one, byte for byte" cmp out rsa.pub.pem
run 0 "export the public key of a certificate without a public key object" export dev.img --id 0a --pubkey
check "export: it is the certificate's key" cmp out <(openssl x509 -in ca.pem -pubkey -noout)
[ ! -e dev.img.lock ] && pass "export without a PIN makes no lock file" || fail "export without a PIN makes no lock file"
run 6 "export an unknown label" export dev.img --label nobody --cert
run 6 "export a certificate of an id without one" export dev.img --id 04 --cert
run 2 "export: --cert and --pubkey" export dev.img --label ec --cert --pubkey
run 2 "export: --label and --id" export dev.img --label ec --id 01 --cert
run 0 "import a second certificate labelled like another" import dev.img --pin-file pin --cert ca.pem --label ec --id 0c
run 6 "export an ambiguous label" export dev.img --label ec --cert
says "it asks for --id" "name one by --id" err

# --- genkey --------------------------------------------------------------------------------------------
run 0 "genkey EC P-256 with a request" genkey dev.img --pin-file pin --label gen --id 10 \
  --csr "CN=device-0001,O=Acme,C=DE" -o gen.csr
check "the request verifies (openssl req -verify)" openssl req -in gen.csr -verify -noout
check "the request's subject" bash -c "openssl req -in gen.csr -noout -subject | grep -qx 'subject=CN = device-0001, O = Acme, C = DE'"
run 0 "export the generated public key" export dev.img --id 10 --pubkey -o gen.pub.pem
check "the request is for the token's key" cmp gen.pub.pem <(openssl req -in gen.csr -pubkey -noout)
run 0 "genkey EC P-384, request on stdout, OpenSSL's subject form" genkey dev.img --pin-file pin --label gen384 \
  --id 11 --type ec:p384 --csr "/CN=dev 2/O=Acme, Inc."
check "the P-384 request verifies, signed with SHA-384" bash -c \
  "openssl req -in out -verify -noout && openssl req -in out -noout -text | grep -q 'ecdsa-with-SHA384'"
check "the slash subject keeps its comma" bash -c "openssl req -in out -noout -subject | grep -qF 'O = \"Acme, Inc.\"'"
run 0 "genkey RSA-2048, DER request" genkey dev.img --pin-file pin --label genrsa --id 12 --type rsa:2048 \
  --csr "CN=rsa" --der -o rsa.csr.der
check "the RSA request verifies" openssl req -inform DER -in rsa.csr.der -verify -noout
run 0 "genkey without a request" genkey dev.img --pin-file pin --label plain --id 13
run 0 "genkey EC P-521 with a request" genkey dev.img --pin-file pin --label gen521 --id 16 --type ec:p521 \
  --csr "CN=p521" -o p521.csr
check "the P-521 request verifies, signed with SHA-512" bash -c \
  "openssl req -in p521.csr -verify -noout && openssl req -in p521.csr -noout -text | grep -q 'ecdsa-with-SHA512'"
run 0 "list after genkey" list dev.img --pin-file pin
says "genkey: the private key is sensitive, not extractable, local" "^private-key +10 +gen +EC P-256 +256 +yes +yes +no +yes" out
cp dev.img dev.ref
before=$(count_class dev.img private-key)
run 9 "genkey with a bad subject" genkey dev.img --pin-file pin --label bad --id 14 --csr "CN=x,NOPE=y"
[ "$(count_class dev.img private-key)" = "$before" ] && pass "a bad subject makes no key" || fail "a bad subject makes no key"
run 7 "genkey under an id taken" genkey dev.img --pin-file pin --label gen --id 10
run 2 "genkey: an unknown --type" genkey dev.img --pin-file pin --label x --id 15 --type ec:p192
run 2 "genkey: -o without --csr" genkey dev.img --pin-file pin --label x --id 15 -o x.csr
run 5 "genkey with a wrong PIN" genkey dev.img --pin-file wrong-pin --label x --id 15
[ "$(count_class dev.img private-key)" = "$before" ] && pass "refused genkeys make no key" || fail "refused genkeys make no key"
run 0 "fsck after every import and key" fsck dev.img

# --- write ---------------------------------------------------------------------------------------------
run 0 "write Intel HEX at 0x0807C000" write dev.img --format ihex --address 0x0807C000 -o dev.hex
says "write says where" "^wrote dev.hex: ihex, 32768 bytes at 0x0807C000 to 0x08083FFF$" out
check "objcopy reads the Intel HEX back to the image" bash -c "objcopy -I ihex -O binary dev.hex dev.hex.bin && cmp dev.hex.bin dev.img"
check "srec_cat reads the Intel HEX back to the image at its address" bash -c \
  "srec_cat dev.hex -intel -offset -0x0807C000 -o dev.sc.bin -binary && cmp dev.sc.bin dev.img"
check "srec_info: data 0807C000 - 08083FFF" bash -c "srec_info dev.hex -intel | grep -q 'Data: *0807C000 - 08083FFF'"
run 0 "write S-records (format from the extension)" write dev.img --address 0x0807C000 -o dev.srec
check "objcopy reads the S-records back to the image" bash -c "objcopy -I srec -O binary dev.srec dev.srec.bin && cmp dev.srec.bin dev.img"
check "srec_cat reads the S-records back to the image at its address" bash -c \
  "srec_cat dev.srec -motorola -offset -0x0807C000 -o dev.sc2.bin -binary && cmp dev.sc2.bin dev.img"
check "the S-records are S3 records with a count and an S7" bash -c \
  "grep -q '^S3' dev.srec && grep -q '^S5' dev.srec && tail -1 dev.srec | grep -q '^S7'"
# Records never cross a 64 KiB boundary: an image across two segments at an odd address.
run 0 "create a 64 KiB image" create big.img --geometry 4096x16x8 --so-pin-file so-pin "${fast[@]}"
run 0 "write Intel HEX across a 64 KiB boundary" write big.img --format ihex --address 0x1FFF9 -o big.hex
check "objcopy reads it back" bash -c "objcopy -I ihex -O binary big.hex big.hex.bin && cmp big.hex.bin big.img"
check "srec_cat reads it back at 0x1FFF9" bash -c "srec_cat big.hex -intel -offset -0x1FFF9 -o big.sc.bin -binary && cmp big.sc.bin big.img"
check "an extended linear address record at each 64 KiB boundary" bash -c \
  "[ \$(grep -c '^:02000004' big.hex) = 2 ] && grep -q '^:020000040001F9' big.hex && grep -q '^:020000040002F8' big.hex"
run 0 "write S-records at 0 (16-bit addresses)" write small.img --format srec -o small.s19
check "small addresses give S1 records and an S9" bash -c "grep -q '^S1' small.s19 && tail -1 small.s19 | grep -q '^S9'"
check "objcopy reads the S1 records back" bash -c "objcopy -I srec -O binary small.s19 small.bin && cmp small.bin small.img"
run 0 "write raw bytes" write dev.img -o dev.bin
check "bin is the image" cmp dev.bin dev.img
run 2 "write past 4 GiB" write dev.img --format ihex --address 0xFFFFC000 -o x.hex
run 2 "write an unknown format" write dev.img --format elf -o x.elf
run 2 "write to a name without a format" write dev.img -o x.out
run 2 "write without -o" write dev.img --format ihex
cp dev.img corrupt.img
python3 - corrupt.img ec.crt.der <<'PY'
import sys
img = bytearray(open(sys.argv[1], "rb").read())
cert = open(sys.argv[2], "rb").read()
at = img.find(cert[40:80])
assert at >= 0, "certificate not found in the image"
img[at] ^= 0x01
open(sys.argv[1], "wb").write(img)
PY
run 4 "write a corrupt image" write corrupt.img --format ihex -o corrupt.hex
[ ! -e corrupt.hex ] && pass "a corrupt image is not written out" || fail "a corrupt image is not written out"

# --- batch (a few devices; tests/tools/clients.sh runs 50) ------------------------------------------------
mkdir -p devices
{
  echo "serial,label,subject,geometry,output"
  for i in 1 2 3; do echo "000$i,dev-$i,\"CN=dev-000$i,O=Acme\\, Inc.\",2048x16x8,devices/dev-$i.img"; done
} >m.csv
b=(--ca-key ca.key --ca-cert ca.pem --so-pin-file so-pin --pin-file pin --address 0x0807C000 "${fast[@]}")
run 0 "batch of 3 devices (CSV)" batch m.csv "${b[@]}"
says "batch: one line per device" "^made +0002 devices/dev-2.img$" out
says "batch: a summary" "^batch: 3 devices: 3 made, 0 skipped \(done before, verified\), 0 failed;" out
for i in 1 2 3; do
  for ext in img hex csr crt json; do [ -s "devices/dev-$i.$ext" ] || fail "batch: devices/dev-$i.$ext is there"; done
done
pass "batch: image, flash file, request, certificate and report per device"
check "batch: the certificates verify under the CA" openssl verify -CAfile ca.pem devices/dev-1.crt devices/dev-2.crt devices/dev-3.crt
check "batch: the certificate is for the request's key" cmp <(openssl req -in devices/dev-2.csr -pubkey -noout) \
  <(openssl x509 -in devices/dev-2.crt -pubkey -noout)
check "batch: the subject with its comma" bash -c "openssl x509 -in devices/dev-3.crt -noout -subject | grep -qF 'O = \"Acme, Inc.\"'"
check "batch: the flash file is the image at the address" bash -c \
  "srec_cat devices/dev-1.hex -intel -offset -0x0807C000 -o dev1.bin -binary && cmp dev1.bin devices/dev-1.img"
if python3 - devices/dev-2.json devices/dev-2.hex <<'PY'
import json, sys, hashlib
r = json.load(open(sys.argv[1]))
assert r["serial"] == "0002" and r["label"] == "dev-2" and r["geometry"] == "2048x16x8", r
assert r["flash_sha256"] == hashlib.sha256(open(sys.argv[2], "rb").read()).hexdigest()
assert r["flash_format"] == "ihex" and r["flash_address"] == "0x0807C000" and r["fsck"] == "clean"
assert r["key_type"] == "ec:p256" and r["key_id"] == "01" and len(r["token_serial"]) == 16
PY
then pass "batch: the report names the files, their hashes, the token and the certificate"; else fail "batch: the report" "$(cat devices/dev-2.json)"; fi
run 0 "list a batch image" list devices/dev-2.img --pin-file pin
says "batch image: the key pair" "^private-key +01 +device-key +EC P-256 +256 +yes +yes +no +yes" out
says "batch image: the device certificate" "^certificate +01 +device-cert +X.509 .*CN=dev-0002, O=Acme\\\\, Inc\.; issuer CN=Test CA, O=Acme" out
says "batch image: the CA certificate" "^certificate +02 +ca-cert +X.509 .*; CA$" out
run 0 "batch again: every device skipped" batch m.csv "${b[@]}"
says "batch again: 3 skipped" "^batch: 3 devices: 0 made, 3 skipped" out
rm devices/dev-2.json
run 0 "batch after a device's report is gone: it is made again" batch m.csv "${b[@]}"
says "batch: 1 made, 2 skipped" "^batch: 3 devices: 1 made, 2 skipped" out
python3 - devices/dev-3.img <<'PY'
import sys
img = bytearray(open(sys.argv[1], "rb").read())
at = img.find(b"device-cert")
assert at >= 0
img[at] ^= 0x20
open(sys.argv[1], "wb").write(img)
PY
run 11 "batch with a done device whose image is now corrupt" batch m.csv "${b[@]}"
says "batch: the corrupt device in one line" "line 4: device 0003: done before, but .*fails fsck \(remove devices/dev-3.json" err
says "batch: the others still skipped" "^batch: 3 devices: 0 made, 2 skipped .* 1 failed" out
rm devices/dev-3.json
sed 's/2048x16x8/2048x32x8/' m.csv | head -2 >m-geo.csv
run 11 "batch whose manifest now gives another geometry" batch m-geo.csv "${b[@]}"
says "batch: an image of another geometry" "made with geometry 2048x16x8, but the manifest says 2048x32x8" err
printf '{"serial": "j1", "label": "json-1", "subject": "CN=j1", "geometry": "1024x8x8", "output": "devices/j1.img"}\n\n{"output": "devices/j2.img", "geometry": "1024x8x8", "subject": "/CN=j2/O=Acme", "label": "json-2", "serial": "j2"}\n' >m.jsonl
run 0 "batch from JSON lines, S-records" batch m.jsonl "${b[@]}" --format srec
check "batch: JSON-line devices made" bash -c "[ -s devices/j1.srec ] && [ -s devices/j2.json ] && openssl verify -CAfile ca.pem devices/j2.crt"
# Bad manifests make nothing.
bad_manifest() {  # bad_manifest <desc> <text> <pattern of the error>
  printf '%b' "$2" >bad.csv
  run 9 "batch: $1" batch bad.csv "${b[@]}"
  says "batch: $1 is named" "$3" err
  [ ! -e devices/bad-1.img ] && pass "batch: $1 makes nothing" || fail "batch: $1 makes nothing"
}
bad_manifest "a header without output" 'serial,label,subject,geometry\n1,l,CN=x,1024x8x8\n' "header must name"
bad_manifest "an unknown column" 'serial,label,subject,geometry,output,colour\n' "unknown column 'colour'"
bad_manifest "a bad geometry" 'serial,label,subject,geometry,output\nb1,l,CN=x,1024x8x8,devices/bad-1.img\nb2,l,CN=y,1000x8x8,devices/bad-2.img\n' "line 3: bad geometry"
bad_manifest "a bad subject" 'serial,label,subject,geometry,output\nb1,l,CN=x,1024x8x8,devices/bad-1.img\nb2,l,NOPE=y,1024x8x8,devices/bad-2.img\n' "line 3: bad subject"
bad_manifest "a subject with an unescaped comma" 'serial,label,subject,geometry,output\nb1,l,"CN=x,O=Acme, Inc.",1024x8x8,devices/bad-1.img\n' "line 2: bad subject"
bad_manifest "a subject with an attribute twice" 'serial,label,subject,geometry,output\nb1,l,"OU=a,OU=b",1024x8x8,devices/bad-1.img\n' "line 2: bad subject"
bad_manifest "a serial twice" 'serial,label,subject,geometry,output\nb1,l,CN=x,1024x8x8,devices/bad-1.img\nb1,l,CN=y,1024x8x8,devices/bad-2.img\n' "the serial of line 2 again"
bad_manifest "an output twice" 'serial,label,subject,geometry,output\nb1,l,CN=x,1024x8x8,devices/bad-1.img\nb2,l,CN=y,1024x8x8,devices/bad-1.img\n' "the output of line 2 again"
bad_manifest "an unterminated quote" 'serial,label,subject,geometry,output\nb1,l,"CN=x,1024x8x8,devices/bad-1.img\n' "does not end"
bad_manifest "a JSON line with an unknown key" '{"serial":"b1","label":"l","subject":"CN=x","geometry":"1024x8x8","output":"devices/bad-1.img","color":"red"}\n' "unknown key 'color'"
bad_manifest "a JSON line without a subject" '{"serial":"b1","label":"l","geometry":"1024x8x8","output":"devices/bad-1.img"}\n' "no subject"
bad_manifest "a label over 32 bytes" "serial,label,subject,geometry,output\nb1,$(printf 'l%.0s' {1..33}),CN=x,1024x8x8,devices/bad-1.img\n" "label longer than 32"
run 9 "batch with a CA key that is not the CA certificate's" batch m.csv --ca-key other.key --ca-cert ca.pem \
  --so-pin-file so-pin --pin-file pin
run 9 "batch with a CA certificate that is no CA's" batch m.csv --ca-key other.key --ca-cert other.crt \
  --so-pin-file so-pin --pin-file pin
run 2 "batch without the CA" batch m.csv --so-pin-file so-pin --pin-file pin
run 3 "batch of a missing manifest" batch missing.csv "${b[@]}"
leftovers=$(find . -name '*.tmp-*' | head)
[ -z "$leftovers" ] && pass "no temporary file is left anywhere" || fail "no temporary file is left anywhere" "$leftovers"

echo "nvtoken factory commands: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
