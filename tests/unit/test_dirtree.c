/*
 * tests/unit/test_dirtree.c - the directory reader behind fs: and rootfs:
 * (lib/formats/dirtree.c): order, types, symlinks never followed, special
 * files never opened, unreadable files reported, limits; and the same
 * trees opened through dd_image_open/dd_walk_run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixture.h"
#include "harness.h"
#include "drydock/image.h"
#include "drydock/walk.h"
#include "lib/formats/dirtree.h"

#define MAXE 64

typedef struct seen {
    int entries, ends, data_calls;
    char names[MAXE][300];
    char links[MAXE][300];
    char types[MAXE];
    uint64_t sizes[MAXE], got[MAXE];
    uint32_t modes[MAXE];
    size_t max_chunk;
    char data[8192]; /* first bytes of all data, concatenated */
    size_t data_len;
    int nanom;
    char rules[MAXE][48];
    char msgs[MAXE][400];
    int stop_after; /* poll: stop when this many entries were counted */
} seen;

static int on_entry(void *p, const dd__tar_entry *e)
{
    seen *s = p;
    if (s->entries < MAXE) {
        snprintf(s->names[s->entries], 300, "%s", e->name);
        snprintf(s->links[s->entries], 300, "%s", e->linkname);
        s->types[s->entries] = e->typeflag;
        s->sizes[s->entries] = e->size;
        s->modes[s->entries] = e->mode;
    }
    s->entries++;
    return 0;
}
static int on_data(void *p, const uint8_t *d, size_t n)
{
    seen *s = p;
    if (s->entries - 1 < MAXE) {
        s->got[s->entries - 1] += n;
    }
    size_t room = sizeof s->data - s->data_len;
    memcpy(s->data + s->data_len, d, n < room ? n : room);
    s->data_len += n < room ? n : room;
    s->max_chunk = n > s->max_chunk ? n : s->max_chunk;
    s->data_calls++;
    return 0;
}
static int on_end(void *p)
{
    ((seen *)p)->ends++;
    return 0;
}
static void on_anom(
    void *p, const char *rule, dd_severity sev, uint64_t off, const char *msg)
{
    seen *s = p;
    (void)sev;
    (void)off;
    if (s->nanom < MAXE) {
        snprintf(s->rules[s->nanom], 48, "%s", rule);
        snprintf(s->msgs[s->nanom], 400, "%s", msg);
    }
    s->nanom++;
}
static int on_poll(void *p, const dd__dirtree_stats *st)
{
    seen *s = p;
    return s->stop_after && st->entries >= (uint64_t)s->stop_after ? DD_EUSER
                                                                   : 0;
}

static uint64_t want_cap; /* the want hook's answer; 0: no hook */
static uint64_t on_want(void *p)
{
    (void)p;
    return want_cap;
}

static int read_tree_stop(const char *root,
                          const dd__dirtree_limits *lim,
                          seen *s,
                          int stop_after)
{
    memset(s, 0, sizeof *s);
    s->stop_after = stop_after;
    dd__tar_callbacks cb = {on_entry, on_data, on_end, on_anom, s};
    dd_error err;
    dd__dirtree_hooks hooks = {on_poll, want_cap ? on_want : NULL, NULL};
    return dd__dirtree_read(root, lim, &cb, &hooks, NULL, &err);
}

static int read_tree(const char *root, const dd__dirtree_limits *lim, seen *s)
{
    return read_tree_stop(root, lim, s, 0);
}

static int find(const seen *s, const char *name)
{
    for (int i = 0; i < s->entries && i < MAXE; i++) {
        if (!strcmp(s->names[i], name)) {
            return i;
        }
    }
    return -1;
}

static int has_rule(const seen *s, const char *rule, const char *in_msg)
{
    for (int i = 0; i < s->nanom && i < MAXE; i++) {
        if (!strcmp(s->rules[i], rule) &&
            (!in_msg || strstr(s->msgs[i], in_msg))) {
            return 1;
        }
    }
    return 0;
}

static void put(const char *dir, const char *rel, const char *text)
{
    fx_write_file(dir, rel, text, strlen(text));
}

static void path_of(char *out, size_t n, const char *dir, const char *rel)
{
    snprintf(out, n, "%s/%s", dir, rel);
}

