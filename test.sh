#!/usr/bin/env bash
# The whole test suite from a clean clone: installs what the tests need, then runs dotnet test.
# Usage: ./test.sh            (CI runs exactly this through .ci/run)
set -euo pipefail
cd "$(dirname "$0")"

# Native packages some tests use. apt-get needs root; CI runs as root. Skip when already present.
need=()
for pkg in libmysofa1 sox; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing ${need[*]} ..."
    apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "warning: ${need[*]} missing and not root; tests that need them will fail" >&2
  fi
fi

dotnet build SpatialAudio.sln -c Release --nologo -v quiet

# Full suite on this machine's widest SIMD tier.
dotnet test SpatialAudio.sln -c Release --no-build --nologo

# SIMD fallbacks: the SIMD-tagged tests again with AVX-512 off (AVX2 tier), AVX off (SSE tier), then all intrinsics off (scalar).
for flags in "DOTNET_EnableAVX512=0" "DOTNET_EnableAVX=0" "DOTNET_EnableHWIntrinsic=0"; do
  echo "SIMD fallback run: $flags"
  for project in tests/Filters.Tests/Filters.Tests.csproj tests/Spatial.Tests/Spatial.Tests.csproj; do
    env $flags dotnet test "$project" -c Release --no-build --nologo --filter "Category=Simd"
  done
done
