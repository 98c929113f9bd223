/*
 * lib/source/config_mask.h - mask secrets in the image config texts.
 */
#ifndef DD_CONFIG_MASK_H
#define DD_CONFIG_MASK_H

#include "drydock/image.h"
#include "../../util/arena.h"

/* Replace in->user, workdir, healthcheck, env, cmd, entrypoint and label
 * values by copies (in arena `a`) with secrets masked; the original lists
 * are kept in in->*_raw. Strings stay owned by the arena. Returns 0, or -1
 * when out of memory (in is then partly masked: do not use it). */
int dd__image_info_mask(dd__arena *a, dd_image_info *in);

#endif
