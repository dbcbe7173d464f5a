#!/usr/bin/env python3
"""Compares directory trees entry by entry, names as bytes, for the backup fidelity tests.

  treecmp.py [--under REL]... REFERENCE OTHER...

For every entry below each REL (default: the whole tree, without the top directory itself) it
compares type, permission bits, owner, group, size (files and symlinks), nanosecond mtime,
device numbers, symlink target bytes, sha256 of the content, every extended attribute the kernel
lists (user.*, trusted.*, security.*, and POSIX ACLs as system.posix_acl_*), and hard-link groups
(the other names of the same inode inside the tree). Prints one line per difference, at most 60,
and exits 1 if there was any, 0 if the trees are identical.

Python rather than Java: os.fsencode names are bytes whatever the locale, and os.listxattr /
os.getxattr read every namespace without a JNI binding; the test must not share the code under
test's view of the file system.
"""
import hashlib
import os
import stat
import sys

LIMIT = 60


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                return h.hexdigest()
            h.update(b)


def xattrs(path):
    try:
        names = os.listxattr(path, follow_symlinks=False)
    except OSError:
        return ()
    out = []
    for n in sorted(names):
        try:
            out.append((n, os.getxattr(path, n, follow_symlinks=False).hex()))
        except OSError as e:
            out.append((n, "unreadable: %s" % e.strerror))
    return tuple(out)


def snapshot(top, unders):
    top = os.fsencode(top)
    entries = {}
    inodes = {}
    for under in unders:
        start = os.path.join(top, os.fsencode(under)) if under else top
        walk = [(start, os.path.relpath(start, top))] if under else []
        for dirpath, dirnames, filenames in os.walk(start):
            for n in dirnames + filenames:
                p = os.path.join(dirpath, n)
                walk.append((p, os.path.relpath(p, top)))
        for p, rel in walk:
            st = os.lstat(p)
            kind = stat.S_IFMT(st.st_mode)
            e = {
                "type": kind,
                "mode": oct(stat.S_IMODE(st.st_mode)),
                "uid": st.st_uid,
                "gid": st.st_gid,
                "mtime_ns": st.st_mtime_ns,
                "xattrs": xattrs(p),
            }
            if stat.S_ISREG(kind):
                e["size"] = st.st_size
                e["sha256"] = sha256(p)
                if st.st_nlink > 1:
                    inodes.setdefault((st.st_dev, st.st_ino), []).append(rel)
            elif stat.S_ISLNK(kind):
                e["target"] = os.readlink(p)
            elif stat.S_ISCHR(kind) or stat.S_ISBLK(kind):
                e["rdev"] = (os.major(st.st_rdev), os.minor(st.st_rdev))
            entries[rel] = e
    for names in inodes.values():
        for n in names:
            entries[n]["links"] = tuple(sorted(x for x in names if x != n))
    return entries


def show(rel):
    return rel.decode("utf-8", "backslashreplace")


def main(argv):
    unders = []
    while argv and argv[0] == "--under":
        unders.append(argv[1])
        argv = argv[2:]
    if len(argv) < 2:
        sys.exit("usage: treecmp.py [--under REL]... REFERENCE OTHER...")
    ref = snapshot(argv[0], unders or [""])
    print("%d entries in %s" % (len(ref), argv[0]))
    diffs = []
    for other in argv[1:]:
        got = snapshot(other, unders or [""])
        for rel in sorted(set(ref) | set(got)):
            a, b = ref.get(rel), got.get(rel)
            if a is None:
                diffs.append("%s: %s: not in the reference" % (other, show(rel)))
            elif b is None:
                diffs.append("%s: %s: missing" % (other, show(rel)))
            else:
                for k in sorted(set(a) | set(b)):
                    if a.get(k) != b.get(k):
                        diffs.append(
                            "%s: %s: %s %r, expected %r" % (other, show(rel), k, b.get(k), a.get(k))
                        )
    for d in diffs[:LIMIT]:
        print(d)
    if len(diffs) > LIMIT:
        print("... and %d more differences" % (len(diffs) - LIMIT))
    print("%d differences" % len(diffs))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
