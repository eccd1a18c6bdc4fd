#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# OpenSC's pkcs11-tool against the module under test, on a fresh token:
# token and PIN state after initialisation; EC P-256, P-384, P-521 and
# RSA-2048 key pairs; a certificate issued by a local test CA written, listed, read back
# byte-identical and deleted; every signature mechanism the token lists, each
# signature checked by OpenSSL and by the token (and a tampered one refused by
# both); RSA decryption; digests; private keys never readable; --test and
# --test-ec on each curve; the module's legacy mechanisms (RSA-1024, DES3)
# listed and working by default, gone with NVTOKEN_LEGACY=0.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
nvt_begin pkcs11-tool
nvt_fresh_token
work="$NVT_TMP/work"
mkdir -p "$work"
cd "$work"

p11() { nvt_p11tool "$@"; }
p11l() { nvt_p11tool_login "$@"; }
hexbin() { printf '%s' "$1" | sed 's/../\\x&/g' | xargs -0 printf '%b'; }
printf 'nvtoken interop: pkcs11-tool signs this message.\n' >data

# --- the token after initialisation ---------------------------------------------------
out=$(nvt_run pkcs11-tool --module "$NVT_MODULE" -L 2>&1)
flags=$(awk -v l="$NVT_TOKEN_LABEL" '
  $1 == "token" && $2 == "label" { v = $0; sub(/^[^:]*: /, "", v); mine = (v == l) }
  mine && $1 == "token" && $2 == "flags" { sub(/^[^:]*: /, ""); print; exit }' <<<"$out")
for f in "login required" "rng" "token initialized" "PIN initialized"; do
  if [[ ", $flags," == *", $f,"* ]]; then
    pass "-L: token flags show \"$f\""
  else
    fail "-L: token flags show \"$f\"" "flags: $flags" "$out"
  fi
done
if out=$(p11 --login --pin 00000000 -O 2>&1); then
  fail "login with a wrong PIN is refused" "$out"
elif grep -q CKR_PIN_INCORRECT <<<"$out"; then
  pass "login with a wrong PIN is refused with CKR_PIN_INCORRECT"
else
  fail "login with a wrong PIN is refused with CKR_PIN_INCORRECT" "$out"
fi

# --- key pairs --------------------------------------------------------------------------
# name    id key-type     usage                         curve / size
keys=(
  "ec256   01 EC:secp256r1 --usage-sign --usage-derive    prime256v1"
  "ec384   02 EC:secp384r1 --usage-sign --usage-derive    secp384r1"
  "ec521   04 EC:secp521r1 --usage-sign --usage-derive    secp521r1"
  "rsa2048 03 rsa:2048     --usage-sign --usage-decrypt   2048"
)

# ec_spki <name> <listing>: the EC public key as OpenSSL reads it, made from
# the token's CKA_EC_PARAMS and CKA_EC_POINT as "-O" prints them (pkcs11-tool
# 0.23 cannot export a P-384 public key itself). CKA_EC_POINT must be a DER
# OCTET STRING holding an uncompressed point.
ec_spki() {
  local name=$1 listing=$2 params point
  read -r params point < <(awk -v l="$name" '
    /^Public Key Object/ { inkey = 1; p = q = ""; next }
    /^[A-Z]/ { inkey = 0 }
    inkey && $1 == "EC_POINT:" { q = $2 }
    inkey && $1 == "EC_PARAMS:" { p = $2 }
    inkey && $1 == "label:" { v = $0; sub(/^[^:]*: */, "", v); if (v == l) { print p, q; exit } }' <<<"$listing")
  if [ -z "$point" ]; then
    echo "no CKA_EC_POINT listed for $name"
    return 1
  fi
  # DER OCTET STRING: 04, the length (one byte, or 81 and one byte past
  # 127: P-521's 133), then the uncompressed point (04 x y)
  local head=4
  [[ "$point" == 0481* ]] && head=6
  if ! [[ "${point:head - 2:2}" =~ ^[0-9a-f]{2}$ ]] || [ "${point:head:2}" != 04 ] ||
     [ $((16#${point:head - 2:2})) -ne $(( ${#point} / 2 - head / 2 )) ]; then
    echo "CKA_EC_POINT is not a DER OCTET STRING of an uncompressed point: $point"
    return 1
  fi
  # SubjectPublicKeyInfo ::= SEQUENCE { SEQUENCE { id-ecPublicKey, params }, BIT STRING point }
  local alg="06072a8648ce3d0201$params" key="00${point:head}"
  alg="30$(derlen $(( ${#alg} / 2 )))$alg"
  key="03$(derlen $(( ${#key} / 2 )))$key"
  hexbin "30$(derlen $(( (${#alg} + ${#key}) / 2 )))$alg$key" >"$name.pub.der"
}
derlen() {  # DER length octets (lengths below 65536)
  if [ "$1" -lt 128 ]; then printf '%02x' "$1"
  elif [ "$1" -lt 256 ]; then printf '81%02x' "$1"
  else printf '82%04x' "$1"; fi
}

# public_key <name> <id> <type>: the public key as the token gives it out,
# <name>.pub.der; it is what OpenSSL checks the token's signatures with.
public_key() {
  local listing
  case "$3" in
    EC:*) listing=$(p11 -O --type pubkey 2>&1) && ec_spki "$1" "$listing" ;;
    *)    p11 --read-object --type pubkey --id "$2" -o "$1.pub.der" 2>&1 ;;
  esac
}

have_key=()
for k in "${keys[@]}"; do
  read -r name id type usage1 usage2 expect <<<"$k"
  if ! out=$(p11l --keypairgen --key-type "$type" --id "$id" --label "$name" "$usage1" "$usage2" 2>&1); then
    fail "--keypairgen $type ($name)" "$out"
    continue
  fi
  pass "--keypairgen $type ($name)"
  how="--read-object --type pubkey"
  [[ "$type" == EC:* ]] && how="CKA_EC_PARAMS and CKA_EC_POINT (-O)"
  text=
  if out=$(public_key "$name" "$id" "$type") &&
     text=$(openssl pkey -pubin -inform DER -in "$name.pub.der" -text -noout 2>&1) &&
     { grep -q "ASN1 OID: $expect\$" <<<"$text" || grep -q "Public-Key: ($expect bit)" <<<"$text"; }; then
    openssl pkey -pubin -inform DER -in "$name.pub.der" -out "$name.pub.pem"
    pass "public key of $name from $how: OpenSSL reads it ($expect)"
    have_key+=("$name")
  else
    fail "public key of $name from $how: OpenSSL reads it ($expect)" "$out" "$text"
  fi
done
have() { [[ " ${have_key[*]} " == *" $1 "* ]]; }

# Private keys: generated inside, never revealed.
listing=$(p11l -O --type privkey 2>&1) || fail "-O --type privkey" "$listing"
for k in "${keys[@]}"; do
  read -r name id _ <<<"$k"
  access=$(nvt_privkey_access "$name" "$listing")
  for a in sensitive "always sensitive" "never extractable" local; do
    if [[ ", $access," == *", $a,"* ]]; then
      pass "private key $name is \"$a\""
    else
      fail "private key $name is \"$a\"" "Access: $access" "$listing"
    fi
  done
  rm -f "$name.key.out"
  out=$(p11l --read-object --type privkey --id "$id" -o "$name.key.out" 2>&1) || true
  if [ -s "$name.key.out" ]; then
    fail "private key $name cannot be read (--read-object --type privkey)" "$(od -An -tx1 -N16 "$name.key.out")"
  else
    pass "private key $name cannot be read (--read-object --type privkey)"
  fi
done
# A sensitive secret key's value is refused by the token itself.
if out=$(p11l --keygen --key-type AES:16 --sensitive --id 20 --label sensitive-aes 2>&1); then
  rm -f aes.out
  if ! out=$(p11l --read-object --type secrkey --id 20 -o aes.out 2>&1) && ! [ -s aes.out ] &&
     grep -q "CKR_ATTRIBUTE_SENSITIVE" <<<"$out"; then
    pass "a sensitive AES key's value is refused with CKR_ATTRIBUTE_SENSITIVE (--read-object --type secrkey)"
  else
    fail "a sensitive AES key's value is refused with CKR_ATTRIBUTE_SENSITIVE (--read-object --type secrkey)" "$out"
  fi
else
  fail "--keygen AES:16 --sensitive" "$out"
fi

# ecdsa_der <raw r||s> <out.der> <field bytes>: the DER form OpenSSL verifies.
ecdsa_der() {
  local len r s
  len=$(stat -c %s "$1")
  [ "$len" -eq $((2 * $3)) ] || { echo "signature is $len bytes, not 2 x $3" >&2; return 1; }
  r=$(od -An -tx1 -v -N "$3" "$1" | tr -d ' \n')
  s=$(od -An -tx1 -v -j "$3" "$1" | tr -d ' \n')
  printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' "$r" "$s" >"$2.cnf"
  openssl asn1parse -genconf "$2.cnf" -out "$2" -noout
}

# --- a certificate for the token's key --------------------------------------------------------
if have ec256 && nvt_test_ca ca && nvt_issue_cert ca ec256.pub.der "nvtoken interop device" leaf.pem; then
  openssl x509 -in leaf.pem -outform DER -out leaf.der
  nvt_check "--write-object a DER certificate issued by a test CA for the token's key" \
    p11l --write-object leaf.der --type cert --id 01 --label ec256
  out=$(p11 -O --type cert 2>&1) || true
  if grep -q "^Certificate Object" <<<"$out" && grep -q "label: *ec256" <<<"$out" &&
     grep -q "subject: *DN: CN=nvtoken interop device" <<<"$out"; then
    pass "-O lists the certificate with its label and subject"
  else
    fail "-O lists the certificate with its label and subject" "$out"
  fi
  rm -f back.der
  if out=$(p11 --read-object --type cert --id 01 -o back.der 2>&1) && cmp -s leaf.der back.der; then
    pass "--read-object --type cert returns the certificate byte for byte"
  else
    fail "--read-object --type cert returns the certificate byte for byte" "$out" \
      "$(cmp leaf.der back.der 2>&1 || true)"
  fi
  # The certificate's key is the token's key: a token signature verifies with it.
  openssl x509 -in leaf.pem -pubkey -noout >leaf.pub.pem
  openssl dgst -sha256 -binary data >cert.hash
  if p11l --sign -m ECDSA --id 01 -i cert.hash -o cert.sig >/dev/null 2>&1 &&
     ecdsa_der cert.sig cert.sig.der 32 &&
     openssl pkeyutl -verify -pubin -inkey leaf.pub.pem -in cert.hash -sigfile cert.sig.der >/dev/null 2>&1; then
    pass "a signature by the token verifies with the certificate's public key"
  else
    fail "a signature by the token verifies with the certificate's public key"
  fi
  nvt_check "--delete-object --type cert" \
    p11l --delete-object --type cert --id 01
  out=$(p11 -O --type cert 2>&1) || true
  if grep -q "^Certificate Object" <<<"$out"; then
    fail "the deleted certificate is no longer listed" "$out"
  else
    pass "the deleted certificate is no longer listed"
  fi
else
  fail "a certificate for the P-256 key from the test CA (openssl)"
fi

# --- mechanisms the token lists ------------------------------------------------------------------
mechs=$(p11 -M 2>&1) || nvt_abort "-M" "$mechs"
# "  NAME, keySize={..}, flag, flag" -> "NAME flag flag"
listed=$(sed -n 's/^  \([^ ,]*\)\(, keySize={[^}]*}\)\{0,1\}/\1/p' <<<"$mechs" | tr -d ',')
lists() {  # lists <name> <flag>
  awk -v n="$1" -v f="$2" '$1 == n { for (i = 2; i <= NF; i++) if ($i == f) found = 1 } END { exit !found }' <<<"$listed"
}
# What TLS clients and the rest of this suite need (nvtoken: issue 5).
missing=()
for m in ECDSA:sign ECDSA-SHA1:sign ECDSA-SHA256:sign ECDSA-SHA384:sign ECDSA-SHA512:sign \
         RSA-PKCS:sign SHA1-RSA-PKCS:sign SHA256-RSA-PKCS:sign SHA384-RSA-PKCS:sign SHA512-RSA-PKCS:sign \
         RSA-PKCS-PSS:sign SHA256-RSA-PKCS-PSS:sign SHA384-RSA-PKCS-PSS:sign SHA512-RSA-PKCS-PSS:sign \
         RSA-X-509:sign RSA-PKCS:decrypt RSA-PKCS-OAEP:decrypt \
         SHA-1:digest SHA256:digest SHA384:digest SHA512:digest; do
  lists "${m%:*}" "${m#*:}" || missing+=("$m")
done
if [ ${#missing[@]} -eq 0 ]; then
  pass "-M lists the signature, decryption and digest mechanisms clients need"
else
  fail "-M lists the signature, decryption and digest mechanisms clients need" \
    "missing (name:flag): ${missing[*]}" "$mechs"
fi

# sign_check <mechanism> <key name> <key id> <what> <token input> <openssl check...>
# Sign with the token, check with OpenSSL (the argument SIG of the check
# command stands for the signature file), check with the token, then tamper the
# signature and expect both to refuse it. ECDSA signatures are r||s of
# $FIELD bytes each; raw RSA-PKCS-PSS uses $PSS_HASH and $PSS_MGF.
sign_check() {
  local mech=$1 key=$2 id=$3 what=$4 input=$5
  shift 5
  local sig="sig.$mech.$key" out desc="--sign -m $mech with $key$what"
  local extra=()
  case "$mech" in
    RSA-PKCS-PSS) extra=(--hash-algorithm "$PSS_HASH" --mgf "$PSS_MGF") ;;
  esac
  if ! out=$(p11l --sign -m "$mech" --id "$id" "${extra[@]}" -i "$input" -o "$sig" 2>&1); then
    fail "$desc: token signs" "$out"
    return
  fi
  local check=$sig
  case "$mech" in
    ECDSA*) if ! out=$(ecdsa_der "$sig" "$sig.der" "$FIELD" 2>&1); then
              fail "$desc: r||s of the curve's size" "$out"
              return
            fi
            check=$sig.der ;;
  esac
  if out=$(with_sig "$check" "$@" 2>&1); then
    pass "$desc: OpenSSL verifies"
  else
    fail "$desc: OpenSSL verifies" "\$ $* (SIG: $check)" "$out"
  fi
  if out=$(p11l --verify -m "$mech" --id "$id" "${extra[@]}" -i "$input" --signature-file "$sig" 2>&1) &&
     grep -q "Signature is valid" <<<"$out"; then
    pass "$desc: token verifies"
  else
    fail "$desc: token verifies" "$out"
  fi
  # Flip the last bit of the first byte after the midpoint.
  local n off b
  n=$(stat -c %s "$sig"); off=$((n / 2))
  b=$(od -An -tu1 -j "$off" -N1 "$sig" | tr -d ' ')
  cp "$sig" "$sig.bad"
  printf '%b' "$(printf '\\%03o' $((b ^ 1)))" | dd of="$sig.bad" bs=1 seek="$off" conv=notrunc status=none
  local ossl_ok=0 tok_ok=0
  case "$mech" in
    ECDSA*) ecdsa_der "$sig.bad" "$sig.bad.der" "$FIELD" 2>/dev/null &&
            with_sig "$sig.bad.der" "$@" >/dev/null 2>&1 && ossl_ok=1 ;;
    *) with_sig "$sig.bad" "$@" >/dev/null 2>&1 && ossl_ok=1 ;;
  esac
  out=$(p11l --verify -m "$mech" --id "$id" "${extra[@]}" -i "$input" --signature-file "$sig.bad" 2>&1) &&
    grep -q "Signature is valid" <<<"$out" && tok_ok=1
  if [ $ossl_ok -eq 0 ] && [ $tok_ok -eq 0 ]; then
    pass "$desc: a tampered signature is refused by OpenSSL and the token"
  else
    fail "$desc: a tampered signature is refused by OpenSSL and the token" \
      "OpenSSL accepted it: $ossl_ok; token accepted it: $tok_ok" "$out"
  fi
}

with_sig() {  # with_sig <signature file> <command...>: run it, SIG replaced
  local sig=$1 a cmd=()
  shift
  for a in "$@"; do
    if [ "$a" = SIG ]; then cmd+=("$sig"); else cmd+=("$a"); fi
  done
  "${cmd[@]}" </dev/null
}

ec_keys() {  # the EC keys with: name id field-bytes openssl-digest-for-raw-ECDSA
  have ec256 && echo "ec256 01 32 sha256"
  have ec384 && echo "ec384 02 48 sha384"
  have ec521 && echo "ec521 04 66 sha512"
  return 0
}
digestinfo_sha256=3031300d060960864801650304020105000420

# Signature mechanisms: everything listed with "sign" except MACs, which
# pykcs11.sh checks (pkcs11-tool 0.23 cannot do AES-CMAC).
sign_mechs=$(awk '{ for (i = 2; i <= NF; i++) if ($i == "sign") print $1 }' <<<"$listed" |
             grep -vE -- '-(HMAC|CMAC|MAC)(-GENERAL)?$' || true)
for mech in $sign_mechs; do
  id=$(nvt_mech_id "$mech")
  if reason=$(nvt_unsupported "$id"); then
    skip "--sign -m $mech" "$reason"
    continue
  fi
  case "$mech" in
    ECDSA)
      while read -r key kid FIELD md; do
        openssl dgst "-$md" -binary data >"hash.$md"
        sign_check "$mech" "$key" "$kid" " (a $md hash)" "hash.$md" \
          openssl pkeyutl -verify -pubin -inkey "$key.pub.pem" -in "hash.$md" -sigfile SIG
      done < <(ec_keys) ;;
    ECDSA-SHA1|ECDSA-SHA256|ECDSA-SHA384|ECDSA-SHA512)
      md=${mech#ECDSA-}; md=${md,,}
      while read -r key kid FIELD _; do
        sign_check "$mech" "$key" "$kid" "" data \
          openssl dgst "-$md" -verify "$key.pub.pem" -signature SIG data
      done < <(ec_keys) ;;
    RSA-PKCS)
      have rsa2048 || { fail "--sign -m $mech: no RSA key"; continue; }
      { hexbin "$digestinfo_sha256"; openssl dgst -sha256 -binary data; } >digestinfo
      sign_check "$mech" rsa2048 03 " (a SHA-256 DigestInfo)" digestinfo \
        openssl dgst -sha256 -verify rsa2048.pub.pem -signature SIG data ;;
    SHA1-RSA-PKCS|SHA256-RSA-PKCS|SHA384-RSA-PKCS|SHA512-RSA-PKCS)
      have rsa2048 || { fail "--sign -m $mech: no RSA key"; continue; }
      md=${mech%-RSA-PKCS}; md=${md,,}
      sign_check "$mech" rsa2048 03 "" data openssl dgst "-$md" -verify rsa2048.pub.pem -signature SIG data ;;
    RSA-PKCS-PSS)
      have rsa2048 || { fail "--sign -m $mech: no RSA key"; continue; }
      for md in sha1 sha256 sha384 sha512; do
        if reason=$(nvt_unsupported "CKM_${md^^}_RSA_PKCS_PSS"); then
          skip "--sign -m $mech with hash ${md^^}" "$reason"
          continue
        fi
        openssl dgst "-$md" -binary data >"hash.$md"
        PSS_HASH=${md^^}; PSS_MGF=MGF1-$PSS_HASH
        [ "$md" = sha1 ] && PSS_HASH=SHA-1
        sign_check "$mech" rsa2048 03 " (a $md hash, MGF1 $md, salt = hash length)" "hash.$md" \
          openssl pkeyutl -verify -pubin -inkey rsa2048.pub.pem -in "hash.$md" \
            -pkeyopt "digest:$md" -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:digest -sigfile SIG
      done ;;
    SHA1-RSA-PKCS-PSS|SHA256-RSA-PKCS-PSS|SHA384-RSA-PKCS-PSS|SHA512-RSA-PKCS-PSS)
      have rsa2048 || { fail "--sign -m $mech: no RSA key"; continue; }
      md=${mech%-RSA-PKCS-PSS}; md=${md,,}
      sign_check "$mech" rsa2048 03 " (salt = hash length)" data \
        openssl dgst "-$md" -verify rsa2048.pub.pem -sigopt rsa_padding_mode:pss \
          -sigopt rsa_pss_saltlen:digest -signature SIG data ;;
    RSA-X-509)
      have rsa2048 || { fail "--sign -m $mech: no RSA key"; continue; }
      # A block below the modulus: a zero byte, then a fixed pattern.
      pattern=$(printf 'nvtoken raw RSA %.0s' {1..16})
      printf '\0%s' "${pattern:0:255}" >block
      raw_check() {  # OpenSSL recovers exactly the block
        openssl pkeyutl -verifyrecover -pubin -inkey rsa2048.pub.pem -pkeyopt rsa_padding_mode:none \
          -in "$1" -out recovered && cmp block recovered
      }
      sign_check "$mech" rsa2048 03 " (a raw block)" block raw_check SIG ;;
    *)
      fail "--sign -m $mech: the token lists it, the suite has no OpenSSL check for it" \
        "add a check to tests/interop/pkcs11-tool.sh, or list it in docs/COMPATIBILITY.md" ;;
  esac
