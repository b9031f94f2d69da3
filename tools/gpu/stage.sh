#!/usr/bin/env bash
# Packs the GPU check for the device machine into parts of at most PART_MIB MiB (default 56, so that a part and the
# working tree fit in one 64 MiB call): tools/gpu/stage.sh [OUT_DIR]   (OUT_DIR defaults to .gpu, which .gitignore ignores)
#
# The CLI is published self-contained with -p:VerifyGpu=true (Microsoft.ML.OnnxRuntime.Gpu.Linux: CUDA 13, cuDNN 9),
# with the models, libturbojpeg and the LFW DevTest pairs and their images. Two xz streams, split into parts:
#   stage.NN  everything but the CUDA provider library;   cuda.NN  libonnxruntime_providers_cuda.so (about 290 MB)
# PUBLISH_DIR=DIR reuses an earlier publish instead of publishing again (about 3 minutes on 2 cores).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$(mkdir -p "${1:-$ROOT/.gpu}" && cd "${1:-$ROOT/.gpu}" && pwd)
MODELS=${VERIFY_MODELS_DIR:-$ROOT/.deps/models}
LFW=${VERIFY_TEST_DATA:-$ROOT/../shared/data}/lfw
PART_MIB=${PART_MIB:-56}
T=$(mktemp -d); trap 'rm -rf "$T"' EXIT
for need in "$MODELS/dlib_face_recognition_resnet_model_v1.onnx" "$LFW/pairsDevTest.txt" "$LFW/images" /usr/lib/x86_64-linux-gnu/libturbojpeg.so.0; do
  [ -e "$need" ] || { echo "missing: $need (run scripts/bootstrap.sh, or set VERIFY_MODELS_DIR / VERIFY_TEST_DATA)" >&2; exit 2; }
done

PUB=${PUBLISH_DIR:-$T/publish}
if [ -z "${PUBLISH_DIR:-}" ]; then
  # A private artifacts path: the GPU package's restore does not touch the checkout's obj/ folders.
  dotnet publish "$ROOT/src/Verify.Cli" -c Release -r linux-x64 --self-contained -p:VerifyGpu=true \
    --artifacts-path "$T/artifacts" -o "$PUB" -v quiet -nologo
fi
[ -f "$PUB/libonnxruntime_providers_cuda.so" ] || { echo "$PUB has no libonnxruntime_providers_cuda.so: not a -p:VerifyGpu=true publish" >&2; exit 2; }

S=$T/stage; mkdir -p "$S/app" "$S/lib" "$S/models" "$S/lfw/images"
# TensorRT is not used; the CUDA provider travels in its own stream.
(cd "$PUB" && tar cf - --exclude=./libonnxruntime_providers_cuda.so --exclude=./libonnxruntime_providers_tensorrt.so .) | tar xf - -C "$S/app"
cp -L /usr/lib/x86_64-linux-gnu/libturbojpeg.so.0 "$S/lib/"
cp "$MODELS"/*.onnx "$S/models/"
cp "$LFW/pairsDevTest.txt" "$S/lfw/pairs.txt"
# Only the images the pairs name (one DevTest image is missing from the data; evaluate skips its pair): "name n1 n2" (same person) or "name1 n1 name2 n2".
awk 'NF==3 {printf "%s/%s_%04d.jpg\n%s/%s_%04d.jpg\n",$1,$1,$2,$1,$1,$3} NF==4 {printf "%s/%s_%04d.jpg\n%s/%s_%04d.jpg\n",$1,$1,$2,$3,$3,$4}' \
  "$LFW/pairsDevTest.txt" | sort -u | while read -r f; do [ -f "$LFW/images/$f" ] && echo "$f"; done > "$T/files"
(cd "$LFW/images" && tar cf - -T "$T/files") | tar xf - -C "$S/lfw/images"

rm -f "$OUT"/stage.* "$OUT"/cuda.*
(cd "$S" && tar cf - .) | xz -T0 -6 | split -b "${PART_MIB}M" -d - "$OUT/stage."
xz -T0 -6 -c "$PUB/libonnxruntime_providers_cuda.so" | split -b "${PART_MIB}M" -d - "$OUT/cuda."
(cd "$OUT" && sha256sum stage.* cuda.* > SHA256SUMS)
ls -la "$OUT"
