#!/usr/bin/env bash
# The workbench's panes against the engine's own pipeline, in one run: for each of N rounds,
# `./workbench --pace models --report` with the models as panes, then `segbench bench --pipeline`
# on each model, same input size and video. Prints the medians and
#   one model:   pane FPS / bench --pipeline end-to-end FPS
#   several:     sum of pane FPS / harmonic mean of the models' bench FPS (run one after another)
# (1.0 = the pane is as fast as the engine alone; see BENCHMARKS.md, issue 13).
#
#   bench/workbench-vs-engine.sh [N] [MODEL.onnx ...]     N rounds (default 5); default model Fast-SCNN
#   env: SIZE (360x480), RUN_SECONDS (60, workbench run), WARM_UP (15), FRAMES (150, bench),
#        VIDEO (sample-images/vtest.avi), OUT (bench/results/wb-vs-engine-DATE), PAUSE_TRAINING (1)
#
# A background training job may share this machine: with PAUSE_TRAINING=1 each timed step stops it
# (SIGSTOP to the pids in /tmp/train_*.pid) and resumes it afterwards, on any exit too, and a
# watchdog resumes it after 170 s whatever happens.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
N="${1:-5}"
shift || true
models=("$@")
[ "${#models[@]}" -gt 0 ] || models=(assets/models/fastscnn.onnx)
SIZE="${SIZE:-360x480}"
RUN_SECONDS="${RUN_SECONDS:-60}"
WARM_UP="${WARM_UP:-15}"
FRAMES="${FRAMES:-150}"
VIDEO="${VIDEO:-sample-images/vtest.avi}"
OUT="${OUT:-bench/results/wb-vs-engine-$(date -u +%Y%m%dT%H%M%S)}"
PAUSE_TRAINING="${PAUSE_TRAINING:-1}"
mkdir -p "$OUT"
for m in "${models[@]}"; do [ -f "$m" ] || { echo "workbench-vs-engine: $m: no such model" >&2; exit 2; }; done
case "$N" in ''|*[!0-9]*|0) echo "workbench-vs-engine: N '$N': give a number of rounds >= 1" >&2; exit 2;; esac

# Build once, up front (the scripts would otherwise build inside a timed step).
if [ ! -f app/target/segbench-app-0.1.0-SNAPSHOT.jar ] || [ ! -f engine/target/segbench-engine-0.1.0-SNAPSHOT.jar ]; then
  mvn -q -B -o -DskipTests -pl engine,app package
fi
engine_jar=engine/target/segbench-engine-0.1.0-SNAPSHOT.jar

train_pid=""
[ "$PAUSE_TRAINING" = 1 ] && train_pid="$(cat /tmp/train_*.pid 2>/dev/null | tr "\n" " " || true)"
watchdog=""
resume() {
  [ -n "$watchdog" ] && kill "$watchdog" 2>/dev/null || true
  watchdog=""
  [ -n "$train_pid" ] && kill -CONT $train_pid 2>/dev/null || true
}
pause() {
  [ -n "$train_pid" ] || return 0
  kill -STOP $train_pid 2>/dev/null || return 0
  (sleep 170; kill -CONT $train_pid 2>/dev/null) & watchdog=$!
}
trap resume EXIT
trap 'exit 130' INT TERM

model_args=()
for m in "${models[@]}"; do model_args+=(--model "$m"); done

for r in $(seq 1 "$N"); do
  echo "round $r/$N: workbench, ${#models[@]} pane(s), ${RUN_SECONDS} s" >&2
  pause
  ./workbench "${model_args[@]}" --source "$VIDEO" --pace models --quit-after "$RUN_SECONDS" \
      --warm-up "$WARM_UP" --report "$OUT/workbench-$r.json" >"$OUT/workbench-$r.log" 2>&1 \
      || echo "  workbench run $r failed, see $OUT/workbench-$r.log" >&2
  resume
  for m in "${models[@]}"; do
    name="$(basename "$m" .onnx)"
    echo "round $r/$N: bench --pipeline $name" >&2
    pause
    java --add-modules=jdk.incubator.vector -jar "$engine_jar" bench --pipeline --model "$m" --size "$SIZE" --input "$VIDEO" --warmup 20 \
        --frames "$FRAMES" --json "$OUT/bench-$name-$r.json" >"$OUT/bench-$name-$r.log" 2>&1 \
        || echo "  bench $name run $r failed, see $OUT/bench-$name-$r.log" >&2
    resume
  done
done

python3 - "$OUT" "$N" "${models[@]}" <<'PY'
import json, os, statistics, sys
out, n, models = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
names = [os.path.basename(m)[:-5] for m in models]
rows = []
for r in range(1, n + 1):
    try:
        wb = json.load(open(f"{out}/workbench-{r}.json"))
        bench = {k: json.load(open(f"{out}/bench-{k}-{r}.json"))["end_to_end_fps"] for k in names}
    except (OSError, ValueError, KeyError) as e:
        print(f"round {r}: skipped ({e})"); continue
    panes = [p["fps"] or 0.0 for p in wb["panes"]]
    dropped = sum(p["frames_dropped"] for p in wb["panes"])
    harmonic = len(names) / sum(1.0 / bench[k] for k in names)
    rows.append((sum(panes), harmonic, sum(panes) / harmonic, dropped, panes, bench, wb["panes"]))
    print(f"round {r}: pane FPS {', '.join('%.2f' % f for f in panes)}; bench FPS "
          f"{', '.join('%s %.2f' % (k, bench[k]) for k in names)}; ratio {sum(panes) / harmonic:.3f}; dropped {dropped}")
if not rows:
    sys.exit("no complete round")
med = lambda xs: statistics.median(xs)
label = "pane FPS" if len(names) == 1 else "sum of pane FPS"
ref = "bench --pipeline FPS" if len(names) == 1 else "harmonic mean of bench --pipeline FPS"
print(f"\nmedians of {len(rows)} rounds, {', '.join(names)}, input {os.environ.get('SIZE', '360x480')}:")
for i, k in enumerate(names):
    print(f"  {k:14s} pane {med([x[4][i] for x in rows]):6.2f} FPS (infer {med([x[6][i]['inference_ms'] for x in rows]):.1f} ms,"
          f" post {med([x[6][i]['postprocess_ms'] for x in rows]):.1f} ms)   bench --pipeline {med([x[5][k] for x in rows]):6.2f} FPS")
print(f"  {label} {med([x[0] for x in rows]):.2f} / {ref} {med([x[1] for x in rows]):.2f}"
      f" = {med([x[2] for x in rows]):.3f} (median of the per-round ratios); frames dropped {sum(x[3] for x in rows)}")
json.dump({"models": names, "rounds": len(rows), "ratio_median": med([x[2] for x in rows]),
           "pane_fps_sum_median": med([x[0] for x in rows]), "bench_fps_median": med([x[1] for x in rows])},
          open(f"{out}/summary.json", "w"), indent=1)
PY
