/*
 * Small helpers shared by the guest test programs: a deterministic PRNG and a
 * running checksum. Both are fixed algorithms so that every build (musl,
 * glibc) and every run prints the same numbers.
 */
#ifndef GUEST_UTIL_H
#define GUEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* xorshift64: fast, and its sequence depends only on the seed. */
static inline uint64_t prng_next(uint64_t *state) {
  uint64_t x = *state;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *state = x;
  return x;
}

/* A value in [0, bound). The slight bias does not matter for tests. */
static inline uint64_t prng_below(uint64_t *state, uint64_t bound) {
  return prng_next(state) % bound;
}

/* FNV-1a over 64 bits, folded one byte at a time. */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static inline uint64_t fnv_bytes(uint64_t hash, const void *data, size_t len) {
  const unsigned char *p = data;
  for (size_t i = 0; i < len; i++) {
    hash ^= p[i];
    hash *= FNV_PRIME;
  }
  return hash;
}

static inline uint64_t fnv_u64(uint64_t hash, uint64_t value) {
  for (int i = 0; i < 8; i++) {
    hash ^= (value >> (i * 8)) & 0xff;
    hash *= FNV_PRIME;
  }
  return hash;
}

#endif
