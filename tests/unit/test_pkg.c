/*
 * tests/unit/test_pkg.c - package databases: dpkg, apk, rpm header and the
 * three rpmdb formats with crafted, truncated and hostile input; OS
 * detection and end of life; purls; the inventory over a layered image
 * (attribution, removal, owned files).
 */
#include <sqlite3.h>
#include <stdlib.h>

#include "fixture.h"
#include "harness.h"
#include "drydock/drydock.h"
#include "lib/pkg/pkgdb.h"

static dd__pkgdb *parse(const char *kind, const void *p, size_t n)
{
    dd__pkgdb *db = dd__pkgdb_new("var/lib/x");
    const uint8_t *d = p;
    int rc = !strcmp(kind, "dpkg")     ? dd__dpkg_parse(db, d, n, 0)
             : !strcmp(kind, "dpkg-d") ? dd__dpkg_parse(db, d, n, 1)
             : !strcmp(kind, "apk")    ? dd__apk_parse(db, d, n)
             : !strcmp(kind, "hdr")    ? dd__rpm_header_parse(db, d, n, "t")
             : !strcmp(kind, "bdb")    ? dd__rpmdb_bdb(db, d, n)
             : !strcmp(kind, "ndb")    ? dd__rpmdb_ndb(db, d, n)
                                       : dd__rpmdb_sqlite(db, d, n);
    if (rc) {
        dd__pkgdb_free(db);
        return NULL;
    }
    return db;
}

static const dd_package *pkg(const dd__pkgdb *db, const char *name)
{
    for (size_t i = 0; i < db->pkgs.len; i++) {
        const dd_package *p = DD_VEC_AT(&db->pkgs, dd_package, i);
        if (!strcmp(p->name, name)) {
            return p;
        }
    }
    return NULL;
}

static int warned(const dd__pkgdb *db, const char *needle)
{
    for (size_t i = 0; i < db->warnings.len; i++) {
        if (strstr(*DD_VEC_AT(&db->warnings, const char *, i), needle)) {
            return 1;
        }
    }
    return 0;
}

static void test_pkg__dpkg_states_sources_versions(void)
{
    static const char s[] =
        "Package: a\nStatus: install ok installed\nVersion: 1:2.0~rc1-3+b1\n"
        "Architecture: amd64\nSource: srca (1:2.0~rc1-3)\nMaintainer: M <m@x>\n"
        "Description: x\n multi\n .\n line\n\n"
        "Package: gone\nStatus: deinstall ok config-files\nVersion: 1\n\n"
        "Package: notinst\nStatus: purge ok not-installed\nVersion: 1\n\n"
        "package: unpacked\nstatus: install ok unpacked\nversion: 3.0\n"
        "source: plain\n\n\n\n"
        "Package: nover\nStatus: install ok installed\n\n"
        "Status: install ok installed\nVersion: 1\n\n"
        "Package: bad\nVersion: 1:5.#\n\n"
        "garbage line without colon\n\n"
        "Package: last\nVersion: 0.1"; /* no trailing newline */
    dd__pkgdb *db = parse("dpkg", s, sizeof s - 1);
    CHECK(db && db->pkgs.len == 3);
    const dd_package *a = pkg(db, "a");
    CHECK(a);
    CHECK_STR(a->version, "1:2.0~rc1-3+b1");
    CHECK_STR(a->epoch, "1");
    CHECK_STR(a->upstream, "2.0~rc1");
    CHECK_STR(a->release, "3+b1");
    CHECK_STR(a->source_name, "srca");
    CHECK_STR(a->source_version, "1:2.0~rc1-3");
    CHECK_STR(a->maintainer, "M <m@x>");
    const dd_package *u = pkg(db, "unpacked");
    CHECK(u && !u->epoch && !u->release);
    CHECK_STR(u->source_name, "plain");
    CHECK_STR(u->source_version, "3.0");
    CHECK(pkg(db, "last") && !pkg(db, "gone") && !pkg(db, "notinst"));
    CHECK(warned(db, "line 27: package 'nover' has no Version"));
    CHECK(warned(db, "stanza without Package"));
    CHECK(warned(db, "invalid version '1:5.#'"));
    CHECK(warned(db, "not a 'Field: value' line"));
    dd__pkgdb_free(db);
    /* status.d stanzas have no Status: and count */
    static const char d[] = "Package: base-files\nVersion: 12.4\r\n";
    db = parse("dpkg-d", d, sizeof d - 1);
    CHECK(db && db->pkgs.len == 1);
    CHECK_STR(DD_VEC_AT(&db->pkgs, dd_package, 0)->version, "12.4");
    dd__pkgdb_free(db);
}

