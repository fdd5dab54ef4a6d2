#!/usr/bin/env bash
# Installs the Debian package built by `./mvnw -B -Pdist package`, starts the service through its start script as its
# own user with the installed environment file (on ports of its own), checks health, and purges the package again:
# the user, the configuration and the data must be gone afterwards. Run as root (as CI does); needs no systemd.
set -euo pipefail
cd "$(dirname "$0")/../.."
deb=$(ls target/ministra-manager_*_all.deb)
http_port=${CHECK_HTTP_PORT:-18480}
management_port=${CHECK_MANAGEMENT_PORT:-18481}
simulator_port=${CHECK_SIMULATOR_PORT:-18482}

command -v curl >/dev/null || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl; }
dpkg -i "$deb"
trap 'dpkg --purge ministra-manager >/dev/null 2>&1 || true' EXIT
test "$(stat -c '%U %a' /etc/ministra-manager/ministra-manager.env)" = "ministra-manager 600"
test "$(stat -c '%U' /var/lib/ministra-manager)" = "ministra-manager"

log=$(mktemp)
# as systemd would run it: the unit's user, working directory and environment file
runuser -u ministra-manager -- env -i PATH=/usr/bin:/bin \
    $(grep -E '^[A-Z_]+=' /etc/ministra-manager/ministra-manager.env || true) \
    MM_HTTP_PORT=$http_port MM_MANAGEMENT_PORT=$management_port MM_SIM_PORT=$simulator_port \
    sh -c 'cd /var/lib/ministra-manager && exec /usr/share/ministra-manager/bin/ministra-manager' >"$log" 2>&1 &
service=$!
healthy=""
for _ in $(seq 1 90); do
    if curl -fsS "http://127.0.0.1:$management_port/observe/health" 2>/dev/null | grep -q '"UP"'; then
        healthy=yes
        break
    fi
    kill -0 "$service" 2>/dev/null || break
    sleep 1
done
kill "$service" 2>/dev/null || true
wait "$service" 2>/dev/null || true
if [ -z "$healthy" ]; then
    echo "The installed service did not become healthy:"
    cat "$log"
    exit 1
fi
test -f /var/lib/ministra-manager/data/secret.key
test "$(stat -c '%U' /var/lib/ministra-manager/data/secret.key)" = "ministra-manager"

dpkg --purge ministra-manager
trap - EXIT
if getent passwd ministra-manager >/dev/null || [ -e /etc/ministra-manager ] || [ -e /var/lib/ministra-manager ] \
        || [ -e /usr/share/ministra-manager ]; then
    echo "dpkg --purge left the user, configuration or data behind"
    exit 1
fi
echo "Debian package: installed, healthy as user ministra-manager, purged"