/* files, nested directories, sorted depth-first order, content */
static void test_dirtree__tree(void)
{
    char *d = fx_tempdir();
    CHECK(d);
    /* created out of order: the reader sorts */
    put(d, "zeta.txt", "last");
    put(d, "b/inner/deep.txt", "deep");
    put(d, "a.txt", "first");
    put(d, "b/x.txt", "bx");
    char p[1024];
    path_of(p, sizeof p, d, "a.txt");
    chmod(p, 0640);
    seen s;
    int rc = read_tree(d, NULL, &s);
    CHECK(rc == 0);
    CHECK(s.entries == 6);
    CHECK(s.ends == 6);
    CHECK_STR(s.names[0], "a.txt");
    CHECK_STR(s.names[1], "b");
    CHECK_STR(s.names[2], "b/inner");
    CHECK_STR(s.names[3], "b/inner/deep.txt");
    CHECK_STR(s.names[4], "b/x.txt");
    CHECK_STR(s.names[5], "zeta.txt");
    CHECK(s.types[0] == '0' && s.types[1] == '5' && s.types[2] == '5');
    CHECK(s.sizes[0] == 5 && s.got[0] == 5);
    CHECK(s.modes[0] == 0640);
    CHECK(s.sizes[1] == 0 && s.got[1] == 0);
    CHECK(s.data_len == strlen("firstdeepbxlast"));
    CHECK(!memcmp(s.data, "firstdeepbxlast", s.data_len));
    CHECK(s.nanom == 0);
    /* the same tree reads the same way again */
    seen t;
    CHECK(read_tree(d, NULL, &t) == 0);
    CHECK(t.entries == s.entries);
    for (int i = 0; i < s.entries; i++) {
        CHECK_STR(t.names[i], s.names[i]);
    }
    fx_rmtree(d);
}

/* a symlink out of the tree, a loop, a directory symlink: entries of
 * their own, targets never read */
static void test_dirtree__symlinks(void)
{
    char *d = fx_tempdir();
    char *out = fx_tempdir();
    CHECK(d && out);
    put(out, "secret.txt", "OUTSIDE-SECRET-BYTES");
    put(d, "tree/plain.txt", "in");
    char p[1024], t[1024];
    path_of(t, sizeof t, out, "secret.txt");
    path_of(p, sizeof p, d, "tree/escape");
    CHECK(symlink(t, p) == 0);
    path_of(p, sizeof p, d, "tree/shadow");
    CHECK(symlink("/etc/shadow", p) == 0);
    path_of(p, sizeof p, d, "tree/loop1");
    CHECK(symlink("loop2", p) == 0);
    path_of(p, sizeof p, d, "tree/loop2");
    CHECK(symlink("loop1", p) == 0);
    path_of(p, sizeof p, d, "tree/self");
    CHECK(symlink(".", p) == 0);
    path_of(p, sizeof p, d, "tree/outdir");
    CHECK(symlink(out, p) == 0);
    seen s;
    CHECK(read_tree(d, NULL, &s) == 0);
    CHECK(s.entries == 8); /* tree, 6 links, plain.txt */
    int e = find(&s, "tree/escape");
    CHECK(e >= 0 && s.types[e] == '2');
    CHECK_STR(s.links[e], t);
    e = find(&s, "tree/shadow");
    CHECK(e >= 0 && s.types[e] == '2');
    CHECK_STR(s.links[e], "/etc/shadow");
    e = find(&s, "tree/loop1");
    CHECK(e >= 0 && s.types[e] == '2');
    CHECK_STR(s.links[e], "loop2");
    CHECK(find(&s, "tree/self") >= 0 && find(&s, "tree/self/plain.txt") < 0);
    CHECK(find(&s, "tree/outdir/secret.txt") < 0);
    /* only plain.txt's bytes were read */
    CHECK(s.data_len == 2 && !memcmp(s.data, "in", 2));
    CHECK(s.data_calls == 1);
    CHECK(s.nanom == 0);
    fx_rmtree(d);
    fx_rmtree(out);
}

/* a fifo and a socket are entries of their type; neither is opened (a
 * fifo open would block, a read would hang) */
static void test_dirtree__special_files(void)
{
    char *d = fx_tempdir();
    CHECK(d);
    char p[1024];
    path_of(p, sizeof p, d, "fifo");
    CHECK(mkfifo(p, 0644) == 0);
    path_of(p, sizeof p, d, "sock");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    int have_sock = fd >= 0 && strlen(p) < sizeof sa.sun_path;
    if (have_sock) {
        memcpy(sa.sun_path, p, strlen(p) + 1);
        have_sock = bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    }
    put(d, "z.txt", "after");
    seen s;
    CHECK(read_tree(d, NULL, &s) == 0);
    int e = find(&s, "fifo");
    CHECK(e >= 0 && s.types[e] == '6' && s.sizes[e] == 0 && s.got[e] == 0);
    if (have_sock) {
        e = find(&s, "sock");
        CHECK(e >= 0 && s.types[e] == 's' && s.got[e] == 0);
    }
    e = find(&s, "z.txt");
    CHECK(e >= 0 && s.got[e] == 5);
    if (fd >= 0) {
        close(fd);
    }
    fx_rmtree(d);
}