static void test_pkg__dpkg_version_rules(void)
{
    static const char *const ok[] = {
        "1.0", "1:1.0-1", "0:1-2-3", "2.0~rc1", "1.0+dfsg-1ubuntu0.1", "a1"};
    static const char *const bad[] = {
        "", ":1", "a:1", "1:", "1.0-", "1_0", "1.0-1_2", "1 0", "1234567890:1"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        CHECK(dd__dpkg_version_valid(ok[i]));
    }
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        CHECK(!dd__dpkg_version_valid(bad[i]));
    }
}

static void test_pkg__apk_fields_files_checksums(void)
{
    static const char s[] = "C:Q11otALzX1d1D0kVawy06IairTXS0=\nP:musl\n"
                            "V:1.1.14-r10\nA:x86_64\nL:MIT\no:musl-src\n"
                            "R:top-level-file\nF:lib\nR:ld.so\nR:libc.so\n"
                            "F:usr/bin\nR:ldd\nweird\n\n"
                            "P:nover\nA:x86_64\n\n"
                            "V:1.0\n\n"
                            "C:Q1notbase64!!\nP:odd\nV:2\n";
    dd__pkgdb *db = parse("apk", s, sizeof s - 1);
    CHECK(db && db->pkgs.len == 2);
    const dd_package *m = pkg(db, "musl");
    CHECK(m && m->n_files == 4);
    CHECK_STR(m->checksum, "sha1:d68b402f35f57750f49156b0cb4e886a2ad35d2d");
    CHECK_STR(m->source_name, "musl-src");
    CHECK_STR(m->license, "MIT");
    CHECK_STR(m->files[0], "top-level-file");
    CHECK_STR(m->files[1], "lib/ld.so");
    CHECK_STR(m->files[3], "usr/bin/ldd");
    CHECK_STR(pkg(db, "odd")->checksum, "Q1notbase64!!");
    CHECK(warned(db, "line 15: entry 'nover' without V"));
    CHECK(warned(db, "without P"));
    CHECK(warned(db, "not a 'X:value' line"));
    dd__pkgdb_free(db);
}

/* ---- a tiny rpm header writer (big-endian index + data) */
typedef struct hb {
    fx_buf idx, data;
    uint32_t n;
} hb;

static void be32put(fx_buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
                    (uint8_t)v};
    fx_add(b, x, 4);
}

static void hb_tag(
    hb *h, uint32_t tag, uint32_t type, const void *p, size_t n, uint32_t count)
{
    if (type == 4) {
        while (h->data.len % 4) {
            fx_add(&h->data, "", 1);
        }
    }
    be32put(&h->idx, tag);
    be32put(&h->idx, type);
    be32put(&h->idx, (uint32_t)h->data.len);
    be32put(&h->idx, count);
    fx_add(&h->data, p, n);
    h->n++;
}

static void hb_str(hb *h, uint32_t tag, const char *s)
{
    hb_tag(h, tag, 6, s, strlen(s) + 1, 1);
}

static void hb_finish(hb *h, fx_buf *out)
{
    be32put(out, h->n);
    be32put(out, (uint32_t)h->data.len);
    fx_add(out, h->idx.p, h->idx.len);
    fx_add(out, h->data.p, h->data.len);
    fx_buf_free(&h->idx);
    fx_buf_free(&h->data);
}

