#!/usr/bin/env bash
# The test suite once more, with the compiled scanner built with AddressSanitizer and UndefinedBehaviorSanitizer,
# then a leak check: fuzz/sanitize.sh [pytest arguments]
# A copy of the package gets the sanitized extension; the tests run against it (PYTHONPATH), and any sanitizer
# report fails the run. Browser tests are left out: Chromium is another process, and the engine under test is the
# same one the in-process tests drive.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r consent tests examples pyproject.toml "$work/"
rm -f "$work"/consent/_html/_cscan*.so
inc="$(python -c 'import sysconfig; print(sysconfig.get_paths()["include"])')"
suffix="$(python -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')"
flags=(-O1 -g -fPIC -shared -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all)
gcc "${flags[@]}" -I"$inc" consent/_html/_cscan.c -o "$work/consent/_html/_cscan$suffix"
preload="$(gcc -print-file-name=libasan.so):$(gcc -print-file-name=libubsan.so)"
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
if [ -z "${CONSENT_CORPUS:-}" ] && [ -d ../shared/corpus/pages ]; then
  export CONSENT_CORPUS="$(cd ../shared/corpus/pages && pwd)"
fi
cd "$work"
echo "sanitized scanner: $(ls consent/_html/_cscan*.so)"
LD_PRELOAD="$preload" PYTHONPATH="$work" python -c \
  "from consent._html import backend as b; assert b.DEFAULT.name == 'c', b.WHY_PURE; print('back end:', b.DEFAULT.name)"
LD_PRELOAD="$preload" PYTHONPATH="$work" python -m pytest -q -p no:cacheprovider -m "not browser" \
  tests/engine tests/test_engine_differential.py tests/test_middleware.py tests/test_enforcement.py \
  tests/test_attacks.py -k "not flood" "$@"  # (the RSS flood test measures ASan's allocator, not ours)
# Leaks: every allocation the scanner makes must be freed, on a long stream of pages in tiny chunks.
LD_PRELOAD="$preload" PYTHONPATH="$work" PYTHONMALLOC=malloc ASAN_OPTIONS="detect_leaks=1:exitcode=23" \
  LSAN_OPTIONS="report_objects=0" python "$OLDPWD/fuzz/leaks.py" 2> "$work/leaks.txt" || true
if grep -q "_cscan" "$work/leaks.txt"; then
  grep -B3 -A25 "_cscan" "$work/leaks.txt" | head -80
  echo "sanitize: the compiled scanner leaks" >&2
  exit 1
fi
echo "sanitize: no leak from the compiled scanner ($(grep -c 'leak of' "$work/leaks.txt" || true) leak records, none from it)"
