#!/usr/bin/env bash
# What survives a crash (issue 13, classes 1, 3 and 7), shown on real processes killed with SIGKILL:
#  1. a checkpoint re-save killed at its most dangerous moment (MFR_FAULT_AFTER=checkpoint-renamed: the new
#     checkpoint folder is in place, `latest` not yet switched; the old code had deleted the previous
#     checkpoint at this point), then resumed: same step, metrics.jsonl byte for byte unchanged;
#  2. a run killed mid-training with kill -9: a second writer is refused while it runs (naming its pid),
#     the dead run's lock is released by the OS, its leftover temporary files are removed, and the resume
#     continues from the last checkpoint, cutting only the log lines past it.
# Usage: tools/crash-demo.sh [work folder]   (default: a new folder under /tmp; takes about a minute)
set -euo pipefail
cd "$(dirname "$0")/.."
work="${1:-$(mktemp -d /tmp/mfr-crash-demo.XXXXXX)}"
mkdir -p "$work"
dotnet build src/Mfr.Cli -c Release -v quiet -nologo 2>&1 | grep -E "error|rror\(s\)" || true
cli=(dotnet src/Mfr.Cli/bin/Release/net10.0/Mfr.Cli.dll)
mfr() { "${cli[@]}" "$@"; }
tiny=(--data synthetic --input-dim 16 --features 48 --active-features 3 --latents 24 --k 4 --batch-size 32 --eval-batches 1)
say() { printf '\n== %s\n' "$*"; }
show() { printf '   %s\n' "$@"; }
lines() { wc -l < "$1" | tr -d ' '; }
sum() { sha256sum "$1" | cut -c1-16; }

say "1. A finished run (12 steps, checkpoints every 4)"
run="$work/resave"
mfr train --out "$run" "${tiny[@]}" --samples 384 --checkpoint-every 4 >/dev/null 2>&1
show "checkpoints: $(ls "$run/checkpoints" | tr '\n' ' ')" "metrics.jsonl: $(lines "$run/metrics.jsonl") lines, sha256 $(sum "$run/metrics.jsonl")"

say "   Resume it (saves step 12 again), killed right after the new checkpoint is renamed into place"
set +e
MFR_FAULT_AFTER=checkpoint-renamed mfr train --resume "$run" >/dev/null 2>&1
code=$?
set -e
show "exit code $code (137 = SIGKILL)" "checkpoints: $(ls "$run/checkpoints" | tr '\n' ' ')" "latest: $(cat "$run/checkpoints/latest")"

say "   Resume again"
mfr train --resume "$run" 2>&1 >/dev/null | sed 's/^/   /' || true
show "checkpoints: $(ls "$run/checkpoints" | tr '\n' ' ')" "latest: $(cat "$run/checkpoints/latest")" \
    "metrics.jsonl: $(lines "$run/metrics.jsonl") lines, sha256 $(sum "$run/metrics.jsonl") (unchanged: nothing trained again, nothing lost)"

say "2. A longer run (20000 steps, checkpoints every 2000), in the background"
run="$work/killed"
"${cli[@]}" train --out "$run" "${tiny[@]}" --samples 640000 --checkpoint-every 2000 >/dev/null 2>&1 &
writer=$!
until [ -f "$run/checkpoints/latest" ] && [ "$(cat "$run/checkpoints/latest" 2>/dev/null)" != "" ] && [ "$(lines "$run/metrics.jsonl")" -gt 3000 ]; do sleep 0.2; done
show "writer pid $writer; checkpoint $(cat "$run/checkpoints/latest"), $(lines "$run/metrics.jsonl") log lines so far"

say "   A second writer on the same folder while it runs"
set +e
mfr train --resume "$run" 2>&1 | sed 's/^/   /'
show "exit code ${PIPESTATUS[0]}"
mfr train --out "$run" "${tiny[@]}" --samples 640000 2>&1 | tail -1 | sed 's/^/   /'
set -e

say "   kill -9 the writer mid-run, and leave what a killed write leaves"
kill -9 "$writer"; wait "$writer" 2>/dev/null || true
touch "$run/checkpoints/.latest.0123456789abcdef0123456789abcdef.tmp"
mkdir -p "$run/checkpoints/.tmp-step-00099999-0123456789abcdef0123456789abcdef"
show "checkpoint $(cat "$run/checkpoints/latest"), $(lines "$run/metrics.jsonl") log lines (some past that checkpoint)"
kept=$(( $(grep -n "\"step\":$(sed 's/step-0*//' "$run/checkpoints/latest")," "$run/metrics.jsonl" | tail -1 | cut -d: -f1) ))
head -n "$kept" "$run/metrics.jsonl" > "$work/kept-before.jsonl"

say "   Resume: the lock is free (the OS released it with the process)"
mfr train --resume "$run" 2>&1 >/dev/null | sed 's/^/   /' || true
show "metrics.jsonl: $(lines "$run/metrics.jsonl") lines; last step line: $(grep '"type":"step"' "$run/metrics.jsonl" | tail -1 | cut -c1-40)..."
if cmp -s "$work/kept-before.jsonl" <(head -n "$kept" "$run/metrics.jsonl"); then
    show "the $kept lines through the checkpoint are byte for byte as the killed run wrote them"
else
    show "LINES THROUGH THE CHECKPOINT CHANGED"; exit 1
fi
show "leftover temporary files: $(find "$run" -name '*.tmp' -o -name '.tmp-step-*' | wc -l)"
printf '\nWork folder: %s\n' "$work"
