#!/usr/bin/env bash
# Every figure of BENCHMARKS.md: machine facts, `segbench bench --pipeline` (raw vs end-to-end) and
# the Python peer for Fast-SCNN and NDNet45 at 360x480 and 512x1024, RUNS runs each (median and
# spread), the soak, and the JMH microbenchmarks; then the summary tables.
#
#   bench/run-all.sh [OUT_DIR]        env: RUNS (5), FRAMES (150), SOAK_FRAMES (10000),
#                                     MODELS_DIR (/tmp/models: exported if missing),
#                                     SEGBENCH_JAR (engine/target jar), PAUSE_TRAINING (1), SKIP_JMH, SKIP_SOAK,
#                                     QUIET_PCT (15), QUIET_WAIT (180)
#
# A background CPU training job (`python3 -m zoo train`) shares this 2-core machine. Timed phases
# stop it (SIGSTOP to its process ids) and resume it (SIGCONT) afterwards, on any exit too (trap),
# and a watchdog resumes it after PAUSE_LIMIT seconds whatever happens. The soak measures memory,
# not speed, and runs with training going on.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-bench/results/$(date -u +%Y%m%dT%H%M%S)}"
mkdir -p "$out"
RUNS="${RUNS:-5}"
FRAMES="${FRAMES:-150}"
SOAK_FRAMES="${SOAK_FRAMES:-10000}"
MODELS_DIR="${MODELS_DIR:-/tmp/models}"
JAR="${SEGBENCH_JAR:-$root/engine/target/segbench-engine-0.1.0-SNAPSHOT.jar}"
PAUSE_LIMIT="${PAUSE_LIMIT:-690}"
VIDEO=sample-images/vtest.avi
[ -f "$JAR" ] || (mvn -q -B -o -DskipTests -pl engine -am package)
# the module ./segbench adds (the argmax on vector lanes); stderr keeps the JVM's one-line notice of it
segbench() { java --add-modules=jdk.incubator.vector -jar "$JAR" "$@"; }

for m in fastscnn ndnet45; do
  [ -f "$MODELS_DIR/$m.onnx" ] || python3 -m zoo export "$m" --classes camvid --out "$MODELS_DIR/$m.onnx"
done

# --- pausing the training job -------------------------------------------------------------
paused=""
watchdog=""
resume() {
  if [ -n "$paused" ]; then kill -CONT $paused 2>/dev/null || true; echo "training resumed ($paused) $(date -u +%T)" >&2; fi
  paused=""
  if [ -n "$watchdog" ]; then kill "$watchdog" 2>/dev/null || true; watchdog=""; fi
}
pause() {
  [ "${PAUSE_TRAINING:-1}" = 1 ] || return 0
  paused="$(pgrep -f 'zoo train' | tr '\n' ' ' || true)"
  if [ -n "$paused" ]; then
    kill -STOP $paused
    echo "training paused ($paused) $(date -u +%T), at most ${PAUSE_LIMIT}s" >&2
    ( sleep "$PAUSE_LIMIT"; kill -CONT $paused 2>/dev/null; echo "watchdog resumed training" >&2 ) &
    watchdog=$!
  fi
}
trap resume EXIT INT TERM

# --- waiting for other engineers' builds to calm down ----------------------------------------
# CPU busy fraction of everything but the training job, over 2 s (other builds, tests, UIs).
others_busy() {
  python3 - "$(pgrep -f 'zoo train' | tr '\n' ' ')" <<'PY'
import sys, time
train = sys.argv[1].split()
def ticks():
    cpu = [int(v) for v in open("/proc/stat").readline().split()[1:]]
    busy = sum(cpu) - cpu[3] - cpu[4]
    t = 0
    for pid in train:
        try:
            f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            t += int(f[11]) + int(f[12])
        except OSError:
            pass
    return busy, sum(cpu), t
b0, a0, t0 = ticks(); time.sleep(2); b1, a1, t1 = ticks()
print(round(100 * max(0, (b1 - b0) - (t1 - t0)) / max(1, a1 - a0)))
PY
}
# Waits (at most QUIET_WAIT s) until other work uses under QUIET_PCT % of the CPU; logs what it saw.
wait_quiet() {
  local waited=0 busy
  while :; do
    busy=$(others_busy)
    if [ "$busy" -lt "${QUIET_PCT:-15}" ] || [ "$waited" -ge "${QUIET_WAIT:-180}" ]; then break; fi
    sleep 8; waited=$((waited + 10))
  done
  echo "$(date -u +%T) other load ${busy}% after waiting ${waited}s" | tee -a "$out/noise.log" >&2
}

# --- machine ------------------------------------------------------------------------------
{
  echo "date: $(date -u +%FT%TZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') ($(nproc) cores visible)"
  echo "memory: $(free -g | awk '/Mem:/{print $2}') GiB"
  echo "jdk: $(java -version 2>&1 | head -1)"
  echo "onnxruntime (Java): $(ls "$(dirname "$JAR")/lib" | sed -n 's/^onnxruntime-\(.*\)\.jar$/\1/p')"
  echo "python: $(python3 -c 'import sys, onnxruntime, cv2, numpy; print(sys.version.split()[0], "onnxruntime", onnxruntime.__version__, "opencv", cv2.__version__, "numpy", numpy.__version__)')"
} | tee "$out/machine.txt"

configs="fastscnn:360x480 fastscnn:512x1024 ndnet45:360x480 ndnet45:512x1024"
java_round() {
  local run=$1
  for c in $configs; do
    m=${c%%:*}; s=${c##*:}
    segbench bench --pipeline --model "$MODELS_DIR/$m.onnx" --input "$VIDEO" --size "$s" --provider cpu \
      --warmup 20 --frames "$FRAMES" --json "$out/java_${m}_${s}_run$run.json" 2>/dev/null | tee -a "$out/java.log"
  done
}
peer_round() {
  local run=$1
  for c in $configs; do
    m=${c%%:*}; s=${c##*:}
    python3 bench/peer.py --model "$MODELS_DIR/$m.onnx" --input "$VIDEO" --size "$s" --warmup 20 \
      --frames "$FRAMES" --json "$out/peer_${m}_${s}_run$run.json" 2>/dev/null | tee -a "$out/peer.log"
  done
}

# --- timed phases: Java and Python alternate within each round, so drift hits both ---------
# one pause per round (about 2-3 minutes each), the training job running in between
for run in $(seq 1 "$RUNS"); do
  wait_quiet
  pause
  java_round "$run"
  peer_round "$run"
  resume
  sleep 15
done

if [ -z "${SKIP_JMH:-}" ]; then
  [ -d bench/target/lib ] || mvn -q -B -o -Pjmh -pl bench -am package -DskipTests
  wait_quiet
  pause
  java --add-modules=jdk.incubator.vector -cp "bench/target/classes:bench/target/lib/*" org.openjdk.jmh.Main -f 1 -wi 3 -i 5 -w 1s -r 1s -tu ms \
    -bm avgt -rf json -rff "$out/jmh.json" 2>&1 | tee "$out/jmh.log" | grep -E '^(Benchmark|[A-Z][A-Za-z]+Bench\.)'
  resume
fi

if [ -z "${SKIP_SOAK:-}" ]; then
  segbench soak --model "$MODELS_DIR/fastscnn.onnx" --model "$MODELS_DIR/ndnet45.onnx" --input "$VIDEO" \
    --size 360x480 --provider cpu --frames "$SOAK_FRAMES" --json "$out/soak.json" 2>/dev/null | tee "$out/soak.log"
fi

python3 bench/summarise.py "$out" | tee "$out/summary.md"
