# `sluice build | test | ls` over the jaffle sample project (tests/dbt/jaffle).
source "$(dirname "$0")/cli_test_lib.sh"

PROJECT="$(cd "$(dirname "$0")/../dbt/jaffle" && pwd)"
DB="$WORK_DIR/warehouse"
TARGET="$WORK_DIR/target"

run build --project "$PROJECT" --db "$DB" --target-path "$TARGET" --threads 2 --exclude tag:known_failure
expect_code 0 "build"
expect_out_contains "OK incremental model main.order_log" "build output"
expect_out_contains "ERROR=0 SKIP=0" "build summary"
[ -f "$TARGET/manifest.json" ] || fail "no manifest.json"
[ -f "$TARGET/run_results.json" ] || fail "no run_results.json"
grep -q '"model.jaffle.customers"' "$TARGET/manifest.json" || fail "manifest lacks customers"
grep -q '"status":"success"' "$TARGET/run_results.json" || fail "run_results lacks success"

# The artifacts follow dbt's published schemas (manifest v11, run_results v5, catalog v1).
python3 - "$TARGET" <<'PY' || fail "dbt artifacts"
import json, sys
target = sys.argv[1]
manifest = json.load(open(target + "/manifest.json"))
run_results = json.load(open(target + "/run_results.json"))
for key in ("docs", "groups", "selectors", "disabled", "nodes", "sources", "parent_map"):
    assert key in manifest, "manifest lacks " + key
node = manifest["nodes"]["model.jaffle.customers"]
for key in ("columns", "refs", "sources", "depends_on", "compiled_code", "meta", "docs",
            "language"):
    assert key in node, "manifest node lacks " + key
assert node["compiled"] is True and "select" in node["compiled_code"].lower()
assert {"name": "stg_customers", "package": None, "version": None} in node["refs"], node["refs"]
assert node["language"] == "sql" and node["docs"]["show"] is True
invocation = manifest["metadata"]["invocation_id"]
assert len(invocation) == 36 and run_results["metadata"]["invocation_id"] == invocation
result = [r for r in run_results["results"] if r["unique_id"] == "model.jaffle.customers"][0]
assert result["relation_name"] == "main.customers", result
assert "select" in result["compiled_code"].lower()
PY

run sql --no-progress --format csv --db "$DB" -c "select customer_id, customer_lifetime_value from customers order by customer_id"
expect_out 'customer_id,customer_lifetime_value
1,36.0
2,48.0
3,36.0
4,17.0
5,6.0' "customers mart"

run test --project "$PROJECT" --db "$DB" --target-path "$TARGET" --select tag:known_failure
expect_code 1 "failing test"
expect_out_contains "FAIL test known_failure_status_values" "failing test line"
expect_out_contains "return_pending" "failing rows sample"

run docs generate --project "$PROJECT" --db "$DB" --target-path "$TARGET"
expect_code 0 "docs generate"
python3 - "$TARGET" <<'PY' || fail "catalog.json"
import json, sys
catalog = json.load(open(sys.argv[1] + "/catalog.json"))
entry = catalog["nodes"]["model.jaffle.customers"]
assert entry["metadata"]["type"] == "BASE TABLE" and entry["metadata"]["schema"] == "main", entry
assert entry["columns"]["customer_id"]["index"] == 1, entry["columns"]
assert catalog["nodes"]["model.jaffle.stg_customers"]["metadata"]["type"] == "VIEW"
assert "errors" in catalog and len(catalog["metadata"]["invocation_id"]) == 36
PY

# compile shows the SQL run would execute: order_log exists now, so its incremental branch.
run compile --project "$PROJECT" --db "$DB" --target-path "$TARGET" --select order_log
expect_code 0 "compile an incremental model"
expect_out_contains "where order_id > (select max(order_id) from main.order_log)" "compile: is_incremental()"
run compile --project "$PROJECT" --db "$DB" --target-path "$TARGET" --select order_log --full-refresh
expect_code 0 "compile --full-refresh"
expect_out_not_contains "where order_id >" "compile --full-refresh: not incremental"

# A selector that matches nothing warns as dbt does; with nothing selected there is nothing to do.
run ls --project "$PROJECT" --target-path "$TARGET" --select nosuchmodel
expect_code 0 "ls of an unknown name"
expect_out_contains "[WARNING]: The selection criterion 'nosuchmodel' does not match any enabled nodes" "ls warns"
expect_out_contains "No nodes selected!" "ls selects nothing"
run run --project "$PROJECT" --db "$DB" --target-path "$TARGET" --select nosuchmodel
expect_code 0 "run of an unknown name"
expect_out_contains "Nothing to do." "run with nothing selected"
# Without --db the build is in memory, and says so.
run seed --project "$PROJECT" --target-path "$TARGET"
expect_code 0 "seed without --db"
expect_out_contains "no --db given: the warehouse is in memory" "in-memory note"

# profiles.yml (dbt's): the output's path is the warehouse, so --db is not needed; --target
# picks another output; sluice debug checks it all.
PROFILES="$WORK_DIR/profiles"
mkdir -p "$PROFILES"
cat >"$PROFILES/profiles.yml" <<YML
jaffle:
  target: dev
  outputs:
    dev:
      type: sluice
      path: $WORK_DIR/profile_wh
      threads: 2
    other:
      type: sluice
      path: $WORK_DIR/other_wh
      schema: analytics
YML
run seed --project "$PROJECT" --profiles-dir "$PROFILES" --target-path "$TARGET"
expect_code 0 "seed through profiles.yml"
run sql --no-progress --format csv --db "$WORK_DIR/profile_wh" -c "select count(*) as n from raw_customers"
expect_out "n
5" "profiles.yml path is the warehouse"
run seed --project "$PROJECT" --profiles-dir "$PROFILES" --target other --target-path "$TARGET"
expect_code 0 "seed into --target other"
run sql --no-progress --format csv --db "$WORK_DIR/other_wh" -c "select count(*) as n from analytics.raw_customers"
expect_out "n
5" "--target other: its path and schema"
run debug --project "$PROJECT" --profiles-dir "$PROFILES"
expect_code 0 "sluice debug"
expect_out_contains "profiles.yml file [OK found and valid]" "debug: profile"
expect_out_contains "Connection test: [OK connection ok]" "debug: connection"
expect_out_contains "All checks passed!" "debug: summary"
run seed --project "$PROJECT" --profiles-dir "$PROFILES" --target nosuch --target-path "$TARGET"
expect_code 1 "unknown --target"
expect_err_contains "has no output named 'nosuch'" "unknown --target"

# A profiles.yml for another engine, found only by looking in the project, is left alone.
cp -r "$PROJECT" "$WORK_DIR/jaffle_copy"
rm -rf "$WORK_DIR/jaffle_copy/target"
printf 'jaffle:\n  target: dev\n  outputs:\n    dev:\n      type: postgres\n      host: localhost\n' \
  >"$WORK_DIR/jaffle_copy/profiles.yml"
run seed --project "$WORK_DIR/jaffle_copy" --db "$WORK_DIR/copy_wh" --target-path "$TARGET"
expect_code 0 "another engine's profiles.yml in the project"

run ls --project "$PROJECT" --target-path "$TARGET" --select "+customers" --exclude "resource_type:test"
expect_code 0 "ls"
expect_out_contains "seed.jaffle.raw_orders" "ls ancestors"

finish
