# A --db warehouse table with hidden partitioning (PARTITIONED BY, then partition evolution)
# is Iceberg as tools independent of Sluice read it: Debian's python3-avro reads every
# manifest back with the partition struct carrying the spec's names and field ids (1000 and
# up), each entry's partition tuple, and the manifest list's partition summaries (contains_null
# and single-value serialized bounds) agreeing with the entries.
source "$(dirname "$0")/cli_test_lib.sh"

DB="$WORK_DIR/warehouse"
CHECK="$(dirname "$0")/../iceberg/check_warehouse.py"

run sql --no-progress --db "$DB" -c \
  "create table p (ts timestamp, id bigint, name varchar) partitioned by (day(ts), bucket(4, id));
   insert into p select timestamp '2024-01-01' + interval (range % 3) day, range % 8, 'n' || range
     from range(240);
   insert into p values (null, null, 'nulls')"
expect_code 0 "a partitioned table written in a warehouse"
OUT="$(/usr/bin/python3 "$CHECK" "$DB" 2>&1)"
expect_out "main.p rows=241 files=13 specs=1 partitions=13" \
  "the manifests carry each file's partition tuple under the spec's field ids"

# The metadata names the spec as Iceberg does.
OUT="$(/usr/bin/python3 -c "
import json, sys
m = json.load(open(sys.argv[1]))
spec = m['partition-specs'][0]
print(spec['spec-id'], [(f['name'], f['transform'], f['field-id']) for f in spec['fields']], m['last-partition-id'])
" "$DB/main/p/metadata/v2.metadata.json")"
expect_out "0 [('ts_day', 'day', 1000), ('id_bucket', 'bucket[4]', 1001)] 1001" \
  "partition spec of day(ts), bucket(4, id)"

# Evolution: hour(ts) replaces day(ts); later files get spec 1, older ones keep spec 0.
run sql --no-progress --db "$DB" -c \
  "alter table p replace partition field day(ts) with hour(ts);
   insert into p values (timestamp '2024-01-05 07:30:00', 1, 'later')"
expect_code 0 "partition evolution"
OUT="$(/usr/bin/python3 "$CHECK" "$DB" 2>&1)"
expect_out "main.p rows=242 files=14 specs=2 partitions=14" "files of two specs in one snapshot"
run sql --no-progress --format csv --db "$DB" -c \
  "select spec_id, count(*) as files from p\$files group by spec_id order by spec_id"
expect_out "spec_id,files
0,13
1,1" "each file keeps the spec it was written under"

# Path-based readers see the same rows.
run sql --no-progress --format csv -c \
  "select count(*) as n, count(ts) as t from iceberg_scan('$DB/main/p')"
expect_out "n,t
242,241" "iceberg_scan reads the partitioned table"

# A write of more partitions than the process may open files: each partition's file is
# created when it is written out, not while its rows are gathered.
OUT="$(ulimit -n 256 && "$SLUICE" sql --no-progress --format csv --db "$DB" -c \
  "create table many (k bigint, v bigint) partitioned by (k);
   insert into many select range % 1000, range from range(5000);
   select count(*) as n, count(distinct k) as keys from many;
   select count(*) as files from many\$files" 2>&1)"
expect_out "n,keys
5000,1000
files
1000" "1000 partitions written under a limit of 256 open files"

finish
