#!/usr/bin/env bash
# Builds the reproducible mixed tree the backup benchmark reads, under DIR (default ./corpus):
#   DIR/mixed   ~650 MB: text logs (~190 MB), incompressible binaries (150 MB), already-compressed
#               files (100 MB of .gz), a 1 GiB sparse file holding 3 x 16 MB of data, 50,000
#               small files of 1-8 KB (~225 MB) in 500 directories, 100 symlinks and 100 hard links
#   DIR/many    100,000 small files in 1,000 directories (for the incremental benchmark)
# Content comes from fixed seeds (awk srand, Python's random, SHAKE-256 of a salt), so two runs
# give the same bytes. Re-running skips the parts already built (marked by .done).
set -euo pipefail
dir=${1:-corpus}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

# Deterministic incompressible bytes: SHAKE-256 of a salt, so every run writes the same tree.
random_bytes() { # COUNT SALT -> stdout
  python3 - "$1" "$2" <<'PY'
import hashlib, sys
n, salt = int(sys.argv[1]), sys.argv[2].encode()
out = sys.stdout.buffer
h = hashlib.shake_256(salt)
block = 1 << 20
while n > 0:
    k = min(n, block)
    out.write(h.digest(k) if k < block else h.digest(block))
    h.update(b"x")
    n -= k
PY
}

m="$dir/mixed"
if [ ! -f "$m/.done" ]; then
  rm -rf "$m"
  mkdir -p "$m/text" "$m/bin" "$m/gz" "$m/small" "$m/links"
  # Text: words from a fixed vocabulary, like logs and source (compresses ~4x with gzip).
  for i in $(seq 1 30); do
    awk -v seed="$i" 'BEGIN { srand(seed); split("the quick brown fox jumps over lazy dog error warning info debug GET POST 200 404 500 user session request /var/log/app custos backup tar gzip", w, " ");
      for (l = 0; l < 90000; l++) { line = sprintf("2026-11-27T%02d:%02d:%02d.%03dZ", l/3600%24, l/60%60, l%60, l%1000);
        for (k = 0; k < 8; k++) line = line " " w[int(rand()*25)+1]; print line } }' >"$m/text/log$i.txt"
  done
  # Binaries: incompressible.
  for i in $(seq 1 15); do random_bytes 10485760 "bin$i" >"$m/bin/blob$i.bin"; done
  # Already compressed.
  for i in $(seq 1 10); do random_bytes 10485760 "gz$i" | gzip -1 >"$m/gz/data$i.gz"; done
  # Sparse 1 GiB with three 16 MB data regions.
  truncate -s 1G "$m/sparse.img"
  for off in 0 400 1000; do
    random_bytes 16777216 "sparse$off" | dd of="$m/sparse.img" bs=1M seek="$off" conv=notrunc status=none
  done
  # 50,000 small files in 500 directories, 1-8 KB of text each.
  python3 - "$m/small" <<'PY'
import os, sys, random
root = sys.argv[1]
r = random.Random(42)
words = b"alpha beta gamma delta epsilon config value key host port path user 1 2 3 4 5".split()
for d in range(500):
    p = os.path.join(root, "d%03d" % d)
    os.makedirs(p, exist_ok=True)
    for f in range(100):
        n = r.randint(1024, 8192)
        data = b" ".join(r.choice(words) for _ in range(n // 5))[:n]
        with open(os.path.join(p, "f%03d.conf" % f), "wb") as fh:
            fh.write(data)
PY
  # Links.
  for i in $(seq 1 100); do
    ln -sf "../text/log$(( (i % 30) + 1 )).txt" "$m/links/sym$i"
    ln -f "$m/small/d000/f$(printf %03d $((i % 100))).conf" "$m/links/hard$i" 2>/dev/null || true
  done
  find "$m" -exec touch -h -d '2026-11-01 00:00:00Z' {} + 
  touch "$m/.done"
fi

many="$dir/many"
if [ ! -f "$many/.done" ]; then
  rm -rf "$many"
  python3 - "$many" <<'PY'
import os, sys
root = sys.argv[1]
for d in range(1000):
    p = os.path.join(root, "d%04d" % d)
    os.makedirs(p, exist_ok=True)
    for f in range(100):
        with open(os.path.join(p, "f%03d" % f), "wb") as fh:
            fh.write(b"%d %d\n" % (d, f) * 8)
PY
  touch "$many/.done"
fi
du -sh --apparent-size "$m" "$many" >&2
du -sh "$m" "$many" >&2
