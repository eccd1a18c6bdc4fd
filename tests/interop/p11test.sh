#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# OpenSC's p11test against the module under test, on a fresh token populated
# the way OpenSC's own src/tests/p11test/runtest.sh populates one (key pairs
# of several kinds with self-signed certificates made by certtool with the
# token's key, and AES keys), then `p11test -m MODULE -s SLOT -p PIN -o
# results.json`. p11test is built from Debian's opensc source package by the
# host build (target nvt_p11test; $NVT_P11TEST).
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
nvt_begin p11test

P11TEST=$(readlink -f "${NVT_P11TEST:-/nonexistent}")
[ -x "$P11TEST" ] || nvt_abort "p11test not built" "set NVT_P11TEST to the p11test program (ctest does it; target nvt_p11test)"
nvt_fresh_token
work="$NVT_TMP/work"
mkdir -p "$work"
export GNUTLS_PIN="$NVT_USER_PIN"

# --- populate ---------------------------------------------------------------------
# certtool template: what runtest.sh's cert.cfg asks for.
cat >"$work/cert.cfg" <<'EOF'
organization = "nvtoken interop"
cn = "p11test key"
expiration_days = 2
email = "none@example.org"
signing_key
encryption_key
EOF

# self_signed <label> <id>: a self-signed certificate made by certtool with
# the token's key pair, written to the token next to it.
self_signed() {
  local label=$1 id=$2 out
  if ! out=$(nvt_run certtool --generate-self-signed --template "$work/cert.cfg" \
               --provider "$NVT_MODULE" --outfile "$work/$label.pem" \
               --load-privkey "pkcs11:token=$NVT_TOKEN_LABEL;object=$label;type=private" \
               --load-pubkey "pkcs11:token=$NVT_TOKEN_LABEL;object=$label;type=public" 2>&1); then
    fail "populate: certificate for $label made with the token's key (certtool)" "$out"
    return
  fi
  openssl x509 -in "$work/$label.pem" -outform DER -out "$work/$label.der"
  nvt_check "populate: certificate for $label made with the token's key and written (certtool, pkcs11-tool)" \
    nvt_p11tool_login --write-object "$work/$label.der" --type cert --id "$id" --label "$label"
}

# keypair <key type> <id> <label> <certificate: 0|1>
keypair() {
  local type=$1 id=$2 label=$3 cert=$4 reason
  if reason=$(nvt_unsupported "keygen:$type"); then
    skip "populate: generate $type key pair $label" "$reason"
    return
  fi
  # runtest.sh's key pairs: extractable, with every usage flag.
  local out desc="populate: generate $type key pair $label (pkcs11-tool)"
  if out=$(nvt_p11tool_login --keypairgen --key-type "$type" --id "$id" --label "$label" \
             --extractable --usage-wrap --usage-sign --usage-decrypt --usage-derive 2>&1); then
    pass "$desc"
    [ "$cert" -eq 0 ] || self_signed "$label" "$id"
  else
    fail "$desc" "$out"
  fi
}

# import_keypair <bits> <id> <label>: an RSA key pair made in software and
# written to the token (for sizes the token imports but does not generate).
import_keypair() {
  local bits=$1 id=$2 label=$3
  openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$bits" -out "$work/$label.key" 2>/dev/null
  openssl pkey -in "$work/$label.key" -outform DER -out "$work/$label.key.der"
  openssl pkey -in "$work/$label.key" -pubout -outform DER -out "$work/$label.pub.der"
  write_key() {  # write_key <privkey|pubkey> <DER file>
    nvt_p11tool_login --write-object "$2" --type "$1" --id "$id" --label "$label" \
      --usage-sign --usage-decrypt --extractable
  }
  nvt_check "populate: import RSA:$bits private key $label (pkcs11-tool)" write_key privkey "$work/$label.key.der"
  nvt_check "populate: import RSA:$bits public key $label (pkcs11-tool)" write_key pubkey "$work/$label.pub.der"
  rm -f "$work/$label.key" "$work/$label.key.der"
  self_signed "$label" "$id"
}

# secret <key type> <id> <label>
secret() {
  local type=$1 id=$2 label=$3
  nvt_check "populate: generate $type secret key $label (pkcs11-tool)" \
    nvt_p11tool_login --keygen --key-type "$type" --id "$id" --label "$label" \
      --extractable --usage-wrap --usage-decrypt
}

# The objects of runtest.sh (same ids and labels), plus a P-384 key pair
# (nvtoken's second curve). RSA:4096 is generated there; a token that does
# not generate it gets an imported one (issue 5: import up to 4096 bits).
keypair RSA:1024 01 RSA_auth 1
keypair RSA:2048 02 RSA2048 1
keypair RSA:3072 09 RSA3072 1
if reason=$(nvt_unsupported keygen:RSA:4096); then
  skip "populate: generate RSA:4096 key pair RSA4096" "$reason"
  import_keypair 4096 10 RSA4096
else
  keypair RSA:4096 10 RSA4096 1
fi
keypair EC:secp256r1 03 ECC_auth 1
keypair EC:secp521r1 04 ECC521 1
keypair EC:secp384r1 0b ECC384 1
keypair EC:edwards25519 05 EDDSA 0
secret AES:16 07 "AES128 key"
secret AES:32 08 "AES256 key"

# --- run and judge ------------------------------------------------------------------
rc=0
(cd "$work" && nvt_run "$P11TEST" -m "$NVT_MODULE" -s "$NVT_SLOT_ID" -p "$NVT_USER_PIN" \
   -o "$work/results.json" >"$work/p11test.out" 2>"$work/p11test.err") || rc=$?
echo "p11test exit status $rc (its output: p11test.out, p11test.err in the work directory)"
nvt_skiplist "$work/skiplist.tsv"
verdicts=$(/usr/bin/python3 "$NVT_INTEROP_DIR/lib/p11test_results.py" "$work/p11test.out" "$work/skiplist.tsv") ||
  nvt_abort "reading p11test's output" "$verdicts"
nvt_count_verdicts "$verdicts"
if grep -q '^fail' <<<"$verdicts"; then
  echo "p11test's standard error (last lines):"
  tail -n 30 "$work/p11test.err" | sed 's/^/      | /'
fi
# p11test's exit status agrees with its own tests' results.
if [ "$rc" -ne 0 ] && ! grep -q '^fail' <<<"$verdicts"; then
  fail "p11test exit status" "p11test exited with $rc although none of its tests failed"
fi
nvt_finish
