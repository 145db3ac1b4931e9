# syntax=docker/dockerfile:1
# extdns container image: Node 24 runs the TypeScript sources directly (type
# stripping), so there is no build step; the first stage only installs the
# production dependencies from the lock file.
#   docker build -t extdns:0.1.0 .

ARG NODE_IMAGE=node:24-slim

FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only, exactly as locked; no install scripts run.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

FROM ${NODE_IMAGE}
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /app/node_modules ./node_modules
# package.json is read at run time (type: module, and the version extdns reports).
COPY package.json ./
COPY src ./src
# bin/extdns is the checkout wrapper (it sources scripts/node-env.sh, which may fetch Node and
# run npm ci); the image runs node directly with the same flags instead.
# The same uid/gid as ExternalDNS's image and Helm chart (65532), so existing
# securityContext settings and volume permissions carry over.
USER 65532:65532
EXPOSE 7979
ENTRYPOINT ["node", "--disable-warning=ExperimentalWarning", "src/cli/main.ts"]