static void make_header(fx_buf *out, const char *name, uint32_t dirindex1)
{
    hb h = {{0}, {0}, 0};
    hb_str(&h, 1000, name);
    hb_str(&h, 1001, "1.2");
    hb_str(&h, 1002, "3.el9");
    hb_str(&h, 1022, "x86_64");
    hb_str(&h, 1044, "src-name-1.2-3.el9.src.rpm");
    hb_str(&h, 5096, "perl:5.32:8050020211109180624:3b72e4d7");
    uint8_t ep[4] = {0, 0, 0, 7};
    hb_tag(&h, 1003, 4, ep, 4, 1);
    hb_tag(&h, 1117, 8, "bash\0sh\0", 8, 2);
    hb_tag(&h, 1118, 8, "/usr/bin/\0", 10, 1);
    uint8_t di[8] = {0,
                     0,
                     0,
                     0,
                     (uint8_t)(dirindex1 >> 24),
                     (uint8_t)(dirindex1 >> 16),
                     (uint8_t)(dirindex1 >> 8),
                     (uint8_t)dirindex1};
    hb_tag(&h, 1116, 4, di, 8, 2);
    hb_finish(&h, out);
}

static void test_pkg__rpm_header_fields_and_truncation(void)
{
    fx_buf b = {0};
    make_header(&b, "bash", 0);
    dd__pkgdb *db = parse("hdr", b.p, b.len);
    CHECK(db && db->pkgs.len == 1 && db->complete);
    const dd_package *p = pkg(db, "bash");
    CHECK_STR(p->version, "7:1.2-3.el9");
    CHECK_STR(p->source_name, "src-name");
    CHECK_STR(p->source_version, "1.2-3.el9");
    CHECK_STR(p->modularity, "perl:5.32:8050020211109180624:3b72e4d7");
    CHECK(p->n_files == 2);
    CHECK_STR(p->files[1], "usr/bin/sh");
    dd__pkgdb_free(db);
    /* every prefix: never a crash, never a package from a cut header */
    for (size_t n = 0; n < b.len; n++) {
        db = parse("hdr", b.p, n);
        CHECK(db && db->pkgs.len == 0 && !db->complete && db->warnings.len);
        dd__pkgdb_free(db);
    }
    /* every single-byte corruption of the index: no crash */
    for (size_t i = 0; i < 8 + 16 * 10; i++) {
        uint8_t save = b.p[i];
        b.p[i] ^= 0xff;
        db = parse("hdr", b.p, b.len);
        CHECK(db);
        dd__pkgdb_free(db);
        b.p[i] = save;
    }
    fx_buf_free(&b);
    /* dirindex out of range: the package stays, with a warning */
    make_header(&b, "bad", 5);
    db = parse("hdr", b.p, b.len);
    CHECK(db && db->pkgs.len == 1 && !db->complete);
    CHECK(warned(db, "malformed file list"));
    dd__pkgdb_free(db);
    fx_buf_free(&b);
    /* gpg-pubkey pseudo-packages are not software */
    make_header(&b, "gpg-pubkey", 0);
    db = parse("hdr", b.p, b.len);
    CHECK(db && db->pkgs.len == 0 && db->complete);
    dd__pkgdb_free(db);
    fx_buf_free(&b);
}

static void le32put(fx_buf *b, uint32_t v)
{
    uint8_t x[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                    (uint8_t)(v >> 24)};
    fx_add(b, x, 4);
}

/* NDB with one header; `bad` breaks the blob tail. */
static void make_ndb(fx_buf *out, const fx_buf *h, int bad)
{
    le32put(out, 0x506d7052);
    le32put(out, 0);
    le32put(out, 1);
    le32put(out, 1); /* one slot page */
    le32put(out, 2);
    for (int i = 0; i < 3; i++) {
        le32put(out, 0);
    }
    uint32_t blocks = (uint32_t)((16 + h->len + 12 + 15) / 16);
    le32put(out, 0x746f6c53);
    le32put(out, 1);
    le32put(out, 4096 / 16);
    le32put(out, blocks);
    while (out->len < 4096) {
        le32put(out, 0x746f6c53);
        for (int i = 0; i < 3; i++) {
            le32put(out, 0);
        }
    }
    le32put(out, 0x53626c42);
    le32put(out, 1);
    le32put(out, 1);
    le32put(out, (uint32_t)h->len);
    fx_add(out, h->p, h->len);
    while (out->len < 4096 + blocks * 16 - 12) {
        fx_add(out, "", 1);
    }
    le32put(out, 0);
    le32put(out, (uint32_t)h->len);
    le32put(out, bad ? 0xdeadbeef : 0x45626c42);
}

