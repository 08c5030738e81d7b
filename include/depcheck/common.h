/*
 * depcheck/common.h - status codes, ids and export macros shared by every
 * module of libdepcheck.
 *
 * Conventions (libgit2 style): functions return an int status, 0 on success
 * or a negative DC_E* code; results come back through out-parameters, which
 * come first; options structs come last and start with `unsigned int
 * version` so fields can be added later. Destructors return void and accept
 * NULL. Strings returned by accessors are borrowed from the object that was
 * queried and live as long as it does.
 */
#ifndef DEPCHECK_COMMON_H
#define DEPCHECK_COMMON_H

#include <stddef.h>
#include <stdint.h>

#if defined(DC_BUILDING) && defined(__GNUC__)
#define DC_EXTERN(type) __attribute__((visibility("default"))) type
#else
#define DC_EXTERN(type) extern type
#endif

#define DC_VERSION_MAJOR 0
#define DC_VERSION_MINOR 1
#define DC_VERSION_PATCH 0

/** Status codes. */
enum {
	DC_OK = 0,
	DC_ERROR = -1,     /**< generic failure, see the diagnostics */
	DC_ENOMEM = -2,    /**< out of memory */
	DC_EIO = -3,       /**< a file could not be read or written */
	DC_EPARSE = -4,    /**< input is not well-formed (syntax error) */
	DC_EINVALID = -5,  /**< invalid argument or input that cannot be analyzed */
	DC_ENOTFOUND = -6, /**< a named object does not exist */
	DC_EAMBIGUOUS = -7,/**< a name matches more than one object */
	DC_ELIMIT = -8     /**< a safety limit was hit (nesting, aliases, size) */
};

/** Dense id of a service inside one catalog (0 .. count-1). */
typedef uint32_t dc_id;
#define DC_NO_ID ((dc_id)UINT32_MAX)

/** Library version string, e.g. "0.1.0". */
DC_EXTERN(const char *) dc_version(void);

/** Short English text for a status code. */
DC_EXTERN(const char *) dc_strerror(int status);

#endif
