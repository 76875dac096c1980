#include "io/file_format_registry.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "io/copy_function.h"
#include "io/csv_format.h"
#include "io/parquet_format.h"
#include "io/parquet_writer.h"
#include "io/table_function.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

// The message of the UserError `f` throws.
template <typename F>
std::string ErrorOf(F&& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "<no error>";
}

class TempFiles : public ::testing::Test {
 protected:
  TempFiles() : dir_(fs::temp_directory_path() / ("sluice_formats_" + std::to_string(::getpid()))) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~TempFiles() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return (dir_ / name).string();
  }
  fs::path dir_;
};

TEST(FileFormatRegistry, FindsBuiltinsByNameAndExtension) {
  const FileFormatRegistry& formats = FileFormats();
  EXPECT_EQ(formats.Get("CSV").name(), "csv");
  EXPECT_EQ(formats.Find("avro"), nullptr);
  EXPECT_EQ(formats.ForExtension("x/y.PARQUET")->name(), "parquet");
  EXPECT_EQ(formats.ForExtension("events.ndjson")->name(), "json");
  EXPECT_EQ(formats.ForExtension("events.txt"), nullptr);
  EXPECT_EQ(formats.ForExtension(".csv"), nullptr);  // a name that is only an extension
  const std::string e = ErrorOf([&] { formats.Get("parqet"); });
  EXPECT_NE(e.find("Unknown file format \"parqet\""), std::string::npos) << e;
  EXPECT_NE(e.find("Did you mean \"parquet\"?"), std::string::npos) << e;
}

TEST(FileFormatRegistry, RejectsDuplicateNamesAndExtensions) {
  FileFormatRegistry registry;
  RegisterBuiltinFormats(registry);
  EXPECT_EQ(registry.Names(), (std::vector<std::string>{"csv", "json", "parquet"}));
  std::string e = ErrorOf([&] { registry.Register(std::make_unique<CsvFormat>()); });
  EXPECT_NE(e.find("file format \"csv\" is registered already"), std::string::npos) << e;
  // Another name claiming ".parquet" is refused too: an extension has one owner.
  class OtherParquet : public ParquetFormat {
   public:
    std::string name() const override { return "parquet2"; }
  };
  e = ErrorOf([&] { registry.Register(std::make_unique<OtherParquet>()); });
  EXPECT_NE(e.find("extension \".parquet\" belongs to format \"parquet\""), std::string::npos) << e;
  EXPECT_EQ(registry.Names().size(), 3u);
}

TEST_F(TempFiles, SniffsByExtensionThenContent) {
  const FileFormatRegistry& formats = FileFormats();
  EXPECT_EQ(formats.Sniff(Write("a.csv", "{\"x\": 1}\n")).name(), "csv");  // extension wins
  EXPECT_EQ(formats.Sniff(Write("b.dat", "  {\"x\": 1}\n")).name(), "json");
  EXPECT_EQ(formats.Sniff(Write("c.dat", "x,y\n1,2\n")).name(), "csv");
  EXPECT_EQ(formats.Sniff(Write("empty.dat", "")).name(), "csv");
  Schema schema;
  schema.Add(Field{"x", TypeId::kBigInt, true, ""});
  ParquetWriter writer((dir_ / "d.bin").string(), schema);
  writer.Close();
  EXPECT_EQ(formats.Sniff((dir_ / "d.bin").string()).name(), "parquet");
  // A directory or glob: its first file decides.
  fs::create_directories(dir_ / "sub");
  fs::copy_file(dir_ / "d.bin", dir_ / "sub" / "part-0.bin");
  EXPECT_EQ(formats.Sniff((dir_ / "sub").string()).name(), "parquet");
  EXPECT_EQ(formats.Sniff((dir_ / "sub" / "*.bin").string()).name(), "parquet");
  EXPECT_THROW(formats.Sniff((dir_ / "none" / "*.bin").string()), IOError);
}

