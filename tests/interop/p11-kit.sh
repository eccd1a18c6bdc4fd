#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# p11-kit against the module under test, on a fresh token: the module is
# registered through a .module file in a private configuration; `p11-kit
# list-modules` shows it with its token; pkcs11-tool reaches it through
# p11-kit-proxy.so (key generation, signature checked by OpenSSL), and
# GnuTLS's p11tool, which loads what p11-kit registers, finds it by a
# pkcs11: URI.
#
# Registration: p11-kit 0.24 reads module files from
# /usr/share/p11-kit/modules and /etc/pkcs11/modules (system) and from
# ~/.config/pkcs11/modules (user; $HOME, not $XDG_CONFIG_HOME). It ignores
# the user configuration of root, so when this script runs as root the
# p11-kit clients run as the unprivileged user nobody. The private
# configuration is isolated: a user file with an empty "module:" line
# disables the system module of the same file name, so only the module
# under test is loaded.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
nvt_begin p11-kit
nvt_fresh_token
work="$NVT_TMP/work"
mkdir -p "$work"
cd "$work"

proxy=$(pkg-config --variable=proxy_module p11-kit-1 2>/dev/null || true)
[ -f "$proxy" ] || nvt_abort "p11-kit-proxy.so" "pkg-config p11-kit-1 names no proxy module ('$proxy'): install libp11-kit-dev (scripts/setup)"

# --- the clients' identity and the module's location --------------------------------
module=$NVT_MODULE
as_user=()
if [ "$(id -u)" -eq 0 ]; then
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
  # nobody must reach the token's files and the module.
  chown -R 65534:65534 "$NVT_TMP"
  if ! "${as_user[@]}" test -r "$module"; then
    module="$NVT_TMP/$(basename "$NVT_MODULE")"
    cp "$NVT_MODULE" "$module"
    chmod 755 "$module"
  fi
fi
client() { nvt_run "${as_user[@]}" "$@"; }

# --- registration -------------------------------------------------------------------------
modules_dir="$HOME/.config/pkcs11/modules"
mkdir -p "$modules_dir"
for dir in "$(pkg-config --variable=p11_module_configs p11-kit-1)" \
           "$(pkg-config --variable=p11_system_config_modules p11-kit-1)" /etc/pkcs11/modules; do
  for f in "$dir"/*.module; do
    [ -f "$f" ] && printf '# disabled for the interop test\nmodule:\n' >"$modules_dir/$(basename "$f")"
  done
done
printf '# nvtoken real-client suite\nmodule: %s\n' "$module" >"$modules_dir/nvt-interop.module"
[ "$(id -u)" -eq 0 ] && chown -R 65534:65534 "$HOME"

# --- p11-kit list-modules ------------------------------------------------------------------
out=$(client p11-kit list-modules 2>&1) || true
if grep -qxF "nvt-interop: $module" <<<"$out"; then
  pass "list-modules shows the module registered by nvt-interop.module"
else
  fail "list-modules shows the module registered by nvt-interop.module" "$out"
fi
token_block=$(awk -v l="$NVT_TOKEN_LABEL" '
  /^[^ ]/ { mine = ($1 == "nvt-interop:") }
  mine && /^    token: / { t = ($0 == "    token: " l) }
  mine && t' <<<"$out")
flags_missing=()
for f in token-initialized user-pin-initialized login-required; do
  grep -qxE "[[:space:]]+$f" <<<"$token_block" || flags_missing+=("$f")
done
if [ -n "$token_block" ] && [ ${#flags_missing[@]} -eq 0 ]; then
  pass "list-modules shows the token $NVT_TOKEN_LABEL under it (initialised, user PIN set, login required)"
else
  fail "list-modules shows the token $NVT_TOKEN_LABEL under it (initialised, user PIN set, login required)" \
    "missing flags: ${flags_missing[*]:-none}" "$out"
fi
others=$(grep -E '^[^ ].*: ' <<<"$out" | grep -vF "nvt-interop: " || true)
if [ -z "$others" ]; then
  pass "the private configuration loads no other module"
else
  fail "the private configuration loads no other module" "$others"
fi

# --- pkcs11-tool through p11-kit-proxy.so ------------------------------------------------------
viaproxy() { client pkcs11-tool --module "$proxy" "$@"; }
out=$(viaproxy -L 2>&1) || true
if grep -qE "token label +: $NVT_TOKEN_LABEL\$" <<<"$out"; then
  pass "pkcs11-tool --module p11-kit-proxy.so -L lists the token"
else
  fail "pkcs11-tool --module p11-kit-proxy.so -L lists the token" "$out"
fi
nvt_check "pkcs11-tool through p11-kit-proxy.so: EC P-256 key pair generated on the token" \
  viaproxy --token-label "$NVT_TOKEN_LABEL" --login --pin "$NVT_USER_PIN" \
    --keypairgen --key-type EC:secp256r1 --id 51 --label p11kit-ec --usage-sign
printf 'nvtoken interop: signed through p11-kit-proxy.so\n' >data
openssl dgst -sha256 -binary -out data.sha256 data
[ "$(id -u)" -eq 0 ] && chown 65534:65534 "$work" "$work"/*
sig_ok=0
if out=$(viaproxy --token-label "$NVT_TOKEN_LABEL" --read-object --type pubkey --id 51 -o "$work/pub.der" 2>&1) &&
   out=$(viaproxy --token-label "$NVT_TOKEN_LABEL" --login --pin "$NVT_USER_PIN" --sign -m ECDSA --id 51 \
           -f openssl -i "$work/data.sha256" -o "$work/sig.der" 2>&1) &&
   out=$(openssl pkeyutl -verify -pubin -inkey pub.der -keyform DER -in data.sha256 -sigfile sig.der 2>&1); then
  sig_ok=1
fi
if [ $sig_ok -eq 1 ]; then
  pass "pkcs11-tool through p11-kit-proxy.so: an ECDSA signature by the token, verified by OpenSSL"
else
  fail "pkcs11-tool through p11-kit-proxy.so: an ECDSA signature by the token, verified by OpenSSL" "$out"
fi

# --- p11tool: GnuTLS loads the modules p11-kit registers -----------------------------------------
export GNUTLS_PIN="$NVT_USER_PIN"
out=$(client p11tool --list-token-urls 2>&1) || true
if grep -q "^pkcs11:.*token=$NVT_TOKEN_LABEL" <<<"$out"; then
  pass "p11tool (no --provider) finds the token through p11-kit"
else
  fail "p11tool (no --provider) finds the token through p11-kit" "$out"
fi
out=$(client p11tool --login --list-all "pkcs11:token=$NVT_TOKEN_LABEL;object=p11kit-ec" 2>&1) || true
if grep -q "Type: Private key (EC/ECDSA-SECP256R1)" <<<"$out" && grep -q "Type: Public key (EC/ECDSA-SECP256R1)" <<<"$out"; then
  pass "p11tool --list-all by pkcs11: URI finds the key pair made through the proxy"
else
  fail "p11tool --list-all by pkcs11: URI finds the key pair made through the proxy" "$out"
fi
if [ $sig_ok -eq 1 ] &&
   out=$(client p11tool --export "pkcs11:token=$NVT_TOKEN_LABEL;object=p11kit-ec;type=public" 2>&1) &&
   cmp -s pub.der <(openssl pkey -pubin -outform DER <<<"$out" 2>/dev/null); then
  pass "p11tool --export by pkcs11: URI gives the same public key"
else
  fail "p11tool --export by pkcs11: URI gives the same public key" "$out"
fi

nvt_finish
