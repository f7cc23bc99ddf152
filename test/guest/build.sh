#!/usr/bin/env bash
# Builds the guest test programs into static, stripped x86-64 binaries:
#   bin/<name>.musl and bin/<name>.glibc for each src/<name>.c
#   bin/<name> for each src/<name>.S (no libc)
# The binaries are committed, so tests never need this script or musl-gcc;
# run it again after changing a source. Needs gcc and musl-gcc (Debian:
# apt-get install -y musl-tools).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/src"
bin="$here/bin"
mkdir -p "$bin"

# Baseline x86-64 only: the binaries must run on any x86-64 host, and on an
# interpreter that implements no more than SSE2.
cflags=(-O2 -march=x86-64 -mtune=generic -static -s -Wall -Wextra -fno-stack-protector)

if ! command -v musl-gcc >/dev/null; then
  echo "build.sh: musl-gcc not found (apt-get install -y musl-tools)" >&2
  exit 1
fi

for file in "$src"/*.c; do
  name="$(basename "$file" .c)"
  musl-gcc "${cflags[@]}" -o "$bin/$name.musl" "$file" -lm
  gcc "${cflags[@]}" -o "$bin/$name.glibc" "$file" -lm
done

for file in "$src"/*.S; do
  name="$(basename "$file" .S)"
  gcc -nostdlib -static -s -Wl,--build-id=none -o "$bin/$name" "$file"
done

ls -l "$bin"
