#!/usr/bin/env bash
# Smoke test of the packaged sample app: runs its load demo (--demo) once against a throwaway redis-server on a
# free port, and exits with the demo's status (0 = no unit sold twice). Build the jar first (./mvnw -B verify).
# Extra arguments go to the demo, e.g. --demo.requests=5000.
set -euo pipefail
cd "$(dirname "$0")"

jar=target/pielock-sample-app.jar
if [ ! -f "$jar" ]; then
  echo "demo-smoke: $jar not found; build it first: ./mvnw -B verify (or ./mvnw -B package -DskipTests)" >&2
  exit 2
fi
command -v redis-server >/dev/null || { echo "demo-smoke: redis-server not found on the PATH" >&2; exit 2; }

dir=$(mktemp -d)
redis_pid=
cleanup() {
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# A port can be taken between the check and redis-server's bind: try a few.
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 20000))
  port_in_use "$port" && continue
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
    >"$dir/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 100); do
    if port_in_use "$port"; then
      break 2
    fi
    kill -0 "$redis_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$redis_pid" 2>/dev/null || true
  wait "$redis_pid" 2>/dev/null || true
  redis_pid=
done
if [ -z "$redis_pid" ]; then
  echo "demo-smoke: could not start redis-server; its last log:" >&2
  cat "$dir/redis.log" >&2 || true
  exit 2
fi
echo "demo-smoke: throwaway redis-server on 127.0.0.1:$port"

java -jar "$jar" --demo --pielock.store=redis --spring.data.redis.host=127.0.0.1 \
  --spring.data.redis.port="$port" "$@"
