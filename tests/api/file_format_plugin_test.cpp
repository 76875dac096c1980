// A format registered by a test ("lines": one text value per line after a "#lines" header)
// is read and written by FROM 'path', read_lines(), COPY and DataFrameWriter with no other
// change: the registries are the only door.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "api/dataframe.h"
#include "api/session.h"
#include "api/sql_runner.h"
#include "common/error.h"
#include "io/file_format_registry.h"
#include "io/memory_table.h"

namespace sluice {
namespace {

namespace fs = std::filesystem;

// Writes the first column's values, one per line (NULL as an empty line), upper-cased when
// the `upper` option is set.
class LinesWriter : public DataSink {
 public:
  LinesWriter(std::string path, bool upper) : path_(std::move(path)), upper_(upper) {}
  void Write(const Batch& batch) override {
    for (size_t r = 0; r < batch.num_rows(); r++) {
      const Value v = batch.column(0)->GetValue(r);
      std::string text = v.is_null() ? "" : v.ToString();
      if (upper_) {
        for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      text_ += text + "\n";
      rows_++;
    }
  }
  void Close() override { std::ofstream(path_) << "#lines\n" << text_; }

 private:
  std::string path_;
  bool upper_;
  std::string text_;
  int64_t rows_ = 0;
};

// Sinks opened by LinesFormat, for the tests that count them.
std::atomic<int> lines_sinks_opened{0};

class LinesFormat : public FileFormat {
 public:
  std::string name() const override { return "lines"; }
  std::vector<std::string> extensions() const override { return {".lines"}; }
  bool MatchesContent(std::string_view head) const override {
    return head.substr(0, 7) == "#lines\n";
  }
  const std::vector<OptionSpec>& read_options() const override {
    static const std::vector<OptionSpec> specs = {
        {"skip_blank", OptionType::kBoolean, "false", "drop empty lines", {}, {}}};
    return specs;
  }
  const std::vector<OptionSpec>& write_options() const override {
    static const std::vector<OptionSpec> specs = {
        {"upper", OptionType::kBoolean, "false", "upper-case the text", {}, {}}};
    return specs;
  }
  std::unique_ptr<DataSource> OpenFiles(const std::string& path_or_glob,
                                        const OptionValues& options) const override {
    std::vector<std::string> lines;
    for (const std::string& path : ExpandPaths(path_or_glob)) {
      std::ifstream in(path);
      std::string line;
      std::getline(in, line);
      if (line != "#lines") throw InvalidInputError(path + " is not a lines file");
      while (std::getline(in, line)) {
        if (!line.empty() || !options.Bool("skip_blank")) lines.push_back(line);
      }
    }
    auto column = Column::Make(TypeId::kVarchar, lines.size());
    for (size_t i = 0; i < lines.size(); i++) column->SetValue(i, Value::Varchar(lines[i]));
    column->set_size(lines.size());
    Schema schema;
    schema.Add(Field{"line", TypeId::kVarchar, true, ""});
    return std::make_unique<MemoryTable>(schema, std::vector<Batch>{Batch({column}, lines.size())});
  }
  std::unique_ptr<DataSink> CreateFileSink(const std::string& path, const Schema& schema,
                                           const OptionValues& options,
                                           ThreadPool* pool) const override {
    lines_sinks_opened++;
    return std::make_unique<LinesWriter>(path, options.Bool("upper"));
  }
  // One header, then every part's lines.
  void ConcatenateFiles(const std::vector<std::string>& parts, const std::string& path,
                        const Schema& schema, const OptionValues& options) const override {
    std::ofstream out(path);
    out << "#lines\n";
    for (const std::string& part : parts) {
      std::ifstream in(part);
      std::string line;
      std::getline(in, line);
      while (std::getline(in, line)) out << line << "\n";
    }
  }
};

std::string ReadText(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class FileFormatPluginTest : public ::testing::Test {
 protected:
  FileFormatPluginTest() : session_(TestSettings()) {
    // The one registration line; once per process (the registry is process-wide).
    static const bool registered = [] {
      FileFormats().Register(std::make_unique<LinesFormat>());
      return true;
    }();
    (void)registered;
    dir_ = fs::temp_directory_path() / ("sluice_lines_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Run("CREATE TABLE words AS SELECT * FROM (VALUES ('apple', 1), ('', 2), ('cherry', 3)) "
        "v(word, n)");
  }
  ~FileFormatPluginTest() override { fs::remove_all(dir_); }

  static Settings TestSettings() {
    Settings s;
    s.set_threads(2);
    s.set_shuffle_partitions(4);
    s.set_progress_bar(false);
    return s;
  }
  std::vector<StatementResult> Run(const std::string& sql) { return RunSqlScript(session_, sql); }
  std::vector<std::string> Query(const std::string& sql) {
    std::vector<std::string> out;
    const StatementResult result = Run(sql).back();
    for (const Batch& b : result.batches) {
      for (size_t i = 0; i < b.num_rows(); i++) {
        std::string row;
        for (const Value& v : b.GetRow(i)) row += (row.empty() ? "" : "|") + v.ToString();
        out.push_back(row);
      }
    }
    return out;
  }
  std::string ErrorOf(const std::string& sql) {
    try {
      Run(sql);
    } catch (const UserError& e) {
      return e.what();
    }
    return "<no error>";
  }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }

  Session session_;
  fs::path dir_;
};

using Rows = std::vector<std::string>;

TEST_F(FileFormatPluginTest, CopyToChoosesTheFormatByExtensionOrFormatOption) {
  Run("COPY (SELECT word FROM words ORDER BY n) TO '" + Path("a.lines") + "'");
  EXPECT_EQ(ReadText(dir_ / "a.lines"), "#lines\napple\n\ncherry\n");
  // FORMAT wins over the extension; the format's own option reaches its writer.
  Run("COPY (SELECT word FROM words ORDER BY n) TO '" + Path("b.csv") + "' (FORMAT lines, UPPER)");
  EXPECT_EQ(ReadText(dir_ / "b.csv"), "#lines\nAPPLE\n\nCHERRY\n");
}

TEST_F(FileFormatPluginTest, CopyStreamsEveryTaskIntoASinkOfTheFormat) {
  // Three partitions: each task writes its own part through the format's sink, and the
  // commit joins them with the format's ConcatenateFiles, rows in order.
  const int before = lines_sinks_opened.load();
  Run("COPY (SELECT CAST(range AS VARCHAR) AS v FROM range(0, 2) UNION ALL "
      "SELECT CAST(range AS VARCHAR) FROM range(2, 4) UNION ALL "
      "SELECT CAST(range AS VARCHAR) FROM range(4, 5)) TO '" +
      Path("r.lines") + "'");
  EXPECT_EQ(lines_sinks_opened.load() - before, 3);
  EXPECT_EQ(ReadText(dir_ / "r.lines"), "#lines\n0\n1\n2\n3\n4\n");
  EXPECT_EQ(Query("EXPLAIN COPY words TO '" + Path("n.lines") + "'").size(), 1u);
  EXPECT_FALSE(fs::exists(dir_ / "n.lines"));
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename(), "r.lines");
  }
}

TEST_F(FileFormatPluginTest, CopyOptionsAreCheckedAgainstTheFormat) {
  std::string e = ErrorOf("COPY words TO '" + Path("c.lines") + "' (UPPR true)");
  EXPECT_NE(e.find("Unrecognized option \"uppr\" for COPY ... TO (FORMAT lines). Did you mean "
                   "\"upper\"?"),
            std::string::npos)
      << e;
  e = ErrorOf("COPY words TO '" + Path("c.lines") + "' (UPPER 'maybe')");
  EXPECT_NE(e.find("Invalid value 'maybe' for option \"upper\""), std::string::npos) << e;
  // A CSV option is not a lines option.
  e = ErrorOf("COPY words TO '" + Path("c.lines") + "' (HEADER)");
  EXPECT_NE(e.find("Unrecognized option \"header\" for COPY ... TO (FORMAT lines)"),
            std::string::npos)
      << e;
  EXPECT_FALSE(fs::exists(dir_ / "c.lines"));
}

TEST_F(FileFormatPluginTest, FromPathAndReadFunctionUseTheFormat) {
  Run("COPY (SELECT word FROM words ORDER BY n) TO '" + Path("a.lines") + "'");
  EXPECT_EQ(Query("SELECT line FROM '" + Path("a.lines") + "'"), (Rows{"apple", "", "cherry"}));
  EXPECT_EQ(Query("SELECT a.line FROM read_lines('" + Path("a.lines") + "', skip_blank = true) a"),
            (Rows{"apple", "cherry"}));
  // The file's stem qualifies the columns, as for the built-in formats.
  EXPECT_EQ(Query("SELECT count(a.line) FROM read_lines('" + Path("a.lines") + "')"), (Rows{"3"}));
  // Sniffed by content when no format claims the extension.
  fs::copy_file(dir_ / "a.lines", dir_ / "a.dat");
  EXPECT_EQ(Query("SELECT count(*) FROM '" + Path("a.dat") + "'"), (Rows{"3"}));
  const std::string e = ErrorOf("SELECT * FROM read_lines('" + Path("a.lines") + "', skip = 1)");
  EXPECT_NE(e.find("Invalid named parameter \"skip\" for function read_lines"), std::string::npos)
      << e;
  EXPECT_NE(ErrorOf("SELECT * FROM read_linez('x')").find("Did you mean \"read_lines\"?"),
            std::string::npos);
}

TEST_F(FileFormatPluginTest, CopyFromLoadsATable) {
  Run("COPY (SELECT word FROM words ORDER BY n) TO '" + Path("a.lines") +
      "';"
      "CREATE TABLE loaded (line VARCHAR);"
      "COPY loaded FROM '" +
      Path("a.lines") + "' (SKIP_BLANK true)");
  EXPECT_EQ(Query("SELECT line FROM loaded ORDER BY line"), (Rows{"apple", "cherry"}));
}

TEST_F(FileFormatPluginTest, DataFrameWriterUsesTheFormat) {
  DataFrame words = session_.Table("words")
                        .Select(std::vector<std::string>{"word", "n"})
                        .OrderBy(std::vector<std::string>{"n"});
  words.Write().Format("lines").Option("upper", "true").Save(Path("w.lines"));
  EXPECT_EQ(ReadText(dir_ / "w.lines"), "#lines\nAPPLE\n\nCHERRY\n");
  // By extension, without Format.
  words.Write().Save(Path("x.lines"));
  EXPECT_EQ(ReadText(dir_ / "x.lines"), "#lines\napple\n\ncherry\n");
  // A directory of part files, and Hive partitions, with the format's extension.
  words.Write().Format("lines").Save(Path("parts"));
  EXPECT_EQ(Query("SELECT count(*) FROM read_lines('" + Path("parts") + "/*.lines')"), (Rows{"3"}));
  words.Write().Format("lines").PartitionBy({"n"}).Save(Path("by_n"));
  for (const auto& entry : fs::directory_iterator(dir_ / "by_n" / "n=3")) {
    EXPECT_EQ(entry.path().extension(), ".lines") << entry.path();
  }
  EXPECT_EQ(Query("SELECT n, line FROM '" + Path("by_n") + "' ORDER BY n"),
            (Rows{"1|apple", "2|", "3|cherry"}));
  EXPECT_THROW(words.Write().Format("lines").Option("header", "true").Save(Path("y.lines")),
               BindError);
  EXPECT_THROW(words.Write().Format("linez").Save(Path("y.lines")), BindError);
}

}  // namespace
}  // namespace sluice
