# The ELT demo end to end (what `make demo` runs): raw rows land append-only, the project
# builds, and the second build after new raw rows merges only those rows.
source "$(dirname "$0")/cli_test_lib.sh"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"

OUT="$(cd "$ROOT" && SLUICE="$SLUICE" bash demo/run.sh "$WORK_DIR/demo" 2>&1)"
CODE=$?
ERR=""
expect_code 0 "demo/run.sh"
expect_out_contains "SELECT 999990" "first build materializes every cleaned raw row"
expect_out_contains "merge 49999" "the incremental build processes only the new rows"
expect_out_contains "PASS=7 WARN=0 ERROR=0 SKIP=0" "every node and test passes"
expect_out_contains "revenue" "the mart is read back with SQL"
# The ML story: training, batch scores in Redis, an online prediction; the online features
# (materialized) and the batch score (point-in-time retrieval) give the same probability.
expect_out_contains "roc_auc" "ML.EVALUATE prints the metrics"
expect_out_contains "published 2000 scores of model churn" "batch scores land in Redis"
ONLINE_P="$(echo "$OUT" | sed -n 's/^POST \/v1\/predict.*"probability":\([0-9.e-]*\)}$/\1/p')"
BATCH_P="$(echo "$OUT" | sed -n 's/^GET \/v1\/scores.*"probability":\([0-9.e-]*\),.*$/\1/p')"
[ -n "$ONLINE_P" ] && [ "$ONLINE_P" == "$BATCH_P" ] ||
  fail "online ($ONLINE_P) and batch ($BATCH_P) probabilities of user 42 differ"

finish
