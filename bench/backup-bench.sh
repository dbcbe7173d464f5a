#!/usr/bin/env bash
# Times Custos backups against GNU tar on the tree bench/backup-corpus.sh builds, in one run:
#   1. full backup, gzip -6:  custos-agent backup run (1 thread, and 2 workers)
#                             vs  tar --format=posix -S -cf - | gzip -6
#   2. full backup, zstd with 2 workers (levels 3 and 9)  vs  the same tar | gzip -6 (time, ratio)
#   3. incremental of the unchanged 100,000-file tree (no compression):
#                             custos-agent backup run --level incr  vs  tar --listed-incremental
#   4. restore of the custos gzip archive:  custos-agent restore --archive  vs  tar -xpzf
# Usage: bench/backup-bench.sh CORPUS_DIR WORK_DIR [REPEATS]   (after `mvn -B -DskipTests package`)
# Each measurement is repeated (default 2) with the peers interleaved; the best time is kept, which
# damps noise from other load. Times include the JVM's start (the launcher as an operator runs
# it); JAVA_OPTS from the environment is passed on and printed (the launcher's defaults are sized
# for the daemon: C1 only, 48 MB heap). Page cache is warmed first so both sides read from memory;
# GNU tar gets -S so it skips the sparse file's holes as we do.
set -euo pipefail
corpus=$(cd "${1:?corpus dir}" && pwd)
work=${2:?work dir}
repeats=${3:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
agent="$here/packaging/target/custos/bin/custos-agent"
[ -x "$agent" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)
arch="$work/archives"

cat >"$work/agent.yml" <<YML
node: bench
backups:
  directory: $arch
  sets:
    - { name: gz, root: $corpus, paths: [mixed], compression: gzip, level: 6 }
    - { name: gzw, root: $corpus, paths: [mixed], compression: gzip, level: 6, workers: 2 }
    - { name: zst3, root: $corpus, paths: [mixed], compression: zstd, level: 3, workers: 2 }
    - { name: zst9, root: $corpus, paths: [mixed], compression: zstd, level: 9, workers: 2 }
    - { name: many, root: $corpus, paths: [many], compression: none }
YML

now() { date +%s.%N; }
best=()
declare -A T S
timeit() { # KEY CMD... : runs CMD, keeps the best time in T[KEY]
  local key=$1; shift
  local t0 t1 d
  t0=$(now); "$@"; t1=$(now)
  d=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  if [ -z "${T[$key]:-}" ] || awk -v d="$d" -v b="${T[$key]}" 'BEGIN { exit !(d < b) }'; then
    T[$key]=$d
  fi
}
size() { stat -c %s "$1"; }
custos_full() { # SET
  "$agent" backup run -c "$work/agent.yml" --set "$1" --level full >/dev/null
  S[$1]=$(size "$(ls "$arch"/bench."$1".*.full.tar*[!n])")
}
fresh() { rm -f "$arch"/bench."$1".*; }
tar_gzip() { tar -C "$corpus" --format=posix -S -cf - mixed | gzip -6 >"$work/tar.tar.gz"; S[tar]=$(size "$work/tar.tar.gz"); }

tar -C "$corpus" -S -cf - mixed many | cat >/dev/null # warm the page cache

echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $(date -u +%FT%TZ)"
echo "== $(tar --version | head -1); $(gzip --version | head -1); java: $(java -version 2>&1 | head -1)"
echo "== JAVA_OPTS=${JAVA_OPTS:-(none)}; load average before: $(cut -d' ' -f1-3 /proc/loadavg); best of $repeats"

for i in $(seq "$repeats"); do
  timeit tar tar_gzip
  for set in gz gzw zst3 zst9; do
    fresh $set
    timeit $set custos_full $set
  done
done

tar -C "$corpus" -g "$work/snap" -cf "$work/many0.tar" many
"$agent" backup run -c "$work/agent.yml" --set many --level full >/dev/null
for i in $(seq "$repeats"); do
  cp "$work/snap" "$work/snap1"
  timeit tarinc tar -C "$corpus" -g "$work/snap1" -cf "$work/many1.tar" many
  sleep 1
  timeit inc "$agent" backup run -c "$work/agent.yml" --set many --level incr
done >/dev/null
S[tarinc]=$(size "$work/many1.tar")
S[inc]=$(size "$(ls "$arch"/bench.many.*.incr.tar | tail -1)")

gz=$(ls "$arch"/bench.gz.*.full.tar.gz)
for i in $(seq "$repeats"); do
  rm -rf "$work/x-tar" "$work/x-custos" && mkdir "$work/x-tar"
  timeit tarx tar -C "$work/x-tar" -xpzf "$gz"
  timeit x "$agent" restore -c "$work/agent.yml" --archive "$gz" --to "$work/x-custos"
done >/dev/null 2>&1
diff -r "$work/x-tar" "$work/x-custos" >/dev/null && echo "== both restores are identical (diff -r)"

row() { printf '%-52s %8s s %12s B\n' "$1" "${T[$2]}" "${S[$2]:-}"; }
row "tar --format=posix -S -cf - mixed | gzip -6" tar
row "custos backup run, gzip -6" gz
row "custos backup run, gzip -6, 2 workers" gzw
row "custos backup run, zstd -3, 2 workers" zst3
row "custos backup run, zstd -9, 2 workers" zst9
row "tar --listed-incremental, 100,000 files unchanged" tarinc
row "custos backup run --level incr, same tree" inc
row "tar -xpzf (the custos gzip archive)" tarx
row "custos restore --archive (same archive)" x
r() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "== gzip: $(r "${T[gz]}" "${T[tar]}")x the time of tar|gzip -6 (1 thread), $(r "${T[gzw]}" "${T[tar]}")x with 2 workers (goal <= 1.0); size $(r "${S[gz]}" "${S[tar]}") / $(r "${S[gzw]}" "${S[tar]}") of it"
echo "== zstd -3: $(r "${T[tar]}" "${T[zst3]}")x faster than tar|gzip -6 (goal >= 2), size $(r "${S[zst3]}" "${S[tar]}") of it (goal < 1)"
echo "== zstd -9: $(r "${T[tar]}" "${T[zst9]}")x faster than tar|gzip -6 (goal >= 2), size $(r "${S[zst9]}" "${S[tar]}") of it (goal < 1)"
echo "== incremental: $(r "${T[inc]}" "${T[tarinc]}")x the time of tar --listed-incremental (goal <= 1.0)"
echo "== restore: $(r "${T[x]}" "${T[tarx]}")x the time of tar -xpzf (goal <= 1.0)"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
