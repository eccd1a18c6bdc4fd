#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# GnuTLS's p11tool and certtool (gnutls-bin) against the module under test,
# on a fresh token: list tokens, mechanisms and objects; generate an EC P-256
# and an RSA-2048 key pair; export the public keys by pkcs11: URI; certtool
# makes a self-signed CA with the token's EC key and a leaf certificate for
# the token's RSA key signed by it, plus a self-signed RSA-PSS certificate;
# OpenSSL verifies them; the leaf certificate is written to the token and
# exported again by URI, byte-identical.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
nvt_begin p11tool/certtool
nvt_fresh_token
work="$NVT_TMP/work"
mkdir -p "$work"
cd "$work"
export GNUTLS_PIN="$NVT_USER_PIN"

token="pkcs11:token=$NVT_TOKEN_LABEL"
# Always with --provider: without it, GnuTLS would use whatever p11-kit
# has registered instead of the module under test.
tool() { nvt_run p11tool --provider "$NVT_MODULE" "$@"; }
cert() { nvt_run certtool --provider "$NVT_MODULE" "$@"; }
pub_der() { openssl pkey -pubin -in "$1" -outform DER 2>/dev/null; }
crt_der() { openssl x509 -in "$1" -outform DER 2>/dev/null; }

# --- list -------------------------------------------------------------------------------------
out=$(tool --list-tokens 2>&1) || true
block=$(awk -v l="$NVT_TOKEN_LABEL" '/^Token [0-9]+:/ { b = "" } { b = b $0 "\n" } $1 == "Label:" && $2 == l { found = 1 }
  found && /^$/ { printf "%s", b; exit } END { if (found) printf "%s", b }' <<<"$out")
if grep -q "URL: pkcs11:.*token=$NVT_TOKEN_LABEL" <<<"$block" && grep -q "Flags:.*RNG.*Requires login" <<<"$block"; then
  pass "--list-tokens shows the token, its pkcs11: URL and flags (RNG, requires login)"
else
  fail "--list-tokens shows the token, its pkcs11: URL and flags (RNG, requires login)" "$out"
fi
out=$(tool --list-mechanisms "$token" 2>&1) || true
missing=()
# by value: GnuTLS prints 0x1040 by its older name CKM_ECDSA_KEY_PAIR_GEN
for m in 0x1040:CKM_EC_KEY_PAIR_GEN 0x1041:CKM_ECDSA 0x0000:CKM_RSA_PKCS_KEY_PAIR_GEN \
         0x0001:CKM_RSA_PKCS 0x000d:CKM_RSA_PKCS_PSS; do
  grep -q "^\[${m%%:*}\] " <<<"$out" || missing+=("${m#*:}")
done
if [ ${#missing[@]} -eq 0 ]; then
  pass "--list-mechanisms lists the key generation and signature mechanisms used here"
else
  fail "--list-mechanisms lists the key generation and signature mechanisms used here" \
    "missing: ${missing[*]}" "$out"
fi

# --- keys -------------------------------------------------------------------------------------------
# label         type   option
keys=("gnutls-ca ecdsa --curve=secp256r1" "gnutls-leaf rsa --bits=2048")
for k in "${keys[@]}"; do
  read -r label type opt <<<"$k"
  nvt_check "--generate-privkey $type $opt ($label) on the token" \
    tool --login --generate-privkey "$type" "$opt" --label "$label" --outfile "$label.gen.pem" "$token"
done
out=$(tool --login --list-all "$token" 2>&1) || true
for want in "gnutls-ca:Private key (EC/ECDSA-SECP256R1)" "gnutls-ca:Public key (EC/ECDSA-SECP256R1)" \
            "gnutls-leaf:Private key (RSA-2048)" "gnutls-leaf:Public key (RSA-2048)"; do
  label=${want%%:*} type=${want#*:}
  if awk -v l="$label" -v t="$type" '
       /^Object [0-9]+:/ { ty = "" } $1 == "Type:" { ty = $0; sub(/^[ \t]*Type: /, "", ty) }
       $1 == "Label:" && $2 == l && ty == t { found = 1 } END { exit !found }' <<<"$out"; then
    pass "--list-all shows $label: $type"
  else
    fail "--list-all shows $label: $type" "$out"
  fi
done
if awk '/^Object [0-9]+:/ { p = 0 } /Type: Private key/ { p = 1 }
        p && /Flags:/ { n++; if ($0 ~ /CKA_SENSITIVE/ && $0 ~ /CKA_PRIVATE/) ok++ }
        END { exit !(n == 2 && ok == 2) }' <<<"$out"; then
  pass "--list-all: both private keys are CKA_PRIVATE and CKA_SENSITIVE"
else
  fail "--list-all: both private keys are CKA_PRIVATE and CKA_SENSITIVE" "$out"
fi

# Public keys by URI: the public-key object, and the one behind the private key.
have=()
for label in gnutls-ca gnutls-leaf; do
  if tool --export "$token;object=$label;type=public" --outfile "$label.pub.pem" >/dev/null 2>&1 &&
     tool --login --export-pubkey "$token;object=$label;type=private" --outfile "$label.pub2.pem" >/dev/null 2>&1 &&
     pub_der "$label.pub.pem" >"$label.pub.der" && [ -s "$label.pub.der" ] &&
     cmp -s "$label.pub.der" <(pub_der "$label.pub2.pem") &&
     cmp -s "$label.pub.der" <(pub_der "$label.gen.pem"); then
    pass "--export and --export-pubkey by URI give $label's public key (as generated)"
    have+=("$label")
  else
    fail "--export and --export-pubkey by URI give $label's public key (as generated)"
  fi
done

# --- certtool with the token's keys -----------------------------------------------------------
if [[ " ${have[*]} " == *" gnutls-ca "* && " ${have[*]} " == *" gnutls-leaf "* ]]; then
  cat >ca.tmpl <<'EOF'
cn = "nvtoken interop GnuTLS CA"
ca
cert_signing_key
crl_signing_key
expiration_days = 2
EOF
  cat >leaf.tmpl <<'EOF'
cn = "nvtoken interop GnuTLS leaf"
tls_www_client
signing_key
encryption_key
expiration_days = 1
EOF
  nvt_check "certtool --generate-self-signed: a CA certificate signed by the token's EC key" \
    cert --generate-self-signed --load-privkey "$token;object=gnutls-ca;type=private" \
      --template ca.tmpl --outfile ca.pem
  nvt_check "openssl verify: the CA certificate's self-signature" openssl verify -CAfile ca.pem ca.pem
  nvt_check "certtool --generate-certificate: a leaf for the token's RSA key, signed by the token's CA key" \
    cert --generate-certificate --load-pubkey "$token;object=gnutls-leaf;type=public" \
      --load-ca-certificate ca.pem --load-ca-privkey "$token;object=gnutls-ca;type=private" \
      --template leaf.tmpl --outfile leaf.pem
  nvt_check "openssl verify: the leaf certificate against the CA" openssl verify -CAfile ca.pem leaf.pem
  openssl x509 -in leaf.pem -pubkey -noout >leaf.pub.pem 2>/dev/null || true
  if cmp -s <(pub_der leaf.pub.pem) gnutls-leaf.pub.der; then
    pass "the leaf certificate holds the token's RSA public key"
  else
    fail "the leaf certificate holds the token's RSA public key"
  fi
  nvt_check "certtool --generate-self-signed --sign-params RSA-PSS with the token's RSA key" \
    cert --generate-self-signed --load-privkey "$token;object=gnutls-leaf;type=private" \
      --sign-params RSA-PSS --hash SHA256 --template leaf.tmpl --outfile pss.pem
  if out=$(openssl verify -CAfile pss.pem -check_ss_sig pss.pem 2>&1) &&
     grep -q "Signature Algorithm: rsassaPss" <<<"$(openssl x509 -in pss.pem -noout -text 2>&1)"; then
    pass "openssl verify: the RSA-PSS self-signed certificate"
  else
    fail "openssl verify: the RSA-PSS self-signed certificate" "$out"
  fi

  # The certificate on the token, and back out by URI.
  nvt_check "--write the leaf certificate to the token" \
    tool --login --write --load-certificate leaf.pem --label gnutls-leaf "$token"
  if tool --export "$token;object=gnutls-leaf;type=cert" --outfile leaf.back.pem >/dev/null 2>&1 &&
     cmp -s <(crt_der leaf.pem) <(crt_der leaf.back.pem); then
    pass "--export by URI returns the certificate byte for byte"
  else
    fail "--export by URI returns the certificate byte for byte"
  fi
  out=$(tool --list-all-certs "$token" 2>&1) || true
  if grep -q "Label: gnutls-leaf" <<<"$out"; then
    pass "--list-all-certs shows the certificate"
  else
    fail "--list-all-certs shows the certificate" "$out"
  fi
else
  fail "certtool with the token's keys" "the keys could not be exported"
fi

nvt_finish
