# Sourced by the e2e scripts: one temp folder holds code-server, its profile and Chromium's,
# so nothing is written under $HOME (XDG_* point into it too).
export RECLAB_E2E_DIR=${RECLAB_E2E_DIR:-/tmp/reclab-e2e}
export XDG_CONFIG_HOME=$RECLAB_E2E_DIR/xdg/config XDG_DATA_HOME=$RECLAB_E2E_DIR/xdg/data XDG_CACHE_HOME=$RECLAB_E2E_DIR/xdg/cache
export CS_PORT=${CS_PORT:-8123}
export CS=$RECLAB_E2E_DIR/cs/node_modules/.bin/code-server
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
