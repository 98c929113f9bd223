/*
 * cli/cmd_docs.c - what is generated from the option tables, so that it
 * cannot drift from the program: `drydock version` (with the rule packs'
 * ids and the database's age), `drydock completion bash|zsh|fish` and
 * `drydock man [COMMAND]` (roff; meson builds and installs drydock.1 and
 * drydock-COMMAND.1 with it).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"

/* ------------------------------------------------------------ version */

static const cli_opt version_opts[] = {
    {"db", 0, "PATH", 1, 0, NULL,
     "the database whose age to show (default: the cache's)"},
    {NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_version = {
    "version",
    "[options]   (also: drydock --version)",
    "Print drydock's version, the library's, the id and size of each\n"
    "built-in rule pack (the first 12 hex digits of the SHA-256 of its\n"
    "rules: two builds with the same id run the same rules) and the\n"
    "vulnerability database's path and age.\n",
    version_opts,
    CLI_G_OUT,
    "table,json",
    0};

static int version_opt(void *ctx, int key, const char *label, const char *v)
{
    (void)key, (void)label;
    *(const char **)ctx = v;
    return 0;
}

int cmd_version(int argc, char **argv)
{
    const char *dbopt = NULL;
    cli_common c;
    cli_common_init(&c);
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int prc = cli_parse(&cli_cmd_version, &c, argc, argv, version_opt, &dbopt,
                        pos, &np);
    if (prc) {
        return prc < 0 ? 0 : prc;
    }
    if ((prc = cli_args(&cli_cmd_version, pos, np, 0, 0, NULL))) {
        return prc;
    }
    char dbbuf[4096];
    const char *db = cli_db_path(dbopt, c.cache_dir, dbbuf, sizeof dbbuf);
    int64_t age = -1;
    const char *dbstate = "absent";
    dd_vulndb *h = NULL;
    dd_error err;
    if (db && dd_vulndb_open(&h, db, &err) == 0) {
        age = dd_vulndb_age(h);
        dd_vulndb_close(h);
        dbstate = "present";
    } else if (db && err.code != DD_ENOTFOUND) {
        dbstate = "unreadable";
    }
    char updated[64] = "";
    if (age >= 0) {
        time_t t = time(NULL) - (time_t)age;
        struct tm tm;
        if (gmtime_r(&t, &tm)) {
            strftime(updated, sizeof updated, "%Y-%m-%dT%H:%M:%SZ", &tm);
        }
    }
    FILE *out = stdout;
    if (!strcmp(c.format, "json")) {
        json_t *doc = json_object(), *packs = json_array();
        json_object_set_new(doc, "version", json_string(DRYDOCK_VERSION));
        json_object_set_new(doc, "library", json_string(dd_library_version()));
        for (size_t i = 0; i < dd_rule_pack_count(); i++) {
            dd_rule_pack p;
            if (dd_rule_pack_get(i, &p) == 0) {
                json_t *o = json_object();
                json_object_set_new(o, "name", json_string(p.name));
                json_object_set_new(o, p.what,
                                    json_integer((json_int_t)p.count));
                json_object_set_new(o, "id", json_string(p.id));
                json_array_append_new(packs, o);
            }
        }
        json_object_set_new(doc, "rule_packs", packs);
        json_t *d = json_object();
        json_object_set_new(d, "path", db ? json_string(db) : json_null());
        json_object_set_new(d, "state", json_string(dbstate));
        if (age >= 0) {
            json_object_set_new(d, "age_seconds", json_integer(age));
            json_object_set_new(d, "updated", json_string(updated));
        }
        json_object_set_new(doc, "db", d);
        char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(doc);
        if (!s) {
            fprintf(stderr, "drydock version: out of memory\n");
            return EXIT_UNREADABLE;
        }
        fprintf(out, "%s\n", s);
        free(s);
        return 0;
    }
    fprintf(out, "drydock %s (libdrydock %s)\n", DRYDOCK_VERSION,
            dd_library_version());
    fprintf(out, "rule packs:\n");
    for (size_t i = 0; i < dd_rule_pack_count(); i++) {
        dd_rule_pack p;
        if (dd_rule_pack_get(i, &p) == 0) {
            fprintf(out, "  %-10s %5zu %-7s id %s\n", p.name, p.count, p.what,
                    p.id);
        }
    }
    if (age >= 0) {
        fprintf(out,
                "vulnerability database: %s\n  updated %s (%lld day%s "
                "ago)\n",
                cli_esc(db), updated, (long long)(age / 86400),
                age / 86400 == 1 ? "" : "s");
    } else if (!strcmp(dbstate, "present")) {
        fprintf(out, "vulnerability database: %s (age unknown)\n", cli_esc(db));
    } else {
        fprintf(out,
                "vulnerability database: %s at %s; run `drydock db update`\n",
                dbstate, db ? cli_esc(db) : "(no path)");
    }
    return 0;
}

/* --------------------------------------------------------- completion */

static const cli_opt completion_opts[] = {{NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_completion = {
    "completion",
    "bash|zsh|fish",
    "Print a completion script for the shell, generated from the same\n"
    "option tables as --help. Install it with e.g.\n"
    "  drydock completion bash > /etc/bash_completion.d/drydock\n"
    "  drydock completion zsh > \"${fpath[1]}/_drydock\"\n"
    "  drydock completion fish > ~/.config/fish/completions/drydock.fish\n",
    completion_opts,
    0,
    NULL,
    0};

/* the commands a user types, with Trivy's spellings */
static const struct {
    const char *word;
    const char *table; /* cli_cmd name */
    const char *about;
} words[] = {
    {"scan", "scan", "vulnerabilities, secrets, malware, configuration"},
    {"image", "scan", "same as scan"},
    {"fs", "scan", "scan fs:PATH (a project directory or file)"},
    {"rootfs", "scan", "scan rootfs:DIR (an unpacked root file system)"},
    {"sbom", "sbom", "package inventory (CycloneDX, SPDX, JSON)"},
    {"inspect", "inspect", "metadata, layers, history, integrity"},
    {"ls", "ls", "list the merged filesystem"},
    {"history", "history", "build steps and their checks"},
    {"dockerfile", "dockerfile", "configuration checks on Dockerfiles"},
    {"config", "dockerfile", "same as dockerfile"},
    {"registry", "registry", "list, sweep or audit a registry"},
    {"lookalike", "lookalike", "image names that imitate well-known ones"},
    {"verify", "verify", "verify an image's signatures"},
    {"verify-blob", "verify-blob", "verify a Sigstore bundle"},
    {"policy", "policy", "allow or deny an image by a policy"},
    {"server", "server", "the scanning service (REST API, job queue)"},
    {"db", "db", "the vulnerability database"},
    {"vercmp", "vercmp", "compare versions as an ecosystem does"},
    {"version", "version", "version, rule packs, database age"},
    {"completion", "completion", "shell completion script"},
    {"man", "man", "manual page"},
    {"help", NULL, "help on a command"},
};
#define N_WORDS (sizeof words / sizeof *words)

static const cli_cmd *cmd_named(const char *name)
{
    for (size_t i = 0; cli_commands[i]; i++) {
        if (!strcmp(cli_commands[i]->name, name)) {
            return cli_commands[i];
        }
    }
    return NULL;
}

/* values an option's argument completes to, or NULL (files) */
static const char *
values_of(const cli_cmd *cmd, const cli_opt *o, char *buf, size_t n)
{
    if (o->key == CLI_K_FORMAT) {
        snprintf(buf, n, "%s", cli_formats(cmd));
    } else if (!strcmp(o->name, "severity")) {
        snprintf(buf, n, "UNKNOWN,INFO,LOW,MEDIUM,HIGH,CRITICAL");
    } else if (!strcmp(o->name, "fail-on")) {
        snprintf(buf, n, "none,low,medium,high,critical");
    } else if (!strcmp(o->name, "scanners")) {
        snprintf(buf, n, "vuln,secret,malware,config,misconfig");
    } else {
        return NULL;
    }
    for (char *p = buf; *p; p++) {
        if (*p == ',') {
            *p = ' ';
        }
    }
    return buf;
}

/* does an option's argument name a file or directory? */
static int file_arg(const cli_opt *o)
{
    static const char *const file_words[] = {"PATH", "FILE",   "DIR", "PEM",
                                             "CERT", "BUNDLE", "ROOT"};
    for (size_t i = 0; i < sizeof file_words / sizeof *file_words; i++) {
        if (o->arg && strstr(o->arg, file_words[i])) {
            return 1;
        }
    }
    return 0;
}

/* every spelling of an option, "--name --alias -x" */
static void spellings(const cli_opt *o, char *buf, size_t n)
{
    int k = snprintf(buf, n, "--%s", o->name);
    for (const char *a = o->aliases; a && *a && k > 0 && (size_t)k < n;) {
        size_t l = strcspn(a, ",");
        k += snprintf(buf + k, n - (size_t)k, " --%.*s", (int)l, a);
        a += l + (a[l] == ',');
    }
    if (o->shortc && k > 0 && (size_t)k < n) {
        snprintf(buf + k, n - (size_t)k, " -%c", o->shortc);
    }
}

/* a help line for a shell's single-quoted string: no quotes, one line */
static void sh_text(FILE *out, const char *s, size_t max)
{
    size_t i = 0;
    for (; s && *s && *s != '\n' && i < max; s++, i++) {
        if (*s == '\'') {
            fputs("'\\''", out);
        } else {
            fputc(*s == ':' ? ';' : *s, out);
        }
    }
}

/* every option of a command, in help order, into out (at most max) */
static size_t all_opts(const cli_cmd *cmd, const cli_opt **out, size_t max)
{
    const cli_opt *t[6];
    size_t nt = cli_opt_tables(cmd, t), n = 0;
    for (size_t i = 0; i < nt; i++) {
        for (const cli_opt *o = t[i]; o->name && n < max; o++) {
            out[n++] = o;
        }
    }
    return n;
}
#define MAX_OPTS 128

static void bash_script(FILE *out)
{
    fprintf(out,
            "# bash completion for drydock %s (drydock completion bash)\n"
            "_drydock() {\n"
            "  local cur=${COMP_WORDS[COMP_CWORD]} "
            "prev=${COMP_WORDS[COMP_CWORD-1]} opts='' vals=''\n"
            "  if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
            "    COMPREPLY=($(compgen -W '",
            DRYDOCK_VERSION);
    for (size_t i = 0; i < N_WORDS; i++) {
        fprintf(out, "%s%s", i ? " " : "", words[i].word);
    }
    fprintf(out, " --help --version' -- \"$cur\"))\n    return\n  fi\n"
                 "  case ${COMP_WORDS[1]} in\n");
    for (size_t i = 0; i < N_WORDS; i++) {
        const cli_cmd *cmd = words[i].table ? cmd_named(words[i].table) : NULL;
        if (!cmd && words[i].table) {
            continue;
        }
        fprintf(out, "  %s)\n", words[i].word);
        if (!cmd) { /* help */
            fprintf(out, "    COMPREPLY=($(compgen -W '");
            for (size_t j = 0; j < N_WORDS; j++) {
                fprintf(out, "%s%s", j ? " " : "", words[j].word);
            }
            fprintf(out, "' -- \"$cur\"))\n    return ;;\n");
            continue;
        }
        if (!strcmp(cmd->name, "completion")) {
            fprintf(out, "    COMPREPLY=($(compgen -W 'bash zsh fish' -- "
                         "\"$cur\"))\n    return ;;\n");
            continue;
        }
        if (!strcmp(cmd->name, "man")) {
            fprintf(out, "    COMPREPLY=($(compgen -W '");
            for (size_t j = 0; cli_commands[j]; j++) {
                fprintf(out, "%s", j ? " " : "");
                for (const char *p = cli_commands[j]->name; *p; p++) {
                    fputc(*p == ' ' ? '-' : *p, out);
                }
            }
            fprintf(out, "' -- \"$cur\"))\n    return ;;\n");
            continue;
        }
        const cli_opt *ol[MAX_OPTS];
        size_t no = all_opts(cmd, ol, MAX_OPTS);
        fprintf(out, "    opts='");
        int first = 1;
        char sp[256], vb[256];
        for (size_t oi = 0; oi < no; oi++) {
            const cli_opt *o = ol[oi];
            spellings(o, sp, sizeof sp);
            fprintf(out, "%s%s", first ? "" : " ", sp);
            first = 0;
        }
        fprintf(out, "'\n    case $prev in\n");
        for (size_t oi = 0; oi < no; oi++) {
            const cli_opt *o2 = ol[oi];
            if (!o2->arg) {
                continue;
            }
            spellings(o2, sp, sizeof sp);
            for (char *p = sp; *p; p++) {
                if (*p == ' ') {
                    *p = '|';
                }
            }
            const char *v = values_of(cmd, o2, vb, sizeof vb);
            if (v) {
                fprintf(out, "    %s) vals='%s' ;;\n", sp, v);
            } else if (!file_arg(o2)) {
                fprintf(out, "    %s) COMPREPLY=(); return ;;\n", sp);
            } else {
                fprintf(out,
                        "    %s) COMPREPLY=($(compgen -f -- \"$cur\")); "
                        "return ;;\n",
                        sp);
            }
        }
        fprintf(out, "    esac ;;\n");
    }
    fprintf(out, "  esac\n"
                 "  if [ -n \"$vals\" ]; then\n"
                 "    COMPREPLY=($(compgen -W \"$vals\" -- \"${cur##*,}\"))\n"
                 "  elif [[ $cur == -* ]]; then\n"
                 "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
                 "  else\n"
                 "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
                 "  fi\n"
                 "}\n"
                 "complete -o default -F _drydock drydock\n");
}

static void zsh_script(FILE *out)
{
    fprintf(out,
            "#compdef drydock\n"
            "# zsh completion for drydock %s (drydock completion zsh)\n"
            "_drydock() {\n"
            "  local -a cmds\n"
            "  cmds=(\n",
            DRYDOCK_VERSION);
    for (size_t i = 0; i < N_WORDS; i++) {
        fprintf(out, "    '%s:", words[i].word);
        sh_text(out, words[i].about, 200);
        fprintf(out, "'\n");
    }
    fprintf(out, "  )\n"
                 "  if (( CURRENT == 2 )); then\n"
                 "    _describe command cmds\n"
                 "    return\n"
                 "  fi\n"
                 "  local cmd=$words[2]\n"
                 "  shift words; (( CURRENT-- ))\n"
                 "  case $cmd in\n");
    char vb[256];
    for (size_t i = 0; i < N_WORDS; i++) {
        const cli_cmd *cmd = words[i].table ? cmd_named(words[i].table) : NULL;
        if (!cmd) {
            if (!words[i].table) {
                fprintf(out, "  help) _describe command cmds ;;\n");
            }
            continue;
        }
        if (!strcmp(cmd->name, "completion")) {
            fprintf(out, "  completion) _values shell bash zsh fish ;;\n");
            continue;
        }
        const cli_opt *ol[MAX_OPTS];
        size_t no = all_opts(cmd, ol, MAX_OPTS);
        fprintf(out, "  %s)\n    _arguments -s \\\n", words[i].word);
        for (size_t oi = 0; oi < no; oi++) {
            const cli_opt *o = ol[oi];
            char names[256];
            spellings(o, names, sizeof names);
            char help[512];
            cli_opt_help_text(o, cli_formats(cmd), help, sizeof help);
            const char *v = o->arg ? values_of(cmd, o, vb, sizeof vb) : NULL;
            /* '(excl)'{a,b}'[help]:arg:action' - one spec per spelling */
            for (char *s = names; *s;) {
                size_t l = strcspn(s, " ");
                fprintf(out, "      '%s%.*s%s[",
                        o->flags & CLI_REPEAT ? "*" : "", (int)l, s,
                        o->arg && s[1] == '-' ? "=" : "");
                for (const char *h = help; *h; h++) {
                    /* brackets and quotes end the zsh spec */
                    fputc(*h == '\'' || *h == '[' || *h == ']' ? ' '
                          : *h == ':'                          ? ';'
                                                               : *h,
                          out);
                }
                fputc(']', out);
                if (o->arg) {
                    fprintf(out, ":%s:", o->arg);
                    if (v) {
                        fprintf(out, "(%s)", v);
                    } else if (file_arg(o)) {
                        fprintf(out, "_files");
                    } else {
                        fprintf(out, " ");
                    }
                }
                fprintf(out, "' \\\n");
                s += l;
                while (*s == ' ') {
                    s++;
                }
            }
        }
        fprintf(out, "      '*:argument:_files' ;;\n");
    }
    fprintf(out, "  esac\n}\n_drydock \"$@\"\n");
}

static void fish_script(FILE *out)
{
    fprintf(out,
            "# fish completion for drydock %s (drydock completion fish)\n"
            "complete -c drydock -f\n",
            DRYDOCK_VERSION);
    for (size_t i = 0; i < N_WORDS; i++) {
        fprintf(out, "complete -c drydock -n __fish_use_subcommand -a %s -d '",
                words[i].word);
        sh_text(out, words[i].about, 200);
        fprintf(out, "'\n");
    }
    char vb[256];
    for (size_t i = 0; i < N_WORDS; i++) {
        const cli_cmd *cmd = words[i].table ? cmd_named(words[i].table) : NULL;
        if (!cmd) {
            continue;
        }
        if (!strcmp(cmd->name, "completion")) {
            fprintf(out, "complete -c drydock -n '__fish_seen_subcommand_from "
                         "completion' -a 'bash zsh fish'\n");
            continue;
        }
        fprintf(out,
                "complete -c drydock -n '__fish_seen_subcommand_from %s' -F\n",
                words[i].word);
        const cli_opt *ol[MAX_OPTS];
        size_t no = all_opts(cmd, ol, MAX_OPTS);
        for (size_t oi = 0; oi < no; oi++) {
            const cli_opt *o = ol[oi];
            fprintf(out,
                    "complete -c drydock -n '__fish_seen_subcommand_from %s' "
                    "-l %s",
                    words[i].word, o->name);
            if (o->shortc) {
                fprintf(out, " -s %c", o->shortc);
            }
            if (o->arg) {
                const char *v = values_of(cmd, o, vb, sizeof vb);
                fprintf(out,
                        v             ? " -x -a '%s'"
                        : file_arg(o) ? " -r -F"
                                      : " -x",
                        v ? v : "");
            }
            char help[512];
            cli_opt_help_text(o, cli_formats(cmd), help, sizeof help);
            fprintf(out, " -d '");
            sh_text(out, help, 100);
            fprintf(out, "'\n");
            for (const char *a = o->aliases; a && *a;) {
                size_t l = strcspn(a, ",");
                fprintf(out,
                        "complete -c drydock -n '__fish_seen_subcommand_from "
                        "%s' -l %.*s%s -d 'same as --%s'\n",
                        words[i].word, (int)l, a, o->arg ? " -r" : "", o->name);
                a += l + (a[l] == ',');
            }
        }
    }
}

int cmd_completion(int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int prc =
        cli_parse(&cli_cmd_completion, NULL, argc, argv, NULL, NULL, pos, &np);
    if (prc) {
        return prc < 0 ? 0 : prc;
    }
    if ((prc = cli_args(&cli_cmd_completion, pos, np, 1, 1, "SHELL"))) {
        return prc;
    }
    if (!strcmp(pos[0], "bash")) {
        bash_script(stdout);
    } else if (!strcmp(pos[0], "zsh")) {
        zsh_script(stdout);
    } else if (!strcmp(pos[0], "fish")) {
        fish_script(stdout);
    } else {
        fprintf(stderr,
                "drydock completion: unknown shell '%s' (bash, zsh or "
                "fish)\n",
                cli_esc(pos[0]));
        return EXIT_USAGE;
    }
    return 0;
}

/* ---------------------------------------------------------------- man */

static const cli_opt man_opts[] = {{NULL, 0, NULL, 0, 0, NULL, NULL}};

const cli_cmd cli_cmd_man = {
    "man",
    "[COMMAND]",
    "Print the manual page (roff) of drydock, or of one command (\"scan\",\n"
    "\"registry-audit\"), generated from the option tables: `drydock man\n"
    "scan | man -l -`. `meson install` installs them all.\n",
    man_opts,
    0,
    NULL,
    0};

/* roff text: escape backslashes and hyphens, and a line's leading . or ' */
static void roff(FILE *out, const char *s, size_t n)
{
    int bol = 1;
    for (size_t i = 0; i < n && s[i]; i++) {
        char ch = s[i];
        if (bol && (ch == '.' || ch == '\'')) {
            fputs("\\&", out);
        }
        if (ch == '\\') {
            fputs("\\e", out);
        } else if (ch == '-') {
            fputs("\\-", out);
        } else {
            fputc(ch, out);
        }
        bol = ch == '\n';
    }
}

static void roff_s(FILE *out, const char *s)
{
    roff(out, s, s ? strlen(s) : 0);
}

/* paragraphs of an about text: lines indented by two or more spaces
 * keep their layout (.nf), others flow */
static void roff_about(FILE *out, const char *s)
{
    int nf = 0;
    while (s && *s) {
        size_t l = strcspn(s, "\n");
        int pre = l >= 2 && s[0] == ' ' && s[1] == ' ';
        if (pre && !nf) {
            fputs(".nf\n", out);
            nf = 1;
        } else if (!pre && nf) {
            fputs(".fi\n", out);
            nf = 0;
        }
        if (l == 0) {
            fputs(".PP\n", out);
        } else {
            roff(out, s, l);
            fputc('\n', out);
        }
        s += l + (s[l] == '\n');
    }
    if (nf) {
        fputs(".fi\n", out);
    }
}

static void man_header(FILE *out, const char *page, const char *what)
{
    fprintf(out, ".TH ");
    for (const char *p = page; *p; p++) {
        fputc(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p, out);
    }
    fprintf(out, " 1 \"\" \"drydock %s\" \"drydock manual\"\n.SH NAME\n",
            DRYDOCK_VERSION);
    roff_s(out, page);
    fputs(" \\- ", out);
    roff_s(out, what);
    fputc('\n', out);
}

static void man_command(FILE *out, const cli_cmd *cmd, const char *page)
{
    char first[256];
    const char *what = NULL;
    for (size_t i = 0; i < N_WORDS && !what; i++) {
        if (words[i].table && !strcmp(words[i].table, cmd->name)) {
            what = words[i].about;
        }
    }
    if (what) {
        snprintf(first, sizeof first, "%s", what);
    } else { /* the about text's first sentence, on one line */
        const char *a = cmd->about ? cmd->about : cmd->name;
        size_t k = 0;
        for (; a[k] && k + 1 < sizeof first; k++) {
            if (a[k] == '.' &&
                (a[k + 1] == ' ' || a[k + 1] == '\n' || !a[k + 1])) {
                break;
            }
            first[k] = a[k] == '\n' ? ' ' : a[k];
        }
        first[k] = 0;
    }
    man_header(out, page, first);
    fputs(".SH SYNOPSIS\n.nf\n\\fBdrydock ", out);
    roff_s(out, cmd->name);
    fputs("\\fR ", out);
    roff_s(out, cmd->synopsis);
    fputs("\n.fi\n", out);
    if (cmd->about) {
        fputs(".SH DESCRIPTION\n", out);
        roff_about(out, cmd->about);
    }
    fputs(".SH OPTIONS\n", out);
    const cli_opt *t[6];
    size_t nt = cli_opt_tables(cmd, t);
    for (size_t i = 0; i < nt; i++) {
        if (!t[i][0].name) {
            continue;
        }
        fputs(".SS ", out);
        roff_s(out, cli_opt_table_title(cmd, t[i]));
        fputc('\n', out);
        for (const cli_opt *o = t[i]; o->name; o++) {
            fputs(".TP\n", out);
            if (o->shortc) {
                fprintf(out, "\\fB\\-%c\\fR, ", o->shortc);
            }
            fputs("\\fB\\-\\-", out);
            roff_s(out, o->name);
            fputs("\\fR", out);
            if (o->arg) {
                fputs(" \\fI", out);
                roff_s(out, o->arg);
                fputs("\\fR", out);
            }
            fputc('\n', out);
            char help[512];
            cli_opt_help_text(o, cli_formats(cmd), help, sizeof help);
            roff_s(out, help[0] ? help : "(see the option above)");
            fprintf(out, "\n");
            if (!(o->flags & CLI_NOENV)) {
                fputs(".br\nEnvironment: DRYDOCK_", out);
                for (const char *p = o->name; *p; p++) {
                    fputc(*p == '-'                ? '_'
                          : *p >= 'a' && *p <= 'z' ? *p - 'a' + 'A'
                                                   : *p,
                          out);
                }
                fputc('\n', out);
            }
        }
    }
    fputs(".SH SEE ALSO\n\\fBdrydock\\fR(1)\n", out);
}

static void man_main(FILE *out)
{
    man_header(out, "drydock", "container image security scanner");
    fputs(".SH SYNOPSIS\n\\fBdrydock\\fR \\fICOMMAND\\fR [options]\n"
          ".SH DESCRIPTION\n",
          out);
    /* the --help text after its first two lines ("drydock X - ...") */
    const char *s = strstr(cli_usage, "\nCommands:");
    roff_about(out, s ? s + 1 : cli_usage);
    fputs(".SH SEE ALSO\n", out);
    for (size_t i = 0; cli_commands[i]; i++) {
        fputs(i ? ", " : "", out);
        fputs("\\fBdrydock\\-", out);
        for (const char *p = cli_commands[i]->name; *p; p++) {
            fputs(*p == ' ' || *p == '-' ? "\\-" : (char[]){*p, 0}, out);
        }
        fputs("\\fR(1)", out);
    }
    fputc('\n', out);
}

int cmd_man(int argc, char **argv)
{
    const char *pos[CLI_MAX_POS];
    size_t np = 0;
    int prc = cli_parse(&cli_cmd_man, NULL, argc, argv, NULL, NULL, pos, &np);
    if (prc) {
        return prc < 0 ? 0 : prc;
    }
    if ((prc = cli_args(&cli_cmd_man, pos, np, 0, 1, "COMMAND"))) {
        return prc;
    }
    if (!np || !strcmp(pos[0], "drydock")) {
        man_main(stdout);
        return 0;
    }
    const char *want = pos[0];
    if (!strncmp(want, "drydock-", 8)) {
        want += 8;
    }
    for (size_t i = 0; cli_commands[i]; i++) {
        char page[128] = "drydock-";
        size_t k = 8;
        for (const char *p = cli_commands[i]->name; *p && k + 1 < sizeof page;
             p++) {
            page[k++] = *p == ' ' ? '-' : *p;
        }
        page[k] = 0;
        if (!strcmp(page + 8, want) || !strcmp(cli_commands[i]->name, want)) {
            man_command(stdout, cli_commands[i], page);
            return 0;
        }
    }
    fprintf(stderr, "drydock man: no command '%s'; see 'drydock --help'\n",
            cli_esc(want));
    return EXIT_USAGE;
}
