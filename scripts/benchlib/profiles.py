"""The permission profiles scripts/bench times: read-only, workspace-write, the scale sizes, and
the largest that fits one argument."""
import os

from benchlib.common import dump, write


# Linux: one argv or environment string, with its NUL, is at most
# MAX_ARG_STRLEN = 32 pages = 131072 bytes.
MAX_ARG_STRLEN = 131072


ROOT_READ = {"path": {"type": "special", "value": {"kind": "root"}}, "access": "read"}


def managed(entries):
    return {"type": "managed",
            "file_system": {"type": "restricted", "entries": entries},
            "network": "restricted"}


def path_entry(path, access):
    return {"path": {"type": "path", "path": path}, "access": access}


def scale_split(n):
    """n policy entries besides root: ceil(n/2) writable roots, floor(n/2) deny entries."""
    roots = (n + 1) // 2
    return roots, n - roots


def scale_profile(base, n, create):
    roots, deny = scale_split(n)
    entries = [ROOT_READ]
    for i in range(roots):
        root = f"{base}/{i}"
        entries.append(path_entry(root, "write"))
        if i < deny:
            entries.append(path_entry(f"{root}/d", "deny"))
            if create:
                os.makedirs(f"{root}/d", exist_ok=True)
        elif create:
            os.makedirs(root, exist_ok=True)
    return dump(managed(entries))


def cmd_profile(a):
    """bench.py profile ro|ws|scale: write the profile to a.out (scale: print its size)."""
    if a.kind == "ro":
        write(a.out, dump(managed([ROOT_READ])))
    elif a.kind == "ws":
        write(a.out, dump(managed([ROOT_READ, path_entry(a.workspace, "write")])))
    else:
        text = scale_profile(a.base, a.entries, True)
        write(a.out, text)
        print(len(text))


def cmd_fit(a):
    """Largest even entry count <= max whose profile (over the same directories
    as the big one: a prefix of it) fits one argument next to OVERHEAD bytes."""
    out, base, nmax, overhead = a.out, a.base, a.max_entries, a.overhead

    def fits(n):
        return len(scale_profile(base, n, False)) + overhead + 1 <= MAX_ARG_STRLEN

    lo, hi = 0, nmax // 2
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if fits(2 * mid):
            lo = mid
        else:
            hi = mid - 1
    n = 2 * lo
    write(out, scale_profile(base, n, False))
    print(n)
