#!/usr/bin/env bash
# Measures where a limiter decision's and a lock cycle's time goes (client and Redis CPU per operation, layer by
# layer) and writes docs/performance/cost-breakdown.md. About 6 minutes on two cores.
#
#   pielock-benchmarks/cost-breakdown.sh
#   pielock-benchmarks/cost-breakdown.sh -Dbench.rounds=5 -Dbench.measure=10s
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_MAIN=io.pielock.benchmark.CostBreakdownMain exec pielock-benchmarks/run.sh "$@"
