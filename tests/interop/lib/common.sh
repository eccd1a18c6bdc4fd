# shellcheck shell=bash
# tests/interop/lib/common.sh - what every client script of the real-client
# suite shares. Sourced, never run.
#
#   nvt_begin <client>     temp dir (removed on exit), HOME/XDG dirs inside it,
#                          the module under test ($NVT_MODULE, from
#                          $NVT_INTEROP_MODULE) checked
#   nvt_fresh_token        a fresh, isolated, initialised token with a user
#                          PIN: label $NVT_TOKEN_LABEL, PINs $NVT_SO_PIN and
#                          $NVT_USER_PIN. The ONLY place that knows how a
#                          module keeps its tokens.
#   pass / fail / skip     count one check; fail prints the evidence
#   nvt_count_verdicts <lines>  count the verdicts a helper program printed
#   nvt_check <desc> <cmd...>   run a command (bounded in time) or a shell
#                          function; pass if it succeeds, else fail with its
#                          output
#   nvt_run <cmd...>       run a command bounded in time ($NVT_CMD_TIMEOUT s),
#                          standard input from /dev/null
#   nvt_p11tool[_login] <args...>  pkcs11-tool on the fresh token
#   nvt_privkey_access <label> <listing>  a private key's "Access:" flags
#   nvt_unsupported <id>   print the reason if docs/COMPATIBILITY.md lists
#                          <id> as deliberately unsupported by nvtoken
#   nvt_skiplist <file>    write the skip list as "<id><TAB><reason>" lines
#   nvt_finish             print "<client>: P passed, F failed, S skipped";
#                          exit status 1 if anything failed
#
# A script that stops early (set -e, a timeout, a signal) still prints its
# count line, with the interruption counted as a failure.

NVT_INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NVT_SOURCE_DIR=$(cd "$NVT_INTEROP_DIR/../.." && pwd)
NVT_COMPAT_DOC="$NVT_SOURCE_DIR/docs/COMPATIBILITY.md"

NVT_TOKEN_LABEL=nvt-interop
NVT_SO_PIN=87654321
NVT_USER_PIN=11223344
NVT_CMD_TIMEOUT=${NVT_CMD_TIMEOUT:-120}

nvt__passed=0
nvt__failed=0
nvt__skipped=0
nvt__finished=0
nvt__pids=()
nvt__serial=1

# --- counting -----------------------------------------------------------------

pass() { nvt__passed=$((nvt__passed + 1)); echo "PASS: $1"; }

# fail <desc> [evidence...]
fail() {
  nvt__failed=$((nvt__failed + 1))
  echo "FAIL: $1"
  shift
  local line
  for line in "$@"; do
    [ -n "$line" ] || continue
    printf '%s\n' "$line" | tail -n 40 | sed 's/^/      | /'
  done
}

skip() { nvt__skipped=$((nvt__skipped + 1)); echo "SKIP: $1 ($2)"; }

# nvt_count_verdicts <lines>: count what a helper program judged, one
# "pass|fail|skip<TAB><what>[<TAB><evidence or reason>]" per line.
nvt_count_verdicts() {
  local kind what extra
  while IFS=$'\t' read -r kind what extra; do
    case "$kind" in
      pass) pass "$what" ;;
      skip) skip "$what" "$extra" ;;
      fail) fail "$what" "$extra" ;;
      "") ;;
      *) fail "unreadable verdict: $kind $what $extra" ;;
    esac
  done <<<"$1"
}

nvt_finish() {
  nvt__finished=1
  echo "$NVT_CLIENT: $nvt__passed passed, $nvt__failed failed, $nvt__skipped skipped"
  [ "$nvt__failed" -eq 0 ] && [ "$nvt__passed" -gt 0 ]
}

# nvt_abort <why>: count a failure that makes the rest meaningless, and stop.
nvt_abort() {
  fail "$@"
  nvt_finish || true
  exit 1
}

# --- running --------------------------------------------------------------------

nvt_run() { timeout -k 5 "$NVT_CMD_TIMEOUT" "$@" </dev/null; }

# nvt_check <desc> <cmd...>: a program runs through nvt_run; a shell
# function (which bounds its own commands) is called as it is.
nvt_check() {
  local desc=$1 out run=nvt_run
  shift
  [ "$(type -t "$1")" = function ] && run=
  if out=$($run "$@" 2>&1); then
    pass "$desc"
  else
    fail "$desc" "\$ $*" "$out"
  fi
}

# nvt_bg <outfile> <cmd...>: start a background command (to be bounded in
# time by the caller), remembered so that the exit trap ends it; its
# process id is in NVT_BG_PID.
nvt_bg() {
  local out=$1
  shift
  "$@" >"$out" 2>&1 </dev/null &
  NVT_BG_PID=$!
  nvt__pids+=("$NVT_BG_PID")
}

