/*
 * Reads standard input in small reads and prints, for each line, its length,
 * its FNV-1a hash and the line reversed; the line count goes to standard
 * error, and the exit status is the count modulo 100.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "guest-util.h"

static char line[4096];
static size_t used;
static int lines;

static void finish_line(void) {
  printf("%4zu %016llx ", used, (unsigned long long)fnv_bytes(FNV_OFFSET, line, used));
  for (size_t i = used; i > 0; i--) putchar(line[i - 1]);
  putchar('\n');
  used = 0;
  lines++;
}

int main(void) {
  char buf[7];
  for (;;) {
    ssize_t n = read(0, buf, sizeof buf);
    if (n < 0) return 2;
    if (n == 0) break;
    for (ssize_t i = 0; i < n; i++) {
      if (buf[i] == '\n') {
        finish_line();
      } else if (used < sizeof line) {
        line[used++] = buf[i];
      }
    }
    fflush(stdout);
  }
  if (used > 0) finish_line();
  fprintf(stderr, "lines: %d\n", lines);
  return lines % 100;
}
