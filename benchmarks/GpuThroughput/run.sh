#!/usr/bin/env bash
# The whole GPU throughput table in one command.
#
# On a machine with the .NET SDK:   benchmarks/GpuThroughput/run.sh [options]
#   publishes GpuThroughput self-contained, as one file for linux-x64, into benchmarks/GpuThroughput/publish/
#   (with a copy of this script beside it), then runs it.
# On a machine with an NVIDIA GPU and no .NET SDK: copy that publish/ folder over and run publish/run.sh [options];
#   it finds the binary beside itself and runs it (the NVIDIA driver's libcuda is all it needs).
# Options are the program's: --cpu (ILGPU's CPU accelerator: a check that it runs, NOT GPU speed),
#   --log2 14-18 (batch sizes 2^14..2^18), --steps N, --tiled / --direct.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ -x "$here/GpuThroughput" ]; then
  binary="$here/GpuThroughput"                       # the published folder, copied to the GPU machine
else
  command -v dotnet >/dev/null || { echo "no published binary beside $0 and no dotnet to publish one" >&2; exit 2; }
  out="$here/publish"
  dotnet publish "$here/GpuThroughput.csproj" -c Release -r linux-x64 --self-contained true \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -o "$out" -nologo -v quiet
  cp "$here/run.sh" "$out/run.sh"
  binary="$out/GpuThroughput"
  echo "published $binary ($(du -h "$binary" | cut -f1)); copy $out to the GPU machine and run run.sh there"
fi

echo "machine: $(uname -srm); load: $(cut -d' ' -f1-3 /proc/loadavg)"
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
exec "$binary" "$@"