done

# --- decryption ---------------------------------------------------------------------------------
if have rsa2048; then
  printf 'a session key, say' >plain
  if openssl pkeyutl -encrypt -pubin -inkey rsa2048.pub.pem -in plain -out ct.pkcs1 2>/dev/null &&
     out=$(p11l --decrypt -m RSA-PKCS --id 03 -i ct.pkcs1 -o pt.pkcs1 2>&1) && cmp -s plain pt.pkcs1; then
    pass "--decrypt -m RSA-PKCS of an OpenSSL ciphertext"
  else
    fail "--decrypt -m RSA-PKCS of an OpenSSL ciphertext" "${out:-}"
  fi
  for h in SHA-1 SHA256 SHA384 SHA512; do
    md=${h//-/}; md=${md,,}
    if reason=$(nvt_unsupported "OAEP:${h//-/_}"); then
      skip "--decrypt -m RSA-PKCS-OAEP with $h" "$reason"
      continue
    fi
    if openssl pkeyutl -encrypt -pubin -inkey rsa2048.pub.pem -in plain -out "ct.oaep.$md" \
         -pkeyopt rsa_padding_mode:oaep -pkeyopt "rsa_oaep_md:$md" -pkeyopt "rsa_mgf1_md:$md" 2>/dev/null &&
       out=$(p11l --decrypt -m RSA-PKCS-OAEP --hash-algorithm "$h" --mgf "MGF1-${h//-/}" --id 03 \
               -i "ct.oaep.$md" -o "pt.oaep.$md" 2>&1) && cmp -s plain "pt.oaep.$md"; then
      pass "--decrypt -m RSA-PKCS-OAEP with $h of an OpenSSL ciphertext"
    else
      fail "--decrypt -m RSA-PKCS-OAEP with $h of an OpenSSL ciphertext" "${out:-}"
    fi
  done
fi

# --- digests ---------------------------------------------------------------------------------------
while read -r mech; do
  id=$(nvt_mech_id "$mech")
  if reason=$(nvt_unsupported "$id"); then
    skip "--hash -m $mech" "$reason"
    continue
  fi
  case "$mech" in
    SHA-1|SHA256|SHA384|SHA512) md=${mech//-/}; md=${md,,} ;;
    *) fail "--hash -m $mech: the token lists it, the suite has no OpenSSL check for it"; continue ;;
  esac
  if out=$(p11 --hash -m "$mech" -i data -o "digest.$md" 2>&1) &&
     [ "$(od -An -tx1 -v "digest.$md" | tr -d ' \n')" = "$(openssl dgst "-$md" -r data | cut -d' ' -f1)" ]; then
    pass "--hash -m $mech equals OpenSSL's digest"
  else
    fail "--hash -m $mech equals OpenSSL's digest" "${out:-}"
  fi
