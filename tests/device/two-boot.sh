#!/usr/bin/env bash
# two-boot.sh - the reference board keeps its token across power-off and
# across a power cut in the middle of a flash write (QEMU mps2-an386).
#
#   two-boot.sh QEMU_RUN PROVISION_ELF APP_ELF WORKDIR persist
#   two-boot.sh QEMU_RUN PROVISION_ELF APP_ELF WORKDIR powercut MODE [STRIDE [FIRST]]
#
# Boot 1 is the provisioning firmware (boot_provision.c), boot 2 the
# application firmware (boot_app.c): two images, each run in its own QEMU
# process on the same flash (WORKDIR/token.img, the board's region through
# semihosting). Boot 2 must find the token, check it, and sign; OpenSSL on
# the host verifies the signature it prints.
#
# persist:  boot 1 provisions; boot 2 finds everything ("found: cert") and
#           signs; a third boot finds the same key. First, both images are
#           checked to load nothing into the token's region (so programming
#           either one leaves the region as it is).
# powercut: boot 1 is cut at its N-th flash operation (MODE notdone, done or
#           torn), for N = FIRST, FIRST + STRIDE, ... up to the number of
#           flash operations boot 1 makes (STRIDE 1, FIRST 1: every one).
#           Boot 2 must find the token as it was before the step the cut
#           interrupted or as after it, never anything else, and then keep
#           working: finish provisioning and sign.
#
# NVT_READELF and NVT_NM name the cross binutils (arm-none-eabi-*).
set -euo pipefail
[ $# -ge 5 ] || { echo "usage: $0 QEMU_RUN PROVISION_ELF APP_ELF WORKDIR persist|powercut ..." >&2; exit 2; }
qemu_run=$1 provision=$2 app=$3 work=$4 what=$5
shift 5
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$work"
cd "$work"
image=token.img
seed=$(od -An -tx1 -N64 /dev/urandom | tr -d ' \n')
POWER_CUT=86 # NVT_QEMU_EXIT_POWER_CUT

# State after provisioning step k of boot 1 (step lines "step k name").
after=(blank blank factory factory token pin keypair cert)

die() {
  echo "two-boot: $*" >&2
  exit 1
}

# boot ELF LOG ARGS... : run one boot; its exit status in $status.
boot() {
  local elf=$1 log=$2
  shift 2
  set +e
  "$qemu_run" "$elf" --image "$image" --seed "$seed" "$@" >"$log" 2>&1
  status=$?
  set -e
}

# found LOG : the state boot 2 found.
found() {
  sed -n 's/^found: //p' "$1" | tail -n 1
}

# check_app LOG : boot 2 worked and its signature verifies on the host.
check_app() {
  [ "$status" = 0 ] || { cat "$1" >&2; die "boot 2 failed (status $status)"; }
  python3 "$here/check_signature.py" "$1" || { cat "$1" >&2; die "the host does not verify boot 2's signature"; }
}

# region_untouched ELF : no load segment of ELF overlaps the token region.
region_untouched() {
  local elf=$1 start end
  start=$("${NVT_NM:-arm-none-eabi-nm}" "$elf" | awk '$3 == "nvt_qemu_token_start" { print $1 }')
  end=$("${NVT_NM:-arm-none-eabi-nm}" "$elf" | awk '$3 == "nvt_qemu_token_end" { print $1 }')
  [ -n "$start" ] && [ -n "$end" ] || die "$elf has no token region symbols"
  local loads=0
  while read -r type _ virt phys filesz memsz _; do
    [ "$type" = LOAD ] || continue
    loads=$((loads + 1))
    for range in "$virt $memsz" "$phys $filesz"; do
      read -r a n <<<"$range"
      if (((16#${a#0x} + 16#${n#0x}) > 16#$start && 16#${a#0x} < 16#$end)); then
        die "$elf loads bytes into the token region (segment at $a, $n bytes)"
      fi
    done
  done < <("${NVT_READELF:-arm-none-eabi-readelf}" -lW "$elf")
  [ "$loads" -gt 0 ] || die "no load segments in $elf"
  echo "  $(basename "$elf"): $loads load segments, none in the token region 0x$start-0x$end"
}

case $what in
persist)
  echo "the token's region is outside what programming an image writes:"
  region_untouched "$provision"
  region_untouched "$app"
  rm -f "$image"
  boot "$provision" boot1.log
  [ "$status" = 0 ] || { cat boot1.log >&2; die "boot 1 failed (status $status)"; }
  echo "boot 1 (provisioning image): $(grep '^provisioned:' boot1.log)"
  boot "$app" boot2.log
  check_app boot2.log
  [ "$(found boot2.log)" = cert ] || { cat boot2.log >&2; die "boot 2 found '$(found boot2.log)', not the provisioned token"; }
  echo "boot 2 (application image, new QEMU process): found: cert; signed, verified by the host"
  boot "$app" boot3.log
  check_app boot3.log
  [ "$(found boot3.log)" = cert ] || die "boot 3 found '$(found boot3.log)'"
  [ "$(grep '^public:' boot2.log)" = "$(grep '^public:' boot3.log)" ] || die "boot 3 signs with another key"
  echo "boot 3: found: cert; the same device key; signed, verified by the host"
  ;;
powercut)
  mode=${1:?powercut needs a mode: notdone, done or torn}
  stride=${2:-1}
  first=${3:-1}
  rm -f "$image"
  boot "$provision" boot1.log
  [ "$status" = 0 ] || { cat boot1.log >&2; die "boot 1 without a cut failed (status $status)"; }
  total=$(sed -n 's/^provisioned: \([0-9]*\) flash operations/\1/p' boot1.log)
  [ -n "$total" ] || die "boot 1 did not say how many flash operations it made"
  cuts=0 before=0 afterwards=0
  declare -A states=()
  for ((n = first; n <= total; n += stride)); do
    rm -f "$image"
    boot "$provision" boot1.log --cut "$n" --mode "$mode"
    [ "$status" = "$POWER_CUT" ] || { cat boot1.log >&2; die "cut $n: boot 1 ended with status $status, not at the cut"; }
    k=$(sed -n 's/^step \([0-9]*\) .*/\1/p' boot1.log | tail -n 1)
    [ -n "$k" ] || die "cut $n: boot 1 was cut before its first step"
    boot "$app" boot2.log
    check_app boot2.log
    got=$(found boot2.log)
    if [ "$got" = "${after[k - 1]}" ]; then
      before=$((before + 1))
    elif [ "$got" = "${after[k]}" ]; then
      afterwards=$((afterwards + 1))
    else
      cat boot1.log boot2.log >&2
      die "cut $n ($mode) in step $k: boot 2 found '$got', neither '${after[k - 1]}' (before) nor '${after[k]}' (after)"
    fi
    states[$got]=$((${states[$got]:-0} + 1))
    cuts=$((cuts + 1))
  done
  summary=""
  for s in blank factory token pin keypair cert; do
    [ -z "${states[$s]:-}" ] || summary+=" $s=${states[$s]}"
  done
  if [ "$stride" = 1 ] && [ "$first" = 1 ]; then which="every one"; else which="$cuts (1 in $stride, from operation $first)"; fi
  echo "power cut ($mode) at $which of boot 1's $total flash operations:" \
    "boot 2 found the token as before the step $before times, as after it $afterwards times, 0 otherwise;" \
    "signed and verified every time. Found:$summary"
  ;;
*)
  die "unknown test '$what'"
  ;;
esac
