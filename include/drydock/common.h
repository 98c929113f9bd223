/*
 * drydock/common.h - export macros and C++ guards shared by every public
 * header. Nothing here allocates or has state.
 */
#ifndef DRYDOCK_COMMON_H
#define DRYDOCK_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__) || defined(__clang__)
#define DD_API __attribute__((visibility("default")))
#else
#define DD_API
#endif

#ifdef __cplusplus
#define DD_BEGIN_DECLS extern "C" {
#define DD_END_DECLS   }
#else
#define DD_BEGIN_DECLS
#define DD_END_DECLS
#endif

#define DRYDOCK_VERSION "0.1.0"

#endif
