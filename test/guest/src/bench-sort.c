/*
 * Benchmark: sorts a large array of pseudo-random 64-bit keys with our own
 * merge sort (not libc's qsort, so that the work is the same under musl and
 * glibc). Prints a checksum of the sorted array. Branches and memory
 * traffic dominate.
 */
#include <stdio.h>
#include <stdlib.h>

#include "guest-util.h"

#define COUNT 3000000

static void merge_sort(uint64_t *a, uint64_t *tmp, size_t n) {
  if (n < 16) {
    /* Insertion sort for short runs. */
    for (size_t i = 1; i < n; i++) {
      uint64_t v = a[i];
      size_t j = i;
      while (j > 0 && a[j - 1] > v) {
        a[j] = a[j - 1];
        j--;
      }
      a[j] = v;
    }
    return;
  }
  size_t half = n / 2;
  merge_sort(a, tmp, half);
  merge_sort(a + half, tmp, n - half);
  size_t i = 0, j = half, k = 0;
  while (i < half && j < n) tmp[k++] = a[i] <= a[j] ? a[i++] : a[j++];
  while (i < half) tmp[k++] = a[i++];
  while (j < n) tmp[k++] = a[j++];
  for (k = 0; k < n; k++) a[k] = tmp[k];
}

int main(void) {
  uint64_t *keys = malloc(COUNT * sizeof *keys);
  uint64_t *tmp = malloc(COUNT * sizeof *tmp);
  if (keys == NULL || tmp == NULL) return 2;
  uint64_t rng = 0x853c49e6748fea9bULL;
  for (size_t i = 0; i < COUNT; i++) keys[i] = prng_next(&rng);

  merge_sort(keys, tmp, COUNT);

  size_t unsorted = 0;
  uint64_t sum = FNV_OFFSET;
  for (size_t i = 0; i < COUNT; i++) {
    if (i > 0 && keys[i - 1] > keys[i]) unsorted++;
    if (i % 97 == 0) sum = fnv_u64(sum, keys[i]);
  }
  printf("sorted %d keys, out of order %zu, checksum %016llx\n", COUNT, unsorted,
         (unsigned long long)sum);
  free(keys);
  free(tmp);
  return unsorted != 0;
}
