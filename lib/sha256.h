/*
 * sha256.h - SHA-256 (FIPS 180-4), the library's own, small and
 * dependency-free. Used where a hash must resist crafted collisions: SARIF
 * partialFingerprints (an alert a reviewer dismissed must not be matched by
 * a different finding an attacker names to collide) and the report's
 * Content-Security-Policy script hash. Tested against the FIPS 180-4 /
 * NIST example vectors (tests/test_sha256.c).
 */
#ifndef DC_SHA256_H
#define DC_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint32_t h[8];
	uint64_t len;      /* bytes hashed so far */
	uint8_t buf[64];
	size_t nbuf;
} dc_sha256_ctx;

void dc_sha256_init(dc_sha256_ctx *c);
void dc_sha256_update(dc_sha256_ctx *c, const void *data, size_t n);
void dc_sha256_final(dc_sha256_ctx *c, uint8_t out[32]);
/* The digest of n bytes at data, in one call. */
void dc_sha256(const void *data, size_t n, uint8_t out[32]);
/* out (65 bytes) receives the lowercase hex digest and a NUL. */
void dc_sha256_hex(const uint8_t d[32], char out[65]);
/* out (45 bytes) receives the standard base64 of the digest and a NUL. */
void dc_sha256_base64(const uint8_t d[32], char out[45]);

#endif