TEST(OptionValues, ConvertsAndChecksValues) {
  const FileFormat& csv = FileFormats().Get("csv");
  OptionValues o = csv.NewReadOptions("function read_csv");
  o.Set("HEADER", Value::Varchar("yes"));
  o.Set("sep", Value::Varchar("\\t"));  // an alias of delim
  o.Set("skip", Value::Varchar("2"));
  EXPECT_TRUE(o.Has("header"));
  EXPECT_TRUE(o.Bool("header"));
  EXPECT_EQ(o.Char("delim"), '\t');
  EXPECT_EQ(o.Int("skip"), 2);
  EXPECT_FALSE(o.Has("quote"));
  EXPECT_EQ(o.Char("quote"), '"');  // the default
  EXPECT_EQ(o.Int("sample_size"), 20480);
  const CsvOptions typed = CsvFormat::ReadOptionsFrom(o);
  EXPECT_EQ(typed.delimiter, '\t');
  EXPECT_EQ(typed.header, true);
  EXPECT_FALSE(typed.escape.has_value());

  std::string e = ErrorOf([&] { o.Set("heder", Value::Boolean(true)); });
  EXPECT_NE(e.find("Invalid named parameter \"heder\" for function read_csv. Did you mean "
                   "\"header\"?"),
            std::string::npos)
      << e;
  e = ErrorOf([&] { o.Set("zzzzzzzz", Value::Boolean(true)); });
  EXPECT_NE(e.find("(options: header, delim, quote"), std::string::npos) << e;
  e = ErrorOf([&] { o.Set("header", Value::Varchar("maybe")); });
  EXPECT_NE(e.find("Invalid value 'maybe' for option \"header\" of function read_csv: expected a "
                   "BOOLEAN"),
            std::string::npos)
      << e;
  EXPECT_NE(ErrorOf([&] { o.Set("delim", Value::Varchar(";;")); }).find("a single character"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { o.Set("sample_size", Value::BigInt(0)); }).find("a positive integer"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { o.Set("skip", Value::Varchar("two")); }).find("a non-negative integer"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { o.Set("types", Value::Varchar("a NOTATYPE")); }).find("types"),
            std::string::npos);
  EXPECT_THROW(o.Set("quote", Value::Null(TypeId::kVarchar)), BindError);

  OptionValues w = FileFormats().Get("parquet").NewWriteOptions("COPY ... TO (FORMAT parquet)");
  w.Set("codec", Value::Varchar("ZSTD"));
  EXPECT_EQ(w.String("compression"), "zstd");
  EXPECT_EQ(ParquetFormat::WriteOptionsFrom(w).codec, parquet::Codec::kZstd);
  e = ErrorOf([&] { w.Set("compression", Value::Varchar("brotli")); });
  EXPECT_NE(e.find("expected one of snappy, zstd"), std::string::npos) << e;
  EXPECT_THROW(w.Set("row_group_size", Value::BigInt(0)), BindError);
}

TEST(TableFunctionRegistry, DerivesReadFunctionsFromFormats) {
  TableFunctionRegistry& functions = TableFunctions();
  for (const char* name : {"read_csv", "read_csv_auto", "read_json", "read_ndjson", "read_parquet",
                           "parquet_scan", "range", "generate_series"}) {
    EXPECT_TRUE(functions.Find(name).has_value()) << name;
  }
  EXPECT_FALSE(functions.Find("read_avro").has_value());
  const std::string e = ErrorOf([&] { functions.Get("read_jsn"); });
  EXPECT_NE(e.find("Table Function with name read_jsn does not exist! Did you mean "
                   "\"read_json\"?"),
            std::string::npos)
      << e;
  // read_csv takes the CSV format's read options as its named parameters.
  const TableFunction read_csv = functions.Get("read_csv");
  ASSERT_EQ(read_csv.named.size(), FileFormats().Get("csv").read_options().size());
  EXPECT_EQ(read_csv.named[0].name, "header");
}

