# syntax=docker/dockerfile:1
#
# crypto-portfolio-tracker: the server (and devchain, for the demo) in a Debian 12 image.
#
#   docker build -t portfolio-server .
#   docker run -d -p 8080:8080 -v portfolio-data:/var/lib/portfolio portfolio-server
#
# The binaries are linked with --static-swift-stdlib: the Swift runtime and Foundation are
# inside them, so the runtime stage needs only the C libraries the server links (libwebsockets,
# SQLite, libcurl, OpenSSL, libstdc++) and no copy of the toolchain's /usr/lib/swift. See
# docs/DEPLOYMENT.md.

ARG SWIFT_VERSION=6.3
ARG DEBIAN_RELEASE=bookworm

# ---- build ------------------------------------------------------------------------------
FROM swift:${SWIFT_VERSION}-${DEBIAN_RELEASE} AS build

# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libwebsockets-dev libsqlite3-dev libcurl4-openssl-dev libssl-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src
# Package.swift declares the test targets too, so their folders must be there to build.
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests

# .build lives in a cache mount (kept between builds, never in a layer); the binaries are
# copied out of it.
RUN --mount=type=cache,target=/src/.build \
    swift build -c release --static-swift-stdlib --product portfolio-server \
 && swift build -c release --static-swift-stdlib --product devchain \
 && mkdir -p /out \
 && cp "$(swift build -c release --show-bin-path)/portfolio-server" \
       "$(swift build -c release --show-bin-path)/devchain" /out/

# ---- run --------------------------------------------------------------------------------
FROM debian:${DEBIAN_RELEASE}-slim AS run

# The libraries the binaries link, ca-certificates for HTTPS to chain nodes, price APIs,
# webhooks and push services, and curl for the health check (libcurl4 is needed anyway).
# hadolint ignore=DL3008
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libwebsockets17 libsqlite3-0 libcurl4 libssl3 libstdc++6 ca-certificates curl \
 && rm -rf /var/lib/apt/lists/*

# A fixed uid/gid (10001), so a bind-mounted data folder can be chowned to it beforehand.
RUN groupadd --system --gid 10001 portfolio \
 && useradd --system --uid 10001 --gid portfolio --home-dir /var/lib/portfolio \
      --no-create-home --shell /usr/sbin/nologin portfolio \
 && mkdir -p /var/lib/portfolio \
 && chown portfolio:portfolio /var/lib/portfolio \
 && chmod 0700 /var/lib/portfolio

COPY --from=build /out/portfolio-server /out/devchain /usr/local/bin/

# web-static/ and config/ are found relative to the working directory
# (server.static_dir = web-static, tokens.list_file = config/tokens.yaml).
WORKDIR /opt/portfolio-server
COPY web-static ./web-static
COPY config ./config

# Listen on every address of the container; the database (and its WAL, lock file and
# scheduled backups) in the volume. Off loopback, access tokens are required
# (server.auth_required = auto): make the first one with
#   docker compose exec portfolio portfolio-server token create --user owner --scope admin
ENV SERVER_HOST=0.0.0.0 \
    SERVER_PORT=8080 \
    DATABASE_URL=/var/lib/portfolio/portfolio.sqlite \
    LOG_FORMAT=json

VOLUME ["/var/lib/portfolio"]
EXPOSE 8080
USER 10001:10001

# /api/v1/ready is open without a token and answers 200 when the database answers.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["sh", "-c", "curl -fsS -o /dev/null http://127.0.0.1:${SERVER_PORT:-8080}/api/v1/ready || exit 1"]

# The server drains on SIGTERM (server.shutdown_grace_seconds, 10 s by default); give
# `docker stop` more than that: docker stop -t 30, or stop_grace_period in compose.
STOPSIGNAL SIGTERM
ENTRYPOINT ["portfolio-server"]
CMD ["serve"]
