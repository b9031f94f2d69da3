# syntax=docker/dockerfile:1
# The Verify API for the distributed mode (RabbitMQ, PostgreSQL): it accepts uploads and dispatches the outbox to
# the workers; it consumes nothing and loads no models (docs/operations.md, "Modes, composition and readiness").
# Build from the repository root:  docker build -f deploy/docker/api.Dockerfile -t verify-api .

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/Verify.Api -c Release -r linux-x64 --self-contained false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN --mount=type=bind,source=deploy/docker/runtime-packages.sh,target=/tmp/runtime-packages.sh \
    /tmp/runtime-packages.sh imaging probe
WORKDIR /app
COPY --from=build /app .
# appsettings.json binds 127.0.0.1:5080 for the developer's machine; in a container the API listens on every address.
ENV Urls=http://+:8080
EXPOSE 8080
# The image's unprivileged user (APP_UID, 1654).
USER $APP_UID
ENTRYPOINT ["dotnet", "Verify.Api.dll"]
