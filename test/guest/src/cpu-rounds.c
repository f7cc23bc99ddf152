/*
 * CPU-bound work in rounds, printing as it goes: each round sorts random
 * numbers with qsort, sums square roots in double precision, and copies a
 * heap block that grows each round. A checksum line per round goes to
 * standard output and every fourth round a line to standard error; the exit
 * status is 5.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest-util.h"

#define ROUNDS 16
#define COUNT 300

static int compare(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

int main(void) {
  static uint64_t values[COUNT];
  uint64_t rng = 0x9e3779b97f4a7c15ULL;
  for (int round = 0; round < ROUNDS; round++) {
    for (int i = 0; i < COUNT; i++) values[i] = prng_next(&rng);
    qsort(values, COUNT, sizeof values[0], compare);
    uint64_t hash = fnv_bytes(FNV_OFFSET, values, sizeof values);

    double sum = 0;
    for (int i = 0; i < COUNT; i++) sum += sqrt((double)(values[i] >> 12));

    size_t size = 4096 * (size_t)(round + 1);
    unsigned char *a = malloc(size), *b = malloc(size);
    if (a == NULL || b == NULL) return 1;
    for (size_t i = 0; i < size; i++) a[i] = (unsigned char)(i * 7 + round);
    memcpy(b, a, size);
    hash = fnv_bytes(hash, b + size / 2, 64);
    free(a);
    free(b);

    printf("round %2d %016llx %.3f\n", round, (unsigned long long)hash, sum);
    if (round % 4 == 3) fprintf(stderr, "after round %d\n", round);
  }
  return 5;
}
