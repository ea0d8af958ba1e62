#!/usr/bin/env bash
# Runs the whole benchmark (every scenario, every contender, JMH) and writes docs/performance/report.md and
# docs/performance/ratios.svg. Needs JDK 17+, Maven and redis-server on the PATH; about 13 minutes on two cores.
#
#   pielock-benchmarks/run.sh                          # the full run
#   pielock-benchmarks/run.sh -Dbench.measure=5s       # any bench.* setting (see Settings.java)
#   MVN_ARGS=-o pielock-benchmarks/run.sh              # extra Maven arguments, e.g. offline
set -euo pipefail
cd "$(dirname "$0")/.."

command -v redis-server >/dev/null || { echo "redis-server is not on the PATH (apt-get install redis-server)" >&2; exit 1; }

started=$(date +%s)
echo "Building pielock-benchmarks and what it depends on (tests skipped)..."
./mvnw -B -q ${MVN_ARGS:-} package -DskipTests -pl pielock-benchmarks -am

classpath="pielock-benchmarks/target/classes:$(cat pielock-benchmarks/target/classpath.txt)"
revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- pielock-spring-boot-autoconfigure/src 2>/dev/null)" ]; then
  revision="$revision+changes"
fi

status=0
# BENCH_MAIN picks another benchmark of the module (footprint.sh runs FootprintMain this way)
java -Xms1g -Xmx2g -cp "$classpath" -Dbench.revision="$revision" "$@" "${BENCH_MAIN:-io.pielock.benchmark.BenchmarkMain}" || status=$?
echo "Total, build included: $(( $(date +%s) - started )) s"
exit $status