/* What the unreadable-file check found; run by a process that is not
 * root (root reads mode 000 files). 0 all as expected. */
static int unreadable_check(const char *d)
{
    seen s;
    if (read_tree(d, NULL, &s) != 0) {
        return 1;
    }
    if (find(&s, "locked.txt") >= 0) {
        return 2; /* not delivered with empty content */
    }
    if (!has_rule(&s, "fs.unreadable", "locked.txt") ||
        !has_rule(&s, "fs.unreadable", "lockeddir")) {
        return 3;
    }
    if (find(&s, "open.txt") < 0 || find(&s, "lockeddir") < 0) {
        return 4; /* the rest is read */
    }
    return s.nanom == 2 ? 0 : 5;
}

static void test_dirtree__unreadable(void)
{
    char *d = fx_tempdir();
    CHECK(d);
    put(d, "locked.txt", "x");
    put(d, "open.txt", "y");
    put(d, "lockeddir/in.txt", "z");
    char p[1024];
    path_of(p, sizeof p, d, "locked.txt");
    chmod(p, 0);
    path_of(p, sizeof p, d, "lockeddir");
    chmod(p, 0);
    chmod(d, 0755);
    int rc;
    if (geteuid() != 0) {
        rc = unreadable_check(d);
    } else {
        /* as root a mode 000 file is readable: check as nobody */
        pid_t pid = fork();
        if (pid == 0) {
            if (setgid(65534) != 0 || setuid(65534) != 0) {
                _exit(100);
            }
            _exit(unreadable_check(d));
        }
        int st = 0;
        CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st));
        rc = WEXITSTATUS(st);
        if (rc == 100) {
            printf("SKIP test_dirtree__unreadable: root cannot drop to "
                   "uid 65534 here\n");
            rc = 0;
        }
    }
    path_of(p, sizeof p, d, "lockeddir");
    chmod(p, 0755);
    CHECK(rc == 0);
    fx_rmtree(d);
}

/* fs:FILE: a tree of that one file, under its base name */
static void test_dirtree__one_file(void)
{
    char *d = fx_tempdir();
    CHECK(d);
    put(d, "sub/package-lock.json", "{\"lockfileVersion\":3}");
    char p[1024];
    path_of(p, sizeof p, d, "sub/package-lock.json");
    seen s;
    CHECK(read_tree(p, NULL, &s) == 0);
    CHECK(s.entries == 1 && s.ends == 1);
    CHECK_STR(s.names[0], "package-lock.json");
    CHECK(s.types[0] == '0' && s.got[0] == 21);
    /* a root that is missing or special: an error, nothing delivered */
    path_of(p, sizeof p, d, "missing");
    CHECK(read_tree(p, NULL, &s) == DD_ENOTFOUND && s.entries == 0);
    path_of(p, sizeof p, d, "fifo");
    CHECK(mkfifo(p, 0644) == 0);
    CHECK(read_tree(p, NULL, &s) == DD_EUNSUPPORTED && s.entries == 0);
    fx_rmtree(d);
}

/* a path over max-path-len: reported, skipped with what is below it */
static void test_dirtree__path_too_long(void)
{
    char *d = fx_tempdir();
    CHECK(d);
    put(d, "short.txt", "s");
    put(d, "a-rather-long-directory-name/f.txt", "f");
    put(d, "a-name-that-is-far-too-long-for-the-limit.txt", "L");
    dd__dirtree_limits lim = {0, 0, 24, 0, 0};
    seen s;
    CHECK(read_tree(d, &lim, &s) == 0);
    CHECK(s.entries == 1);
    CHECK_STR(s.names[0], "short.txt");
    CHECK(s.nanom == 2);
    CHECK(has_rule(&s, "archive.limit", "max-path-len 24"));
    fx_rmtree(d);
}

