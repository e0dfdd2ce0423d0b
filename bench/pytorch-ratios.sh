#!/usr/bin/env bash
# Mfr against the paper's algorithm in PyTorch, measured side by side in one run on this machine
# (issue 16 item 5). Machines differ between sessions, so only a ratio taken in one run means
# anything: each shape is timed ROUNDS times, alternating Mfr and PyTorch, and the ratio is
# PyTorch's median step over Mfr's median step, per round; the script prints every round and the
# range.
#
# Needs Debian's PyTorch (see ../shared/bench/README.md for why libopenblas0-pthread matters):
#   apt-get install -y python3-torch python3-scipy python3-numpy libopenblas0-pthread
# Usage: bench/pytorch-ratios.sh [ROUNDS]   (from the repository root; default 2 rounds)
# SHAPES=synthetic bench/pytorch-ratios.sh   times only the shapes whose name contains that word.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
reference=${PYTORCH_BENCH:-../shared/bench/pytorch_sae_bench.py}
[ -f "$reference" ] || { echo "pytorch-ratios: $reference not found (set PYTORCH_BENCH)" >&2; exit 2; }
/usr/bin/python3 -c 'import torch, scipy' 2>/dev/null || { echo "pytorch-ratios: Debian's python3-torch and python3-scipy are not installed (see the header)" >&2; exit 2; }

dotnet build src/Mfr.Cli -c Release -v q -nologo >/dev/null
mfr="dotnet src/Mfr.Cli/bin/Release/net10.0/Mfr.Cli.dll"
grep -m1 "Model name" /proc/cpuinfo /dev/null 2>/dev/null | sed 's/.*: /cpu: /' || true
lscpu | grep -m1 "Model name" || true

# name | mfr bench flags | pytorch_sae_bench.py flags. The shapes are the reference script's:
# synthetic B 10000 d 256 h 512 k 32; gpt2 B 500 d 768 h 3072 k 30; eeg B 1024 d 4864 h 4096 k 24.
shapes=(
  "synthetic step, 1 SAE|--steps 15|--config synthetic --n-sae 1 --steps 15 --warmup 2"
  "synthetic MFR pair (assignment every step)|--k 32 32 --mode mfr --refresh 1 --steps 15|--config synthetic --n-sae 2 --steps 15 --warmup 2"
  "GPT-2 shape MFR, 5 SAEs (assignment every step)|--batch-size 500 --input-dim 768 --latents 3072 --k 30 30 30 30 30 --mode mfr --refresh 1 --steps 4|--config gpt2 --n-sae 5 --steps 4 --warmup 1"
  "EEG step, 1 SAE|--batch-size 1024 --input-dim 4864 --latents 4096 --k 24 --steps 6|--config eeg --n-sae 1 --steps 6 --warmup 1"
)

# mfr bench's start line goes to stderr; keep stderr for errors only, so the table stays a table.
mfr_median() { { $mfr bench "$@" 2>&1 1>&3 | { grep -v '^mfr bench:' >&2 || true; }; } 3>&1 | sed -n 's/^median step: \([0-9.]*\) ms.*/\1/p'; }
torch_median() {
  env -u OPENBLAS_CORETYPE OPENBLAS_THREAD_TIMEOUT=4 OMP_WAIT_POLICY=PASSIVE \
    /usr/bin/python3 "$reference" --threads 2 "$@" | tail -1 |
    /usr/bin/python3 -c 'import json,sys; r=json.loads(sys.stdin.read()); assert r.get("openblas_core") is not None, "reference BLAS in use: install libopenblas0-pthread"; print(r["step_ms_median"])'
}

printf '%-48s %5s %12s %12s %7s\n' "shape" "round" "mfr ms" "pytorch ms" "ratio"
for entry in "${shapes[@]}"; do
  IFS='|' read -r name mfr_flags torch_flags <<<"$entry"
  [[ -z "${SHAPES:-}" || "$name" == *"$SHAPES"* ]] || continue
  ratios=()
  for ((round = 1; round <= rounds; round++)); do
    # shellcheck disable=SC2086
    m=$(mfr_median $mfr_flags)
    # shellcheck disable=SC2086
    t=$(torch_median $torch_flags)
    r=$(awk -v t="$t" -v m="$m" 'BEGIN { printf "%.2f", t / m }')
    ratios+=("$r")
    printf '%-48s %5d %12.2f %12.2f %6sx\n' "$name" "$round" "$m" "$t" "$r"
  done
  printf '%-48s range %sx\n' "$name" "$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n '1p;$p' | paste -sd- -)"
done
