#!/usr/bin/env bash
# Times Custos backups against GNU tar on the tree bench/backup-corpus.sh builds, in one run
# (the goals of issue 9's "Speed" section):
#   1. full backup of mixed, zstd -3, 2 workers  vs  tar --format=posix -S -cf - | zstd -3 -T0
#   2. full backup of mixed, gzip -6, 2 workers  vs  tar --format=posix -S -cf - | pigz -6
#   3. incremental of the unchanged 100,000-file tree `many` (no compression)
#                                                 vs  tar --listed-incremental (-g)
#   4. restore of the custos zstd archive: custos-agent restore --archive  vs  tar -xpf (same file)
# Usage: bench/backup-bench.sh CORPUS_DIR WORK_DIR [REPEATS]   (after `mvn -B -DskipTests package`)
# Each measurement is repeated (default 2) with the peers interleaved; the best wall time is kept
# with the CPU time (user + sys, children included) of that same run, which damps noise from
# other load. Times include the JVM's start (the launcher as an operator runs it); JAVA_OPTS from
# the environment is passed on and printed. Page cache is warmed first so both sides read from
# memory; GNU tar gets -S so it skips the sparse file's holes as we do. Needs zstd and pigz.
set -euo pipefail
corpus=$(cd "${1:?corpus dir}" && pwd)
work=${2:?work dir}
repeats=${3:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
agent="$here/packaging/target/custos/bin/custos-agent"
[ -x "$agent" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
for tool in zstd pigz; do
  command -v $tool >/dev/null || { echo "$tool is missing (apt-get install $tool)" >&2; exit 2; }
done
rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)
arch="$work/archives"

cat >"$work/agent.yml" <<YML
node: bench
backups:
  directory: $arch
  sets:
    - { name: zst3, root: $corpus, paths: [mixed], compression: zstd, level: 3, workers: 2 }
    - { name: gzw, root: $corpus, paths: [mixed], compression: gzip, level: 6, workers: 2 }
    - { name: many, root: $corpus, paths: [many], compression: none }
YML

now() { date +%s.%N; }
cpu() { # sets CPU to the CPU seconds (user + sys) of this shell's finished children; `times`
  times >"$work/times" # must run in this shell, not in a $(...) subshell
  CPU=$(awk 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$work/times")
}
declare -A T C S
timeit() { # KEY CMD... : runs CMD, keeps the best wall time in T[KEY] and that run's CPU in C[KEY]
  local key=$1; shift
  local t0 t1 c0 c1 d
  cpu; c0=$CPU; t0=$(now); "$@"; t1=$(now); cpu; c1=$CPU
  d=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  if [ -z "${T[$key]:-}" ] || awk -v d="$d" -v b="${T[$key]}" 'BEGIN { exit !(d < b) }'; then
    T[$key]=$d
    C[$key]=$(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }')
  fi
}
size() { stat -c %s "$1"; }
custos_full() { # SET
  "$agent" backup run -c "$work/agent.yml" --set "$1" --level full >/dev/null
  S[$1]=$(size "$(ls "$arch"/bench."$1".*.full.tar*[!n])")
}
fresh() { rm -f "$arch"/bench."$1".*; }
tar_zstd() { tar -C "$corpus" --format=posix -S -cf - mixed | zstd -q -3 -T0 >"$work/tar.tar.zst"; S[tarzst]=$(size "$work/tar.tar.zst"); }
tar_pigz() { tar -C "$corpus" --format=posix -S -cf - mixed | pigz -6 >"$work/tar.tar.gz"; S[targz]=$(size "$work/tar.tar.gz"); }

tar -C "$corpus" -S -cf - mixed many | cat >/dev/null # warm the page cache

echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $(date -u +%FT%TZ)"
echo "== $(tar --version | head -1); $(zstd --version); $(pigz --version 2>&1); java: $(java -version 2>&1 | head -1)"
echo "== JAVA_OPTS=${JAVA_OPTS:-(none)}; load average before: $(cut -d' ' -f1-3 /proc/loadavg); best of $repeats"

for i in $(seq "$repeats"); do
  timeit tarzst tar_zstd
  fresh zst3
  timeit zst3 custos_full zst3
  timeit targz tar_pigz
  fresh gzw
  timeit gzw custos_full gzw
done
echo "== load average after the full backups: $(cut -d' ' -f1-3 /proc/loadavg)"

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
echo "== load average after the incrementals: $(cut -d' ' -f1-3 /proc/loadavg)"

zst=$(ls "$arch"/bench.zst3.*.full.tar.zst)
for i in $(seq "$repeats"); do
  rm -rf "$work/x-tar" "$work/x-custos" && mkdir "$work/x-tar"
  timeit tarx tar -C "$work/x-tar" -xpf "$zst"
  timeit x "$agent" restore -c "$work/agent.yml" --archive "$zst" --to "$work/x-custos"
done >/dev/null
if diff -r --no-dereference "$work/x-tar" "$work/x-custos" >/dev/null; then
  echo "== both restores are identical (diff -r --no-dereference)"
else
  echo "== the restores DIFFER (diff -r --no-dereference $work/x-tar $work/x-custos)"
fi

row() { printf '%-56s %8s s wall %8s s cpu %12s B\n' "$1" "${T[$2]}" "${C[$2]}" "${S[$2]:-}"; }
row "tar --format=posix -S -cf - mixed | zstd -3 -T0" tarzst
row "custos backup run, zstd -3, 2 workers" zst3
row "tar --format=posix -S -cf - mixed | pigz -6" targz
row "custos backup run, gzip -6, 2 workers" gzw
row "tar -g, 100,000 files unchanged" tarinc
row "custos backup run --level incr, same tree" inc
row "tar -xpf (the custos zstd archive)" tarx
row "custos restore --archive (same archive)" x
r() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() { awk -v a="$1" -v b="$2" -v g="$3" 'BEGIN { q = a / b; printf "%.2fx (goal <= %sx: %s)", q, g, (q <= g ? "met" : "missed") }'; }
echo "== zstd full: $(verdict "${T[zst3]}" "${T[tarzst]}" 1.5) of tar|zstd -3 -T0; CPU $(r "${C[zst3]}" "${C[tarzst]}")x; size $(r "${S[zst3]}" "${S[tarzst]}")x"
echo "== gzip full: $(verdict "${T[gzw]}" "${T[targz]}" 1.2) of tar|pigz -6; CPU $(r "${C[gzw]}" "${C[targz]}")x; size $(r "${S[gzw]}" "${S[targz]}")x"
echo "== unchanged incremental: $(verdict "${T[inc]}" "${T[tarinc]}" 2) of tar -g; CPU $(r "${C[inc]}" "${C[tarinc]}")x"
echo "== restore: $(verdict "${T[x]}" "${T[tarx]}" 1.0) of tar -xpf; CPU $(r "${C[x]}" "${C[tarx]}")x"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
