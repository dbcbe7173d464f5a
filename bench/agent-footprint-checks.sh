#!/usr/bin/env bash
# Footprint of the Custos agent running every local check of issue 10 (OSHI included), beside
# Debian's monit and prometheus-node-exporter, in one run.
#
#   bench/agent-footprint-checks.sh [SECONDS]   # default 180 s of measurement after 30 s of warm-up
#
# Runs, at the same time and each on a 10 s cycle, every agent through the distribution's launcher
# (its JVM flags), spooling to a collector URL nobody listens on:
#   default        the default check set (filesystem, load, memory, raid, cpu)
#   all checks     filesystem, load, memory, raid, cpu, diskio, network, nic, bond, temperature,
#                  fans, voltage, process: on a machine without hwmon the sensor checks fall back
#                  to OSHI, which loads OSHI (and its JNA platform classes) on the first cycle
#   no sensors     the same without temperature/fans/voltage: OSHI never loads, so the difference
#                  to "all checks" is what OSHI costs
#   all checks+NMT "all checks" with -XX:NativeMemoryTracking=summary; its jcmd summary is printed
#                  at the end (NMT itself costs memory, so its RSS is not a figure to compare)
#   monit          filesystem /, load, memory, swap and cpu of the system, "set daemon 10"
#   node_exporter  prometheus-node-exporter, scraped with curl every 10 s
# and samples each process's RSS (VmRSS) every 10 s and its CPU time (utime+stime) over the
# measurement, after a warm-up. Prints Markdown for bench/RESULTS.md. Needs: JDK 17 (jcmd),
# monit, prometheus-node-exporter, curl. Leaves nothing running; its files are in a temporary
# directory.
set -euo pipefail
cd "$(dirname "$0")/.."

measure=${1:-180}
warmup=30
dist=packaging/target/custos
for tool in monit prometheus-node-exporter curl java; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install ${tool/java/openjdk-17-jre-headless}" >&2; exit 3; }
done
if [ ! -x "$dist/bin/custos-agent" ]; then
  mvn -B -q -DskipTests package
fi

work=$(mktemp -d /tmp/custos-footprint.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Custos agents: a 10 s cycle, a collector that is not there.
all_checks='
  - { type: filesystem }
  - { type: load }
  - { type: memory }
  - { type: raid }
  - { type: cpu }
  - { type: diskio }
  - { type: network }
  - { type: nic }
  - { type: bond }
  - { type: process, match: sshd, min: 0 }'
sensors='
  - { type: temperature }
  - { type: fans }
  - { type: voltage }'
for v in default all nosensors nmt; do
  mkdir -p "$work/$v/spool"
  cat >"$work/$v/agent.yml" <<YML
node: bench-$v
collector: { url: "http://127.0.0.1:9" }
interval: 10s
spool: { directory: $work/$v/spool, max_size: 64MB }
YML
  case $v in
    all | nmt) printf 'checks:%s%s\n' "$all_checks" "$sensors" >>"$work/$v/agent.yml" ;;
    nosensors) printf 'checks:%s\n' "$all_checks" >>"$work/$v/agent.yml" ;;
  esac
done
export CUSTOS_TOKEN=bench
"$dist/bin/custos-agent" run --config "$work/default/agent.yml" >"$work/default/log" 2>&1 &
pids+=($!); agent_default=$!
"$dist/bin/custos-agent" run --config "$work/all/agent.yml" >"$work/all/log" 2>&1 &
pids+=($!); agent_all=$!
"$dist/bin/custos-agent" run --config "$work/nosensors/agent.yml" >"$work/nosensors/log" 2>&1 &
pids+=($!); agent_nosensors=$!
JAVA_OPTS=-XX:NativeMemoryTracking=summary "$dist/bin/custos-agent" run \
  --config "$work/nmt/agent.yml" >"$work/nmt/log" 2>&1 &
pids+=($!); agent_nmt=$!

