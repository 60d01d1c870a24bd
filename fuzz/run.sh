#!/usr/bin/env bash
# Runs every fuzz target for a bounded time (FUZZ_SECONDS each, default 30) in Release and exits
# non-zero on the first finding; the finding is written under fuzz/crashers/<target>/.
# FUZZ_SEED picks the mutation seed (default 1) so a run can be repeated exactly.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-30}"
seed="${FUZZ_SEED:-1}"
dotnet build fuzz/BgpStack.Fuzz -c Release --nologo -v quiet
dotnet run --project fuzz/BgpStack.Fuzz -c Release --no-build -- run --target all --seconds "$seconds" --seed "$seed"
