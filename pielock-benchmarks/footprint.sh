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

command -v redis-cli >/dev/null || { echo "redis-cli is not on the PATH (apt-get install redis-tools)" >&2; exit 1; }

# Built and run like the side-by-side benchmark; only the main class differs.
BENCH_MAIN=io.pielock.benchmark.FootprintMain exec pielock-benchmarks/run.sh "$@"