# monit with equivalent checks, foreground (-I), its own state files.
cat >"$work/monitrc" <<MONIT
set daemon 10
set logfile $work/monit.log
set idfile $work/monit.id
set statefile $work/monit.state
set pidfile $work/monit.pid
check filesystem rootfs with path /
  if space usage > 90% then alert
  if inode usage > 90% then alert
check system bench
  if loadavg (1min) per core > 4 then alert
  if loadavg (5min) per core > 3 then alert
  if memory usage > 95% then alert
  if swap usage > 80% then alert
  if cpu usage > 95% for 60 cycles then alert
MONIT
chmod 600 "$work/monitrc"
monit -c "$work/monitrc" -I >"$work/monit.out" 2>&1 &
pids+=($!); monit_pid=$!

# node_exporter on a private port, scraped every 10 s.
prometheus-node-exporter --web.listen-address=127.0.0.1:19100 >"$work/ne.log" 2>&1 &
pids+=($!); ne=$!
( while sleep 10; do curl -s -o /dev/null http://127.0.0.1:19100/metrics || true; done ) &
pids+=($!)

hz=$(getconf CLK_TCK)
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

names=("custos-agent, default checks" "custos-agent, all checks (OSHI loaded)"
  "custos-agent, all checks but sensors (no OSHI)" "custos-agent, all checks, NMT on"
  "monit" "prometheus-node-exporter")
procs=("$agent_default" "$agent_all" "$agent_nosensors" "$agent_nmt" "$monit_pid" "$ne")

sleep "$warmup"
for p in "${procs[@]}"; do
  if [ ! -d "/proc/$p" ]; then
    echo "process $p died during warm-up:" >&2
    tail -n 5 "$work"/*.out "$work"/*/log >&2 || true
    exit 2
  fi
done
t0=$(date +%s.%N)
declare -a c0 rss_sum rss_max samples
for i in "${!procs[@]}"; do c0[$i]=$(cpu_ticks "${procs[$i]}"); rss_sum[$i]=0; rss_max[$i]=0; done
n=0
end=$(( $(date +%s) + measure ))
while [ "$(date +%s)" -lt "$end" ]; do
  for i in "${!procs[@]}"; do
    r=$(rss_kb "${procs[$i]}")
    rss_sum[$i]=$(( rss_sum[$i] + r ))
    [ "$r" -gt "${rss_max[$i]}" ] && rss_max[$i]=$r
  done
  n=$(( n + 1 ))
  sleep 10
done
t1=$(date +%s.%N)

echo "| process | RSS mean (MiB) | RSS max (MiB) | CPU (% of one core) |"
echo "|---------|---------------:|--------------:|--------------------:|"
for i in "${!procs[@]}"; do
  c1=$(cpu_ticks "${procs[$i]}")
  awk -v name="${names[$i]}" -v sum="${rss_sum[$i]}" -v n="$n" -v max="${rss_max[$i]}" \
      -v c0="${c0[$i]}" -v c1="$c1" -v hz="$hz" -v t0="$t0" -v t1="$t1" \
      'BEGIN { printf "| %s | %.1f | %.1f | %.3f |\n", name, sum / n / 1024, max / 1024, (c1 - c0) / hz / (t1 - t0) * 100 }'
done
echo
echo "$n samples over $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s after ${warmup} s warm-up;" \
  "agent reports spooled: $(find "$work/all/spool" -name '*.json' | wc -l)"
# The java process is the launcher's child when the launcher does not exec; find the JVM itself.
jvm=$(pgrep -P "$agent_nmt" java || echo "$agent_nmt")
echo
echo "Native memory of \"all checks\" (jcmd VM.native_memory summary, committed):"
echo
echo '```'
jcmd "$jvm" VM.native_memory summary | grep -E '^(Total|-)|committed=' | grep -E '^Total|^-' | sed 's/^-  *//' | head -30
echo '```'
echo
echo "OSHI classes loaded by \"all checks\": $(jcmd "$(pgrep -P "$agent_all" java || echo "$agent_all")" GC.class_histogram 2>/dev/null | grep -c ' oshi\.' || true) (histogram entries)"
