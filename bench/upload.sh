#!/usr/bin/env bash
# Issue 14 — archive upload into the collector's append-only store, against the named peer.
#
#   bench/upload.sh [SIZE_GIB] [HEAP_GIB]    # defaults: 2 GiB for throughput, 4 GiB for the heap
#
# Starts the built collector (packaging/target/custos, its launcher and JVM flags) on a free
# loopback port with a store in a temporary directory, then:
#   1. throughput: uploads the same SIZE_GIB file of random bytes with `curl -T` (a PUT with the
#      same headers; curl sends Expect: 100-continue), with Java's HttpClient streaming PUT
#      (bench/upload/HttpClientPut.java), and with the agent's own uploader (ArchiveClient.put
#      through bench/upload/AgentPut.java, with the manifest's sha256 as the daemon does, and
#      computing it itself), each to a new name;
#   2. heap: streams a HEAP_GIB sparse file with curl -T while sampling the collector's used heap
#      (S0U+S1U+EU+OU of `jstat -gc`) every second; prints min/max, the -Xmx and the body size.
# Prints Markdown for bench/RESULTS.md with machine, date and load average. Builds nothing: run
# `mvn -q -DskipTests package -pl packaging -am` first. Needs curl, sha256sum, a JDK (jstat).
# Leaves nothing running; removes its temporary directory (which needs 3×SIZE+2×HEAP GiB free).
set -euo pipefail
cd "$(dirname "$0")/.."

size_gib=${1:-2}
heap_gib=${2:-4}
dist=packaging/target/custos
for tool in curl sha256sum java jstat; do
  command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 3; }
done
[ -x "$dist/bin/custos-collector" ] || {
  echo "build first: mvn -q -DskipTests package -pl packaging -am" >&2
  exit 3
}

work=$(mktemp -d /tmp/custos-upload.XXXXXX)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/collector.yml" <<YML
listen: 127.0.0.1:$port
store: { sqlite: $work/c.db }
backups: { store: $work/backups }
YML
token=$("$dist/bin/custos-collector" token create --node bench --config "$work/collector.yml" 2>/dev/null)
"$dist/bin/custos-collector" run --config "$work/collector.yml" 2>"$work/collector.log" &
pid=$!
for _ in $(seq 1 120); do
  grep -q "listening on" "$work/collector.log" && break
  sleep 0.5
done
grep -q "listening on" "$work/collector.log" || { cat "$work/collector.log" >&2; exit 1; }
jpid=$(pgrep -P "$pid" java || echo "$pid")
xmx=$(jcmd "$jpid" VM.flags 2>/dev/null | grep -o 'MaxHeapSize=[0-9]*' | head -1 | cut -d= -f2 || true)

url=http://127.0.0.1:$port/api/v1/backups/bench
headers() { # name sha
  printf '%s\n' "Authorization: Bearer $token" "X-Custos-Sha256: $2" "X-Custos-Set: bench" \
    "X-Custos-Level: full" "X-Custos-Created: 2026-11-30T00:00:00Z" "X-Custos-Encrypted: none" \
    "X-Custos-Manifest: $1.manifest.json"
}
curl_put() { # file name sha -> "code seconds"
  local args=()
  while IFS= read -r h; do args+=(-H "$h"); done < <(headers "$2" "$3")
  curl -sS -o /dev/null -w '%{http_code} %{time_total}\n' -T "$1" "${args[@]}" "$url/$2"
}

echo "writing ${size_gib} GiB of random bytes..." >&2
head -c "$((size_gib << 30))" /dev/urandom >"$work/random.bin"
sha=$(sha256sum <"$work/random.bin" | cut -d' ' -f1)
bytes=$((size_gib << 30))
mibs() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / 1048576 / s }'; }

read -r code t_curl < <(curl_put "$work/random.bin" bench.bench.20261130T000000Z.full.tar "$sha")
[ "$code" = 201 ] || { echo "curl: HTTP $code" >&2; exit 1; }
hargs=()
while IFS= read -r h; do hargs+=("$h"); done < <(headers bench.bench.20261130T000001Z.full.tar "$sha")
read -r code t_java < <(java bench/upload/HttpClientPut.java \
  "$url/bench.bench.20261130T000001Z.full.tar" "$work/random.bin" "${hargs[@]}")
[ "$code" = 201 ] || { echo "HttpClient: HTTP $code" >&2; exit 1; }
aargs=()
while IFS= read -r h; do
  case "$h" in Authorization:* | X-Custos-Sha256:*) ;; *) aargs+=("$h") ;; esac
done < <(headers bench.bench.20261130T000003Z.full.tar "$sha")
read -r code t_agent < <(java -cp "$dist/lib/*" bench/upload/AgentPut.java \
  "http://127.0.0.1:$port" "$token" bench bench.bench.20261130T000003Z.full.tar \
  "$work/random.bin" "$sha" "${aargs[@]}")
[ "$code" = 201 ] || { echo "agent uploader: failed" >&2; exit 1; }
aargs2=()
for h in "${aargs[@]}"; do aargs2+=("${h//20261130T000003Z/20261130T000004Z}"); done
read -r code t_agent2 < <(java -cp "$dist/lib/*" bench/upload/AgentPut.java \
  "http://127.0.0.1:$port" "$token" bench bench.bench.20261130T000004Z.full.tar \
  "$work/random.bin" - "${aargs2[@]}")
[ "$code" = 201 ] || { echo "agent uploader (own sha256 pass): failed" >&2; exit 1; }
rm -f "$work/random.bin"

echo "streaming a ${heap_gib} GiB sparse file while sampling the heap..." >&2
truncate -s "${heap_gib}G" "$work/sparse.bin"
sha4=$(sha256sum <"$work/sparse.bin" | cut -d' ' -f1)
jstat -gc "$jpid" 1000 >"$work/jstat.txt" &
jstat_pid=$!
read -r code t_heap < <(curl_put "$work/sparse.bin" bench.bench.20261130T000002Z.full.tar "$sha4")
kill "$jstat_pid" 2>/dev/null || true
[ "$code" = 201 ] || { echo "heap run: HTTP $code" >&2; exit 1; }
heap=$(awk 'NR > 1 && $1 ~ /^[0-9.]+$/ { u = ($3 + $4 + $6 + $8) / 1024; if (min == "" || u < min) min = u; if (u > max) max = u; n++ }
  END { printf "%.0f %.0f %d", min, max, n }' "$work/jstat.txt")
read -r hmin hmax samples <<<"$heap"

cat <<MD
### Issue 14 — archive store: upload throughput and collector heap ($(date -u +%Y-%m-%d))

Machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr),
$(java -version 2>&1 | head -1). Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg).
Collector: the packaged launcher, MaxHeapSize $((${xmx:-0} / 1048576)) MiB; loopback HTTP; store on $(df -T "$work" | awk 'NR == 2 { print $2 }').

| uploader, ${size_gib} GiB random file | seconds | MiB/s |
|---|---|---|
| curl -T (same headers) | $t_curl | $(mibs "$t_curl") |
| Java HttpClient, BodyPublishers.ofFile | $t_java | $(mibs "$t_java") |
| custos-agent uploader as the daemon sends (sha256 from the manifest) | $t_agent | $(mibs "$t_agent") |
| custos-agent uploader computing the sha256 itself (one more read) | $t_agent2 | $(mibs "$t_agent2") |

Heap while a ${heap_gib} GiB archive streamed in (curl -T, $t_heap s): used heap (jstat S0U+S1U+EU+OU)
between ${hmin} and ${hmax} MiB over $samples one-second samples.
MD
