/* Prints a line, then calls abort(): the process must die by SIGABRT. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  puts("about to abort");
  fflush(stdout);
  abort();
}
