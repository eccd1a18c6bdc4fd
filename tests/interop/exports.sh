#!/usr/bin/env bash
# tests/interop/exports.sh MODULE - libnvtoken.so exports the PKCS#11 entry
# points and nothing else: the 68 functions of the v2.40 list plus
# C_GetInterfaceList and C_GetInterface.
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
for f in C_GetFunctionList C_GetInterfaceList C_GetInterface C_Initialize C_WaitForSlotEvent; do
  grep -qx "$f" <<<"$defined" || { echo "FAIL: $f missing"; exit 1; }
done
[ "$count" -eq 70 ] || { echo "FAIL: expected 70 entry points"; exit 1; }
echo "ok"
