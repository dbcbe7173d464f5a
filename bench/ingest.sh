#!/bin/sh
# Ingest throughput of the collector under wrk (issue 11): SQLite, then PostgreSQL (embedded),
# same load. One command, about 2 minutes on 2 cores:
#   bench/ingest.sh [sqlite|postgresql|both] [extra WrkIngest options, e.g. --seconds 60]
# Builds the bench module and its reactor dependencies offline (nothing installed into ~/.m2),
# then runs io.custos.bench.WrkIngest once per store; see bench/RESULTS.md "Issue 11 — ingest".
set -eu
cd "$(dirname "$0")/.."
which="${1:-both}"
[ $# -gt 0 ] && shift
command -v wrk >/dev/null || { echo "ingest.sh: needs wrk (Debian package wrk)" >&2; exit 2; }
mvn -o -q -pl bench -am package -DskipTests -Dspotless.check.skip=true \
  dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
# BENCH_CP_FIRST: classes put first, e.g. another build of collector+common for a "before" run.
cp="${BENCH_CP_FIRST:+$BENCH_CP_FIRST:}bench/target/custos-bench-0.1.0-SNAPSHOT.jar:$(cat bench/target/cp.txt)"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; $(date -u +%FT%TZ);" \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
for store in sqlite postgresql; do
  [ "$which" = both ] || [ "$which" = "$store" ] || continue
  java -cp "$cp" io.custos.bench.WrkIngest --store "$store" --dir "bench/target/wrk-$store" "$@" \
    || status=1
done
exit $status
