/*
 * depcheck/depcheck.h - everything libdepcheck offers, in one include.
 */
#ifndef DEPCHECK_H
#define DEPCHECK_H

#include "common.h"
#include "diag.h"
#include "catalog.h"
#include "graph.h"
#include "impact.h"
#include "blast.h"
#include "analyze.h"
#include "diff.h"
#include "reconcile.h"
#include "traffic.h"
#include "simulate.h"
#include "overload.h"
#include "export.h"
#include "critical.h"
#include "plan.h"
#include "availability.h"
#include "chaos.h"
#include "policy.h"
#include "config.h"
#include "check.h"
#include "report.h"
#include "render.h"
#include "format.h"
#include "output.h"
#include "paths.h"
#include "summary.h"

#endif
