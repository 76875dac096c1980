# docs/reference/ is what scripts/gen-reference.py makes from this build's registries:
# a function, setting or command added without regenerating the reference fails here.
source "$(dirname "$0")/cli_test_lib.sh"

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
python3 "$ROOT/scripts/gen-reference.py" "$SLUICE" "$WORK_DIR/reference" ||
  fail "scripts/gen-reference.py failed"
for page in functions.md settings.md cli.md; do
  diff -u "$ROOT/docs/reference/$page" "$WORK_DIR/reference/$page" >"$WORK_DIR/diff" ||
    fail "docs/reference/$page is out of date (run scripts/gen-reference.py): $(head -20 "$WORK_DIR/diff")"
done
grep -q "| \`sum\` |" "$ROOT/docs/reference/functions.md" || fail "functions.md lists no sum"

finish
