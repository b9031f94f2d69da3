# syntax=docker/dockerfile:1
# A CPU worker: consumes the verify-identity-cpu and impersonation-reports-cpu queues (Messaging__Queue=Cpu, the
# default). Build from the repository root:
#   docker build -f deploy/docker/worker.Dockerfile -t verify-worker .
# The models come from their canonical sources (npm, URLs), checked by sha256 by scripts/fetch-models.sh. To take
# them, and the optional ones, from a local mirror instead:
#   docker build --build-context model-mirror=../shared/models --build-arg VERIFY_OPTIONAL_MODELS=all ...

# Empty unless --build-context model-mirror=DIR replaces it.
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
RUN dotnet publish src/Verify.Worker -c Release -r linux-x64 --self-contained false -o /app

# The worker serves its health endpoints over HTTP, so it runs on the ASP.NET Core runtime image.
FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN --mount=type=bind,source=deploy/docker/runtime-packages.sh,target=/tmp/runtime-packages.sh \
    /tmp/runtime-packages.sh imaging documents probe
COPY --from=models /models /opt/verify/models
WORKDIR /app
COPY --from=build /app .
ENV Models__Directory=/opt/verify/models \
    Urls=http://+:8080 \
    OMP_THREAD_LIMIT=1
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "Verify.Worker.dll"]
