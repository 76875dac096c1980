#include "cli/line_editor.h"

#include <fmt/format.h>
#include <histedit.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <clocale>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <vector>

namespace sluice {

namespace {

// Characters (not bytes) of UTF-8 text: what el_deletestr counts.
int CharCount(std::string_view s) {
  int n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string CommonPrefix(const std::vector<std::string>& words) {
  std::string prefix = words.front();
  for (const auto& w : words) {
    size_t n = 0;
    while (n < prefix.size() && n < w.size() && prefix[n] == w[n]) n++;
    // Never end inside a UTF-8 sequence: back off while the next byte continues one.
    while (n > 0 && n < prefix.size() && (static_cast<unsigned char>(prefix[n]) & 0xC0) == 0x80) {
      n--;
    }
    prefix.resize(n);
  }
  return prefix;
}

// Prints `words` in columns across the terminal, below the line being edited.
void PrintColumns(const std::vector<std::string>& words) {
  winsize size{};
  const size_t width =
      ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 ? size.ws_col : 80;
  size_t longest = 0;
  for (const auto& w : words) longest = std::max<size_t>(longest, CharCount(w));
  const size_t column = longest + 2;
  const size_t per_line = std::max<size_t>(1, width / column);
  std::string out = "\n";
  for (size_t i = 0; i < words.size(); i++) {
    const bool last = (i + 1) % per_line == 0 || i + 1 == words.size();
    out += words[i];
    out += last ? "\n" : std::string(column - CharCount(words[i]), ' ');
  }
  std::fputs(out.c_str(), stdout);
  std::fflush(stdout);
}

}  // namespace

LineEditor::LineEditor(std::string history_path, Completer completer)
    : history_path_(std::move(history_path)), completer_(std::move(completer)) {
  std::setlocale(LC_CTYPE, "");  // libedit reads UTF-8 input by the locale's encoding
  history_ = history_init();
  HistEvent event;
  history(history_, &event, H_SETSIZE, kHistorySize);
  history(history_, &event, H_SETUNIQUE, 1);
  el_ = el_init("sluice", stdin, stdout, stderr);
  el_set(el_, EL_CLIENTDATA, this);
  el_set(el_, EL_EDITOR, "emacs");
  el_set(el_, EL_PROMPT, &LineEditor::Prompt);
  el_set(el_, EL_HIST, history, history_);
  el_source(el_, nullptr);  // the user's ~/.editrc, before our own bindings
  el_set(el_, EL_ADDFN, "sluice-complete", "complete the word before the cursor",
         &LineEditor::OnTab);
  el_set(el_, EL_BIND, "^I", "sluice-complete", nullptr);
  // Ctrl-C is a key while editing, so that it can drop the line and keep the shell.
  el_set(el_, EL_SETTY, "-d", "-isig", nullptr);
  el_set(el_, EL_ADDFN, "sluice-interrupt", "drop the line being typed", &LineEditor::OnInterrupt);
  el_set(el_, EL_BIND, "^C", "sluice-interrupt", nullptr);
  LoadHistory();
}

LineEditor::~LineEditor() {
  el_end(el_);
  history_end(history_);
}

LineEditor& LineEditor::Of(editline* el) {
  void* self = nullptr;
  el_get(el, EL_CLIENTDATA, &self);
  return *static_cast<LineEditor*>(self);
}

char* LineEditor::Prompt(editline* el) { return Of(el).prompt_.data(); }

unsigned char LineEditor::OnTab(editline* el, int) { return Of(el).Complete(); }

unsigned char LineEditor::OnInterrupt(editline* el, int) {
  Of(el).interrupted_ = true;
  const LineInfoW* line = el_wline(el);
  el_cursor(el, static_cast<int>(line->lastchar - line->cursor));  // to the end, where "^C" shows
  el_insertstr(el, "^C");
  el_push(el, "\n");  // ends the line as Enter does, so the display moves below it
  return CC_REFRESH;
}

LineEditor::Status LineEditor::ReadLine(const std::string& prompt, std::string* line) {
  prompt_ = prompt;
  interrupted_ = false;
  el_resize(el_);  // the terminal may have changed size while a query ran
  int count = 0;
  const char* text = el_gets(el_, &count);
  if (interrupted_) return Status::kInterrupted;
  if (text == nullptr || count <= 0) return Status::kEnd;
  line->assign(text, static_cast<size_t>(count));
  while (!line->empty() && (line->back() == '\n' || line->back() == '\r')) line->pop_back();
  return Status::kLine;
}

unsigned char LineEditor::Complete() {
  const LineInfo* info = el_line(el_);
  const std::string_view before(info->buffer, static_cast<size_t>(info->cursor - info->buffer));
  const CompletionCandidates candidates = completer_(before);
  if (candidates.words.empty() || candidates.word_start > before.size()) return CC_REFRESH_BEEP;
  const std::string_view word = before.substr(candidates.word_start);
  std::string insert;
  if (candidates.words.size() == 1) {
    insert = candidates.words.front();
    if (insert.back() != '/') insert += candidates.append_when_unique;
  } else {
    insert = CommonPrefix(candidates.words);
    if (insert.size() <= word.size()) {
      PrintColumns(candidates.words);
      return CC_REDISPLAY;
    }
  }
  el_deletestr(el_, CharCount(word));
  el_insertstr(el_, insert.c_str());
  return CC_REFRESH;
}

void LineEditor::AddHistory(const std::string& entry) {
  if (entry.find_first_not_of(" \t") == std::string::npos) return;
  HistEvent event;
  if (history(history_, &event, H_FIRST) == 0 && entry == event.str) return;  // a repeat
  history(history_, &event, H_ENTER, entry.c_str());
  if (history_path_.empty()) return;
  std::ofstream out(history_path_, std::ios::app);
  out << entry << '\n';
}

void LineEditor::LoadHistory() {
  if (history_path_.empty()) return;
  std::vector<std::string> lines;
  {
    std::ifstream in(history_path_);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) lines.push_back(std::move(line));
    }
  }
  const size_t read = lines.size();
  if (read > static_cast<size_t>(kHistorySize)) {
    lines.erase(lines.begin(), lines.end() - kHistorySize);
  }
  if (read >= 2 * static_cast<size_t>(kHistorySize)) {
    // Keep the file from growing without bound: rewrite it with the entries kept.
    const std::string temp = history_path_ + ".tmp";
    {
      std::ofstream out(temp, std::ios::trunc);
      for (const auto& line : lines) out << line << '\n';
    }
    std::error_code ignored;
    std::filesystem::rename(temp, history_path_, ignored);
  }
  HistEvent event;
  for (const auto& line : lines) history(history_, &event, H_ENTER, line.c_str());
}

}  // namespace sluice