done < <(awk '{ for (i = 2; i <= NF; i++) if ($i == "digest") print $1 }' <<<"$listed")

# --- pkcs11-tool's own tests --------------------------------------------------------------------------
if out=$(p11l --test 2>&1) && grep -q "^No errors" <<<"$out"; then
  pass "--test: No errors"
else
  fail "--test: No errors" "$out"
fi
for curve in secp256r1 secp384r1 secp521r1; do
  # Everything pkcs11-tool warns about is a failure, except C_SignFinal after
  # a C_Sign that returned CKR_BUFFER_TOO_SMALL (pkcs11-tool tries it to
  # end the operation; the specification does not define that call).
  if out=$(p11l --session-rw --test-ec --id 30 --key-type "EC:$curve" 2>&1) &&
     grep -q "^==> OK" <<<"$out" && ! grep -v "C_SignFinal" <<<"$out" | grep -qiE "^(ERR|warning)"; then
    pass "--test-ec with EC:$curve"
  else
    fail "--test-ec with EC:$curve" "$out"
  fi
done

# --- the legacy mechanisms (RSA-1024, triple-DES): on by default, off with
# the module's legacy = 0 (NVTOKEN_LEGACY=0) --------------------------------------------------------
if [ "$NVT_MODULE_KIND" = nvtoken ]; then
  if lists DES3-CBC-PAD encrypt && lists DES3-KEY-GEN generate &&
     grep -q "RSA-PKCS-KEY-PAIR-GEN, keySize={1024," <<<"$mechs"; then
    pass "-M lists DES3-KEY-GEN, DES3-CBC-PAD and RSA key pairs from 1024 bits"
  else
    fail "-M lists DES3-KEY-GEN, DES3-CBC-PAD and RSA key pairs from 1024 bits" "$listed"
  fi
  nvt_check "--keypairgen rsa:1024" p11l --keypairgen --key-type rsa:1024 --id 40 --label rsa1024
  if out=$(p11l --keygen --key-type DES3:24 --id 41 --label des3 2>&1) && grep -q "DES3" <<<"$out"; then
    pass "--keygen DES3:24"
  else
    fail "--keygen DES3:24" "$out"
  fi
  off=$(NVTOKEN_LEGACY=0 p11 -M 2>&1) || true
  if grep -q "RSA-PKCS-KEY-PAIR-GEN, keySize={2048," <<<"$off" && ! grep -q "DES3" <<<"$off"; then
    pass "NVTOKEN_LEGACY=0: -M lists no DES3 mechanism and RSA key pairs from 2048 bits"
  else
    fail "NVTOKEN_LEGACY=0: -M lists no DES3 mechanism and RSA key pairs from 2048 bits" "$off"
  fi
  if out=$(NVTOKEN_LEGACY=0 p11l --keypairgen --key-type rsa:1024 --id 42 --label rsa1024-off 2>&1); then
    fail "NVTOKEN_LEGACY=0: --keypairgen rsa:1024 is refused" "$out"
  else
    pass "NVTOKEN_LEGACY=0: --keypairgen rsa:1024 is refused"
  fi
  if out=$(NVTOKEN_LEGACY=0 p11l --sign -m SHA256-RSA-PKCS --id 40 -i data -o off.sig 2>&1); then
    fail "NVTOKEN_LEGACY=0: the RSA-1024 key made before cannot sign" "$out"
  else
    pass "NVTOKEN_LEGACY=0: the RSA-1024 key made before cannot sign"
  fi
fi

nvt_finish
