#!/usr/bin/env bash
# Runs every BgpStack check on a fresh Debian machine: installs what the tests need, restores,
# builds (warnings are errors), verifies formatting, runs all tests, the embedding sample, the
# bounded fuzz run, and packs the libraries. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n== %s\n' "$*"; }

# Debian packages the tests use; installed only when missing so local runs stay fast.
# tshark: the independent decoder the codec is checked against; unzip: package checks;
# ping and ip: the kernel tests, which build their topologies in network namespaces;
# bird, bgpd, gobgpd, exabgp: the interop peers (tests/Integration), run as plain processes.
declare -A needs=([tshark]=tshark [unzip]=unzip [ping]=iputils-ping [ip]=iproute2
  [bird]=bird2 [birdc]=bird2 [/usr/lib/frr/bgpd]=frr [vtysh]=frr [gobgpd]=gobgpd [gobgp]=gobgpd [exabgp]=exabgp)
missing=()
for bin in "${!needs[@]}"; do
  command -v "$bin" >/dev/null 2>&1 || missing+=("${needs[$bin]}")
done
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u | sed '/^$/d')
if ((${#missing[@]})); then
  step "installing ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: need root to apt-get install ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  # policy-rc.d keeps the peers' packages from starting their system services: the tests run
  # every peer themselves, inside their own network namespaces.
  policy=/usr/sbin/policy-rc.d
  added_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && added_policy=1
  fi
  install_status=0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || install_status=$?
  if [ "$added_policy" -eq 1 ]; then
    rm -f "$policy"
  fi
  if [ "$install_status" -ne 0 ]; then
    echo "test.sh: apt-get install ${missing[*]} failed ($install_status)" >&2
    exit 1
  fi
  if command -v systemctl >/dev/null 2>&1; then
    systemctl disable bird frr gobgpd exabgp >/dev/null 2>&1 || true
    systemctl stop bird frr gobgpd exabgp >/dev/null 2>&1 || true
  fi
fi

step "restore"
dotnet restore BgpStack.sln

step "build (Release, warnings are errors)"
dotnet build BgpStack.sln -c Release --no-restore

step "format check"
dotnet format BgpStack.sln --verify-no-changes --no-restore

step "tests"
log=$(mktemp)
status=0
dotnet test BgpStack.sln -c Release --no-build 2>&1 | tee "$log" || status=$?
passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo "tests: $passed passed, $failed failed"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi

step "embedding sample (the README's example)"
readme_sample=$(awk '/^```csharp$/{f=1;next} /^```$/{f=0} f' README.md)
if [ "$readme_sample" != "$(cat samples/Embedding/Program.cs)" ]; then
  echo "README.md's C# example differs from samples/Embedding/Program.cs" >&2
  exit 1
fi
dotnet run --project samples/Embedding -c Release --no-build

if [ -x fuzz/run.sh ]; then
  step "fuzz (bounded)"
  fuzz/run.sh
fi

step "pack"
rm -rf artifacts/packages
dotnet pack BgpStack.sln -c Release --no-build -o artifacts/packages
for pkg in artifacts/packages/BgpStack.*.nupkg; do
  id=$(basename "$pkg" | sed -E 's/\.[0-9]+\.[0-9]+\.[0-9]+.*//')
  contents=$(unzip -l "$pkg")
  grep -q ' README.md$' <<<"$contents" || { echo "$pkg lacks README.md" >&2; exit 1; }
  grep -q "lib/net10.0/$id.xml" <<<"$contents" || { echo "$pkg lacks its XML docs" >&2; exit 1; }
  echo "packed $(basename "$pkg") with README and XML docs"
done

echo
echo "all checks passed"