/* more entries than max-entries: the read stops at the limit */
static void test_dirtree__entry_limit(void)
{
    char *d = fx_tempdir();
    CHECK(d);
    for (int i = 0; i < 40; i++) {
        char rel[32];
        snprintf(rel, sizeof rel, "f%02d", i);
        put(d, rel, "x");
    }
    dd__dirtree_limits lim = {0, 10, 0, 0, 0};
    seen s;
    CHECK(read_tree(d, &lim, &s) == DD_ELIMIT);
    CHECK(s.entries == 10);
    CHECK_STR(s.names[9], "f09");
    CHECK(has_rule(&s, "archive.limit", "more than 10 entries"));
    /* the poll stops the read too, with its own code */
    CHECK(read_tree_stop(d, NULL, &s, 5) == DD_EUSER);
    CHECK(s.entries == 4);
    fx_rmtree(d);
}

/* depth, bytes, one file's size; big files come in 64 KiB pieces */
static void test_dirtree__size_limits(void)
{
    char *d = fx_tempdir();
    CHECK(d);
    put(d, "1/2/3/4/5/deep.txt", "deep");
    dd__dirtree_limits lim = {0, 0, 0, 3, 0};
    seen s;
    CHECK(read_tree(d, &lim, &s) == 0);
    CHECK(find(&s, "1/2/3") >= 0 && find(&s, "1/2/3/4") < 0);
    CHECK(has_rule(&s, "archive.limit", "deeper than 3"));
    fx_rmtree(d);

    d = fx_tempdir();
    CHECK(d);
    size_t n = 200000;
    int rc;
    char *big = malloc(n);
    CHECK(big);
    memset(big, 'b', n);
    fx_write_file(d, "big.bin", big, n);
    free(big);
    put(d, "small.txt", "tiny");
    CHECK(read_tree(d, NULL, &s) == 0);
    int e = find(&s, "big.bin");
    CHECK(e >= 0 && s.sizes[e] == n && s.got[e] == n);
    CHECK(s.max_chunk == 65536);
    /* bytes nobody wants are not read; the size is still the file's */
    want_cap = 70000;
    rc = read_tree(d, NULL, &s);
    want_cap = 0;
    CHECK(rc == 0);
    e = find(&s, "big.bin");
    CHECK(e >= 0 && s.sizes[e] == n && s.got[e] == 70000);
    /* over max-file-size: the entry without its data */
    lim = (dd__dirtree_limits){1000, 0, 0, 0, 0};
    CHECK(read_tree(d, &lim, &s) == 0);
    e = find(&s, "big.bin");
    CHECK(e >= 0 && s.sizes[e] == n && s.got[e] == 0);
    CHECK(has_rule(&s, "archive.limit", "max-file-size 1000"));
    CHECK(s.got[find(&s, "small.txt")] == 4);
    /* over the byte budget: stopped */
    lim = (dd__dirtree_limits){0, 0, 0, 0, 100000};
    CHECK(read_tree(d, &lim, &s) == DD_ELIMIT);
    CHECK(has_rule(&s, "archive.limit", "more than 100000 bytes"));
    fx_rmtree(d);
}

/* a second name of one inode is a hardlink entry to the first */
static void test_dirtree__hardlink(void)
{
    char *d = fx_tempdir();
    CHECK(d);
    put(d, "a/orig.txt", "content");
    char p[1024], q[1024];
    path_of(p, sizeof p, d, "a/orig.txt");
    path_of(q, sizeof q, d, "b-link.txt");
    CHECK(link(p, q) == 0);
    seen s;
    CHECK(read_tree(d, NULL, &s) == 0);
    int e = find(&s, "b-link.txt");
    CHECK(e >= 0 && s.types[e] == '1' && s.got[e] == 0);
    CHECK_STR(s.links[e], "a/orig.txt");
    CHECK(s.data_len == 7);
    fx_rmtree(d);
}

