/*
 * Allocates, fills, checks and frees blocks of many sizes in a fixed
 * pseudo-random order, through malloc, calloc and realloc. Small blocks
 * exercise the allocator's free lists, large ones its use of mmap and munmap.
 * Prints a checksum of the contents it read back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest-util.h"

#define SLOTS 512
#define ROUNDS 6000

struct block {
  unsigned char *data;
  size_t size;
  unsigned char fill;
};

static size_t pick_size(uint64_t *rng) {
  uint64_t kind = prng_below(rng, 100);
  if (kind < 70) return 1 + prng_below(rng, 256);
  if (kind < 95) return 257 + prng_below(rng, 16384);
  return 100000 + prng_below(rng, 400000);
}

/* Returns 0 when the block holds its fill byte everywhere. */
static int check_block(const struct block *b, uint64_t *sum) {
  for (size_t i = 0; i < b->size; i++) {
    if (b->data[i] != b->fill) return 1;
  }
  *sum = fnv_u64(*sum, b->size);
  *sum = fnv_bytes(*sum, b->data, b->size < 64 ? b->size : 64);
  return 0;
}

int main(void) {
  static struct block slots[SLOTS];
  uint64_t rng = 0x9e3779b97f4a7c15ULL;
  uint64_t sum = FNV_OFFSET;
  int errors = 0;

  for (int round = 0; round < ROUNDS; round++) {
    struct block *b = &slots[prng_below(&rng, SLOTS)];
    uint64_t action = prng_below(&rng, 10);
    if (b->data != NULL && action < 3) {
      /* Grow or shrink in place; the common prefix must survive. */
      size_t old = b->size;
      size_t size = pick_size(&rng);
      unsigned char *p = realloc(b->data, size);
      if (p == NULL) return 2;
      for (size_t i = 0; i < (old < size ? old : size); i++) errors += p[i] != b->fill;
      memset(p, b->fill, size);
      b->data = p;
      b->size = size;
      continue;
    }
    if (b->data != NULL) {
      errors += check_block(b, &sum);
      free(b->data);
      b->data = NULL;
      continue;
    }
    b->size = pick_size(&rng);
    b->fill = (unsigned char)(1 + prng_below(&rng, 255));
    if (action < 6) {
      b->data = malloc(b->size);
      if (b->data == NULL) return 2;
    } else {
      b->data = calloc(b->size, 1);
      if (b->data == NULL) return 2;
      for (size_t i = 0; i < b->size; i++) errors += b->data[i] != 0;
    }
    memset(b->data, b->fill, b->size);
  }

  for (int i = 0; i < SLOTS; i++) {
    if (slots[i].data == NULL) continue;
    errors += check_block(&slots[i], &sum);
    free(slots[i].data);
  }
  printf("errors=%d\n", errors);
  printf("checksum=%016llx\n", (unsigned long long)sum);
  return errors != 0;
}
