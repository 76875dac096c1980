#include <gtest/gtest.h>

#include "sql/parser.h"
#include "test_util.h"

namespace sluice::sql {
namespace {

using testing::RoundTrips;
using testing::StatementText;

TEST(StatementParserTest, CreateTable) {
  StatementPtr statement = ParseStatement(
      "CREATE OR REPLACE TEMP TABLE IF NOT EXISTS s.t (id BIGINT NOT NULL, name VARCHAR(20), "
      "price DECIMAL(15,2), ok BOOLEAN, d DATE, ts TIMESTAMP) CLUSTERED BY (id) INTO 8 BUCKETS");
  ASSERT_EQ(statement->kind, StatementKind::kCreateTable);
  const auto& create = statement->As<CreateTableStatement>();
  EXPECT_TRUE(create.or_replace);
  EXPECT_TRUE(create.temporary);
  EXPECT_TRUE(create.if_not_exists);
  EXPECT_EQ(create.name.parts, (std::vector<std::string>{"s", "t"}));
  ASSERT_EQ(create.columns.size(), 6u);
  EXPECT_TRUE(create.columns[0].not_null);
  EXPECT_EQ(create.columns[0].type.name, "BIGINT");
  EXPECT_EQ(create.columns[2].type.params, (std::vector<int64_t>{15, 2}));
  EXPECT_EQ(create.cluster_by, (std::vector<std::string>{"id"}));
  EXPECT_EQ(create.num_buckets, 8);
  EXPECT_EQ(statement->ToString(),
            "CREATE OR REPLACE TEMP TABLE IF NOT EXISTS s.t (id BIGINT NOT NULL, name VARCHAR, "
            "price DECIMAL(15, 2), ok BOOLEAN, d DATE, ts TIMESTAMP) CLUSTERED BY (id) INTO 8 "
            "BUCKETS");
  EXPECT_EQ(StatementText("create table t as select 1 as a"), "CREATE TABLE t AS SELECT 1 AS a");
  EXPECT_EQ(StatementText("create table t clustered by (k) into 4 buckets as select * from s"),
            "CREATE TABLE t CLUSTERED BY (k) INTO 4 BUCKETS AS SELECT * FROM s");
  EXPECT_EQ(StatementText("create table t (a int primary key, b text default 'x')"),
            "CREATE TABLE t (a INTEGER PRIMARY KEY, b VARCHAR DEFAULT 'x')");
  EXPECT_THROW(ParseStatement("create table t"), ParseError);
  // A count out of range parses; binding refuses it naming the table (tests/sql/join/bucketed).
  EXPECT_EQ(StatementText("create table t (a int) clustered by (a) into 0 buckets"),
            "CREATE TABLE t (a INTEGER) CLUSTERED BY (a) INTO 0 BUCKETS");
  EXPECT_THROW(ParseStatement("create table t (a int) clustered by (a) into -1 buckets"),
               ParseError);
  EXPECT_THROW(ParseStatement("create table t (a int) clustered by (a) into x buckets"),
               ParseError);
}

TEST(StatementParserTest, CreateTablePartitionedBy) {
  StatementPtr statement = ParseStatement(
      "create table t (ts timestamp, id bigint, name varchar) "
      "partitioned by (days(ts), bucket(16, id), truncate(4, name), name, identity(id), hours(ts))");
  const auto& create = statement->As<CreateTableStatement>();
  ASSERT_EQ(create.partition_by.size(), 6u);
  EXPECT_EQ(create.partition_by[0].transform, "day");  // plural spellings are Spark's
  EXPECT_EQ(create.partition_by[0].source, "ts");
  EXPECT_EQ(create.partition_by[1].transform, "bucket");
  EXPECT_EQ(create.partition_by[1].param, 16);
  EXPECT_EQ(create.partition_by[2].param, 4);
  EXPECT_EQ(create.partition_by[3].transform, "identity");
  EXPECT_EQ(create.partition_by[4].transform, "identity");
  EXPECT_EQ(create.partition_by[5].transform, "hour");
  // Each field keeps where it is written (binding errors point at it).
  EXPECT_EQ(create.partition_by[1].line, 1);
  EXPECT_EQ(create.partition_by[1].column, 82);
  EXPECT_EQ(statement->ToString(),
            "CREATE TABLE t (ts TIMESTAMP, id BIGINT, name VARCHAR) PARTITIONED BY (day(ts), "
            "bucket(16, id), truncate(4, name), name, id, hour(ts))");
  EXPECT_EQ(StatementText("create table t partitioned by (months(d)) as select 1 as d"),
            "CREATE TABLE t PARTITIONED BY (month(d)) AS SELECT 1 AS d");
  EXPECT_THROW(ParseStatement("create table t (a int) partitioned by (weeks(a))"), ParseError);
  EXPECT_THROW(ParseStatement("create table t (a int) partitioned by (bucket(a))"), ParseError);
  EXPECT_THROW(ParseStatement("create table t (a int) partitioned by ()"), ParseError);
}

TEST(StatementParserTest, AlterTablePartitionFields) {
  EXPECT_EQ(StatementText("alter table t add partition field days(ts)"),
            "ALTER TABLE t ADD PARTITION FIELD day(ts)");
  EXPECT_EQ(StatementText("alter table t drop partition field bucket(8, id)"),
            "ALTER TABLE t DROP PARTITION FIELD bucket(8, id)");
  EXPECT_EQ(StatementText("alter table t replace partition field day(ts) with hours(ts)"),
            "ALTER TABLE t REPLACE PARTITION FIELD day(ts) WITH hour(ts)");
  EXPECT_THROW(ParseStatement("alter table t replace partition field day(ts) hour(ts)"), ParseError);
}

TEST(StatementParserTest, CreateViewAndSchema) {
  EXPECT_EQ(StatementText("create or replace view v (a, b) as select 1, 2"),
            "CREATE OR REPLACE VIEW v (a, b) AS SELECT 1, 2");
  EXPECT_EQ(StatementText("create schema if not exists s"), "CREATE SCHEMA IF NOT EXISTS s");
  EXPECT_EQ(ParseStatement("create view v as select 1")->kind, StatementKind::kCreateView);
  EXPECT_THROW(ParseStatement("create view v"), ParseError);
}

TEST(StatementParserTest, Drop) {
  EXPECT_EQ(StatementText("drop table if exists s.t cascade"), "DROP TABLE IF EXISTS s.t CASCADE");
  EXPECT_EQ(StatementText("DROP VIEW v"), "DROP VIEW v");
  EXPECT_EQ(StatementText("drop schema s restrict"), "DROP SCHEMA s");
  EXPECT_THROW(ParseStatement("drop index i"), ParseError);
}

TEST(StatementParserTest, Insert) {
  EXPECT_EQ(StatementText("insert into t values (1, 'a'), (2, 'b')"),
            "INSERT INTO t VALUES (1, 'a'), (2, 'b')");
  EXPECT_EQ(StatementText("insert into t (a, b) select x, y from s"),
            "INSERT INTO t (a, b) SELECT x, y FROM s");
  EXPECT_EQ(StatementText("insert into t (select 1)"), "INSERT INTO t SELECT 1");
  StatementPtr statement = ParseStatement("insert into t (a) values (1)");
  EXPECT_EQ(statement->As<InsertStatement>().columns, (std::vector<std::string>{"a"}));
  EXPECT_EQ(statement->As<InsertStatement>().query->kind, QueryKind::kValues);
}

TEST(StatementParserTest, InsertOnConflict) {
  EXPECT_EQ(StatementText("insert into t values (1) on conflict do nothing"),
            "INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING");
  EXPECT_EQ(StatementText("insert into t as o (k, v) select 1, 2 on conflict (k) do update "
                          "set v = excluded.v + o.v where excluded.v > 0"),
            "INSERT INTO t AS o (k, v) SELECT 1, 2 ON CONFLICT (k) DO UPDATE SET "
            "v = (excluded.v + o.v) WHERE (excluded.v > 0)");
  EXPECT_EQ(StatementText("insert or replace into t values (1)"),
            "INSERT OR REPLACE INTO t VALUES (1)");
  EXPECT_EQ(StatementText("insert or ignore into t by name select 1 as k"),
            "INSERT OR IGNORE INTO t BY NAME SELECT 1 AS k");
  const StatementPtr upsert =
      ParseStatement("insert into t values (1) on conflict (a, b) do update set c = 1");
  const auto& ins = upsert->As<InsertStatement>();
  EXPECT_EQ(ins.on_conflict, InsertConflict::kUpdate);
  EXPECT_EQ(ins.conflict_columns, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(ins.conflict_set.size(), 1u);
  EXPECT_EQ(StatementText("insert into t values (1, default), (default, 2)"),
            "INSERT INTO t VALUES (1, DEFAULT), (DEFAULT, 2)");
  EXPECT_EQ(StatementText("update t set a = default"), "UPDATE t SET a = DEFAULT");
  EXPECT_EQ(StatementText("insert into t values (1) returning *, k + 1 as n"),
            "INSERT INTO t VALUES (1) RETURNING *, (k + 1) AS n");
  EXPECT_THROW(ParseStatement("insert or update into t values (1)"), ParseError);
  EXPECT_THROW(ParseStatement("insert into t values (1) on conflict do"), ParseError);
}

TEST(StatementParserTest, DeleteAndUpdate) {
  EXPECT_EQ(StatementText("delete from t where a = 1"), "DELETE FROM t WHERE (a = 1)");
  EXPECT_EQ(StatementText("delete from t"), "DELETE FROM t");
  EXPECT_EQ(StatementText("update t set a = a + 1, b = 'x' where c"),
            "UPDATE t SET a = (a + 1), b = 'x' WHERE c");
  EXPECT_EQ(StatementText("update t as x set a = s.a from s where x.k = s.k"),
            "UPDATE t AS x SET a = s.a FROM s WHERE (x.k = s.k)");
  EXPECT_EQ(StatementText("update t x set x.a = 1"), "UPDATE t AS x SET a = 1");
}

TEST(StatementParserTest, Merge) {
  StatementPtr statement = ParseStatement(
      "MERGE INTO target AS t USING (SELECT * FROM src) AS s ON t.k = s.k "
      "WHEN MATCHED AND s.deleted THEN DELETE "
      "WHEN MATCHED THEN UPDATE SET v = s.v, w = 1 "
      "WHEN NOT MATCHED AND s.v > 0 THEN INSERT (k, v) VALUES (s.k, s.v) "
      "WHEN NOT MATCHED THEN INSERT *");
  const auto& merge = statement->As<MergeStatement>();
  EXPECT_EQ(merge.target->alias, "t");
  EXPECT_EQ(merge.source->kind, TableRefKind::kSubquery);
  ASSERT_EQ(merge.actions.size(), 4u);
  EXPECT_EQ(merge.actions[0].type, MergeActionType::kDelete);
  EXPECT_NE(merge.actions[0].condition, nullptr);
  EXPECT_EQ(merge.actions[1].set.size(), 2u);
  EXPECT_EQ(merge.actions[2].insert_columns.size(), 2u);
  EXPECT_TRUE(merge.actions[3].star);
  EXPECT_EQ(statement->ToString(),
            "MERGE INTO target AS t USING (SELECT * FROM src) AS s ON (t.k = s.k) "
            "WHEN MATCHED AND s.deleted THEN DELETE "
            "WHEN MATCHED THEN UPDATE SET v = s.v, w = 1 "
            "WHEN NOT MATCHED AND (s.v > 0) THEN INSERT (k, v) VALUES (s.k, s.v) "
            "WHEN NOT MATCHED THEN INSERT *");
  EXPECT_EQ(StatementText("merge into t using s on t.k = s.k when matched then update set *"),
            "MERGE INTO t USING s ON (t.k = s.k) WHEN MATCHED THEN UPDATE SET *");
  EXPECT_THROW(ParseStatement("merge into t using s on t.k = s.k"), ParseError);
  EXPECT_THROW(ParseStatement("merge into t using s on true when not matched then delete"),
               ParseError);
}

TEST(StatementParserTest, SetResetShowDescribe) {
  EXPECT_EQ(StatementText("SET memory_limit='500MB'"), "SET memory_limit = '500MB'");
  EXPECT_EQ(StatementText("set threads to 4"), "SET threads = 4");
  EXPECT_EQ(StatementText("set session search_path = main"), "SET search_path = main");
  EXPECT_EQ(StatementText("reset threads"), "RESET threads");
  EXPECT_EQ(StatementText("reset all"), "RESET ALL");
  EXPECT_EQ(StatementText("show tables"), "SHOW tables");
  EXPECT_EQ(StatementText("SHOW ALL TABLES"), "SHOW all tables");
  EXPECT_EQ(StatementText("describe s.t"), "DESCRIBE s.t");
  EXPECT_EQ(StatementText("describe select 1"), "DESCRIBE SELECT 1");
  EXPECT_EQ(StatementText("desc t"), "DESCRIBE t");
  EXPECT_EQ(ParseStatement("SET x = 1")->As<SetStatement>().name, "x");
}

TEST(StatementParserTest, Explain) {
  StatementPtr statement = ParseStatement("EXPLAIN ANALYZE SELECT 1");
  EXPECT_TRUE(statement->As<ExplainStatement>().analyze);
  EXPECT_EQ(statement->As<ExplainStatement>().statement->source_text, "SELECT 1");
  EXPECT_EQ(StatementText("explain (format json) select * from t"),
            "EXPLAIN (format json) SELECT * FROM t");
  EXPECT_EQ(StatementText("explain (select 1)"), "EXPLAIN SELECT 1");
  EXPECT_EQ(StatementText("explain delete from t"), "EXPLAIN DELETE FROM t");
  StatementPtr with_options = ParseStatement("explain (format json, analyze) select 1");
  const auto& options = with_options->As<ExplainStatement>().options;
  ASSERT_EQ(options.size(), 2u);
  EXPECT_EQ(options[0].name, "format");
  EXPECT_EQ(options[0].values[0]->ToString(), "json");
  EXPECT_TRUE(options[1].values.empty());
}

TEST(StatementParserTest, Copy) {
  StatementPtr statement = ParseStatement(
      "COPY (SELECT * FROM t) TO 'out.csv' (FORMAT csv, HEADER, DELIMITER ',', "
      "PARTITION_BY (a, b))");
  const auto& copy = statement->As<CopyStatement>();
  EXPECT_NE(copy.query, nullptr);
  EXPECT_EQ(copy.path, "out.csv");
  ASSERT_EQ(copy.options.size(), 4u);
  EXPECT_EQ(copy.options[1].name, "header");
  EXPECT_TRUE(copy.options[1].values.empty());
  EXPECT_TRUE(copy.options[3].is_list);
  EXPECT_EQ(copy.options[3].values.size(), 2u);
  EXPECT_EQ(statement->ToString(),
            "COPY (SELECT * FROM t) TO 'out.csv' (format csv, header, delimiter ',', "
            "partition_by (a, b))");
  EXPECT_EQ(StatementText("copy t from 'in.csv' (header true)"),
            "COPY t FROM 'in.csv' (header TRUE)");
  EXPECT_EQ(StatementText("copy t (a, b) to 'x.parquet' with (format parquet)"),
            "COPY t (a, b) TO 'x.parquet' (format parquet)");
  EXPECT_TRUE(ParseStatement("copy t from 'f'")->As<CopyStatement>().is_from);
  EXPECT_THROW(ParseStatement("copy t to out"), ParseError);
}

TEST(StatementParserTest, CacheAndUncache) {
  EXPECT_EQ(StatementText("cache table t"), "CACHE TABLE t");
  EXPECT_EQ(StatementText("cache table t as select * from s"), "CACHE TABLE t AS SELECT * FROM s");
  EXPECT_EQ(StatementText("uncache table if exists t"), "UNCACHE TABLE IF EXISTS t");
}

TEST(StatementParserTest, ScriptsKeepSourceText) {
  std::vector<StatementPtr> statements =
      ParseScript("select 1;; create table t (a int) ;\n  insert into t values (1)  ;");
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_EQ(statements[0]->source_text, "select 1");
  EXPECT_EQ(statements[1]->source_text, "create table t (a int)");
  EXPECT_EQ(statements[2]->source_text, "insert into t values (1)");
  EXPECT_EQ(statements[2]->line, 2);
  EXPECT_EQ(statements[2]->column, 3);
  EXPECT_TRUE(ParseScript("").empty());
  EXPECT_TRUE(ParseScript(" ; -- nothing\n").empty());
  EXPECT_THROW(ParseScript("select 1 select 2"), ParseError);
  EXPECT_THROW(ParseStatement("select 1; select 2"), ParseError);
}

TEST(StatementParserTest, RoundTrips) {
  const char* statements[] = {
      "create table t (a int not null, b varchar, c decimal(10, 2))",
      "create or replace table t as with x as (select 1) select * from x",
      "create view v as select a from t where b",
      "drop view if exists v",
      "insert into t (a) select 1 union select 2",
      "update t set a = 1 where b in (select c from s)",
      ("merge into t using s on t.a = s.a when matched then update set a = s.a "
       "when not matched then insert values (s.a)"),
      "set x to 'y'",
      "explain analyze select * from t",
      "copy (select 1) to 'f.csv' (format csv, header true)",
      "describe select * from t",
      "cache table c as select 1",
  };
  for (const char* sql : statements) EXPECT_TRUE(RoundTrips(sql)) << sql;
}

}  // namespace
}  // namespace sluice::sql
