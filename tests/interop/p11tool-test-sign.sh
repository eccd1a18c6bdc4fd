#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# GnuTLS's `p11tool --test-sign` against the module under test, on a fresh
# token: for every kind of key the token makes - EC on P-256, P-384 and
# P-521, RSA-2048, RSA-3072 and (legacy mechanisms) RSA-1024, all generated
# by p11tool itself - and an RSA-4096 key imported from OpenSSL, p11tool
# signs with the token's private key and checks the signature twice, against
# the private key's own parameters and against the public key object in the
# token; with every hash GnuTLS offers for the key (SHA-256, SHA-384,
# SHA-512) and, for RSA, with PKCS#1 v1.5 and RSA-PSS. A wrong PIN must make
# it fail.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
nvt_begin "p11tool --test-sign"
nvt_fresh_token
work="$NVT_TMP/work"
mkdir -p "$work"
cd "$work"
export GNUTLS_PIN="$NVT_USER_PIN"

token="pkcs11:token=$NVT_TOKEN_LABEL"
# Always with --provider: without it, GnuTLS would use whatever p11-kit
# has registered instead of the module under test.
tool() { nvt_run p11tool --provider "$NVT_MODULE" "$@"; }

# test_sign <description> <key label> [p11tool options]: the three lines
# --test-sign prints for a good signature, and its exit status 0.
test_sign() {
  local what=$1 label=$2 out
  shift 2
  if out=$(tool --login --test-sign "$@" "$token;object=$label;type=private" 2>&1) &&
     grep -q '^Signing using .*\.\.\. ok$' <<<"$out" &&
     grep -q '^Verifying against private key parameters\.\.\. ok$' <<<"$out" &&
     grep -q '^Verifying against public key in the token\.\.\. ok$' <<<"$out"; then
    pass "$what: $(grep -o '^Signing using [^.]*' <<<"$out" | sed 's/^Signing using //'), verified against the key and the token's public key"
  else
    fail "$what" "$out"
  fi
}

# --- keys ---------------------------------------------------------------------------------------
# label    p11tool type   option              skip-list id
keys=(
  "ec-p256 ecdsa --curve=secp256r1 keygen:EC:secp256r1"
  "ec-p384 ecdsa --curve=secp384r1 keygen:EC:secp384r1"
  "ec-p521 ecdsa --curve=secp521r1 keygen:EC:secp521r1"
  "rsa-2048 rsa --bits=2048 keygen:RSA:2048"
  "rsa-3072 rsa --bits=3072 keygen:RSA:3072"
  "rsa-1024 rsa --bits=1024 keygen:RSA:1024"
)
made=()
for k in "${keys[@]}"; do
  read -r label type opt id <<<"$k"
  if reason=$(nvt_unsupported "$id"); then
    skip "--generate-privkey $type $opt ($label)" "$reason"
    continue
  fi
  if out=$(tool --login --generate-privkey "$type" "$opt" --label "$label" --outfile "$label.pub.pem" "$token" 2>&1); then
    pass "--generate-privkey $type $opt ($label) on the token"
    made+=("$label")
  else
    fail "--generate-privkey $type $opt ($label) on the token" "$out"
  fi
done
# RSA-4096, which the token imports but does not generate
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:4096 -out rsa-4096.key 2>/dev/null
openssl pkey -in rsa-4096.key -outform DER -out rsa-4096.key.der
openssl pkey -in rsa-4096.key -pubout -outform DER -out rsa-4096.pub.der
if nvt_p11tool_login --write-object rsa-4096.key.der --type privkey --label rsa-4096 --usage-sign >/dev/null 2>&1 &&
   nvt_p11tool_login --write-object rsa-4096.pub.der --type pubkey --label rsa-4096 --usage-sign >/dev/null 2>&1; then
  pass "an RSA-4096 key pair imported (pkcs11-tool)"
  made+=(rsa-4096)
else
  fail "an RSA-4096 key pair imported (pkcs11-tool)"
fi
rm -f rsa-4096.key rsa-4096.key.der

# --- signatures ------------------------------------------------------------------------------------
for label in "${made[@]}"; do
  test_sign "$label, default signature" "$label"
  for hash in SHA256 SHA384 SHA512; do
    test_sign "$label, $hash" "$label" --hash "$hash"
    case "$label" in
      rsa-1024)
        # RSA-PSS with SHA-512 and its 64-byte salt needs 130 bytes; the
        # key has 128 (RFC 8017 9.1.1): GnuTLS refuses to ask.
        [ "$hash" = SHA512 ] && continue ;;
    esac
    case "$label" in
      rsa-*) test_sign "$label, RSA-PSS with $hash" "$label" --sign-params RSA-PSS --hash "$hash" ;;
    esac
  done
done

# --- a wrong PIN --------------------------------------------------------------------------------
if out=$(GNUTLS_PIN=99999999 tool --login --test-sign "$token;object=ec-p256;type=private" 2>&1); then
  fail "--test-sign with a wrong PIN fails" "$out"
else
  pass "--test-sign with a wrong PIN fails"
fi
nvt_finish
