/*
 * Works with files in a fresh directory under /tmp: create, write, seek,
 * read, truncate, rename, unlink, and a sorted listing. The directory's name
 * is random, so it is never printed; the directory is removed at the end.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void fail(const char *what) {
  printf("FAIL %s: errno=%d\n", what, errno);
  exit(1);
}

static void path_of(char *out, const char *name) { snprintf(out, 128, "%s/%s", dir, name); }

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(void) {
  DIR *d = opendir(dir);
  if (d == NULL) fail("opendir");
  char *names[64];
  int count = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL && count < 64) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    names[count++] = strdup(e->d_name);
  }
  closedir(d);
  qsort(names, (size_t)count, sizeof names[0], compare_names);
  printf("listing (%d):", count);
  for (int i = 0; i < count; i++) {
    char path[128];
    struct stat st;
    path_of(path, names[i]);
    if (stat(path, &st) != 0) fail("stat");
    /* A directory's size depends on the file system, so it is not shown. */
    if (S_ISDIR(st.st_mode)) {
      printf(" %s/", names[i]);
    } else {
      printf(" %s:%lld", names[i], (long long)st.st_size);
    }
    free(names[i]);
  }
  putchar('\n');
}

static void read_write(void) {
  char path[128], buf[64];
  path_of(path, "data.txt");
  int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0644);
  if (fd < 0) fail("open");
  if (write(fd, "hello file world\n", 17) != 17) fail("write");
  if (lseek(fd, 6, SEEK_SET) != 6) fail("lseek set");
  if (write(fd, "FILE", 4) != 4) fail("overwrite");
  printf("end offset=%lld\n", (long long)lseek(fd, 0, SEEK_END));
  if (lseek(fd, 0, SEEK_SET) != 0) fail("rewind");
  ssize_t n = read(fd, buf, sizeof buf - 1);
  buf[n < 0 ? 0 : n] = '\0';
  printf("read %zd: %s", n, buf);
  printf("read at end=%zd\n", read(fd, buf, sizeof buf));

  /* A write past the end leaves a hole that reads back as zeros. */
  if (pwrite(fd, "tail", 4, 40) != 4) fail("pwrite");
  n = pread(fd, buf, 8, 17);
  printf("hole bytes=%zd zeros=%d\n", n, buf[0] == 0 && buf[7] == 0);
  if (ftruncate(fd, 10) != 0) fail("ftruncate");
  struct stat st;
  if (fstat(fd, &st) != 0) fail("fstat");
  printf("size after truncate=%lld regular=%d\n", (long long)st.st_size, S_ISREG(st.st_mode));
  close(fd);
}

static void stdio_and_rename(void) {
  char path[128], other[128], line[64];
  path_of(path, "lines.txt");
  FILE *f = fopen(path, "w");
  if (f == NULL) fail("fopen w");
  for (int i = 0; i < 100; i++) fprintf(f, "line %d\n", i * i);
  fclose(f);

  path_of(other, "renamed.txt");
  if (rename(path, other) != 0) fail("rename");
  printf("old name gone=%d\n", access(path, F_OK) != 0 && errno == ENOENT);
  f = fopen(other, "r");
  if (f == NULL) fail("fopen r");
  int lines = 0;
  long total = 0;
  while (fgets(line, sizeof line, f) != NULL) {
    lines++;
    total += atol(line + 5);
  }
  fclose(f);
  printf("lines=%d total=%ld\n", lines, total);
}

int main(void) {
  strcpy(dir, "/tmp/amber-files-XXXXXX");
  if (mkdtemp(dir) == NULL) fail("mkdtemp");

  read_write();
  stdio_and_rename();
  char sub[128];
  path_of(sub, "subdir");
  if (mkdir(sub, 0755) != 0) fail("mkdir");
  char extra[128];
  path_of(extra, "b-empty");
  close(open(extra, O_CREAT | O_WRONLY, 0600));
  list_dir();

  /* Clean up, then show the directory is empty and can go. */
  const char *names[] = {"data.txt", "renamed.txt", "b-empty"};
  for (int i = 0; i < 3; i++) {
    char path[128];
    path_of(path, names[i]);
    if (unlink(path) != 0) fail("unlink");
  }
  printf("unlink missing: %d\n", unlink(extra) != 0 && errno == ENOENT);
  if (rmdir(sub) != 0) fail("rmdir sub");
  list_dir();
  if (rmdir(dir) != 0) fail("rmdir");
  puts("done");
  return 0;
}
