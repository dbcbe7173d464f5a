#!/bin/sh
# Alert latency benchmark: report that makes a state hard -> SMTP server accepted the mail.
# Usage: bench/alert-latency/run.sh [samples] [load-threads] [reports-per-second]
# Builds the collector in the reactor (no install) and runs the single-file benchmark on its
# classpath, GreenMail included.
set -eu
cd "$(dirname "$0")/../.."
cp=$(mktemp)
mvn -B -q -pl collector -am compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp" >/dev/null
CP="collector/target/classes:common/target/classes:$(cat "$cp")"
rm -f "$cp"
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" \
  bench/alert-latency/AlertLatencyBench.java "$@"
