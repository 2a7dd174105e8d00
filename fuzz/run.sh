#!/usr/bin/env bash
# Fuzz the engine for a bounded time: fuzz/run.sh [SECONDS] [engine|middleware]
# Builds a copy of the package whose C scanner carries the fuzzer's coverage and AddressSanitizer (clang), then runs
# fuzz/fuzz_engine.py under atheris with seeds from the page corpus when it is there. Exits non-zero on a crash,
# a sanitizer report or a difference between the back ends.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
target="${2:-engine}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r consent tests "$work/"
rm -f "$work"/consent/_html/_cscan*.so
python_inc="$(python -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
clang -O1 -g -fPIC -shared -fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer -I"$python_inc" \
  consent/_html/_cscan.c -o "$work/consent/_html/_cscan$(python -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"
seeds="$work/seeds"
mkdir -p "$seeds"
corpus="${CONSENT_CORPUS:-../shared/corpus/pages}"
if [ -d "$corpus" ]; then
  i=0
  for page in $(ls "$corpus"/*.htm* | awk 'NR % 6 == 1'); do  # slices of real pages: start from real markup
    head -c 1500 "$page" > "$seeds/page$i.head"; tail -c 1500 "$page" > "$seeds/page$i.tail"; i=$((i + 1))
  done
fi
asan="$(python -c 'import atheris, os; print(os.path.join(atheris.path(), "asan_with_fuzzer.so"))')"
mkdir -p "$work/found"; cd "$work"
LD_PRELOAD="$asan" ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1" PYTHONPATH="$work" \
  python "$OLDPWD/fuzz/fuzz_engine.py" --target="$target" -max_total_time="$seconds" -max_len=4000 -timeout=20 \
  -print_final_stats=1 "$work/found" "$seeds" 2>&1 | tail -25