/* through the public API: one layer, no digests, the files indexed */
static void test_dirtree__image(void)
{
    char *d = fx_tempdir();
    CHECK(d);
    put(d, "etc/os-release", "ID=alpine\nVERSION_ID=3.20.3\n");
    put(d, "srv/.env", "PASSWORD=x\n");
    char p[1024], ref[1100];
    path_of(p, sizeof p, d, "srv/link");
    CHECK(symlink("/etc/shadow", p) == 0);
    snprintf(ref, sizeof ref, "rootfs:%s", d);
    dd_image *img = NULL;
    dd_error err;
    CHECK(dd_image_open(&img, ref, NULL, &err) == 0);
    const dd_image_info *in = dd_image_info_get(img);
    CHECK(in->source == DD_SOURCE_ROOTFS);
    CHECK_STR(in->name, ref);
    CHECK_STR(in->path, d);
    CHECK(in->n_layers == 1 && !in->layers[0].digest);
    CHECK(!in->layers[0].diff_id && !in->manifest_digest && !in->n_history);
    dd_walk *w = NULL;
    CHECK(dd_walk_run(&w, img, NULL, &err) == 0);
    CHECK(dd_walk_complete(w));
    CHECK(dd_walk_file_count(w) == 5); /* etc, 2 files, srv, link */
    const dd_fs_node *n = dd_walk_file(w, 4);
    CHECK(n && n->type == DD_ENTRY_SYMLINK);
    CHECK_STR(n->path, "srv/link");
    CHECK_STR(n->linkname, "/etc/shadow");
    const dd_layer_stats *st = dd_walk_layer_stats(w, 0);
    CHECK(st->entries == 5 && !st->blob_sha256 && !st->diff_sha256);
    CHECK(dd_findings_count(dd_walk_findings(w)) == 0);
    dd_walk_free(w);
    dd_image_free(img);
    /* fs:FILE, and the errors */
    snprintf(ref, sizeof ref, "fs:%s/srv/.env", d);
    CHECK(dd_image_open(&img, ref, NULL, &err) == 0);
    CHECK(dd_image_info_get(img)->source == DD_SOURCE_FS);
    CHECK(dd_walk_run(&w, img, NULL, &err) == 0);
    CHECK(dd_walk_file_count(w) == 1);
    CHECK_STR(dd_walk_file(w, 0)->path, ".env");
    dd_walk_free(w);
    dd_image_free(img);
    snprintf(ref, sizeof ref, "rootfs:%s/srv/.env", d);
    CHECK(dd_image_open(&img, ref, NULL, &err) == DD_EUNSUPPORTED);
    CHECK(dd_image_open(&img, "rootfs:/nonexistent/x", NULL, &err) ==
          DD_ENOTFOUND);
    CHECK(strstr(err.message, "rootfs:/nonexistent/x"));
    CHECK(dd_image_open(&img, "fs:", NULL, &err) == DD_EINVALID);
    fx_rmtree(d);
}

/* an unreadable entry through the walk: a finding, the walk incomplete */
static void test_dirtree__walk_limits(void)
{
    char *d = fx_tempdir();
    CHECK(d);
    for (int i = 0; i < 12; i++) {
        char rel[32];
        snprintf(rel, sizeof rel, "d/f%02d", i);
        put(d, rel, "x");
    }
    char ref[1100];
    snprintf(ref, sizeof ref, "fs:%s", d);
    dd_image *img = NULL;
    dd_error err;
    CHECK(dd_image_open(&img, ref, NULL, &err) == 0);
    dd_walk_opts wo = DD_WALK_OPTS_INIT;
    wo.limits.max_entries = 5;
    dd_walk *w = NULL;
    CHECK(dd_walk_run(&w, img, &wo, &err) == 0);
    CHECK(!dd_walk_complete(w));
    CHECK(dd_walk_file_count(w) == 5);
    const dd_findings *f = dd_walk_findings(w);
    CHECK(dd_findings_count(f) == 1);
    CHECK_STR(dd_findings_get(f, 0)->rule_id, "archive.limit");
    CHECK(!dd_findings_get(f, 0)->has_offset);
    CHECK_STR(dd_findings_get(f, 0)->path, "d/f04"); /* the entry past it */
    dd_walk_free(w);
    /* the image-wide entry budget applies too */
    wo = (dd_walk_opts)DD_WALK_OPTS_INIT;
    wo.max_total_entries = 3;
    CHECK(dd_walk_run(&w, img, &wo, &err) == 0);
    CHECK(!dd_walk_complete(w));
    f = dd_walk_findings(w);
    CHECK(dd_findings_count(f) == 1);
    CHECK_STR(dd_findings_get(f, 0)->rule_id, "budget.entries");
    dd_walk_free(w);
    dd_image_free(img);
    fx_rmtree(d);
}

TEST_LIST(T(test_dirtree__tree),
          T(test_dirtree__symlinks),
          T(test_dirtree__special_files),
          T(test_dirtree__unreadable),
          T(test_dirtree__one_file),
          T(test_dirtree__path_too_long),
          T(test_dirtree__entry_limit),
          T(test_dirtree__size_limits),
          T(test_dirtree__hardlink),
          T(test_dirtree__image),
          T(test_dirtree__walk_limits))
