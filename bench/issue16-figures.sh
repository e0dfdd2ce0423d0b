#!/usr/bin/env bash
# Every goal of issue 16 (performance) that one `mfr bench` run can show, measured in one go on this
# machine and printed as one table: goal, figure, met or not. Machines differ between sessions and a
# shared host's speed moves from minute to minute, so each figure is a ratio taken inside one run
# (against the FMA rate probed next to the work, or 1 thread against 2 in alternating rounds).
# Items 5 (against PyTorch: bench/pytorch-ratios.sh) and 6 (`mfr synthetic --paper`, minutes long) have
# their own commands; item 4's int8 encoder is timed against fp32 here at the synthetic shape.
#
# Usage: bench/issue16-figures.sh [ROUNDS]   (from the repository root; ROUNDS of thread scaling, default 3)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}

dotnet build src/Mfr.Cli -c Release -v q -nologo >/dev/null
mfr="dotnet src/Mfr.Cli/bin/Release/net10.0/Mfr.Cli.dll"
lscpu | grep -m1 "Model name" || true
echo "started $(date -u '+%Y-%m-%d %H:%M:%S') UTC, load $(cut -d' ' -f1-3 /proc/loadavg), rounds $rounds"

synthetic="--steps 40"
eeg="--batch-size 1024 --input-dim 4750 --latents 4096 --k 24 --steps 12"
gpt2="--batch-size 500 --input-dim 768 --latents 3072 --k 6 12 18 24 30 --mode mfr --refresh 25"

# One bench run's output, its start line (on stderr) dropped and errors kept.
bench() { { $mfr bench "$@" 2>&1 1>&3 | { grep -v '^mfr bench:' >&2 || true; }; } 3>&1; }
# The first number after a pattern in a run's output.
after() { sed -n "s/.*$1 *\([0-9.]*\).*/\1/p" | head -1; }
row() { printf '| %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4"; }
# A figure a run could not give (every FMA probe failed on a loaded machine) is "not measured", neither met nor missed.
meets() { [ -n "$1" ] || { echo "not measured"; return; }; awk -v x="$1" -v op="$2" -v goal="$3" 'BEGIN { ok = op == "<=" ? x <= goal : x >= goal; print ok ? "yes" : "no" }'; }

out_synthetic=$(bench $synthetic)
out_eeg=$(bench $eeg)
out_gpt2=$(bench $gpt2 --steps 100)
out_int8=$(bench $synthetic --encoder int8)

# Item 1: every phase but the encoder's against the encoder's, synthetic shape.
phases=$(printf '%s\n' "$out_synthetic" | awk '$1 ~ /^(Encoder|TopK|Decode|Backward|Optimizer|Regularizer|Data)$/ { ms[$1] = $2 }
  END { other = 0; for (p in ms) if (p != "Encoder") other += ms[p]; printf "%.2f %.2f %.2f", other / ms["Encoder"], ms["Encoder"], other }')
read -r non_encoder encoder_ms other_ms <<<"$phases"
# Item 2: the encoder's share of the FMA rate probed after each step.
share_synthetic=$(printf '%s\n' "$out_synthetic" | after "probed after each step:")
share_eeg=$(printf '%s\n' "$out_eeg" | after "probed after each step:")
# Item 3: the mean step over the median at refresh 25, and a refresh against its products at the probed rate.
mean_over_median=$(printf '%s\n' "$out_gpt2" | after "mean step \/ median step")
refresh_probed=$(printf '%s\n' "$out_gpt2" | sed -n 's/.*(\([0-9.]*\)x at the FMA rate probed right after each refresh.*/\1/p')
refresh_line=$(printf '%s\n' "$out_gpt2" | sed -n 's/^assignment refreshes: \([^;]*\);.*/\1/p')
# Item 4: the int8-select encoder's phase against fp32's.
int8_ms=$(printf '%s\n' "$out_int8" | awk '$1 == "Encoder" { print $2 }')
int8_speed=$(awk -v f="$encoder_ms" -v i="$int8_ms" 'BEGIN { printf "%.2f", f / i }')
# Item 8: resident memory halfway and at the end of each run.
memory() { printf '%s\n' "$1" | sed -n 's/^peak working set: \([0-9.]*\) MB after [0-9]* steps, \([0-9.]*\) MB after.*/\1 -> \2 MB/p'; }

# Item 7: 1 -> 2 threads at each shape, in alternating rounds.
scaling() { bench "$@" --scaling-rounds "$rounds" | sed -n 's/^[0-9]* threads, median over [0-9]* round(s): step speed-up \([0-9.]*\)x.*/\1/p'; }
scale_synthetic=$(scaling --steps 30)
scale_eeg=$(scaling --batch-size 1024 --input-dim 4750 --latents 4096 --k 24 --steps 8)
scale_gpt2=$(scaling $gpt2 --steps 50)

echo "finished $(date -u '+%H:%M:%S') UTC"
echo
row "item" "goal" "measured" "met"
row "---" "---" "---" "---"
row "1: non-encoder / encoder phases, synthetic" "<= 0.5" "$non_encoder (encoder $encoder_ms ms, the rest $other_ms ms)" "$(meets "$non_encoder" "<=" 0.5)"
row "2: encoder share of the probed FMA rate, synthetic" ">= 90%" "$share_synthetic%" "$(meets "$share_synthetic" ">=" 90)"
row "2: encoder share of the probed FMA rate, EEG" ">= 85%" "$share_eeg%" "$(meets "$share_eeg" ">=" 85)"
row "3: mean / median step, GPT-2 shape at refresh 25" "<= 1.3" "$mean_over_median" "$(meets "$mean_over_median" "<=" 1.3)"
row "3: a refresh / its products at the probed FMA rate" "<= 1.3" "$refresh_probed ($refresh_line)" "$(meets "$refresh_probed" "<=" 1.3)"
row "4: int8-select encoder phase speed over fp32's, synthetic" ">= 1.5" "$int8_speed (fp32 $encoder_ms ms, int8 $int8_ms ms)" "$(meets "$int8_speed" ">=" 1.5)"
row "7: 1 -> 2 threads, synthetic" ">= 1.8" "${scale_synthetic}x" "$(meets "$scale_synthetic" ">=" 1.8)"
row "7: 1 -> 2 threads, EEG" ">= 1.8" "${scale_eeg}x" "$(meets "$scale_eeg" ">=" 1.8)"
row "7: 1 -> 2 threads, GPT-2 shape at refresh 25" ">= 1.8" "${scale_gpt2}x" "$(meets "$scale_gpt2" ">=" 1.8)"
row "8: resident memory, synthetic / EEG / GPT-2 shape" "flat" "$(memory "$out_synthetic") / $(memory "$out_eeg") / $(memory "$out_gpt2")" "read it"
