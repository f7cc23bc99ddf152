/*
 * Sleeps 10 ms and checks the clocks moved accordingly. Prints only "ok" or
 * what went wrong, so the output does not depend on timing.
 */
#include <stdio.h>
#include <sys/time.h>
#include <time.h>

static long long elapsed_ns(const struct timespec *a, const struct timespec *b) {
  return (long long)(b->tv_sec - a->tv_sec) * 1000000000LL + (b->tv_nsec - a->tv_nsec);
}

int main(void) {
  struct timespec start, end, real;
  if (clock_gettime(CLOCK_MONOTONIC, &start) != 0) return 1;

  struct timespec nap = {0, 10 * 1000 * 1000};
  if (nanosleep(&nap, NULL) != 0) puts("nanosleep failed");
  if (clock_gettime(CLOCK_MONOTONIC, &end) != 0) return 1;
  long long ns = elapsed_ns(&start, &end);
  printf("monotonic after 10 ms sleep: %s\n", ns >= 10000000LL ? "ok" : "too short");

  /* The realtime clock, gettimeofday and time() must agree to a second. */
  clock_gettime(CLOCK_REALTIME, &real);
  struct timeval tv;
  gettimeofday(&tv, NULL);
  time_t now = time(NULL);
  int agree = real.tv_sec > 1000000000 && tv.tv_sec - real.tv_sec <= 1 && now - tv.tv_sec <= 1;
  printf("realtime clocks agree: %s\n", agree ? "ok" : "no");

  /* Monotonic time never goes backwards. */
  struct timespec prev = end, cur;
  int backwards = 0;
  for (int i = 0; i < 1000; i++) {
    clock_gettime(CLOCK_MONOTONIC, &cur);
    backwards += elapsed_ns(&prev, &cur) < 0;
    prev = cur;
  }
  printf("monotonic non-decreasing: %s\n", backwards == 0 ? "ok" : "no");

  struct timespec res;
  clock_getres(CLOCK_MONOTONIC, &res);
  printf("resolution at most 1 ms: %s\n",
         res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 1000000 ? "ok" : "no");
  return 0;
}
