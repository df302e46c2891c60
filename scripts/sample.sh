#!/usr/bin/env bash
# Runs a sample application: `npm run sample` (the tour) or `npm run sample -- NAME`.
source "$(dirname "$0")/ensure-deps.sh"
name="${1:-newsletter}"
npx tsc -p tsconfig.build.json
node "dist/samples/$name/main.js"
