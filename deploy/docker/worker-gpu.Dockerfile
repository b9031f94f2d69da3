# syntax=docker/dockerfile:1
# A GPU worker: ONNX Runtime's CUDA build (Microsoft.ML.OnnxRuntime.Gpu.Linux, -p:VerifyGpu=true) on NVIDIA's CUDA 13
# runtime image with cuDNN 9, consuming the verify-identity-gpu and impersonation-reports-gpu queues (--gpu).
# The host needs an NVIDIA driver for CUDA 13 and the NVIDIA container toolkit (docker run --gpus 1; in Kubernetes
# the device plugin's nvidia.com/gpu resource). Build from the repository root:
#   docker build -f deploy/docker/worker-gpu.Dockerfile -t verify-worker-gpu .
# (--build-context model-mirror=DIR and VERIFY_OPTIONAL_MODELS as for worker.Dockerfile.)
ARG CUDA_IMAGE=nvidia/cuda:13.0.2-cudnn-runtime-ubuntu24.04

FROM scratch AS model-mirror

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS models
ARG VERIFY_OPTIONAL_MODELS=
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends jq npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY scripts/fetch-models.sh scripts/npm-tarball.sh scripts/
COPY models/ models/
RUN --mount=type=bind,from=model-mirror,target=/mirror \
    VERIFY_MODEL_MIRROR=/mirror VERIFY_MODELS_DIR=/models VERIFY_OPTIONAL_MODELS="$VERIFY_OPTIONAL_MODELS" \
    scripts/fetch-models.sh

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Verify.Worker -c Release -r linux-x64 --self-contained false -p:VerifyGpu=true -o /app

# The same Ubuntu 24.04 as Microsoft's .NET 10 images: their shared frameworks are copied in as they are.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS dotnet

FROM ${CUDA_IMAGE}
RUN --mount=type=bind,source=deploy/docker/runtime-packages.sh,target=/tmp/runtime-packages.sh \
    /tmp/runtime-packages.sh dotnet imaging documents probe
COPY --from=dotnet /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \
    && useradd --uid 1654 --user-group --no-create-home --shell /usr/sbin/nologin app
COPY --from=models /models /opt/verify/models
WORKDIR /app
COPY --from=build /app .
ENV Models__Directory=/opt/verify/models \
    Urls=http://+:8080 \
    OMP_THREAD_LIMIT=1 \
    DOTNET_RUNNING_IN_CONTAINER=true
EXPOSE 8080
USER 1654
ENTRYPOINT ["dotnet", "Verify.Worker.dll", "--gpu"]