static void test_pkg__rpmdb_ndb_bdb_hostile(void)
{
    fx_buf h = {0}, n = {0}, nb = {0};
    make_header(&h, "zlib", 0);
    make_ndb(&n, &h, 0);
    dd__pkgdb *db = parse("ndb", n.p, n.len);
    CHECK(db && db->pkgs.len == 1 && db->complete);
    dd__pkgdb_free(db);
    make_ndb(&nb, &h, 1);
    db = parse("ndb", nb.p, nb.len);
    CHECK(db && db->pkgs.len == 0 && !db->complete);
    CHECK(warned(db, "package 1: blob framing is corrupt"));
    dd__pkgdb_free(db);
    for (size_t cut = 0; cut < n.len; cut += 97) {
        db = parse("ndb", n.p, cut);
        CHECK(db && db->pkgs.len == 0 && !db->complete);
        dd__pkgdb_free(db);
    }
    /* a slot pointing far outside the file */
    n.p[32 + 8] = 0xff;
    n.p[32 + 11] = 0x7f;
    db = parse("ndb", n.p, n.len);
    CHECK(db && db->pkgs.len == 0 && warned(db, "lies outside the file"));
    dd__pkgdb_free(db);
    /* Berkeley DB: not one, wrong page size, zero-filled */
    uint8_t zero[4096] = {0};
    db = parse("bdb", zero, sizeof zero);
    CHECK(db && !db->complete && warned(db, "not a Berkeley DB hash"));
    dd__pkgdb_free(db);
    uint8_t meta[1024] = {0};
    meta[12] = 0x61, meta[13] = 0x15, meta[14] = 0x06; /* hash magic, LE */
    meta[20] = 0x00, meta[21] = 0x03;                  /* 768: not 2^n */
    meta[25] = 8;
    db = parse("bdb", meta, sizeof meta);
    CHECK(db && !db->complete && warned(db, "unsupported Berkeley DB"));
    dd__pkgdb_free(db);
    meta[20] = 0x00, meta[21] = 0x02; /* 512 */
    meta[32] = 0xff, meta[33] = 0xff; /* last_pgno 65535: truncated */
    db = parse("bdb", meta, sizeof meta);
    CHECK(db && !db->complete && warned(db, "truncated"));
    dd__pkgdb_free(db);
    fx_buf_free(&h);
    fx_buf_free(&n);
    fx_buf_free(&nb);
}

