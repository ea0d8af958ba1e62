#!/usr/bin/env bash
# Runs the footprint benchmark and writes docs/performance/footprint.md: Redis commands, server time and CPU per
# lock and limiter operation, bytes per held lock, released lock name and limiter key, who hears a release (2 and
# 20 stores), and how names spread over a 3-master Redis Cluster. docs/sizing.md is derived from its figures.
# Needs JDK 17+, Maven, redis-server and redis-cli on the PATH; about 2 minutes on two cores.
#
#   pielock-benchmarks/footprint.sh                                    # the full run
#   pielock-benchmarks/footprint.sh -Dbench.footprint.operations=5000  # any bench.footprint.* setting
#                                                                      # (see FootprintSettings.java)
#   MVN_ARGS=-o pielock-benchmarks/footprint.sh                        # extra Maven arguments, e.g. offline
set -euo pipefail
cd "$(dirname "$0")/.."

command -v redis-server >/dev/null || { echo "redis-server is not on the PATH (apt-get install redis-server)" >&2; exit 1; }
command -v redis-cli >/dev/null || { echo "redis-cli is not on the PATH (apt-get install redis-tools)" >&2; exit 1; }

started=$(date +%s)
echo "Building pielock-benchmarks and what it depends on (tests skipped)..."
./mvnw -B -q ${MVN_ARGS:-} package -DskipTests -pl pielock-benchmarks -am

classpath="pielock-benchmarks/target/classes:$(cat pielock-benchmarks/target/classpath.txt)"
revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- pielock-spring-boot-autoconfigure/src 2>/dev/null)" ]; then
  revision="$revision+changes"
fi

status=0
java -Xms1g -Xmx2g -cp "$classpath" -Dbench.revision="$revision" "$@" io.pielock.benchmark.FootprintMain || status=$?
echo "Total, build included: $(( $(date +%s) - started )) s"
exit $status
