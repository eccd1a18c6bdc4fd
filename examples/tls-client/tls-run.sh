#!/usr/bin/env bash
# examples/tls-client/tls-run.sh - one TLS connection from the emulated
# device to a host `openssl s_server`, checked on both sides.
#
#   tls-run.sh FIRMWARE IMAGE PIN KEY_LABEL CA_LABEL VERSION PKI OUTDIR
#
#   FIRMWARE  the tls_client ELF (examples/tls-client/, Cortex-M4)
#   IMAGE     the device's token image (the key, its certificate, the CA)
#   PIN       the user PIN;  KEY_LABEL, CA_LABEL: as tls_client takes them
#   VERSION   1.3 or 1.2
#   PKI       a folder with ca.pem (the CA the device's certificate comes
#             from), server.pem and server.key (a server certificate for
#             "localhost" from the CA whose certificate the image holds)
#   OUTDIR    where server.out and device.out go
#
# s_server listens on a free port of 127.0.0.1, requires a client
# certificate from the CA (-Verify 1 -verify_return_error) and accepts one
# connection. QEMU's mps2-an386 runs the firmware with UART 0 connected to
# that port (scripts/qemu-run, NVT_QEMU_SERIAL=tcp:...). The device sends a
# line; when s_server has printed it, the script gives s_server a line to
# send back. Checked: both exit 0; s_server negotiated VERSION, verified the
# client certificate (Verification: OK) and printed the device's line; the
# device printed the server's line. On success it prints one line saying
# what both sides saw; otherwise the evidence, and exits 1.
set -euo pipefail
if [ $# -ne 8 ]; then
  echo "usage: $0 FIRMWARE IMAGE PIN KEY_LABEL CA_LABEL 1.3|1.2 PKI OUTDIR" >&2
  exit 2
fi
root=$(cd "$(dirname "$0")/../.." && pwd)
firmware=$(readlink -f "$1") image=$(readlink -f "$2") pin=$3 key_label=$4 ca_label=$5 version=$6
pki=$(readlink -f "$7") out=$8
case "$version" in 1.3 | 1.2) ;; *) echo "$0: version is 1.3 or 1.2" >&2; exit 2 ;; esac
mkdir -p "$out"
out=$(cd "$out" && pwd)
server_out="$out/server.out" device_out="$out/device.out"
reply="hello from the server to $key_label over TLS $version"
timeout_s=${NVT_TLS_TIMEOUT:-120}

work=$(mktemp -d "${TMPDIR:-/tmp}/nvt-tls.XXXXXX")
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# A free port: the kernel picks one; s_server then listens on it (a
# program that takes it in between makes s_server fail, and we try again).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# Whether something listens on 127.0.0.1:PORT (the kernel's table; a test
# connection would use up s_server's one connection).
listening() { awk -v p="$(printf '%04X' "$1")" '$2 == "0100007F:" p && $4 == "0A" { f = 1 } END { exit !f }' /proc/net/tcp; }

# s_server's standard input stays open (a FIFO held by the script) until
# the end: at end of file it would close the connection.
mkfifo "$work/server.in"
exec 3<>"$work/server.in"
port=
for _ in 1 2 3 4 5; do
  port=$(free_port)
  OPENSSL_CONF=/dev/null timeout -k 5 "$timeout_s" openssl s_server -accept "127.0.0.1:$port" -naccept 1 \
    -cert "$pki/server.pem" -key "$pki/server.key" -CAfile "$pki/ca.pem" -Verify 1 -verify_return_error \
    -brief "-tls${version/./_}" <&3 >"$server_out" 2>&1 &
  server_pid=$!
  # -brief prints nothing when it listens: wait until it does.
  for _ in $(seq 100); do
    listening "$port" && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$server_pid" 2>/dev/null && break
  wait "$server_pid" || true
  server_pid=
done
if [ -z "$server_pid" ]; then
  echo "s_server does not start:" >&2
  cat "$server_out" >&2
  exit 1
fi
# The server's line, once s_server has printed the device's.
(
  for _ in $(seq $((timeout_s * 10))); do
    if grep -q "^hello from the device" "$server_out" 2>/dev/null; then
      printf '%s\n' "$reply" >&3
      exit 0
    fi
    kill -0 "$server_pid" 2>/dev/null || exit 0
    sleep 0.1
  done
) &
replier=$!

start=$(date +%s%N)
drc=0
NVT_QEMU_SERIAL="tcp:127.0.0.1:$port" NVT_QEMU_TIMEOUT="$timeout_s" \
  "$root/scripts/qemu-run" "$firmware" "$image" "$pin" "$key_label" "$ca_label" "$version" localhost \
  >"$device_out" 2>&1 || drc=$?
ms=$((($(date +%s%N) - start) / 1000000))
src=0
for _ in $(seq 100); do
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$server_pid" 2>/dev/null; then
  kill "$server_pid" 2>/dev/null || true
  src="still running 10 s after the device ended"
fi
wait "$server_pid" 2>/dev/null || { [ "$src" = 0 ] && src="exit status $?"; }
server_pid=
kill "$replier" 2>/dev/null || true
wait "$replier" 2>/dev/null || true

field() { sed -n "s/^$1: //p" "$server_out" | head -n 1; }
missing=()
[ "$drc" -eq 0 ] || missing+=("device exit status 0 (was $drc)")
[ "$src" = 0 ] || missing+=("s_server exit status 0 ($src)")
[ "$(field "Protocol version")" = "TLSv$version" ] || missing+=("s_server: Protocol version: TLSv$version")
grep -qxF "Verification: OK" "$server_out" || missing+=("s_server: Verification: OK (the client certificate)")
peer=$(field "Peer certificate")
[ -n "$peer" ] || missing+=("s_server: Peer certificate")
device_line=$(grep -m1 "^hello from the device" "$server_out" || true)
[ -n "$device_line" ] || missing+=("s_server: the device's line")
grep -qF "tls: received \"$reply\"" "$device_out" || missing+=("device: the server's line")
grep -q "^tls: server certificate .* verified" "$device_out" || missing+=("device: the server's certificate verified")
if [ ${#missing[@]} -gt 0 ]; then
  {
    echo "TLS $version with $key_label: missing:"
    printf '  %s\n' "${missing[@]}"
    echo "--- device ($device_out):"
    cat "$device_out"
    echo "--- s_server ($server_out):"
    cat "$server_out"
  } >&2
  exit 1
fi
printf 'TLSv%s %s: s_server verified the client certificate %s (signature %s, Verification: OK) and got "%s"; the device verified CN=localhost and got "%s" (%d.%d s)\n' \
  "$version" "$(field Ciphersuite)" "$peer" "$(field "Signature type")" "$device_line" "$reply" \
  $((ms / 1000)) $((ms % 1000 / 100))
