/*
 * Prints what the kernel hands a new process: argc, argv, the environment and
 * the auxiliary vector entries whose values do not change between runs (no
 * addresses, no random bytes).
 */
#include <stdio.h>
#include <sys/auxv.h>

#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

struct aux_entry {
  const char *name;
  unsigned long type;
};

static const struct aux_entry STABLE_AUX[] = {
    {"AT_PAGESZ", AT_PAGESZ}, {"AT_UID", AT_UID},     {"AT_EUID", AT_EUID},
    {"AT_GID", AT_GID},       {"AT_EGID", AT_EGID},   {"AT_SECURE", AT_SECURE},
    {"AT_CLKTCK", AT_CLKTCK}, {"AT_PHENT", AT_PHENT}, {"AT_PHNUM", AT_PHNUM},
};

int main(int argc, char **argv, char **envp) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
  if (argv[argc] != NULL) puts("argv not NULL-terminated");

  int envc = 0;
  for (char **e = envp; *e != NULL; e++) printf("env[%d]=%s\n", envc++, *e);
  printf("envc=%d\n", envc);

  for (size_t i = 0; i < sizeof STABLE_AUX / sizeof STABLE_AUX[0]; i++) {
    printf("%s=%lu\n", STABLE_AUX[i].name, getauxval(STABLE_AUX[i].type));
  }

  /* Addresses vary, so only say whether they are there. */
  printf("AT_RANDOM present=%d\n", getauxval(AT_RANDOM) != 0);
  printf("AT_PHDR present=%d\n", getauxval(AT_PHDR) != 0);
  printf("AT_ENTRY present=%d\n", getauxval(AT_ENTRY) != 0);
  return 0;
}
