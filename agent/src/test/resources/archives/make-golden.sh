#!/bin/bash
# Rebuilds the golden archives in this folder with the machine's GNU tar (run as root, on ext4).
# They were written once with GNU tar 1.34 (Debian 12) and are committed, so the tests that read
# them do not depend on the tar of the machine that runs the suite. Inputs follow
# /work/shared/real-world-inputs/backups/make-cases.py (cases c1-c8 of the backup-fidelity issue).
#   make-golden.sh OUTDIR
set -euo pipefail
out=$(realpath "$1")
v=$(tar --version | sed -n '1s/.* //p')
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
cd "$w"
export LC_ALL=C TZ=UTC
t() { touch -h -d "@$1" "$2"; }

# names: c1 (99th byte '/'), c2 (Latin-1), c3 (UTF-8, NFC and NFD), long names, link targets
mkdir -p names/c1-slash99
d="names/c1-slash99/$(printf 'a%.0s' $(seq 81))"   # 17 + 81 bytes, then '/' as byte 99
mkdir -p "$d"; echo 'slash at 99' > "$d/tail-file.txt"
mkdir names/c2-latin1
printf 'e-acute\n' > "$(printf 'names/c2-latin1/caf\xe9.txt')"
printf 'e-grave\n' > "$(printf 'names/c2-latin1/caf\xe8.txt')"
mkdir names/c3-utf8
printf 'h\xc3\xa9\n' > "$(printf 'names/c3-utf8/caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac.txt')"
printf 'nfd\n' > "$(printf 'names/c3-utf8/cafe\xcc\x81.txt')"
long="names/$(printf 'd%.0s' $(seq 120))/$(printf 'f%.0s' $(seq 200))"
mkdir -p "$(dirname "$long")"; echo long > "$long"
ln -s "$(printf 'caf\xe9.txt')" names/c2-latin1/link-latin1
ln -s dir/ names/to-dir-slash
ln -s /usr/share/zoneinfo/Etc/UTC names/localtime
ln "$long" names/hardlink-to-long
find names -depth -exec touch -h -d @1600000000.123456789 {} +
tar --format=posix -cf - names | gzip -9n > "$out/gnu-tar-$v-posix-names.tar.gz"

# ranges: ids up to 2^32-2, times before 1970 (with a fraction) and after 2262
mkdir ranges
echo a > ranges/uid-3000000000; chown 3000000000:4294967294 ranges/uid-3000000000
echo b > ranges/uid-2097152; chown 2097152:2097152 ranges/uid-2097152
echo c > ranges/before-1970; touch -d @-1234567890.5 ranges/before-1970
echo d > ranges/after-2262; touch -d @9300000000.987654321 ranges/after-2262
echo e > ranges/year-2243; touch -d @8600000000 ranges/year-2243
touch -d @1600000000 ranges
tar --format=posix -cf - ranges | gzip -9n > "$out/gnu-tar-$v-posix-ranges.tar.gz"

# sparse: 3 GiB apparent, two data regions, ends with data (c5-sparse3g)
mkdir sparse
python3 - <<'PY'
with open("sparse/disk.img", "wb") as f:
    f.truncate(3 << 30); f.seek(1 << 20); f.write(bytes(range(256)) * 32)
    f.seek((3 << 30) - 4096); f.write(b"end" * 100)
with open("sparse/hole-at-end.img", "wb") as f:
    f.write(b"start" * 1000); f.truncate(5 << 20)
PY
touch -d @1600000000 sparse/disk.img sparse/hole-at-end.img sparse
tar --format=posix -S -cf - sparse | gzip -9n > "$out/gnu-tar-$v-sparse-3g.tar.gz"

# the same sparse files as PAX sparse 0.0 and 0.1, and the GNU format (old GNU sparse 'S', long
# names 'L'/'K', base-256 numbers for ids over 2^21 and times before 1970)
tar --format=posix -S --sparse-version=0.0 -cf - sparse | gzip -9n > "$out/gnu-tar-$v-sparse-0.0.tar.gz"
tar --format=posix -S --sparse-version=0.1 -cf - sparse | gzip -9n > "$out/gnu-tar-$v-sparse-0.1.tar.gz"
mkdir -p gnu/$(printf 'L%.0s' $(seq 110))
cp sparse/disk.img gnu/; cp --sparse=always sparse/disk.img gnu/disk.img
echo a > gnu/$(printf 'L%.0s' $(seq 110))/long; ln -s "$(printf 'T%.0s' $(seq 120))" gnu/long-target
cp -a ranges/uid-3000000000 ranges/before-1970 gnu/
find gnu -depth -newer sparse -exec touch -h -d @1600000000 {} + 2>/dev/null || true
touch -d @-1234567890.5 gnu/before-1970
tar --format=gnu -S -cf - gnu | gzip -9n > "$out/gnu-tar-$v-gnu-format.tar.gz"

# xattrs and ACLs: binary and empty user values, access and default ACLs, a capability, trusted.*
mkdir -p meta/acl-dir
echo x > meta/xattrs; echo y > meta/acl-file; echo z > meta/capability
setfattr -n user.binary -v 0x00ff0a3d80 meta/xattrs
setfattr -n user.empty meta/xattrs
setfattr -n user.text -v 'hello world' meta/xattrs
setfattr -n trusted.custos -v 0x0102 meta/xattrs
setfacl -m u:1234:rw,g:4321:r meta/acl-file
setfacl -m u:1234:rwx -d -m u:1234:rx,g:4321:rx meta/acl-dir
setcap cap_net_raw+ep meta/capability
find meta -depth -exec touch -h -d @1600000000 {} +
tar --format=posix --xattrs --xattrs-include='*' --acls -cf - meta | gzip -9n > "$out/gnu-tar-$v-xattrs-acls.tar.gz"

# incremental: a level 0, then renames and deletions, then more (tar -g)
mkdir -p inc/keep inc/olddir inc/gone-dir
echo 1 > inc/keep/a; echo 2 > inc/keep/b; echo 3 > inc/olddir/c; echo 4 > inc/gone-dir/d
touch -d @1600000000 inc/keep/a inc/keep/b inc/olddir/c inc/gone-dir/d
tar --format=posix -g snar -cf - inc | gzip -9n > "$out/gnu-tar-$v-incremental-0.tar.gz"
sleep 1.1
mv inc/olddir inc/newdir; rm inc/keep/b; rm -r inc/gone-dir; mv inc/keep/a inc/keep/a-renamed
echo 5 > inc/keep/new
tar --format=posix -g snar -cf - inc | gzip -9n > "$out/gnu-tar-$v-incremental-1.tar.gz"
sleep 1.1
rm inc/newdir/c; echo 6 > inc/newdir/e
tar --format=posix -g snar -cf - inc | gzip -9n > "$out/gnu-tar-$v-incremental-2.tar.gz"
ls -l "$out"
