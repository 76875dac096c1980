# The README's "A five-minute tour": every shell command in it runs as written (from a
# directory laid out like a checkout: build/sluice and demo/) and exits 0.
source "$(dirname "$0")/cli_test_lib.sh"

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
README="$ROOT/README.md"
TOUR="$WORK_DIR/tour"
mkdir -p "$TOUR/build"
ln -s "$(cd "$(dirname "$SLUICE")" && pwd)/$(basename "$SLUICE")" "$TOUR/build/sluice"
ln -s "$ROOT/demo" "$TOUR/demo"

# The lines of the ```sh blocks between "## A five-minute tour" and the next "## " heading.
COMMANDS="$(awk '
  /^## A five-minute tour/ { in_tour = 1; next }
  in_tour && /^## / { exit }
  in_tour && /^```sh/ { in_block = 1; next }
  in_tour && /^```/ { in_block = 0; next }
  in_tour && in_block && !/^#/ && !/^make / && NF > 0 { print }
' "$README")"
[ "$(printf '%s\n' "$COMMANDS" | wc -l)" -ge 8 ] || fail "too few tour commands found: $COMMANDS"

while IFS= read -r line; do
  (cd "$TOUR" && bash -c "set -o pipefail; $line" >"$WORK_DIR/tour.out" 2>"$WORK_DIR/tour.err" </dev/null)
  code=$?
  [ "$code" -eq 0 ] || fail "README tour: '$line' exited $code: $(tail -5 "$WORK_DIR/tour.err")"
done <<<"$COMMANDS"

# What the tour promises to leave behind.
[ -s "$TOUR/out.csv" ] || fail "README tour: out.csv is empty"
head -1 "$TOUR/out.csv" | grep -q "region,hour,orders,revenue" || fail "README tour: out.csv header"
run sql --db "$TOUR/wh" --format csv -c "select count(*) > 0 as built from revenue_by_region"
expect_out "built
true" "README tour: the demo/elt mart was built"

finish
