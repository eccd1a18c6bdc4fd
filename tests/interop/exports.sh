#!/usr/bin/env bash
# tests/interop/exports.sh MODULE - libnvtoken.so exports the PKCS#11 entry
# points and nothing else: the 92 functions of the v3.0 list (the 68 of
# v2.40 plus the 24 v3.0 adds).
set -eu
module=${1:?usage: $0 MODULE}
defined=$(nm -D --defined-only "$module" | awk 'NF == 3 { print $3 }' | sort)
others=$(grep -v '^C_' <<<"$defined" || true)
count=$(grep -c '^C_' <<<"$defined")
echo "$count C_* symbols exported"
if [ -n "$others" ]; then
  echo "FAIL: symbols other than C_* are exported:"
  echo "$others"
  exit 1
fi
for f in C_GetFunctionList C_GetInterfaceList C_GetInterface C_Initialize C_WaitForSlotEvent C_LoginUser \
         C_SessionCancel C_MessageVerifyFinal; do
  grep -qx "$f" <<<"$defined" || { echo "FAIL: $f missing"; exit 1; }
done
[ "$count" -eq 92 ] || { echo "FAIL: expected 92 entry points"; exit 1; }
echo "ok"
