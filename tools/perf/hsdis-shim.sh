#!/usr/bin/env bash
# Builds an hsdis plugin that JDK 25 accepts from Debian's libhsdis0-fcml, so that C2's machine
# code can be read: -XX:+UnlockDiagnosticVMOptions -XX:CompileCommand=print,CLASS::METHOD.
# The Debian library exports only the old entry point decode_instructions; HotSpot (9 and later)
# looks for decode_instructions_virtual, which this shim forwards to it.
#
#   tools/perf/hsdis-shim.sh [DIR]          # writes DIR/hsdis-amd64.so (default /tmp/hsdis)
#   LD_LIBRARY_PATH=/tmp/hsdis GPT4J_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions \
#     -XX:CompileCommand=print,org.gpt4j.tensor.ThreeVectorTiles::packed" ./gpt4j bench train ... > asm.txt
set -euo pipefail
dir="${1:-/tmp/hsdis}"
lib=/usr/lib/x86_64-linux-gnu/libhsdis.so.0
if [ ! -e "$lib" ]; then
  echo "hsdis-shim: $lib not found: apt-get install -y libhsdis0-fcml gcc" >&2
  exit 1
fi
mkdir -p "$dir"
cat > "$dir/shim.c" <<'C'
#include <stdint.h>
typedef void* (*event_cb)(void*, const char*, void*);
typedef int (*printf_cb)(void*, const char*, ...);
extern void* decode_instructions(void* start, void* end, event_cb e, void* es, printf_cb p, void* ps, const char* options);
/* HotSpot passes the code's own bytes in buffer (live code: buffer == start_va). */
void* decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char* buffer, uintptr_t length,
    event_cb e, void* es, printf_cb p, void* ps, const char* options, int newline) {
  return decode_instructions((void*)buffer, (void*)(buffer + length), e, es, p, ps, options);
}
C
gcc -shared -fPIC -o "$dir/hsdis-amd64.so" "$dir/shim.c" "$lib" -Wl,-rpath,"$(dirname "$lib")"
echo "$dir/hsdis-amd64.so: run java with LD_LIBRARY_PATH=$dir"
