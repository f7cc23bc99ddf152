/*
 * Sorts arrays of integers, doubles and strings with qsort and checks the
 * order; prints a checksum of each sorted array.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guest-util.h"

#define COUNT 20000

static int compare_ints(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int compare_words(const void *a, const void *b) {
  return strcmp((const char *)a, (const char *)b);
}

int main(void) {
  static int ints[COUNT];
  static double doubles[COUNT];
  static char words[COUNT / 4][12];
  uint64_t rng = 12345;

  for (int i = 0; i < COUNT; i++) ints[i] = (int)(prng_next(&rng) % 100000) - 50000;
  for (int i = 0; i < COUNT; i++) doubles[i] = (double)(prng_next(&rng) >> 11) * 0x1p-53 - 0.5;
  for (int i = 0; i < COUNT / 4; i++) {
    int len = 1 + (int)prng_below(&rng, 10);
    for (int j = 0; j < len; j++) words[i][j] = (char)('a' + prng_below(&rng, 26));
    words[i][len] = '\0';
  }

  qsort(ints, COUNT, sizeof ints[0], compare_ints);
  qsort(doubles, COUNT, sizeof doubles[0], compare_doubles);
  qsort(words, COUNT / 4, sizeof words[0], compare_words);

  int unsorted = 0;
  for (int i = 1; i < COUNT; i++) unsorted += ints[i - 1] > ints[i];
  for (int i = 1; i < COUNT; i++) unsorted += doubles[i - 1] > doubles[i];
  for (int i = 1; i < COUNT / 4; i++) unsorted += strcmp(words[i - 1], words[i]) > 0;

  printf("out of order: %d\n", unsorted);
  printf("ints: min=%d max=%d sum=%016llx\n", ints[0], ints[COUNT - 1],
         (unsigned long long)fnv_bytes(FNV_OFFSET, ints, sizeof ints));
  printf("doubles: min=%.17g max=%.17g sum=%016llx\n", doubles[0], doubles[COUNT - 1],
         (unsigned long long)fnv_bytes(FNV_OFFSET, doubles, sizeof doubles));
  printf("words: first=%s last=%s sum=%016llx\n", words[0], words[COUNT / 4 - 1],
         (unsigned long long)fnv_bytes(FNV_OFFSET, words, sizeof words));
  return unsorted != 0;
}
