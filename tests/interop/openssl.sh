#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# OpenSSL 3 with the libp11 PKCS#11 engine (libengine-pkcs11-openssl)
# against the module under test, on a fresh token: the token's public keys
# read through the engine; `openssl pkeyutl -sign` with the token's keys,
# verified in software; mutual TLS on 127.0.0.1 between `openssl s_server`
# (software keys, client certificate required) and `openssl s_client` whose
# private key stays on the token: EC with TLS 1.3 and 1.2, RSA with TLS 1.3
# (RSA-PSS) and TLS 1.2 (PKCS#1 v1.5). Every server accepts one connection,
# is bounded in time and stops by itself.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
nvt_begin openssl
nvt_fresh_token
work="$NVT_TMP/work"
mkdir -p "$work"
cd "$work"

engines_dir=$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')
[ -f "$engines_dir/pkcs11.so" ] ||
  nvt_abort "the libp11 engine" "no $engines_dir/pkcs11.so: install libengine-pkcs11-openssl (scripts/setup)"
# OpenSSL with the engine, loading the module under test; and OpenSSL alone.
cat >engine.cnf <<EOF
openssl_conf = openssl_init
[openssl_init]
engines = engine_section
[engine_section]
pkcs11 = pkcs11_section
[pkcs11_section]
engine_id = pkcs11
dynamic_path = $engines_dir/pkcs11.so
MODULE_PATH = $NVT_MODULE
init = 0
EOF
: >plain.cnf
with_engine() { OPENSSL_CONF="$work/engine.cnf" nvt_run openssl "$@"; }
software() { OPENSSL_CONF="$work/plain.cnf" nvt_run openssl "$@"; }
uri() {  # uri <label> <private|public>
  local u="pkcs11:token=$NVT_TOKEN_LABEL;object=$1;type=$2"
  [ "$2" = private ] && u="$u;pin-value=$NVT_USER_PIN"
  echo "$u"
}

# --- keys on the token ----------------------------------------------------------------
keys_ok=()
for k in "tls-ec 01 EC:secp256r1" "tls-rsa 02 rsa:2048"; do
  read -r label id type <<<"$k"
  if ! out=$(nvt_p11tool_login --keypairgen --key-type "$type" --id "$id" --label "$label" --usage-sign 2>&1); then
    fail "key pair $type ($label) generated on the token (pkcs11-tool)" "$out"
    continue
  fi
  pass "key pair $type ($label) generated on the token (pkcs11-tool)"
  if out=$(with_engine pkey -engine pkcs11 -inform engine -pubin -in "$(uri "$label" public)" \
             -pubout -out "$label.pub.pem" 2>&1) &&
     software pkey -pubin -in "$label.pub.pem" -noout 2>/dev/null; then
    pass "public key of $label read through the engine by pkcs11: URI"
    keys_ok+=("$label")
  else
    fail "public key of $label read through the engine by pkcs11: URI" "$out"
  fi
done
have() { [[ " ${keys_ok[*]} " == *" $1 "* ]]; }

# The private keys the engine uses never leave the token.
listing=$(nvt_p11tool_login -O --type privkey 2>&1) || true
for label in tls-ec tls-rsa; do
  access=$(nvt_privkey_access "$label" "$listing")
  if [[ ", $access," == *", sensitive,"* && ", $access," == *", never extractable,"* ]]; then
    pass "private key $label is sensitive and never extractable"
  else
    fail "private key $label is sensitive and never extractable" "Access: $access" "$listing"
  fi
done

# --- openssl pkeyutl -sign with the token's key, verified in software ------------------------
printf 'nvtoken interop: openssl pkeyutl signs this.\n' >data
software dgst -sha256 -binary -out data.sha256 data
# pkeyutl_check <name> <key label> <options...>: sign through the engine,
# verify in software, both with the same options.
pkeyutl_check() {
  local name=$1 label=$2 out
  shift 2
  local desc="openssl pkeyutl -sign $name with the token's key $label, verified in software"
  if ! have "$label"; then
    fail "$desc" "no key"
  elif ! out=$(with_engine pkeyutl -sign -engine pkcs11 -keyform engine -inkey "$(uri "$label" private)" \
                 "$@" -in data.sha256 -out "pkeyutl.${name// /-}.sig" 2>&1); then
    fail "$desc" "$out"
  elif out=$(software pkeyutl -verify -pubin -inkey "$label.pub.pem" "$@" \
               -in data.sha256 -sigfile "pkeyutl.${name// /-}.sig" 2>&1) &&
       grep -q "Signature Verified Successfully" <<<"$out"; then
    pass "$desc"
  else
    fail "$desc" "$out"
  fi
}
pkeyutl_check ECDSA tls-ec
pkeyutl_check "RSA PKCS#1 v1.5" tls-rsa -pkeyopt digest:sha256
pkeyutl_check RSA-PSS tls-rsa -pkeyopt digest:sha256 -pkeyopt rsa_padding_mode:pss -pkeyopt rsa_pss_saltlen:digest

