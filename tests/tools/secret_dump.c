/*
 * tests/tools/secret_dump.c - run the secret engine on files and print
 * "file<TAB>line<TAB>rule<TAB>redacted" per finding (for the labelled
 * precision/recall measurement). Files are scanned as if they were at
 * their own name in an image (path rules use the basename).
 *
 *   secret_dump [--config JSON] FILE...
 */
#include <stdio.h>
#include <string.h>

#include "lib/secret/secret.h"
#include "util/util.h"

typedef struct ctx {
    const char *name;
} ctx;

static int cb(void *p, const dd__secret_match *m)
{
    const ctx *c = p;
    printf("%s\t%zu\t%s\t%s\n", c->name, m->line, m->rule_id, m->redacted);
    return 0;
}

int main(int argc, char **argv)
{
    int i = 1;
    const char *cfg = NULL;
    if (argc > 2 && !strcmp(argv[1], "--config")) {
        cfg = argv[2];
        i = 3;
    }
    dd__secret_engine *e = NULL;
    dd_error err;
    if (dd__secret_engine_new(&e, cfg, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    int rc = 0;
    for (; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) {
            perror(argv[i]);
            rc = 2;
            continue;
        }
        dd__buf b;
        dd__buf_init(&b, 64u << 20);
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
            dd__buf_add(&b, chunk, n);
        }
        fclose(f);
        const char *base = strrchr(argv[i], '/');
        ctx c = {base ? base + 1 : argv[i]};
        dd__secret_scan(e, c.name, (const uint8_t *)(b.ptr ? b.ptr : ""), b.len,
                        cb, &c);
        dd__buf_free(&b);
    }
    dd__secret_engine_free(e);
    return rc;
}
