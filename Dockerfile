# syntax=docker/dockerfile:1
# reqgate GitHub App. Build: docker build -t reqgate .   Run: see docs/github-app.md.

# Node 22: probot runs on 20.18+, but @octokit/request's content-type 3 declares node >= 22.

# --- build: all dependencies, compile TypeScript to dist/ ---------------------------------------
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are copied; the build is the next step.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
# The App, and the CLI's bundle (dist/bundle, which bin/reqgate.js runs) so that `reqgate` works in the
# image too. The Action's bundle (action/index.mjs) is committed and not part of the image.
RUN npm run build:app && npm run build:cli

# --- runtime: production dependencies only, the compiled app, a non-root user -------------------
FROM node:22-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY app.yml ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/ping').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/start.js"]
