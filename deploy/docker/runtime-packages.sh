#!/usr/bin/env bash
# Installs, in a runtime image, the distribution packages whose libraries Verify loads at run time: the run-time part
# of scripts/apt-packages.txt (the servers, the browser and the set-up tools stay out of the images).
#
#   runtime-packages.sh SET...   where each SET is
#     imaging    the image decoders (the API reads upload headers; the worker decodes)
#     documents  Tesseract, FreeType and the fonts the document reader renders (OCR-B for the MRZ glyphs)
#     dotnet     what the .NET runtime itself needs, for an image not built on Microsoft's (the CUDA one)
#     probe      curl, for a health check run inside the container (docker compose's healthcheck)
#
# The .NET 10 and CUDA 13 images are Ubuntu 24.04, where some Debian 12 names carry the t64 suffix or drop the
# SONAME digit; each entry lists its names, and the first one the archive knows is installed.
set -euo pipefail

imaging=("libturbojpeg0 libturbojpeg" "libpng16-16t64 libpng16-16" "libwebp7" "libheif1" "libopenjp2-7")
documents=("libtesseract5" "libfreetype6" "fonts-ocr-b" "fonts-dejavu-core")
dotnet=("ca-certificates" "tzdata" "libssl3t64 libssl3" "zlib1g" "libstdc++6")
probe=("curl")

[ $# -gt 0 ] || { echo "usage: $0 imaging|documents|dotnet|probe..." >&2; exit 2; }
wanted=()
for set in "$@"; do
  case "$set" in
    imaging) wanted+=("${imaging[@]}") ;;
    documents) wanted+=("${documents[@]}") ;;
    dotnet) wanted+=("${dotnet[@]}") ;;
    probe) wanted+=("${probe[@]}") ;;
    *) echo "unknown package set '$set'; use imaging, documents, dotnet or probe" >&2; exit 2 ;;
  esac
done

apt-get update -qq
chosen=()
for names in "${wanted[@]}"; do
  found=
  for name in $names; do
    if apt-cache show "$name" >/dev/null 2>&1; then found=$name; break; fi
  done
  [ -n "$found" ] || { echo "none of these packages is in the archive: $names" >&2; exit 1; }
  chosen+=("$found")
done
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${chosen[@]}"
rm -rf /var/lib/apt/lists/*
