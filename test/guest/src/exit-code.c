/*
 * Exits with the status given as its first argument (0 when absent), through
 * exit() or, with a second argument "_exit", through _exit() so that no
 * stdio flush or atexit handler runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void say_goodbye(void) { puts("atexit handler ran"); }

int main(int argc, char **argv) {
  int status = argc > 1 ? atoi(argv[1]) : 0;
  atexit(say_goodbye);
  printf("exiting with %d\n", status);
  if (argc > 2 && strcmp(argv[2], "_exit") == 0) {
    fflush(stdout);
    _exit(status);
  }
  exit(status);
}
