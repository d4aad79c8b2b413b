#!/usr/bin/env bash
# Installs what the e2e tests need, from the npm registry and Debian only (no GitHub, no
# VS Code CDN): code-server 4.100.3 (= VS Code 1.100.3, runs on Node 20), Debian's Chromium,
# and playwright-core (a devDependency). Idempotent; about 1-2 minutes and 300 MB the first time.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/env.sh"
mkdir -p "$RECLAB_E2E_DIR"

if ! command -v rg >/dev/null || [ ! -x "$CHROMIUM" ] || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  # kerberos (a code-server dependency) builds against gssapi headers; rg seeds @vscode/ripgrep.
  apt-get update -o DPkg::Lock::Timeout=900 >/dev/null
  apt-get install -y -o DPkg::Lock::Timeout=900 build-essential python3 pkg-config libkrb5-dev ripgrep chromium >/dev/null
fi

if [ ! -x "$CS" ]; then
  # @vscode/ripgrep's postinstall downloads rg from GitHub unless it finds the release asset in
  # $TMPDIR/vscode-ripgrep-cache-<ver>/: seed it with Debian's rg (same upstream 13.0.0).
  rgtmp=$(mktemp -d "$RECLAB_E2E_DIR/rgtmp.XXXX")
  mkdir -p "$rgtmp/vscode-ripgrep-cache-1.15.11" "$rgtmp/stage"
  cp "$(command -v rg)" "$rgtmp/stage/rg"
  tar czf "$rgtmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$rgtmp/stage" rg
  mkdir -p "$RECLAB_E2E_DIR/cs"
  cd "$RECLAB_E2E_DIR/cs"
  [ -f package.json ] || npm init -y >/dev/null
  # npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which an npmrc `yes=false` cancels.
  TMPDIR="$rgtmp" npm_config_yes=true npm install --unsafe-perm --no-audit --no-fund code-server@4.100.3
  rm -rf "$rgtmp"
fi
"$CS" --version 2>/dev/null | head -1
