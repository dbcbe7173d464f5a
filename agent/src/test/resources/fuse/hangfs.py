# A FUSE file system that answers INIT and then never answers anything else: a statfs on it
# waits as one on a dead hard NFS mount does. Raw /dev/fuse protocol, no libfuse.
import ctypes, os, struct, sys
mnt = sys.argv[1]
fd = os.open("/dev/fuse", os.O_RDWR)
libc = ctypes.CDLL(None, use_errno=True)
opts = f"fd={fd},rootmode=40000,user_id=0,group_id=0,allow_other".encode()
if libc.mount(b"hangfs", mnt.encode(), b"fuse.hangfs", 0, opts) != 0:
    e = ctypes.get_errno(); print("mount failed", os.strerror(e)); sys.exit(1)
print("mounted", flush=True)
while True:
    buf = os.read(fd, 1 << 20)
    length, opcode, unique = struct.unpack_from("<IIQ", buf, 0)
    if opcode == 26:  # FUSE_INIT
        out = struct.pack("<IIIIHHIIHHI7I", 7, 31, 0, 0, 16, 12, 65536, 1, 0, 0, 0, *([0]*7))
        os.write(fd, struct.pack("<IiQ", 16 + len(out), 0, unique) + out)
    else:
        print("request opcode", opcode, "left unanswered", flush=True)
