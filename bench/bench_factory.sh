#!/usr/bin/env bash
# bench/bench_factory.sh NVTOKEN MODULE OUTDIR [ROUNDS] - factory throughput
# (`make bench`): devices provisioned per second, each device being an
# image of 16 x 2 KiB (STM32L4 pages) with an EC P-256 key pair generated
# inside, its certificate request signed by the token, the certificate a
# software CA issues imported with the CA's certificate, and the image
# written as Intel HEX at 0x0807C000. Two routes, measured in the same run,
# in alternating rounds so the machine's load hits both alike:
#
#   nvtoken batch   one process for a manifest of devices (tools/);
#   script          per device, what examples/provision/demo.sh does with
#                   standard tools: pkcs11-tool (init token, PIN, key pair,
#                   two certificates), OpenSSL with the libp11 engine (the
#                   request), OpenSSL (the CA), objcopy (Intel HEX).
#
# Same work: both make PIN verifiers of 10,000 PBKDF2 iterations (the
# module's; the tool's own default, 1,000, is shown on a line of its own).
# The script's module runs with NVTOKEN_SYNC=0 (no fdatasync per store
# write), its fastest setting, while nvtoken batch flushes every file it
# writes once: the ratio is, if anything, in the script's favour. Wall
# time is what a factory waits for; CPU time (user + system, children
# included) is steadier on a shared machine, and both are printed.
set -euo pipefail
shopt -s inherit_errexit
tool=$(readlink -f "$1") module=$(readlink -f "$2") out=$3 rounds=${4:-4}
tool_per_round=20 script_per_round=5
mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -rf "$out/run"
mkdir -p "$out/run"
cd "$out/run"
export LC_ALL=C HOME="$out/run/home" XDG_CONFIG_HOME="$out/run/config" XDG_DATA_HOME="$out/run/data"
unset NVTOKEN_IMAGE NVTOKEN_GEOMETRY NVTOKEN_CONF NVTOKEN_SYNC OPENSSL_ENGINES PKCS11_MODULE_PATH
mkdir -p "$HOME"
log="$out/run/bench.log"
: >"$log"

if nm -D --undefined-only "$module" 2>/dev/null | grep -q ' __asan_init'; then
  echo "bench_factory: $module is built with AddressSanitizer: use host-release" >&2
  exit 1
fi
engines_dir=$(openssl version -e | sed -n 's/^ENGINESDIR: "\(.*\)"$/\1/p')
[ -f "$engines_dir/pkcs11.so" ] || { echo "bench_factory: no libp11 engine (scripts/setup)" >&2; exit 1; }
cat >engine.cnf <<EOF
openssl_conf = openssl_init
[openssl_init]
engines = engine_section
[engine_section]
pkcs11 = pkcs11_section
[pkcs11_section]
engine_id = pkcs11
dynamic_path = $engines_dir/pkcs11.so
MODULE_PATH = $module
init = 0
EOF
so_pin=10203040 pin=4321 geometry=2048x16x8 address=0x0807C000
echo "$so_pin" >so-pin
echo "$pin" >pin
OPENSSL_CONF=/dev/null openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key \
  -out ca.pem -days 30 -subj "/CN=bench CA" -addext basicConstraints=critical,CA:TRUE \
  -addext keyUsage=critical,keyCertSign 2>>"$log"
OPENSSL_CONF=/dev/null openssl x509 -in ca.pem -outform DER -out ca.der
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' >dev.ext

# One device by the script route: standard tools, one process per step.
script_device() {
  local n=$1 img="$out/run/script/dev-$1.img"
  local p11=(pkcs11-tool --module "$module" --token-label "dev-$n")
  export NVTOKEN_IMAGE="$img" NVTOKEN_GEOMETRY=$geometry NVTOKEN_SYNC=0
  pkcs11-tool --module "$module" --init-token --label "dev-$n" --so-pin "$so_pin"
  "${p11[@]}" --init-pin --login --so-pin "$so_pin" --pin "$pin"
  "${p11[@]}" --login --pin "$pin" --keypairgen --key-type EC:prime256v1 --id 01 --label device-key --usage-sign
  OPENSSL_CONF=engine.cnf openssl req -new -engine pkcs11 -keyform engine \
    -key "pkcs11:token=dev-$n;object=device-key;type=private;pin-value=$pin" -subj "/CN=device-$n/O=bench" \
    -out "script/dev-$n.csr"
  OPENSSL_CONF=/dev/null openssl x509 -req -in "script/dev-$n.csr" -CA ca.pem -CAkey ca.key -set_serial "0x$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n' | sed 's/^./4/')" \
    -days 365 -extfile dev.ext -out "script/dev-$n.crt"
  OPENSSL_CONF=/dev/null openssl x509 -in "script/dev-$n.crt" -outform DER -out "script/dev-$n.der"
  "${p11[@]}" --login --pin "$pin" --write-object "script/dev-$n.der" --type cert --id 01 --label device-cert
  "${p11[@]}" --login --pin "$pin" --write-object ca.der --type cert --id 02 --label ca-cert
  objcopy -I binary -O ihex --change-addresses "$address" "$img" "script/dev-$n.hex"
  unset NVTOKEN_IMAGE NVTOKEN_GEOMETRY NVTOKEN_SYNC
}

