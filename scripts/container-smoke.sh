#!/usr/bin/env bash
# What the Dockerfile's runtime stage does, without a Docker engine: a production-only install of the
# locked dependencies next to the built dist/, then `node bin/start.js` as the container runs it.
# Checks that the App starts (GET /ping answers PONG) with nothing from devDependencies, and that it
# refuses to start in production without a webhook secret. Needs the npm registry and `npm run build`.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'kill "${pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

test -f "$root/dist/index.js" || { echo "run npm run build first" >&2; exit 2; }
cp "$root/package.json" "$root/package-lock.json" "$root/app.yml" "$work/"
cp -r "$root/bin" "$root/dist" "$work/"
(cd "$work" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null)

if env -i PATH="$PATH" NODE_ENV=production node "$work/bin/start.js" 2>/dev/null; then
  echo "FAIL: started in production without WEBHOOK_SECRET" >&2; exit 1
fi

key="$work/key.pem"
node -e 'const {generateKeyPairSync}=require("node:crypto");process.stdout.write(generateKeyPairSync("rsa",{modulusLength:2048,privateKeyEncoding:{type:"pkcs1",format:"pem"},publicKeyEncoding:{type:"spki",format:"pem"}}).privateKey)' > "$key"
port=$(( 20000 + RANDOM % 20000 ))
cd "$work"
# env replaces itself with node, so $! is the server itself, which the EXIT trap stops.
env -i PATH="$PATH" NODE_ENV=production HOST=0.0.0.0 PORT="$port" LOG_FORMAT=json \
  WEBHOOK_SECRET=smoke APP_ID=1 PRIVATE_KEY_PATH="$key" node bin/start.js >"$work/out.log" 2>&1 &
pid=$!
for _ in $(seq 50); do
  if [ "$(node -e "fetch('http://127.0.0.1:$port/ping').then(r=>r.text()).then(t=>process.stdout.write(t),()=>{})")" = "PONG" ]; then
    echo "ok: production install starts and answers /ping"; exit 0
  fi
  sleep 0.2
done
echo "FAIL: no answer on /ping" >&2; cat "$work/out.log" >&2; exit 1
