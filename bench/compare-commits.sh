#!/usr/bin/env bash
# Two engine builds (OLD_JAR, NEW_JAR) alternating on `bench --pipeline` (Fast-SCNN, NDNet45, 360x480 on
# vtest) and a 3000-frame soak, minutes apart on one machine: a refactor must not make either worse.
#   OLD_JAR=/path/to/old/segbench-engine.jar bench/compare-commits.sh [OUT_DIR]
set -u
cd "$(dirname "$0")/.."
OLD=${OLD_JAR:?path of the older engine jar}
NEW=${NEW_JAR:-engine/target/segbench-engine-0.1.0-SNAPSHOT.jar}
out=${1:-bench/results/compare-$(date -u +%Y%m%dT%H%M)}; mkdir -p $out
for run in 1 2 3; do
  for m in fastscnn ndnet45; do
    for v in old new; do
      jar=$OLD; [ $v = new ] && jar=$NEW
      java --add-modules=jdk.incubator.vector -jar $jar bench --pipeline --model assets/models/$m.onnx --input sample-images/vtest.avi --size 360x480 \
        --provider cpu --warmup 20 --frames 150 --json $out/${v}_${m}_run$run.json > $out/${v}_${m}_run$run.log 2>&1
      echo "$v $m run$run $(python3 -c "import json;d=json.load(open('$out/${v}_${m}_run$run.json'));print({k:v for k,v in d.items() if not isinstance(v,(dict,list))})" 2>&1 | cut -c1-300)"
    done
  done
done
for v in old new; do
  jar=$OLD; [ $v = new ] && jar=$NEW
  java --add-modules=jdk.incubator.vector -jar $jar soak --model assets/models/fastscnn.onnx --model assets/models/ndnet45.onnx --input sample-images/vtest.avi \
    --size 360x480 --provider cpu --frames 3000 --json $out/${v}_soak.json > $out/${v}_soak.log 2>&1
  echo "$v soak: $(tail -3 $out/${v}_soak.log | tr '\n' ' ')"
done