static void test_pkg__rpmdb_sqlite(void)
{
    fx_buf h = {0};
    make_header(&h, "curl", 0);
    sqlite3 *d = NULL;
    CHECK(sqlite3_open(":memory:", &d) == SQLITE_OK);
    CHECK(sqlite3_exec(d,
                       "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY, "
                       "blob BLOB NOT NULL); PRAGMA journal_mode=OFF;",
                       NULL, NULL, NULL) == SQLITE_OK);
    sqlite3_stmt *st = NULL;
    sqlite3_prepare_v2(d, "INSERT INTO Packages (blob) VALUES (?)", -1, &st,
                       NULL);
    sqlite3_bind_blob(st, 1, h.p, (int)h.len, SQLITE_STATIC);
    CHECK(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_reset(st);
    sqlite3_bind_blob(st, 1, "\0\0\0\1", 4, SQLITE_STATIC);
    CHECK(sqlite3_step(st) == SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_int64 sz = 0;
    unsigned char *ser = sqlite3_serialize(d, "main", &sz, 0);
    sqlite3_close(d);
    CHECK(ser && sz > 100);
    dd__pkgdb *db = parse("sqlite", ser, (size_t)sz);
    CHECK(db && db->pkgs.len == 1 && !db->complete);
    CHECK(warned(db, "hnum 2: header blob of 4 bytes is truncated"));
    dd__pkgdb_free(db);
    /* WAL-mode header bytes are accepted */
    ser[18] = ser[19] = 2;
    db = parse("sqlite", ser, (size_t)sz);
    CHECK(db && db->pkgs.len == 1);
    dd__pkgdb_free(db);
    ser[18] = ser[19] = 1;
    for (sqlite3_int64 cut = 0; cut < sz; cut += 509) {
        db = parse("sqlite", ser, (size_t)cut);
        CHECK(db && (cut < sz ? !db->complete || db->pkgs.len <= 1 : 1));
        dd__pkgdb_free(db);
    }
    /* corrupt every 7th byte after the header page: no crash */
    for (sqlite3_int64 i = 100; i < sz; i += 7) {
        ser[i] ^= 0x5a;
    }
    db = parse("sqlite", ser, (size_t)sz);
    CHECK(db);
    dd__pkgdb_free(db);
    sqlite3_free(ser);
    db = parse("sqlite", "SQLite format 3", 16);
    CHECK(db && warned(db, "not an SQLite database"));
    dd__pkgdb_free(db);
    fx_buf_free(&h);
}

static void test_pkg__os_detect_and_eol(void)
{
    dd__arena a;
    dd__arena_init(&a);
    dd_os_info os;
    const int64_t now = 1795305600; /* 2026-11-22 */
    dd__os_files f;
    memset(&f, 0, sizeof f);
    static const char deb[] = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
                              "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n"
                              "VERSION_CODENAME=bookworm\nID=debian\n";
    f.os_release = deb;
    f.os_release_len = sizeof deb - 1;
    f.os_release_path = "etc/os-release";
    CHECK(dd__os_detect(&f, &a, &os, now) == 0);
    CHECK_STR(os.family, "debian");
    CHECK_STR(os.version, "12");
    CHECK_STR(os.codename, "bookworm");
    CHECK(os.eol == 0 && os.eol_date);
    static const char d11[] = "ID=debian\nVERSION_ID='11'\n";
    f.os_release = d11;
    f.os_release_len = sizeof d11 - 1;
    CHECK(dd__os_detect(&f, &a, &os, now) == 0 && os.eol == 1);
    static const char alp[] = "ID=Alpine\nVERSION_ID=3.19.1\n";
    f.os_release = alp;
    f.os_release_len = sizeof alp - 1;
    CHECK(dd__os_detect(&f, &a, &os, now) == 0);
    CHECK_STR(os.family, "alpine");
    CHECK(os.eol == 1);
    CHECK_STR(os.eol_date, "2025-11-01");
    static const char unk[] = "ID=plan9\nVERSION_ID=4\n";
    f.os_release = unk;
    f.os_release_len = sizeof unk - 1;
    CHECK(dd__os_detect(&f, &a, &os, now) == 0 && os.eol == -1);
    memset(&f, 0, sizeof f);
    f.redhat_release = "CentOS Linux release 7.9.2009 (Core)\n";
    f.redhat_release_len = strlen(f.redhat_release);
    CHECK(dd__os_detect(&f, &a, &os, now) == 0);
    CHECK_STR(os.family, "centos");
    CHECK_STR(os.version, "7.9.2009");
    CHECK(os.eol == 1);
    memset(&f, 0, sizeof f);
    f.debian_version = "trixie/sid\n";
    f.debian_version_len = 11;
    CHECK(dd__os_detect(&f, &a, &os, now) == 0);
    CHECK_STR(os.version, "trixie/sid");
    CHECK(os.eol == -1);
    memset(&f, 0, sizeof f);
    f.has_status_d = 1;
    CHECK(dd__os_detect(&f, &a, &os, now) == 0);
    CHECK_STR(os.family, "debian");
    memset(&f, 0, sizeof f);
    CHECK(dd__os_detect(&f, &a, &os, now) == DD_ENOTFOUND);
    dd__arena_free(&a);
}

static void test_pkg__purls(void)
{
    dd_os_info deb = {"debian", "Debian", "12", "bookworm",
                      NULL,     0,        NULL, NULL};
    dd_os_info ubu = {"ubuntu", "Ubuntu", "22.04", NULL, NULL, 0, NULL, NULL};
    dd_os_info rh = {"rhel", "RHEL", "9.3", NULL, NULL, 0, NULL, NULL};
    dd_os_info alp = {"alpine", "Alpine", "3.20.3", NULL, NULL, 0, NULL, NULL};
    dd_package p;
    memset(&p, 0, sizeof p);
    p.type = DD_PKG_DPKG;
    p.name = "libstdc++6";
    p.version = "1:12.2.0-14+deb12u1";
    p.arch = "amd64";
    char *u = dd_package_purl(&p, &deb);
    CHECK_STR(u, "pkg:deb/debian/libstdc%2B%2B6@1%3A12.2.0-14%2Bdeb12u1"
                 "?arch=amd64&distro=debian-12");
    dd_string_free(u);
    u = dd_package_purl(&p, &ubu);
    CHECK(u && !strncmp(u, "pkg:deb/ubuntu/", 15) &&
          strstr(u, "distro=ubuntu-22.04"));
    dd_string_free(u);
    p.type = DD_PKG_RPM;
    p.name = "openssl-libs";
    p.epoch = "1";
    p.upstream = "3.0.7";
    p.release = "25.el9_3";
    p.arch = "x86_64";
    u = dd_package_purl(&p, &rh);
    CHECK_STR(u, "pkg:rpm/redhat/openssl-libs@3.0.7-25.el9_3?arch=x86_64&"
                 "distro=redhat-9.3&epoch=1");
    dd_string_free(u);
    p.type = DD_PKG_APK;
    p.name = "musl";
    p.version = "1.2.5-r0";
    p.arch = NULL;
    u = dd_package_purl(&p, &alp);
    CHECK_STR(u, "pkg:apk/alpine/musl@1.2.5-r0?distro=3.20.3");
    dd_string_free(u);
    u = dd_package_purl(&p, NULL);
    CHECK_STR(u, "pkg:apk/alpine/musl@1.2.5-r0");
    dd_string_free(u);
}

/* Layers: L0 installs a 1.0, b 1.0 (+ a.list); L1 upgrades a; L2 adds
 * a distroless status.d file; L3 removes b by rewriting status. */
static char *pkg_image(int delete_status)
{
    char *dir = fx_tempdir();
    fx_buf t[4] = {{0}}, g[4] = {{0}};
    static const char osr[] = "ID=debian\nVERSION_ID=\"12\"\n";
    static const char s0[] = "Package: a\nStatus: install ok installed\n"
                             "Version: 1.0\nArchitecture: amd64\n\n"
                             "Package: b\nStatus: install ok installed\n"
                             "Version: 1.0\nArchitecture: all\n";
    static const char s1[] = "Package: a\nStatus: install ok installed\n"
                             "Version: 1.1\nArchitecture: amd64\n\n"
                             "Package: b\nStatus: install ok installed\n"
                             "Version: 1.0\nArchitecture: all\n";
    static const char s3[] = "Package: a\nStatus: install ok installed\n"
                             "Version: 1.1\nArchitecture: amd64\n\n"
                             "Package: b\nStatus: deinstall ok config-files\n"
                             "Version: 1.0\nArchitecture: all\n";
    static const char list[] = "/.\n/usr\n/usr/bin/a\n";
    static const char sd[] = "Package: c\nVersion: 2\nArchitecture: amd64\n";
    fx_tar_entry(&t[0], "etc/os-release", '0', NULL, osr, sizeof osr - 1);
    fx_tar_entry(&t[0], "var/lib/dpkg/status", '0', NULL, s0, sizeof s0 - 1);
    fx_tar_entry(&t[0], "var/lib/dpkg/info/a:amd64.list", '0', NULL, list,
                 sizeof list - 1);
    fx_tar_end(&t[0]);
    fx_tar_entry(&t[1], "./var/lib/dpkg/status", '0', NULL, s1, sizeof s1 - 1);
    fx_tar_end(&t[1]);
    fx_tar_entry(&t[2], "var/lib/dpkg/status.d/c", '0', NULL, sd,
                 sizeof sd - 1);
    static const char md5[] = "0123456789abcdef0123456789abcdef  usr/bin/c\n"
                              "fedcba9876543210fedcba9876543210  etc/c.conf\n";
    fx_tar_entry(&t[2], "var/lib/dpkg/status.d/c.md5sums", '0', NULL, md5,
                 sizeof md5 - 1);
    fx_tar_end(&t[2]);
    if (delete_status) {
        fx_tar_entry(&t[3], "var/lib/dpkg/.wh.status", '0', NULL, NULL, 0);
    } else {
        fx_tar_entry(&t[3], "var/lib/dpkg/status", '0', NULL, s3,
                     sizeof s3 - 1);
    }
    fx_tar_end(&t[3]);
    for (int i = 0; i < 4; i++) {
        fx_gzip(&t[i], &g[i]);
    }
    fx_oci_layout(dir, "pkg:1", "amd64", g, t, 4,
                  "\"history\":[{\"created_by\":\"l0\"},{\"created_by\":"
                  "\"l1\"},{\"created_by\":\"meta\",\"empty_layer\":true},"
                  "{\"created_by\":\"l2\"},{\"created_by\":\"l3\"}]");
    for (int i = 0; i < 4; i++) {
        fx_buf_free(&t[i]);
        fx_buf_free(&g[i]);
    }
    return dir;
}

static const dd_package *inv_pkg(const dd_inventory *inv, const char *name)
{
    for (size_t i = 0; i < dd_inventory_count(inv); i++) {
        if (!strcmp(dd_inventory_get(inv, i)->name, name)) {
            return dd_inventory_get(inv, i);
        }
    }
    return NULL;
}

/* a dd_write_fn collecting into a buffer, or failing */
typedef struct sink_t {
    dd__buf b;
    int fail;
} sink_t;

static int sink_fn(void *p, const void *buf, size_t len)
{
    sink_t *k = p;
    return k->fail ? -1 : dd__buf_add(&k->b, buf, len);
}

static void test_pkg__inventory_attribution(void)
{
    for (int del = 0; del < 2; del++) {
        char *dir = pkg_image(del);
        dd_image *img = NULL;
        dd_scan *s = NULL;
        dd_error err;
        CHECK(dd_image_open(&img, dir, NULL, &err) == 0);
        dd_scan_opts so = DD_SCAN_OPTS_INIT;
        so.walk.threads = del ? 1 : 4;
        dd_engine *eng = NULL;
        CHECK(dd_engine_new(&eng, NULL, &err) == 0);
        CHECK(dd_scan_run(&s, eng, img, &so, &err) == 0);
        dd_engine_free(eng); /* the scan holds a reference */
        const dd_inventory *inv = dd_scan_inventory(s);
        CHECK(inv && dd_inventory_complete(inv));
        CHECK_STR(dd_inventory_os(inv)->family, "debian");
        const dd_package *a = inv_pkg(inv, "a"), *c = inv_pkg(inv, "c");
        CHECK(!inv_pkg(inv, "b")); /* removed by layer 3 */
        CHECK(c && c->layer == 2 && c->history == 3);
        CHECK_STR(c->db_path, "var/lib/dpkg/status.d/c");
        CHECK(c->n_files == 2);
        CHECK_STR(c->files[1], "etc/c.conf");
        if (del) {
            CHECK(!a && dd_inventory_count(inv) == 1);
        } else {
            CHECK(a && a->layer == 1 && a->history == 1);
            CHECK_STR(a->version, "1.1");
            CHECK(a->n_files == 2);
            CHECK_STR(a->files[1], "usr/bin/a");
            CHECK(dd_inventory_count(inv) == 2);
            char *doc = NULL;
            CHECK(dd_sbom_render(&doc, s, img, DD_SBOM_CYCLONEDX, NULL, &err) ==
                  0);
            CHECK(strstr(doc, "\"specVersion\": \"1.6\"") &&
                  strstr(doc,
                         "pkg:deb/debian/a@1.1?arch=amd64&distro=debian-12"));
            dd_string_free(doc);
            CHECK(dd_sbom_render(&doc, s, img, DD_SBOM_SPDX, NULL, &err) == 0);
            CHECK(strstr(doc, "\"SPDX-2.3\"") &&
                  strstr(doc, "SPDXRef-Package-"));
            dd_string_free(doc);
            /* streamed (dd_sbom_write): the same bytes as rendered, a
             * failing callback stops it with DD_EIO, and a failed
             * allocation is an error, never a crash or a leak */
            CHECK(dd_sbom_render(&doc, s, img, DD_SBOM_JSON, NULL, &err) == 0);
            sink_t k = {0};
            dd__buf_init(&k.b, 0);
            CHECK(dd_sbom_write(s, img, DD_SBOM_JSON, NULL, sink_fn, &k,
                                &err) == 0);
            CHECK_STR(k.b.ptr, doc);
            dd_string_free(doc);
            dd__buf_free(&k.b);
            k.fail = 1;
            CHECK(dd_sbom_write(s, img, DD_SBOM_CYCLONEDX, NULL, sink_fn, &k,
                                &err) == DD_EIO);
            CHECK(strstr(err.message, "writing the SBOM failed"));
            k.fail = 0;
            for (int f = 0; f < 3; f++) {
                int ok = 0;
                for (long n = 1; n < 400 && !ok; n++) {
                    dd__buf_init(&k.b, 0);
                    dd__alloc_fail_after(n);
                    int rc = dd_sbom_write(s, img, (dd_sbom_format)f, NULL,
                                           sink_fn, &k, &err);
                    dd__alloc_fail_after(0);
                    dd__buf_free(&k.b);
                    /* DD_EIO: the sink's own buffer failed to grow */
                    CHECK(rc == 0 || rc == DD_ENOMEM || rc == DD_EIO);
                    ok = rc == 0;
                }
                CHECK(ok);
            }
        }
        dd_scan_free(s);
        dd_image_free(img);
        fx_rmtree(dir);
    }
}

static void test_pkg__out_of_memory_everywhere(void)
{
    char *dir = pkg_image(0);
    dd_image *img = NULL;
    dd_error err;
    CHECK(dd_image_open(&img, dir, NULL, &err) == 0);
    dd_engine *eng = NULL;
    CHECK(dd_engine_new(&eng, NULL, &err) == 0);
    int ok_runs = 0;
    for (long n = 1; n < 4000; n += 7) {
        dd_scan *s = NULL;
        dd_scan_opts so = DD_SCAN_OPTS_INIT;
        so.walk.threads = 1;
        dd__alloc_fail_after(n);
        int rc = dd_scan_run(&s, eng, img, &so, &err);
        dd__alloc_fail_after(0);
        if (!(rc == 0 || rc == DD_ENOMEM || rc == DD_EIO)) {
            fprintf(stderr, "n=%ld rc=%d %s\n", n, rc, err.message);
        }
        CHECK(rc == 0 || rc == DD_ENOMEM || rc == DD_EIO);
        if (rc == 0) {
            ok_runs++;
        }
        dd_scan_free(s);
    }
    CHECK(ok_runs > 0);
    dd_engine_free(eng);
    dd_image_free(img);
    fx_rmtree(dir);
}

TEST_LIST(T(test_pkg__dpkg_states_sources_versions),
          T(test_pkg__dpkg_version_rules),
          T(test_pkg__apk_fields_files_checksums),
          T(test_pkg__rpm_header_fields_and_truncation),
          T(test_pkg__rpmdb_ndb_bdb_hostile),
          T(test_pkg__rpmdb_sqlite),
          T(test_pkg__os_detect_and_eol),
          T(test_pkg__purls),
          T(test_pkg__inventory_attribution),
          T(test_pkg__out_of_memory_everywhere))
