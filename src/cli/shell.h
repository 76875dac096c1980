#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "cli/dot_commands.h"
#include "cli/shell_output.h"
#include "cli/sql_options.h"

namespace sluice {

class LineEditor;
class Session;

// How far typed SQL has got: nothing to run (spaces, comments), a statement still open (no
// closing ';' yet, or inside a string or comment), or statements ending in ';' to run.
enum class SqlInputState { kEmpty, kIncomplete, kComplete };
// Uses the SQL lexer, so a ';' in a string or comment does not end a statement. Text the
// lexer rejects for another reason is complete: running it reports the error.
SqlInputState ClassifySqlInput(std::string_view sql);

// The interactive SQL shell (`sluice shell`, or `sluice` / `sluice sql` on a terminal), like
// DuckDB's: statements end at ';' and may span lines, every result is printed, errors are
// reported and the shell goes on, dot commands (DotCommands) change how it works. On a
// terminal it edits lines (LineEditor) with history in ~/.sluice_history and TAB completion,
// and Ctrl-C stops the running query. Not thread-safe: used from the main thread only.
class Shell {
 public:
  explicit Shell(SqlOptions options);
  ~Shell();
  Shell(const Shell&) = delete;
  Shell& operator=(const Shell&) = delete;

  // Reads standard input to its end (or .quit): with prompts, line editing and history when
  // it is a terminal, else as a script without prompts. Returns the exit code: 0, or 1 when
  // input that is not a terminal had an error.
  int Run();

  // For the dot commands.
  Session& session() { return *session_; }
  ShellOutput& output() { return output_; }
  void set_timer(bool on) { timer_ = on; }
  // Runs file `path` as if its lines were typed (SQL and dot commands). An error is reported
  // and the file goes on; Ctrl-C stops it. Throws IOError when the file cannot be read.
  void RunFile(const std::string& path);
  // Replaces the session by one over the warehouse in folder `dir` (in memory when empty).
  // Throws IOError, keeping the current session, when it cannot be opened.
  void OpenDatabase(const std::string& dir);

 private:
  // One line of input for `pending` (the statement being typed): a dot command at the start
  // of a statement runs at once; SQL runs once ClassifySqlInput calls it complete. Errors are
  // reported, except an InterruptError, which is thrown. Returns false after .quit.
  bool FeedLine(const std::string& line, std::string& pending);
  // Runs each statement of `sql` in turn, printing each result (and its time, with .timer).
  void RunSql(const std::string& sql);
  // Prints the error of the exception being handled to stderr.
  void ReportError();
  int RunInteractive();
  // Lines of `in` without prompts; what is left unfinished at the end runs too.
  void RunLines(std::istream& in);

  SqlOptions options_;
  std::mutex session_mutex_;  // guards the session_ pointer for the Ctrl-C handler
  std::unique_ptr<Session> session_;
  ShellOutput output_;
  DotCommands dot_commands_;
  bool timer_ = false;
  bool quit_ = false;
  int errors_ = 0;
};

}  // namespace sluice
