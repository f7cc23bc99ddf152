/*
 * Blocks in one system call after another, so that a snapshot can be taken
 * while it waits in each: a read of standard input, nanosleep, a futex wait
 * with a timeout, poll on an empty pipe, and a pipe read that a SIGALRM
 * handler ends. Prints what each returned, never a time.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* From linux/futex.h, which musl-gcc cannot see. */
#define FUTEX_WAIT_PRIVATE 128

static int pipe_fds[2];

static void on_alarm(int sig) {
  (void)sig;
  if (write(pipe_fds[1], "!", 1) != 1) _exit(3);
}

int main(void) {
  if (pipe(pipe_fds) != 0) return 1;

  char line[64];
  ssize_t n = read(0, line, sizeof line - 1);
  line[n > 0 ? n : 0] = 0;
  printf("stdin: %zd bytes: %s", n, line);
  fflush(stdout);

  struct timespec nap = {0, 100 * 1000000L};
  printf("nanosleep: %d\n", nanosleep(&nap, NULL));

  int word = 7;
  struct timespec timeout = {0, 100 * 1000000L};
  long r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 7, &timeout, NULL, 0);
  printf("futex wait: %ld %s\n", r, r == -1 && errno == ETIMEDOUT ? "ETIMEDOUT" : "?");

  struct pollfd pfd = {pipe_fds[0], POLLIN, 0};
  printf("poll: %d ready\n", poll(&pfd, 1, 100));

  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval once = {{0, 0}, {0, 100000}};
  setitimer(ITIMER_REAL, &once, NULL);
  char c = 0;
  n = read(pipe_fds[0], &c, 1);
  printf("pipe read: %zd %c\n", n, c);

  n = read(0, line, sizeof line - 1);
  line[n > 0 ? n : 0] = 0;
  printf("stdin again: %zd bytes: %s", n, line);
  return 0;
}
