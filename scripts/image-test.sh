#!/usr/bin/env bash
# The all-in-one image's run, without Docker: the published Web output in a read-only directory, started as an
# unprivileged user (nobody, when this runs as root) with the settings Web/Dockerfile gives the image, the embedded
# Garnet's data in a directory of its own. It must become ready, take a push (grains and storage in use), keep /metrics
# off the app's port, write nothing under the app directory, and stop on SIGTERM with exit code 0 and no error logged.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d "${TMPDIR:-/tmp}/orleanstabs-image.XXXXXX")
pid=""
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "image-test: $*" >&2; [ -f "$work/server.log" ] && tail -n 40 "$work/server.log" >&2; exit 1; }

# The image's settings, read from the Dockerfile so that the two cannot drift.
dockerfile=Web/Dockerfile
grep -q '^USER \$APP_UID' "$dockerfile" || fail "$dockerfile no longer runs as the app user"
data_setting=$(grep -o 'OrleansTabs__Hosting__GarnetDataDirectory=[^ \\]*' "$dockerfile") || fail "$dockerfile sets no Garnet data directory"
[[ "${data_setting#*=}" == /data/* ]] || fail "$dockerfile keeps the Garnet data inside the app directory"

echo "== image test: dotnet publish Web -c Release"
dotnet publish Web/Web.csproj -c Release -o "$work/app" -v quiet -nologo -p:UseAppHost=false
chmod -R a-w "$work/app"
mkdir -p "$work/data"
run_as=()
if [ "$(id -u)" = 0 ]; then
  chown nobody "$work/data"
  chmod 755 "$work"
  run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port); management=$(free_port)
before=$(find "$work/app" -newer "$work/app/OrleansTabs.Web.dll" | wc -l)

(cd "$work/app" && exec env -i PATH="$PATH" HOME=/nonexistent DOTNET_CLI_TELEMETRY_OPTOUT=1 \
  ASPNETCORE_URLS="http://127.0.0.1:$port" \
  OrleansTabs__Hosting__GarnetDataDirectory="$work/data/garnet" \
  OrleansTabs__Management__Port="$management" OrleansTabs__Management__Host=127.0.0.1 \
  OrleansTabs__Push__ApiKey=image-test-key \
  Logging__Console__FormatterName=simple \
  "${run_as[@]}" dotnet OrleansTabs.Web.dll) >"$work/server.log" 2>&1 &
pid=$!

ready=""
for _ in $(seq 1 120); do
  kill -0 "$pid" 2>/dev/null || fail "the server exited before it was ready"
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/ready")" = 200 ]; then ready=1; break; fi
  sleep 0.5
done
[ -n "$ready" ] || fail "not ready within 60 s"

receipt=$(curl -s -w ' %{http_code}' -X POST "http://127.0.0.1:$port/api/push" -H 'X-Push-Key: image-test-key' \
  -H 'Content-Type: application/json' -d '{"target":{"topic":"image-test"},"payload":{"notice":"image test"}}')
[[ "$receipt" == *" 202" ]] || fail "a push was not taken: $receipt"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/metrics")" = 404 ] || fail "/metrics answers on the app's port"
[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$management/metrics")" = 200 ] || fail "/metrics does not answer on the management port"
[ -n "$(find "$work/data/garnet" -type f 2>/dev/null)" ] || fail "the embedded Garnet wrote nothing to its data directory"

kill -TERM "$pid"
code=0; wait "$pid" || code=$?
pid=""
[ "$code" = 0 ] || fail "the server exited with $code on SIGTERM"
[ "$(find "$work/app" -newer "$work/app/OrleansTabs.Web.dll" | wc -l)" = "$before" ] || fail "something was written under the app directory"
if grep -E '^(fail|crit):' "$work/server.log"; then fail "errors were logged"; fi
echo "image-test: read-only app directory, user $( [ ${#run_as[@]} -gt 0 ] && echo nobody || id -un ): ready, push taken, metrics on the management port only, clean stop"