TEST(TableFunctionRegistry, ChecksPositionalArgumentsAndDuplicates) {
  const TableFunction range = TableFunctions().Get("range");
  EXPECT_EQ(range.ConvertPositional({Value::Varchar("5")})[0].GetInt(), 5);
  std::string e = ErrorOf([&] { range.ConvertPositional({}); });
  EXPECT_NE(e.find("range() takes 1 to 3 positional arguments (start BIGINT, end BIGINT, step "
                   "BIGINT), got 0"),
            std::string::npos)
      << e;
  e = ErrorOf([&] { range.ConvertPositional({Value::Varchar("x")}); });
  EXPECT_NE(e.find("for option \"start\" of function range: expected an integer"),
            std::string::npos)
      << e;
  TableFunctionCall call{"range", range.ConvertPositional({Value::BigInt(3)}), OptionValues(), {}};
  EXPECT_EQ(range.bind(call).source->EstimatedRows(), 3);

  TableFunctionRegistry registry(nullptr);
  RegisterBuiltinTableFunctions(registry);
  EXPECT_EQ(registry.Names(),
            (std::vector<std::string>{"duckdb_functions", "duckdb_settings", "generate_series",
                                      "range", "read_json_objects", "read_json_objects_auto",
                                      "read_ndjson_objects", "sluice_functions",
                                      "sluice_settings"}));
  TableFunction twice = range;
  twice.name = "RANGE";
  e = ErrorOf([&] { registry.Register(twice); });
  EXPECT_NE(e.find("table function \"range\" is registered already"), std::string::npos) << e;
}

TEST(CopyFunctionRegistry, ChoosesByNameOrExtension) {
  const CopyFunctionRegistry& copies = CopyFunctions();
  EXPECT_EQ(copies.Get("Parquet").name(), "parquet");
  EXPECT_EQ(copies.ForTarget("out/x.parquet").name(), "parquet");
  EXPECT_EQ(copies.ForTarget("out/x.jsonl").name(), "json");
  EXPECT_EQ(copies.ForTarget("out/x").name(), "csv");
  EXPECT_EQ(&copies.Get("csv"), &copies.Get("CSV"));  // one adapter per format, kept
  const std::string e = ErrorOf([&] { copies.Get("jsn"); });
  EXPECT_NE(e.find("COPY format \"jsn\" is not supported"), std::string::npos) << e;
  EXPECT_NE(e.find("Did you mean \"json\"?"), std::string::npos) << e;
  // COPY ... TO takes the write options, COPY ... FROM the read options.
  EXPECT_EQ(&copies.Get("csv").to_options(), &FileFormats().Get("csv").write_options());
  EXPECT_EQ(&copies.Get("csv").from_options(), &FileFormats().Get("csv").read_options());
}

TEST(CopyFunctionRegistry, RegistersTargetsThatAreNotFormats) {
  // A COPY target without a FileFormat (a sink that only writes).
  class NullSink : public CopyFunction {
   public:
    std::string name() const override { return "null_sink"; }
    const std::vector<OptionSpec>& to_options() const override { return options_; }
    const std::vector<OptionSpec>& from_options() const override { return options_; }
    std::shared_ptr<const DataTarget> MakeTarget(const Schema&, FileSetSpec, const OptionValues&,
                                                 ThreadPool*) const override {
      return nullptr;
    }
    std::unique_ptr<DataSource> OpenSource(const std::string&, const OptionValues&) const override {
      throw NotImplementedError("null_sink cannot be read");
    }

   private:
    std::vector<OptionSpec> options_;
  };
  FileFormatRegistry formats;
  RegisterBuiltinFormats(formats);
  CopyFunctionRegistry registry(&formats);
  registry.Register(std::make_unique<NullSink>());
  EXPECT_EQ(registry.Get("NULL_SINK").name(), "null_sink");
  EXPECT_EQ(registry.Names(), (std::vector<std::string>{"csv", "json", "parquet", "null_sink"}));
  EXPECT_THROW(registry.Register(std::make_unique<NullSink>()), InvalidInputError);
  // A name a format has is taken as well.
  class CsvSink : public NullSink {
   public:
    std::string name() const override { return "csv"; }
  };
  EXPECT_THROW(registry.Register(std::make_unique<CsvSink>()), InvalidInputError);
  const std::string e =
      ErrorOf([&] { registry.Get("null_sink").NewToOptions().Set("x", Value::Boolean(true)); });
  EXPECT_NE(e.find("Unrecognized option \"x\" for COPY ... TO (FORMAT null_sink) (it takes no "
                   "options)"),
            std::string::npos)
      << e;
}

}  // namespace
}  // namespace sluice
