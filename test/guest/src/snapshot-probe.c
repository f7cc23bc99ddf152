/*
 * Prints what a snapshot must not carry over unchanged. `clocks`: the
 * monotonic and realtime clocks in ns before and after reading a line of
 * standard input. `random`: after reading a line, 16 bytes of getrandom and
 * 16 of /dev/urandom in hex. Output differs from run to run by design.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

static long long ns_of(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void hex(const char *what, const unsigned char *b, size_t n) {
  printf("%s ", what);
  for (size_t i = 0; i < n; i++) printf("%02x", b[i]);
  putchar('\n');
}

int main(int argc, char **argv) {
  char line[64];
  if (argc > 1 && strcmp(argv[1], "clocks") == 0) {
    printf("before %lld %lld\n", ns_of(CLOCK_MONOTONIC), ns_of(CLOCK_REALTIME));
    fflush(stdout);
    if (read(0, line, sizeof line) < 0) return 1;
    printf("after %lld %lld\n", ns_of(CLOCK_MONOTONIC), ns_of(CLOCK_REALTIME));
    return 0;
  }
  if (argc > 1 && strcmp(argv[1], "random") == 0) {
    if (read(0, line, sizeof line) < 0) return 1;
    unsigned char a[16], b[16];
    if (getrandom(a, sizeof a, 0) != (ssize_t)sizeof a) return 1;
    int fd = open("/dev/urandom", O_RDONLY);
    if (fd < 0 || read(fd, b, sizeof b) != (ssize_t)sizeof b) return 1;
    hex("getrandom", a, sizeof a);
    hex("urandom", b, sizeof b);
    return 0;
  }
  fprintf(stderr, "usage: snapshot-probe clocks|random\n");
  return 2;
}
