#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "cli/shell_completion.h"

struct editline;
struct history;

namespace sluice {

// Reads lines from the terminal with editing (libedit's emacs keys), a history kept in a
// file, and TAB completion. Ctrl-C abandons the line being typed; Ctrl-D on an empty line
// ends the input. While a line is read the terminal sends Ctrl-C as a key (no SIGINT); at
// other times (a query running) it is a signal again.
// REQUIRES: standard input and output are a terminal. Not thread-safe: one per process, used
// from one thread.
class LineEditor {
 public:
  // Candidates for the word before the cursor, given the line up to the cursor.
  using Completer = std::function<CompletionCandidates(std::string_view)>;

  // `history_path`: the history file, loaded now (its last kHistorySize lines) and appended
  // to by AddHistory; empty: history in memory only.
  LineEditor(std::string history_path, Completer completer);
  ~LineEditor();
  LineEditor(const LineEditor&) = delete;
  LineEditor& operator=(const LineEditor&) = delete;

  enum class Status { kLine, kInterrupted, kEnd };
  // Shows `prompt` and reads one line into `line` (without its newline): kLine, or
  // kInterrupted after Ctrl-C (the typed text is dropped), or kEnd at Ctrl-D / end of input.
  Status ReadLine(const std::string& prompt, std::string* line);

  // Adds `entry` (one line) to the history in memory and appends it to the history file.
  void AddHistory(const std::string& entry);

  static constexpr int kHistorySize = 1000;

 private:
  static char* Prompt(editline* el);
  static unsigned char OnTab(editline* el, int key);
  static unsigned char OnInterrupt(editline* el, int key);
  static LineEditor& Of(editline* el);
  // Loads the history file, trimming it when it has grown to twice kHistorySize lines.
  void LoadHistory();
  // TAB: completes the word before the cursor, or lists the candidates when no more can be
  // completed. Returns libedit's redraw code.
  unsigned char Complete();

  std::string history_path_;
  Completer completer_;
  editline* el_ = nullptr;
  history* history_ = nullptr;
  std::string prompt_;
  bool interrupted_ = false;
};

}  // namespace sluice
