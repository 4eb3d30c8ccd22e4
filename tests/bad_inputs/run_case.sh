#!/bin/sh
# Runs one case of the bad-input catalogue (tests/bad_inputs/README.md) through the real
# mcre binary and compares its exit code and output with the case's expectations.
#   run_case.sh CASE MCRE SOURCE_DIR WORK_DIR
# With UPDATE_EXPECTED=1 the expected output in CASE is rewritten from the actual one.
case_file=$1 mcre=$2 src=$3 WORK=$4
export WORK
rm -rf "$WORK" && mkdir -p "$WORK" || exit 2

field() { sed -n "s/^$1: //p" "$case_file" | head -n 1; }
command=$(field command)
stdin=$(field stdin)
setup=$(field setup)
want_exit=$(field exit)
memory=$(field memory)
seconds=$(field seconds)
[ -n "$command" ] && [ -n "$want_exit" ] || { echo "$case_file: needs command: and exit:"; exit 2; }

cd "$src" || exit 2
if [ -n "$setup" ]; then
    sh -c "$setup" || { echo "setup failed: $setup"; exit 1; }
fi
# The command line may name $WORK; each word is expanded once, no globbing.
eval "set -- $command"
[ -n "$stdin" ] || stdin=/dev/null
eval "stdin=$stdin"
(
    # Virtual memory cap in KiB: a case that must not exhaust memory fails instead. Not
    # under AddressSanitizer, which reserves terabytes of address space for its shadow.
    [ -n "$memory" ] && [ -z "${ASAN_OPTIONS:-}" ] && ulimit -v "$memory"
    exec timeout "${seconds:-120}" "$mcre" "$@" <"$stdin" >"$WORK/stdout" 2>"$WORK/stderr"
)
got_exit=$?

# The expected stderr and stdout, after the "--- stderr" and "--- stdout" markers.
section() { awk -v want="--- $1" '/^--- (stderr|stdout)$/ { on = ($0 == want); next } on' "$case_file"; }
normalize() { sed "s|$WORK|\$WORK|g" "$1"; }

if [ "${UPDATE_EXPECTED:-0}" = 1 ]; then
    {
        sed '/^--- \(stderr\|stdout\)$/,$d' "$case_file" | sed "s/^exit: .*/exit: $got_exit/"
        echo "--- stderr"
        normalize "$WORK/stderr"
        if grep -q '^--- stdout$' "$case_file"; then
            echo "--- stdout"
            normalize "$WORK/stdout"
        fi
    } >"$WORK/updated" && cp "$WORK/updated" "$case_file"
    echo "updated $case_file (exit $got_exit)"
    exit 0
fi

status=0
if [ "$got_exit" != "$want_exit" ]; then
    echo "exit code: expected $want_exit, got $got_exit"
    status=1
fi
section stderr >"$WORK/want-stderr"
normalize "$WORK/stderr" >"$WORK/got-stderr"
if ! cmp -s "$WORK/want-stderr" "$WORK/got-stderr"; then
    echo "stderr differs (- expected, + actual):"
    diff -u "$WORK/want-stderr" "$WORK/got-stderr" | head -n 60
    status=1
fi
if grep -q '^--- stdout$' "$case_file"; then
    section stdout >"$WORK/want-stdout"
    normalize "$WORK/stdout" >"$WORK/got-stdout"
    if ! cmp -s "$WORK/want-stdout" "$WORK/got-stdout"; then
        echo "stdout differs (- expected, + actual):"
        diff -u "$WORK/want-stdout" "$WORK/got-stdout" | cut -c1-400 | head -n 60
        status=1
    fi
fi
exit $status
