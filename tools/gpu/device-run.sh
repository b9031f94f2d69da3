#!/usr/bin/env bash
# On the GPU machine, from the repository root: joins the parts in $GS (default /root/gs), unpacks them into $W, finds
# CUDA 13 and cuDNN 9 in the image's Python packages and runs the checks of issue 17 item 3, most important first.
# Each check's output goes to its own file under $OUT (and all of it to $OUT/log.txt).
# On a machine without CUDA (GS=.gpu QUICK=1 bash tools/gpu/device-run.sh) every --gpu run falls back to the CPU
# with the provider's warning: that proves everything but CUDA (the run sizes are named, so that the CPU pads too).
set -u
GS=${GS:-/root/gs}; W=${W:-/root/gw}; O=${OUT:-/tmp/gpu-out}
mkdir -p "$O"; exec > >(tee -a "$O/log.txt") 2>&1
stage=$(ls "$GS"/stage.* 2>/dev/null | sort); cuda=$(ls "$GS"/cuda.* 2>/dev/null | sort)
[ -n "$stage" ] && [ -n "$cuda" ] || { echo "parts missing in $GS (the machine went cold between calls?):"; ls -la "$GS"; exit 3; }
[ -f "$GS/SHA256SUMS" ] && { (cd "$GS" && sha256sum -c --quiet SHA256SUMS) || { echo "a part is damaged or missing"; exit 4; }; }
rm -rf "$W"; mkdir -p "$W"
cat $stage | xz -d | tar xf - -C "$W" || { echo "stage unpack failed (a part missing?)"; exit 4; }
cat $cuda | xz -d > "$W/app/libonnxruntime_providers_cuda.so" || { echo "CUDA provider unpack failed (a part missing?)"; exit 4; }

dirs=""
for n in libcuda.so.1 libcudart.so.13 libcublas.so.13 libcublasLt.so.13 libcurand.so.10 libcudnn.so.9 libnvrtc.so.13; do
  f=$(find /usr/local/nvidia /usr/lib/x86_64-linux-gnu /usr/local /opt /usr/lib -name "$n" 2>/dev/null | head -1)
  echo "$n -> ${f:-not found}"; [ -n "$f" ] && dirs="$dirs:$(dirname "$f")"
done
export LD_LIBRARY_PATH="${dirs#:}:$W/lib:${LD_LIBRARY_PATH:-}" VERIFY_MODELS_DIR=$W/models DOTNET_NOLOGO=1
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
V=$W/app/verify; L=$W/lfw
# Full: the sizes the targets need (>= 5,000 faces/s, >= 1,000 images/s); QUICK: enough to prove the script on 2 CPU cores.
F=8192; D=2048; B=2560; N=300; CALLERS="1 8 32 64 128 256"; STREAMS="1 2 4 8 16"
P=$L/pairs.txt
if [ -n "${QUICK:-}" ]; then
  F=48; D=16; B=16; N=10; CALLERS="1 8"; STREAMS="1 2"
  # Ten same-person and ten different-person pairs of DevTest.
  P=$L/pairs-quick.txt; { echo 10; sed -n 2,11p "$L/pairs.txt"; sed -n 502,511p "$L/pairs.txt"; } > "$P"
fi
step() { echo; echo "== $1 ($(date -u +%T))"; }
# The whole script must end inside one device call (540 s): the checks run most important first, and a check whose
# time limit no longer fits in BUDGET seconds from the start is skipped and says so.
START=$(date +%s); BUDGET=${BUDGET:-500}
fits() { if [ $(( $(date +%s) - START + $1 )) -le "$BUDGET" ]; then return 0; fi; echo "skipped: needs $1 s, $(( BUDGET - $(date +%s) + START )) s left"; return 1; }
if [ -z "${QUICK:-}" ]; then
  # CPU/GPU agreement on 300 DevTest pairs (150 same-person, 150 different-person), as the first H200 run did.
  P=$L/pairs-300.txt; { echo 150; sed -n 2,151p "$L/pairs.txt"; sed -n 502,651p "$L/pairs.txt"; } > "$P"
fi

step "1. accuracy on CUDA (DevTest)"
fits 120 && timeout 120 "$V" evaluate --gpu --threads 1 --pairs "$P" --images "$L/images" | tr '\r' '\n' | grep -v "embedding images" | tee "$O/eval-gpu.txt"
step "2. accuracy on this machine's CPU, for agreement with step 1"
fits 150 && timeout 150 "$V" evaluate --pairs "$P" --images "$L/images" | tr '\r' '\n' | grep -v "embedding images" | tee "$O/eval-cpu.txt"
step "agreement (CUDA, then CPU)"
for f in "$O/eval-gpu.txt" "$O/eval-cpu.txt"; do [ -f "$f" ] && grep -iE "^\| *(fr-feature|dlib|fusion)|accuracy|EER" "$f" | head -8; echo; done
step "3. batcher under concurrent callers (buckets 1 8 32 64, a session per bucket) and detection with several sessions"
fits 150 && timeout 150 "$V" benchmark-batcher --gpu --threads 1 --bucket-sizes 1 8 32 64 --images "$L/images" --callers $CALLERS --faces $F --detect-streams $STREAMS --detect-images $D \
  | tee "$O/batcher.txt"
step "4. dlib, one batch size per process"
for b in 1 8 32 64; do
  fits 40 && timeout 40 "$V" benchmark-batch --gpu --threads 1 --images "$L/images" --model dlib-resnet-v1 --batch-sizes $b --faces $B --warmup 10 | grep -E "^\| "
done | tee "$O/batch.txt"
step "5. face part of a comparison, one stream"
fits 60 && timeout 60 "$V" benchmark --gpu --threads 1 --pairs "$P" --images "$L/images" --count $N --warmup 5 | tee "$O/bench.txt"
step "6. the batcher with cudnn_conv_algo_search=HEURISTIC instead of ONNX Runtime's EXHAUSTIVE"
fits 60 && Inference__CudaConvAlgorithmSearch=Heuristic timeout 60 "$V" benchmark-batcher --gpu --threads 1 --bucket-sizes 1 8 32 64 --images "$L/images" --callers 64 256 --faces $F \
  | tee "$O/heuristic.txt"
echo "== done ($(date -u +%T))"
