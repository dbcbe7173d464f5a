#!/bin/sh
# Dashboard streams benchmark (issue 13): report ingest latency with 0 and with 50 open
# /api/v1/stream subscribers, and how long an event takes to reach a stream.
# Usage: bench/dashboard-streams/run.sh [reports-per-phase] [streams] [hosts]
# Builds the collector in the reactor (no install) and runs the single-file benchmark on its
# classpath.
set -eu
cd "$(dirname "$0")/../.."
cp=$(mktemp)
mvn -B -q -o -pl collector -am compile dependency:build-classpath \
  -Dmdep.outputFile="$cp" >/dev/null
CP="collector/target/classes:common/target/classes:$(cat "$cp")"
rm -f "$cp"
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
  bench/dashboard-streams/DashboardStreamsBench.java "$@"