# --- mutual TLS ------------------------------------------------------------------------------------
ca_ok=0
if nvt_test_ca ca; then
  software genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key 2>/dev/null
  software pkey -in server.key -pubout -out server.pub.pem
  nvt_issue_cert ca server.pub.pem localhost server.pem serverAuth && ca_ok=1
fi
[ $ca_ok -eq 1 ] || fail "test CA and server certificate (openssl)"

reverse() {
  local r="" i
  for ((i = ${#1} - 1; i >= 0; i--)); do r+=${1:i:1}; done
  echo "$r"
}

# tls <name> <key label> <protocol option> <client sigalgs> <expected signature type>
tls() {
  local name=$1 label=$2 proto=$3 sigalgs=$4 sigtype=$5
  local desc="mutual TLS ($name): s_client's key on the token"
  if ! have "$label" || [ $ca_ok -eq 0 ]; then
    fail "$desc" "no key or no CA"
    return
  fi
  if ! nvt_issue_cert ca "$label.pub.pem" "client $label" "client-$label.pem" clientAuth; then
    fail "$desc: client certificate from the test CA"
    return
  fi
  local srv="server.$name.out" cli="client.$name.out" msg="nvtoken-$name" port="" i
  # One connection, at most 60 s; the client certificate is required and
  # checked against the test CA, its signature algorithm restricted.
  OPENSSL_CONF="$work/plain.cnf" nvt_bg "$srv" timeout -k 5 60 openssl s_server \
    -accept 127.0.0.1:0 -naccept 1 -rev -cert server.pem -key server.key \
    -CAfile ca/ca.pem -Verify 1 -verify_return_error "$proto" -client_sigalgs "$sigalgs"
  local spid=$NVT_BG_PID
  for i in $(seq 100); do
    port=$(sed -n 's/^ACCEPT 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$srv")
    [ -n "$port" ] && break
    kill -0 "$spid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$port" ]; then
    fail "$desc: s_server listens on 127.0.0.1" "$(cat "$srv")"
    kill "$spid" 2>/dev/null || true
    return
  fi
  # -ign_eof: read until the server closes, which the -rev server does
  # after the line CLOSE; so the reply is always read before the end.
  printf '%s\nCLOSE\n' "$msg" >"client.$name.in"
  local crc=0
  OPENSSL_CONF="$work/engine.cnf" timeout -k 5 60 openssl s_client -connect "127.0.0.1:$port" \
    -engine pkcs11 -keyform engine -key "$(uri "$label" private)" -cert "client-$label.pem" \
    -CAfile ca/ca.pem -verify_return_error "$proto" -client_sigalgs "$sigalgs" -brief -ign_eof \
    <"client.$name.in" >"$cli" 2>&1 || crc=$?
  # The server stops by itself after its one connection.
  for i in $(seq 100); do
    kill -0 "$spid" 2>/dev/null || break
    sleep 0.1
  done
  local src=0
  if kill -0 "$spid" 2>/dev/null; then
    kill "$spid" 2>/dev/null || true
    wait "$spid" 2>/dev/null || true
    src="still running 10 s after the client ended: killed"
  else
    wait "$spid" 2>/dev/null || src="exit status $?"
  fi
  local want=("Protocol version: TLSv1.${proto#-tls1_}" "Peer certificate: CN = client $label"
              "Signature type: $sigtype" "Verification: OK") missing=() w
  for w in "${want[@]}"; do
    grep -qxF "$w" "$srv" || missing+=("$w")
  done
  if [ $crc -eq 0 ] && [ ${#missing[@]} -eq 0 ]; then
    pass "$desc: handshake with the client certificate verified by s_server ($sigtype)"
  else
    fail "$desc: handshake with the client certificate verified by s_server ($sigtype)" \
      "s_client exit status $crc; s_server output lacks: ${missing[*]:-nothing}" \
      "--- s_client:" "$(cat "$cli")" "--- s_server:" "$(cat "$srv")"
  fi
  if grep -qxF "$(reverse "$msg")" "$cli"; then
    pass "$desc: a message makes the round trip"
  else
    fail "$desc: a message makes the round trip" "--- s_client:" "$(cat "$cli")"
  fi
  if [ "$src" = 0 ]; then
    pass "$desc: s_server stopped by itself after one connection"
  else
    fail "$desc: s_server stopped by itself after one connection" "s_server: $src" "$(cat "$srv")"
  fi
}

tls ec-tls13 tls-ec -tls1_3 ECDSA+SHA256 ECDSA
tls ec-tls12 tls-ec -tls1_2 ECDSA+SHA256 ECDSA
tls rsa-tls13-pss tls-rsa -tls1_3 RSA-PSS+SHA256 RSA-PSS
tls rsa-tls12-pkcs1 tls-rsa -tls1_2 RSA+SHA256 RSA

nvt_finish
