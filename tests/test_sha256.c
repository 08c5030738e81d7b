/*
 * test_sha256.c - SHA-256 against the FIPS 180-4 example vectors (NIST
 * "Cryptographic Standards and Guidelines: Examples with Intermediate
 * Values", SHA256.pdf / SHA256_LongMsg) and the base64 used by the report's
 * Content-Security-Policy hash.
 */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>

#include "../lib/sha256.h"

static void hex_of(const char *msg, size_t n, char out[65])
{
	uint8_t d[32];
	dc_sha256(msg, n, d);
	dc_sha256_hex(d, out);
}

static void test_vectors(void)
{
	char h[65];
	hex_of("abc", 3, h);
	CU_ASSERT_STRING_EQUAL(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_of("", 0, h);
	CU_ASSERT_STRING_EQUAL(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, h);
	CU_ASSERT_STRING_EQUAL(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	hex_of("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
	       112, h);
	CU_ASSERT_STRING_EQUAL(h, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* one million 'a', fed in uneven pieces: the buffering across blocks */
static void test_million_a(void)
{
	dc_sha256_ctx c;
	char chunk[997];
	uint8_t d[32];
	char h[65];
	size_t left = 1000000;
	memset(chunk, 'a', sizeof(chunk));
	dc_sha256_init(&c);
	while (left) {
		size_t k = left < sizeof(chunk) ? left : sizeof(chunk);
		dc_sha256_update(&c, chunk, k);
		left -= k;
	}
	dc_sha256_final(&c, d);
	dc_sha256_hex(d, h);
	CU_ASSERT_STRING_EQUAL(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* every length around the 55/56/64-byte padding edges agrees with one-shot */
static void test_padding_edges(void)
{
	char msg[130];
	size_t n, i;
	memset(msg, 'x', sizeof(msg));
	for (n = 50; n < 130; n++) {
		uint8_t a[32], b[32];
		dc_sha256_ctx c;
		dc_sha256(msg, n, a);
		dc_sha256_init(&c);
		for (i = 0; i < n; i++)
			dc_sha256_update(&c, msg + i, 1);
		dc_sha256_final(&c, b);
		CU_ASSERT(memcmp(a, b, 32) == 0);
	}
}

static void test_base64(void)
{
	uint8_t d[32];
	char b[45];
	dc_sha256("abc", 3, d);
	dc_sha256_base64(d, b);
	CU_ASSERT_STRING_EQUAL(b, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}

int suite_sha256(void)
{
	static const th_test tests[] = {
		{ "fips 180-4 vectors", test_vectors },
		{ "one million a", test_million_a },
		{ "padding edges", test_padding_edges },
		{ "base64", test_base64 },
		{ NULL, NULL },
	};
	return th_suite("sha256", tests);
}
