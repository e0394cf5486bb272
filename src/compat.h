/*
 * compat.h
 *		Every PostgreSQL version difference that dormant depends on.
 *
 * Function bodies are written against the current server API; this header
 * maps it onto older majors.  Supported: PostgreSQL 13 to 17.  Only 15 is
 * built and tested here; the other branches follow the server headers and
 * release notes of their versions.
 */
#ifndef DORMANT_COMPAT_H
#define DORMANT_COMPAT_H

#include "postgres.h"
#include "utils/guc.h"

#if PG_VERSION_NUM < 130000 || PG_VERSION_NUM >= 180000
#error "dormant supports PostgreSQL 13 to 17"
#endif

/* MarkGUCPrefixReserved() replaced EmitWarningsOnPlaceholders() in 15. */
#if PG_VERSION_NUM < 150000
#define MarkGUCPrefixReserved(prefix) EmitWarningsOnPlaceholders(prefix)
#endif

/*
 * Exact sums of amounts use 128-bit integers where the compiler has them and
 * 64-bit ones otherwise; overflow in either case spills to numeric.
 */
#ifdef HAVE_INT128
typedef int128 AmountUnits;
#else
typedef int64 AmountUnits;
#endif

#endif							/* DORMANT_COMPAT_H */
