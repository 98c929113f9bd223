/*
 * drydock/errors.h - status codes and the caller-owned error record.
 *
 * Every library function that can fail returns an int: 0 on success, one of
 * the negative DD_E* codes on failure. Details go into a dd_error the caller
 * owns (stack storage is fine); the library never prints and never exits.
 * Findings (a malicious tar entry, a digest mismatch) are NOT errors: they are
 * reported through dd_findings and the call still returns 0 when the rest of
 * the work could be done. Codes are never renumbered.
 */
#ifndef DRYDOCK_ERRORS_H
#define DRYDOCK_ERRORS_H

#include "common.h"

DD_BEGIN_DECLS

typedef enum dd_error_code {
    DD_OK = 0,
    DD_ERROR = -1,        /* generic failure, see dd_error.message */
    DD_ENOTFOUND = -3,    /* image, tag, blob or path absent */
    DD_EINVALID = -4,     /* invalid argument or API misuse */
    DD_ECORRUPT = -5,     /* malformed untrusted input */
    DD_ELIMIT = -6,       /* a configured resource limit was hit */
    DD_EUNSUPPORTED = -7, /* valid input we do not handle */
    DD_ENOMEM = -8,
    DD_EIO = -9,
    DD_ENET = -10,
    DD_EUSER = -11,      /* a callback asked to stop; passed through */
    DD_EAMBIGUOUS = -12, /* several candidates (tags, platforms) match */
    DD_ECANCELED = -13   /* the caller's cancel callback stopped the work */
} dd_error_code;

/* The error record. `message` is one line, no trailing newline, naming the
 * file/layer/offset concerned where there is one. */
typedef struct dd_error {
    int code;
    char message[1024];
} dd_error;

/* Static English name of a code ("corrupt input", ...). Never NULL. */
DD_API const char *dd_strerror(int code);

DD_END_DECLS

#endif
