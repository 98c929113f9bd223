/*
 * lib/layer/entry.c - the rules one archive entry is judged by before the
 * walk records it (see entry.h). walk.c calls it for every tar entry; the
 * findings it reports are the walk's archive findings for that layer.
 */
#include <stdio.h>
#include <string.h>

#include "entry.h"
#include "../../util/path.h"

dd_entry_type dd__entry_type_of(char tf)
{
    switch (tf) {
    case '1':
        return DD_ENTRY_HARDLINK;
    case '2':
        return DD_ENTRY_SYMLINK;
    case '3':
        return DD_ENTRY_CHAR;
    case '4':
        return DD_ENTRY_BLOCK;
    case '5':
        return DD_ENTRY_DIR;
    case '6':
        return DD_ENTRY_FIFO;
    case 's': /* dirtree.c only: tar.c never passes this flag on */
        return DD_ENTRY_SOCKET;
    default:
        return DD_ENTRY_FILE;
    }
}

static int keep(dd__entry_rec *rec,
                dd_entry_type type,
                const char *path,
                size_t plen,
                const char *link)
{
    rec->keep = 1;
    rec->type = type;
    rec->path = path;
    rec->plen = plen;
    rec->link = link;
    return 0;
}

int dd__entry_judge(const dd__tar_entry *e,
                    dd__entry_scratch *s,
                    dd__entry_report_fn report,
                    void *ctx,
                    dd__entry_rec *rec)
{
    char msg[512];
    unsigned flags = 0;
    memset(rec, 0, sizeof *rec);
    int rc = dd__path_clean(e->name, e->name_len, &s->path, &flags);
    if (rc) {
        return rc;
    }
    char *raw = dd__printable(e->name, 200);
    const char *base = strrchr(s->path.ptr, '/');
    base = base ? base + 1 : s->path.ptr;
    int is_wh = strncmp(base, ".wh.", 4) == 0;
    /* a whiteout of ".." or "." cleans away: look at the raw name too */
    const char *rawbase = memrchr(e->name, '/', e->name_len);
    rawbase = rawbase ? rawbase + 1 : e->name;
    if (!is_wh && strncmp(rawbase, ".wh.", 4) == 0) {
        is_wh = 1;
    }
    if (flags & DD_PATH_ESCAPES) {
        snprintf(msg, sizeof msg,
                 "%s '%s' climbs above the image root with '..' (extracting "
                 "it would write outside the root); entry ignored",
                 is_wh ? "whiteout" : "entry", raw);
        report(ctx,
               is_wh ? "archive.whiteout-traversal" : "archive.path-traversal",
               DD_SEV_HIGH, raw, raw, msg);
        dd__free(raw);
        return 0;
    }
    if (flags & DD_PATH_ABSOLUTE) {
        snprintf(msg, sizeof msg,
                 "absolute path '%s' in a layer (naive extractors write it "
                 "on the host); treated as relative",
                 raw);
        report(ctx, "archive.absolute-path", DD_SEV_HIGH, s->path.ptr, raw,
               msg);
    } else if (flags & DD_PATH_DOTDOT) {
        snprintf(msg, sizeof msg, "non-canonical path '%s' contains '..'", raw);
        report(ctx, "archive.non-canonical-path", DD_SEV_LOW, s->path.ptr, raw,
               msg);
    }
    if (flags & DD_PATH_NUL) {
        snprintf(msg, sizeof msg,
                 "path '%s' contains NUL or control characters", raw);
        report(ctx, "archive.bad-path", DD_SEV_MEDIUM, s->path.ptr, raw, msg);
    }
    dd__free(raw);
    dd_entry_type type = dd__entry_type_of(e->typeflag);
    const char *path = s->path.ptr;
    size_t plen = s->path.len;

    if (is_wh) {
        size_t dirlen = base > path ? (size_t)(base - path - 1) : 0;
        const char *name = rawbase + 4;
        size_t namelen = e->name_len - (size_t)(rawbase - e->name) - 4;
        if (namelen == 8 && memcmp(name, ".wh..opq", 8) == 0) {
            if (dirlen == 0) {
                report(ctx, "archive.whiteout-root", DD_SEV_MEDIUM, "/", NULL,
                       "opaque whiteout of the root directory hides "
                       "every lower layer");
            }
            return keep(rec, DD_ENTRY_OPAQUE_WHITEOUT, path, dirlen, NULL);
        }
        if (namelen >= 4 && memcmp(name, ".wh.", 4) == 0) {
            return 0; /* aufs bookkeeping (.wh..wh.plnk): no meaning here */
        }
        if (namelen == 0 || (namelen == 1 && name[0] == '.') ||
            (namelen == 2 && name[0] == '.' && name[1] == '.') ||
            memchr(name, '/', namelen) || memchr(name, '\0', namelen)) {
            snprintf(msg, sizeof msg,
                     "whiteout names '%.*s', which is not a file in its "
                     "directory (traversal); ignored",
                     (int)(namelen > 100 ? 100 : namelen), name);
            report(ctx, "archive.whiteout-traversal", DD_SEV_HIGH, path, NULL,
                   msg);
            return 0;
        }
        dd__buf *t = &s->target;
        dd__buf_reset(t);
        if ((dirlen &&
             (dd__buf_add(t, path, dirlen) || dd__buf_add(t, "/", 1))) ||
            dd__buf_add(t, name, namelen) || !t->ptr) {
            return DD_ENOMEM;
        }
        return keep(rec, DD_ENTRY_WHITEOUT, t->ptr, t->len, NULL);
    }
    if (plen == 0) {
        return 0; /* "./" - the root directory itself */
    }
    const char *link = NULL;
    if (type == DD_ENTRY_SYMLINK) {
        unsigned lf = 0;
        /* ".." above the root, in a relative or an absolute target
         * ("/../../..") alike: merge.c follows links with the same rule */
        if (dd__path_resolve_link(path, e->linkname, &s->link, &lf) == 0 &&
            (lf & DD_PATH_ESCAPES)) {
            char *t = dd__printable(e->linkname, 200);
            snprintf(msg, sizeof msg,
                     "symlink to '%s' climbs above the image root", t);
            report(ctx, "archive.symlink-escape", DD_SEV_MEDIUM, path, t, msg);
            dd__free(t);
        }
        link = e->linkname;
    } else if (type == DD_ENTRY_HARDLINK) {
        unsigned lf = 0;
        rc = dd__path_clean(e->linkname, strlen(e->linkname), &s->link, &lf);
        if (rc) {
            return rc;
        }
        if (lf & (DD_PATH_ESCAPES | DD_PATH_ABSOLUTE)) {
            char *t = dd__printable(e->linkname, 200);
            snprintf(msg, sizeof msg,
                     "hardlink to '%s' points %s (naive extractors link a "
                     "host file such as /etc/shadow)%s",
                     t,
                     (lf & DD_PATH_ESCAPES) ? "above the image root"
                                            : "to an absolute path",
                     (lf & DD_PATH_ESCAPES) ? "; entry ignored" : "");
            report(ctx, "archive.hardlink-escape", DD_SEV_HIGH, path, t, msg);
            dd__free(t);
            if (lf & DD_PATH_ESCAPES) {
                return 0;
            }
        }
        link = s->link.ptr;
    } else if (type == DD_ENTRY_CHAR || type == DD_ENTRY_BLOCK) {
        snprintf(msg, sizeof msg,
                 "%s device node in a layer (images get /dev from the "
                 "runtime)",
                 type == DD_ENTRY_CHAR ? "character" : "block");
        report(ctx, "archive.device-node", DD_SEV_MEDIUM, path, NULL, msg);
    }
    return keep(rec, type, path, plen, link);
}