nvt__on_exit() {
  local rc=$? pid
  # Back to the script's own output, whatever redirection was active.
  exec 1>&"$nvt__stdout" 2>&"$nvt__stderr"
  for pid in "${nvt__pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${nvt__pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if [ "$nvt__finished" -eq 0 ]; then
    fail "the script stopped early (exit status $rc)" "${nvt__where:-}"
    nvt_finish || true
    rc=1
  fi
  if [ -n "${NVT_KEEP_TMP:-}" ]; then
    echo "(NVT_KEEP_TMP: kept $NVT_TMP)"
  elif [ -n "${NVT_TMP:-}" ]; then
    rm -rf "$NVT_TMP"
  fi
  exit "$rc"
}

# --- the shared skip list ----------------------------------------------------------

# The skip list is the table in the section "## Not supported by nvtoken"
# of docs/COMPATIBILITY.md: rows "| `<id>` | ... | <reason> |".
nvt__skiplist_rows() {
  awk -F'|' '
    /^## / { in_list = ($0 ~ /^## Not supported by nvtoken/) }
    in_list && /^\| `[^`]+` \|/ { f = $2; gsub(/^[ \t`]+|[ \t`]+$/, "", f)
                     r = $(NF - 1); gsub(/^[ \t]+|[ \t]+$/, "", r); print f "\t" r }' "$NVT_COMPAT_DOC"
}

# nvt_unsupported <id>: print the reason if the skip list has <id>. (The
# reader reads to the end: with pipefail, a reader that stops early fails
# the pipeline whenever the writer is still writing.)
nvt_unsupported() {
  nvt__skiplist_rows | awk -F'\t' -v id="$1" '$1 == id && !found { print $2; found = 1 } END { exit !found }'
}

# nvt_skiplist <file>: the whole skip list, "<id><TAB><reason>" per line
# (for the Python parts of the suite).
nvt_skiplist() { nvt__skiplist_rows >"$1"; }

# nvt_mech_id <pkcs11-tool mechanism name>: the specification's name
# (pkcs11-tool prints CKM_SHA256_RSA_PKCS_PSS as SHA256-RSA-PKCS-PSS).
nvt_mech_id() {
  local n=${1//-/_}
  echo "CKM_${n^^}"
}

# --- the module under test -----------------------------------------------------------

# nvt_begin <client name>
nvt_begin() {
  NVT_CLIENT=$1
  exec {nvt__stdout}>&1 {nvt__stderr}>&2
  set -o errtrace
  trap 'nvt__where="${BASH_SOURCE[0]##*/} line $LINENO: $BASH_COMMAND"' ERR
  trap nvt__on_exit EXIT
  trap 'exit 130' INT TERM
  NVT_TMP=$(mktemp -d "${TMPDIR:-/tmp}/nvt-interop.XXXXXX")
  # Nothing from the user's own configuration: no ~/.config/pkcs11,
  # ~/.softhsm2, ~/.local/share/nvtoken, OpenSSL or GnuTLS settings.
  export HOME="$NVT_TMP/home" XDG_CONFIG_HOME="$NVT_TMP/home/.config"
  export XDG_DATA_HOME="$NVT_TMP/home/.local/share" XDG_CACHE_HOME="$NVT_TMP/home/.cache"
  export XDG_RUNTIME_DIR="$NVT_TMP/run"
  mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
  unset OPENSSL_CONF OPENSSL_ENGINES SOFTHSM2_CONF NVTOKEN_IMAGE GNUTLS_PIN GNUTLS_SO_PIN \
        P11_KIT_SERVER_ADDRESS PKCS11_MODULE_PATH
  export LC_ALL=C

  NVT_MODULE=${NVT_INTEROP_MODULE:-}
  [ -n "$NVT_MODULE" ] || nvt_abort "no module under test" \
    "set NVT_INTEROP_MODULE to a PKCS#11 module (ctest does it), e.g." \
    "  NVT_INTEROP_MODULE=/usr/lib/softhsm/libsofthsm2.so bash $0"
  [ -f "$NVT_MODULE" ] || nvt_abort "no module at $NVT_MODULE"
  NVT_MODULE=$(readlink -f "$NVT_MODULE")
  case "$(basename "$NVT_MODULE")" in
    libnvtoken.so*) NVT_MODULE_KIND=nvtoken ;;
    libsofthsm2.so*) NVT_MODULE_KIND=softhsm2 ;;
    *) nvt_abort "unknown module $NVT_MODULE" \
         "lib/common.sh knows how to give nvtoken and SoftHSM2 a fresh token; teach nvt_fresh_token another" ;;
  esac

  # Debian's clients cannot load a module built with AddressSanitizer
  # (docs/COMPATIBILITY.md, "Sanitized modules").
  if grep -q ' __asan_init' <<<"$(nm -D --undefined-only "$NVT_MODULE" 2>/dev/null)"; then
    nvt_abort "module built with AddressSanitizer: $NVT_MODULE" \
      "the suite's clients are ordinary programs that cannot load it; test an unsanitized" \
      "build's libnvtoken.so (presets host-clang, host-release)"
  fi
  echo "$NVT_CLIENT against $NVT_MODULE ($NVT_MODULE_KIND)"
}

# nvt_fresh_token: give the module a new, empty token store of its own, then
# initialise the token and the user PIN through pkcs11-tool. Sets
# NVT_SLOT_ID (decimal) and NVT_SLOT_ID_HEX.
nvt_fresh_token() {
  case "$NVT_MODULE_KIND" in
    nvtoken)
      export NVTOKEN_IMAGE="$NVT_TMP/token.img" ;;
    softhsm2)
      mkdir -p "$NVT_TMP/softhsm2-tokens"
      printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' \
        "$NVT_TMP/softhsm2-tokens" >"$NVT_TMP/softhsm2.conf"
      export SOFTHSM2_CONF="$NVT_TMP/softhsm2.conf" ;;
  esac
  local out
  out=$(nvt_run pkcs11-tool --module "$NVT_MODULE" --init-token \
          --label "$NVT_TOKEN_LABEL" --so-pin "$NVT_SO_PIN" 2>&1) ||
    nvt_abort "fresh token: pkcs11-tool --init-token" "$out"
  out=$(nvt_run pkcs11-tool --module "$NVT_MODULE" --token-label "$NVT_TOKEN_LABEL" \
          --init-pin --login --so-pin "$NVT_SO_PIN" --pin "$NVT_USER_PIN" 2>&1) ||
    nvt_abort "fresh token: pkcs11-tool --init-pin" "$out"
  out=$(nvt_run pkcs11-tool --module "$NVT_MODULE" -L 2>&1) ||
    nvt_abort "fresh token: pkcs11-tool -L" "$out"
  NVT_SLOT_ID_HEX=$(awk -v l="$NVT_TOKEN_LABEL" '
    /^Slot [0-9]+ \(0x[0-9a-fA-F]+\)/ { s = $3; gsub(/[():]/, "", s) }
    $1 == "token" && $2 == "label" { v = $0; sub(/^[^:]*: /, "", v); if (v == l) { print s; exit } }' <<<"$out")
  [ -n "$NVT_SLOT_ID_HEX" ] || nvt_abort "fresh token: no slot shows label $NVT_TOKEN_LABEL" "$out"
  NVT_SLOT_ID=$((NVT_SLOT_ID_HEX))
}

# The pkcs11-tool command line for the fresh token (user logged in with
# nvt_p11tool_login).
nvt_p11tool() { nvt_run pkcs11-tool --module "$NVT_MODULE" --token-label "$NVT_TOKEN_LABEL" "$@"; }
nvt_p11tool_login() { nvt_p11tool --login --pin "$NVT_USER_PIN" "$@"; }

# nvt_privkey_access <label> <pkcs11-tool -O listing>: the "Access:" line
# of the private key with that label ("sensitive, always sensitive, ...").
nvt_privkey_access() {
  awk -v l="$1" '
    /^Private Key Object/ { inkey = 1; mine = 0; next }
    /^[A-Z]/ { inkey = 0 }
    inkey && $1 == "label:" { v = $0; sub(/^[^:]*: */, "", v); mine = (v == l) }
    inkey && mine && $1 == "Access:" { sub(/^[^:]*: */, ""); print; exit }' <<<"$2"
}

# --- software PKI for the tests (OpenSSL) -----------------------------------------------

# nvt_test_ca <dir>: a local test CA (EC P-256, in software): <dir>/ca.pem,
# <dir>/ca.key.
nvt_test_ca() {
  local dir=$1
  mkdir -p "$dir"
  nvt_run openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 2 -subj "/CN=nvtoken interop test CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
    2>/dev/null
}

# nvt_issue_cert <ca dir> <public key (DER or PEM)> <subject CN> <out.pem>
# [extended key usage]: a leaf certificate for a key the CA never sees the
# private half of.
nvt_issue_cert() {
  local dir=$1 pub=$2 cn=$3 out=$4 eku=${5:-clientAuth,serverAuth}
  nvt__serial=$((nvt__serial + 1))
  nvt_run openssl x509 -new -subj "/CN=$cn" -force_pubkey "$pub" \
    -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -set_serial "$nvt__serial" \
    -days 1 -extfile <(printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment,keyAgreement\nextendedKeyUsage=%s\n' "$eku") \
    -out "$out" 2>/dev/null
}
