/*
 * lib/formats/dirtree.h - a directory tree on this machine read as one
 * tar stream would be (rootfs:PATH and fs:PATH inputs).
 *
 * The tree is walked with openat/fstatat relative to directory
 * descriptors, never following a symbolic link below the root (a link is
 * an entry of its own with its target as linkname, exactly like a tar
 * symlink entry; its target is never opened). Every directory's names are
 * sorted (byte order) and visited depth first, the directory before its
 * contents, so the same tree always gives the same entries in the same
 * order (when max_entries cuts a directory short, the names read are its
 * smallest). Each entry goes to the same callbacks the tar reader uses
 * (tar.h: entry, data in pieces of at most 64 KiB, entry_end), with the
 * path relative to the root ("etc/passwd"), type flag, mode, uid/gid, size
 * and mtime. A regular file seen again under another name (same device and
 * inode) is a hardlink entry ('1') to the first name, as tar writes it.
 * Devices and fifos are entries of their type and are never opened;
 * sockets get type flag 's' (no tar type; the walk records them as
 * DD_ENTRY_SOCKET). Nothing is buffered beyond one 64 KiB chunk.
 *
 * The root itself may be a symlink (the caller named it) and may be one
 * regular file: then the tree is that single file, named by its base name.
 * A directory on another file system (a mount point such as proc) is an
 * entry but is not descended ("fs.mount-point", INFO), like
 * tar --one-file-system.
 *
 * Limits (0 = default) and what hitting them does, always with an
 * "archive.limit" anomaly (HIGH):
 *   max_entries   200,000  the read stops (DD_ELIMIT)
 *   max_bytes     32 GiB   file bytes delivered in all; the read stops
 *   max_path_len  4096     the entry (and what is below it) is skipped
 *   max_file_size 16 GiB   the entry is delivered without its data
 *   max_depth     256      a directory that many names deep ("a/b" is 2)
 *                          is an entry; what is in it is not read
 * A name that cannot be stat'ed, a file or directory that cannot be
 * opened or read, or a file that changes while it is read is one
 * "fs.unreadable" anomaly (MEDIUM) naming the path; an unopenable file is
 * not delivered (no entry with empty content), a short read delivers what
 * was read. Anomaly offsets are entry ordinals (there is no stream).
 *
 * Ownership: the caller owns everything it passes; the dd__tar_entry given
 * to callbacks is borrowed for the callback only. No state outlives the
 * call.
 */
#ifndef DD_DIRTREE_H
#define DD_DIRTREE_H

#include <stdint.h>

#include "drydock/errors.h"
#include "tar.h"

typedef struct dd__dirtree_limits {
    uint64_t max_file_size;
    uint64_t max_entries;
    uint64_t max_path_len;
    uint64_t max_depth;
    uint64_t max_bytes;
} dd__dirtree_limits;

typedef struct dd__dirtree_stats {
    uint64_t entries; /* entries counted (delivered or skipped) so far */
    uint64_t bytes;   /* file data bytes delivered so far */
} dd__dirtree_stats;

/* What the tar callbacks cannot carry (all optional). `poll` is called
 * before every entry and every data chunk; non-zero stops the read and is
 * returned by dd__dirtree_read. `want` is asked before every data chunk
 * of a regular file: how many of its first bytes to deliver in all
 * (UINT64_MAX: all of them); bytes nobody wants are never read (a tar
 * stream must be read through, a file need not). `anomaly`, when set, is
 * called instead of cb->anomaly, with the entry's path (relative, as
 * entries name it; NULL for the root) apart from the message; cb->anomaly
 * gets "PATH: message". */
typedef struct dd__dirtree_hooks {
    int (*poll)(void *payload, const dd__dirtree_stats *st);
    uint64_t (*want)(void *payload);
    void (*anomaly)(void *payload,
                    const char *rule,
                    dd_severity sev,
                    const char *path,
                    const char *msg);
} dd__dirtree_hooks;

/*
 * Read the tree at `root` (a directory or one regular file), calling cb
 * (cb->payload is passed to every callback and hook; hooks may be NULL).
 * `st` (may be NULL) gets the final counts.
 * Returns 0; DD_ENOTFOUND / DD_EIO / DD_EUNSUPPORTED when the root cannot
 * be opened or is neither a directory nor a regular file (err says which,
 * nothing was delivered); DD_ELIMIT after an entry or byte limit
 * (reported as an anomaly); a callback's or poll's non-zero return;
 * DD_ENOMEM.
 */
int dd__dirtree_read(const char *root,
                     const dd__dirtree_limits *lim,
                     const dd__tar_callbacks *cb,
                     const dd__dirtree_hooks *hooks,
                     dd__dirtree_stats *st,
                     dd_error *err);

#endif
