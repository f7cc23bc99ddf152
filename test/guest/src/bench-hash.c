/*
 * Benchmark: integer hashing. Fills a buffer with xorshift output, then
 * hashes it repeatedly with FNV-1a and a multiply-xorshift mix. Prints a
 * checksum. Integer ALU and byte loads dominate.
 */
#include <stdio.h>
#include <stdlib.h>

#include "guest-util.h"

#define BUFFER_BYTES (256 * 1024)
#define PASSES 640

int main(void) {
  static uint64_t words[BUFFER_BYTES / 8];
  uint64_t rng = 0x243f6a8885a308d3ULL;
  for (size_t i = 0; i < BUFFER_BYTES / 8; i++) words[i] = prng_next(&rng);

  uint64_t fnv = FNV_OFFSET;
  uint64_t mix = 0;
  for (int pass = 0; pass < PASSES; pass++) {
    fnv = fnv_bytes(fnv, words, BUFFER_BYTES);
    for (size_t i = 0; i < BUFFER_BYTES / 8; i++) {
      uint64_t x = words[i] ^ mix;
      x ^= x >> 33;
      x *= 0xff51afd7ed558ccdULL;
      x ^= x >> 29;
      mix = mix * 31 + x;
      words[i] = x;
    }
  }
  printf("fnv=%016llx mix=%016llx\n", (unsigned long long)fnv, (unsigned long long)mix);
  return 0;
}
