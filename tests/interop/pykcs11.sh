#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# PyKCS11 (Debian's python3-pykcs11, run with Debian's /usr/bin/python3)
# against the module under test, on a fresh token: see pykcs11_client.py.
set -euo pipefail
# shellcheck source=lib/common.sh
. "$(dirname "$0")/lib/common.sh"
nvt_begin pykcs11
nvt_fresh_token
nvt_skiplist "$NVT_TMP/skiplist.tsv"

rc=0
verdicts=$(nvt_run /usr/bin/python3 "$NVT_INTEROP_DIR/pykcs11_client.py" \
             "$NVT_MODULE" "$NVT_TOKEN_LABEL" "$NVT_USER_PIN" "$NVT_TMP/skiplist.tsv" 2>"$NVT_TMP/stderr") || rc=$?
nvt_count_verdicts "$verdicts"
if [ "$rc" -ne 0 ]; then
  fail "the PyKCS11 client ran to its end (exit status $rc)" "$(cat "$NVT_TMP/stderr")"
fi
nvt_finish
