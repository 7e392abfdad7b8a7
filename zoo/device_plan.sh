#!/usr/bin/env bash
# What one call of a lent GPU machine runs (zoo/README.md, "A trip to a GPU machine"), side by side
# on its one GPU: the selection and bundle runs of the networks in BOTH, the selection runs of those
# in SELECTION (ShelfNet's two runs would not both fit in what comes back), and the bundle runs
# carried from this machine in zoo/runs/NAME-trainval/ for the networks in RESUME; then every run
# packed into $OUT for receive-runs. Each run plans ITERATIONS and the budget only stops it.
#
#   device run, carry zoo/packed (+ the zoo/runs/NAME-trainval to resume): bash zoo/device_plan.sh
#
# Settings (environment): OUT (required), DEVICE (cuda), BUDGET_MIN (7), ITERATIONS (15000),
# BOTH (ndnet45: its 0.75-2 selection run, carried, finished its 30,000 iterations on the CPU and
# stays as it is; the first 15,000-iteration leg of its bundle run, resumed when carried; then
# its warm restart in a call of its own: BOTH=ndnet45 SELECTION= ITERATIONS=30000),
# SELECTION (shelfnet18), RESUME (none: BOTH resumes its networks' carried bundle runs itself),
# PACK (zoo/packed/camvid.npz), RUNS (zoo/runs), EXTRA (more `train` arguments).
set -u
cd "$(dirname "$0")/.."
export PYTHONUNBUFFERED=1
out=${OUT:?set OUT: the folder the device call returns}
runs=${RUNS:-zoo/runs}
common=(--device "${DEVICE:-cuda}" --parallel --iterations "${ITERATIONS:-15000}"
        --budget-min "${BUDGET_MIN:-7}" --pack "${PACK:-zoo/packed/camvid.npz}" --runs "$runs")
[ -n "${EXTRA:-}" ] && common+=(--extra "$EXTRA")
command -v nvidia-smi >/dev/null && nvidia-smi -L

both=${BOTH-ndnet45}
selection=${SELECTION-shelfnet18}
resume=""  # only the bundle runs that travelled: the others would start from nothing
wanted=${RESUME-}
for name in ${wanted//,/ }; do
  [ -f "$runs/$name-trainval/last.pt" ] && resume+="${resume:+,}$name"
done
[ -n "$both" ] && python3 -m zoo train-all "${common[@]}" --both --networks "$both" &
[ -n "$selection" ] && python3 -m zoo train-all "${common[@]}" --networks "$selection" &
[ -n "$resume" ] && python3 -m zoo train-all "${common[@]}" --trainval --networks "$resume" &
wait
python3 -m zoo send-runs --to "$out" --runs "$runs"
status=$?
tail -qn 1 "$runs"/*.out 2>/dev/null
exit $status
