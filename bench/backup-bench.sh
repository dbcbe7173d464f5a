#!/usr/bin/env bash
# Times Custos backups against GNU tar on the tree bench/backup-corpus.sh builds, in one run:
#   1. full backup, gzip -6:        custos-agent backup run   vs  tar --format=posix -S -cf - | gzip -6
#   2. full backup, zstd 2 workers:  custos-agent backup run   vs  the same tar | gzip -6 (time, ratio)
#   3. incremental of the unchanged 100,000-file tree (no compression):
#                                    custos-agent backup run --level incr  vs  tar --listed-incremental
#   4. restore of the gzip archive:  custos-agent restore --archive  vs  tar -xpzf (same archive)
# Usage: bench/backup-bench.sh CORPUS_DIR WORK_DIR   (after `mvn -B -DskipTests package`)
# Times include the JVM's start (the launcher as an operator runs it); JAVA_OPTS from the
# environment is passed on and printed (the launcher's defaults are sized for the daemon: C1 only,
# 48 MB heap). Page cache is warmed first
# so both sides read from memory; GNU tar gets -S so it skips the sparse file's holes as we do.
set -euo pipefail
corpus=$(cd "${1:?corpus dir}" && pwd)
work=${2:?work dir}
here=$(cd "$(dirname "$0")/.." && pwd)
agent="$here/packaging/target/custos/bin/custos-agent"
[ -x "$agent" ] || { echo "build first: mvn -B -DskipTests package" >&2; exit 2; }
rm -rf "$work" && mkdir -p "$work"
work=$(cd "$work" && pwd)

cat >"$work/agent.yml" <<YML
node: bench
backups:
  directory: $work/archives
  sets:
    - { name: gz, root: $corpus, paths: [mixed], compression: gzip, level: 6 }
    - { name: zst, root: $corpus, paths: [mixed], compression: zstd, level: 3, workers: 2 }
    - { name: many, root: $corpus, paths: [many], compression: none }
YML

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
size() { stat -c %s "$1"; }
report() { printf '%-58s %8s s %14s B\n' "$1" "$2" "${3:-}"; }

# Warm the page cache for both trees.
tar -C "$corpus" -S -cf - mixed many | cat >/dev/null

echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB RAM; $(date -u +%FT%TZ)"
echo "== $(tar --version | head -1); $(gzip --version | head -1); java: $(java -version 2>&1 | head -1)"
echo "== JAVA_OPTS=${JAVA_OPTS:-(none)}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

t0=$(now); tar -C "$corpus" --format=posix -S -cf - mixed | gzip -6 >"$work/tar.tar.gz"; t1=$(now)
tar_gz=$(secs "$t0" "$t1"); report "tar -S -cf - mixed | gzip -6" "$tar_gz" "$(size "$work/tar.tar.gz")"

t0=$(now); "$agent" backup run -c "$work/agent.yml" --set gz --level full >/dev/null; t1=$(now)
gz=$(ls "$work"/archives/bench.gz.*.full.tar.gz)
c_gz=$(secs "$t0" "$t1"); report "custos backup run (gzip -6)" "$c_gz" "$(size "$gz")"

t0=$(now); "$agent" backup run -c "$work/agent.yml" --set zst --level full >/dev/null; t1=$(now)
zst=$(ls "$work"/archives/bench.zst.*.full.tar.zst)
c_zst=$(secs "$t0" "$t1"); report "custos backup run (zstd -3, 2 workers)" "$c_zst" "$(size "$zst")"

# Incremental of an unchanged tree: a level 0 first (not timed), then the timed level 1.
tar -C "$corpus" -g "$work/snap" -cf "$work/many0.tar" many
cp "$work/snap" "$work/snap1"
t0=$(now); tar -C "$corpus" -g "$work/snap1" -cf "$work/many1.tar" many; t1=$(now)
tar_inc=$(secs "$t0" "$t1"); report "tar --listed-incremental (100,000 files unchanged)" "$tar_inc" "$(size "$work/many1.tar")"
"$agent" backup run -c "$work/agent.yml" --set many --level full >/dev/null
sleep 1 # archive names have whole seconds
t0=$(now); "$agent" backup run -c "$work/agent.yml" --set many --level incr >/dev/null; t1=$(now)
inc=$(ls "$work"/archives/bench.many.*.incr.tar)
c_inc=$(secs "$t0" "$t1"); report "custos backup run --level incr (same tree)" "$c_inc" "$(size "$inc")"

mkdir "$work/x-tar"
t0=$(now); tar -C "$work/x-tar" -xpzf "$gz"; t1=$(now)
tar_x=$(secs "$t0" "$t1"); report "tar -xpzf (the custos gzip archive)" "$tar_x"
t0=$(now); "$agent" restore -c "$work/agent.yml" --archive "$gz" --to "$work/x-custos" >/dev/null 2>&1; t1=$(now)
c_x=$(secs "$t0" "$t1"); report "custos restore --archive (same archive)" "$c_x"
diff -r "$work/x-tar" "$work/x-custos" >/dev/null && echo "== both restores are identical (diff -r)"

awk -v tg="$tar_gz" -v cg="$c_gz" -v cz="$c_zst" -v ti="$tar_inc" -v ci="$c_inc" -v tx="$tar_x" -v cx="$c_x" \
    -v sg="$(size "$work/tar.tar.gz")" -v sz="$(size "$zst")" 'BEGIN {
  printf "== gzip: %.2fx the time of tar|gzip -6 (goal <= 1.0)\n", cg / tg
  printf "== zstd: %.2fx faster than tar|gzip -6 (goal >= 2), size %.3f of it (goal < 1)\n", tg / cz, sz / sg
  printf "== incremental: %.2fx the time of tar --listed-incremental (goal <= 1.0)\n", ci / ti
  printf "== restore: %.2fx the time of tar -xpzf (goal <= 1.0)\n", cx / tx
}'