# seconds_of <command...>: run it; print "wall cpu" seconds (cpu: user +
# system of this shell's children).
seconds_of() {
  local me=$BASHPID t0 c0 t1 c1 hz
  hz=$(getconf CLK_TCK)
  t0=$(date +%s%N)
  c0=$(awk '{ print $16 + $17 }' "/proc/$me/stat")
  "$@" >>"$log" 2>&1
  t1=$(date +%s%N)
  c1=$(awk '{ print $16 + $17 }' "/proc/$me/stat")
  awk -v w=$((t1 - t0)) -v c=$((c1 - c0)) -v hz="$hz" 'BEGIN { printf "%.3f %.3f\n", w / 1e9, c / hz }'
}

tool_round() {  # tool_round <round> <iterations> <tag>
  local r=$1 it=$2 tag=$3 m="tool-$3-$1.csv"
  {
    echo "serial,label,subject,geometry,output"
    for i in $(seq 1 "$tool_per_round"); do
      echo "$tag$r-$i,dev-$r-$i,\"CN=device-$r-$i,O=bench\",$geometry,$tag/dev-$r-$i.img"
    done
  } >"$m"
  mkdir -p "$tag"
  "$tool" batch "$m" --ca-key ca.key --ca-cert ca.pem --so-pin-file so-pin --pin-file pin --format ihex \
    --address "$address" --pin-iterations "$it"
}
script_round() {
  local r=$1
  mkdir -p script
  for i in $(seq 1 "$script_per_round"); do script_device "$r-$i"; done
}

declare -A wall cpu count
for k in tool script tool1000; do wall[$k]=0 cpu[$k]=0 count[$k]=0; done
add() {  # add <route> <devices> "<wall cpu>"
  read -r w c <<<"$3"
  wall[$1]=$(awk -v a="${wall[$1]}" -v b="$w" 'BEGIN { print a + b }')
  cpu[$1]=$(awk -v a="${cpu[$1]}" -v b="$c" 'BEGIN { print a + b }')
  count[$1]=$((count[$1] + $2))
}
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then
    add tool "$tool_per_round" "$(seconds_of tool_round "$r" 10000 tool)"
    add script "$script_per_round" "$(seconds_of script_round "$r")"
  else
    add script "$script_per_round" "$(seconds_of script_round "$r")"
    add tool "$tool_per_round" "$(seconds_of tool_round "$r" 10000 tool)"
  fi
  add tool1000 "$tool_per_round" "$(seconds_of tool_round "$r" 1000 fast)"
done

# Every device of both routes is checked before a figure is printed.
made_tool=$(find tool fast -name '*.json' | wc -l)
made_script=$(find script -name '*.hex' | wc -l)
[ "$made_tool" -eq $((2 * rounds * tool_per_round)) ] && [ "$made_script" -eq $((rounds * script_per_round)) ] || {
  echo "bench_factory: devices missing (tool $made_tool, script $made_script); see $log" >&2
  exit 1
}
for crt in tool/*.crt script/*.crt; do
  OPENSSL_CONF=/dev/null openssl verify -CAfile ca.pem "$crt" >>"$log" 2>&1 ||
    { echo "bench_factory: $crt does not verify" >&2; exit 1; }
done

rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.2f", (s > 0 ? n / s : 0) }'; }
per() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.1f", (n > 0 ? 1000 * s / n : 0) }'; }
echo
echo "Factory throughput: devices provisioned (EC P-256 key pair generated in a 16 x 2 KiB image, request, certificate"
echo "issued by a software CA and imported with the CA's, image as Intel HEX), $rounds alternating rounds, same run"
printf '%-44s %8s %9s %10s %10s %12s\n' "route" devices "wall s" "devices/s" "CPU s" "CPU ms/dev"
for k in tool script tool1000; do
  case $k in
    tool) name="nvtoken batch" ;;
    script) name="pkcs11-tool + OpenSSL script (NVTOKEN_SYNC=0)" ;;
    tool1000) name="nvtoken batch, PIN verifiers 1,000 it. (default)" ;;
  esac
  printf '%-44s %8d %9.2f %10s %10.2f %12s\n' "$name" "${count[$k]}" "${wall[$k]}" "$(rate "${count[$k]}" "${wall[$k]}")" \
    "${cpu[$k]}" "$(per "${count[$k]}" "${cpu[$k]}")"
done
awk -v tn="${count[tool]}" -v tw="${wall[tool]}" -v tc="${cpu[tool]}" \
    -v sn="${count[script]}" -v sw="${wall[script]}" -v sc="${cpu[script]}" 'BEGIN {
  printf "ratio nvtoken batch : script  %.1fx in devices per wall second, %.1fx in CPU per device\n",
    (tn / tw) / (sn / sw), (sc / sn) / (tc / tn) }'
echo "(load average: $(cut -d' ' -f1-3 /proc/loadavg); details in $log)"
