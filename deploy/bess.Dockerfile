# The `bess` CLI as a container, for sweeps on Kubernetes, Cloud Run jobs and AWS Batch (README "Sweeps").
# Build from the repository root:  docker build -f deploy/bess.Dockerfile -t powerbidder-bess .
# Run one task:                    docker run --rm -v "$PWD/sweep:/sweep" -e JOB_COMPLETION_INDEX=0 powerbidder-bess \
#                                    sweep-task /sweep/spec.json --mlruns /sweep/mlruns
# The CLI runs its TypeScript through tsx (a runtime dependency), on tfjs's wasm backend: no native modules, no
# install scripts, no downloads at run time. Spec, price files and the MLflow store live on a mounted volume.
FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY bin/ bin/
COPY src/ src/
COPY workers/ workers/
COPY tsconfig.json ./
# Tasks run as an unprivileged user; the mounted volume must be writable by uid 1000 (node).
USER node
ENTRYPOINT ["node", "/app/bin/bess.mjs"]
CMD ["--help"]
