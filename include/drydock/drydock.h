/*
 * drydock/drydock.h - umbrella header of libdrydock.
 * See docs/architecture.md for how the pieces fit together.
 */
#ifndef DRYDOCK_H
#define DRYDOCK_H

#include "common.h"
#include "config.h"
#include "engine.h"
#include "errors.h"
#include "finding.h"
#include "image.h"
#include "license.h"
#include "lookalike.h"
#include "packages.h"
#include "policy.h"
#include "service.h"
#include "registry.h"
#include "report.h"
#include "scan.h"
#include "sweep.h"
#include "text.h"
#include "trust.h"
#include "version.h"
#include "vulndb.h"
#include "walk.h"

#endif
