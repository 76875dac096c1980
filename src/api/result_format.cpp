#include "api/result_format.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>

#include "io/json_writer.h"

namespace sluice {

namespace {

// Display width in characters, counting UTF-8 continuation bytes as zero width.
size_t DisplayWidth(const std::string& s) {
  size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

std::string Pad(const std::string& s, size_t width, bool right) {
  const size_t w = DisplayWidth(s);
  if (w >= width) return s;
  return right ? std::string(width - w, ' ') + s : s + std::string(width - w, ' ');
}

bool RightAligned(const LogicalType& t) { return t.IsNumeric(); }

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// Every row's values as text (NULL as empty), row by row.
std::vector<std::vector<std::string>> Cells(const std::vector<Batch>& batches) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& b : batches) {
    for (size_t r = 0; r < b.num_rows(); r++) {
      std::vector<std::string> row;
      for (size_t c = 0; c < b.num_columns(); c++) {
        const Value v = b.column(c)->GetValue(r);
        row.push_back(v.is_null() ? std::string() : v.ToString());
      }
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

// A Markdown table cell: pipes escaped and line breaks as <br>, so the row stays one line.
std::string MarkdownCell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += "<br>";
    } else if (c != '\r') {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string FormatTable(const Schema& schema, const std::vector<Batch>& batches, size_t max_rows) {
  const size_t ncols = schema.size();
  std::vector<std::vector<std::string>> cells;
  size_t total = 0;
  for (const auto& b : batches) {
    for (size_t r = 0; r < b.num_rows(); r++, total++) {
      if (cells.size() >= max_rows) continue;
      std::vector<std::string> row;
      for (size_t c = 0; c < ncols; c++) row.push_back(b.column(c)->GetValue(r).ToString());
      cells.push_back(std::move(row));
    }
  }
  std::vector<size_t> widths(ncols, 0);
  for (size_t c = 0; c < ncols; c++) {
    widths[c] =
        std::max(DisplayWidth(schema.field(c).name), DisplayWidth(schema.field(c).type.ToString()));
    for (const auto& row : cells) widths[c] = std::max(widths[c], DisplayWidth(row[c]));
    widths[c] = std::min<size_t>(widths[c], 60);
  }
  auto rule = [&](const char* left, const char* mid, const char* right) {
    std::string line = left;
    for (size_t c = 0; c < ncols; c++) {
      for (size_t i = 0; i < widths[c] + 2; i++) line += "─";
      line += c + 1 < ncols ? mid : right;
    }
    return line + "\n";
  };
  auto clip = [](const std::string& s, size_t width) {
    if (DisplayWidth(s) <= width) return s;
    return s.substr(0, width - 1) + "…";
  };
  std::string out = rule("┌", "┬", "┐");
  std::string names = "│", types = "│";
  for (size_t c = 0; c < ncols; c++) {
    names += " " + Pad(clip(schema.field(c).name, widths[c]), widths[c], false) + " │";
    types += " " + Pad(clip(schema.field(c).type.ToString(), widths[c]), widths[c], false) + " │";
  }
  out += names + "\n" + types + "\n" + rule("├", "┼", "┤");
  for (const auto& row : cells) {
    std::string line = "│";
    for (size_t c = 0; c < ncols; c++) {
      line +=
          " " + Pad(clip(row[c], widths[c]), widths[c], RightAligned(schema.field(c).type)) + " │";
    }
    out += line + "\n";
  }
  out += rule("└", "┴", "┘");
  if (total > cells.size()) {
    out += fmt::format("({} rows shown; more exist)\n", cells.size());
  } else {
    out += fmt::format("({} row{})\n", total, total == 1 ? "" : "s");
  }
  return out;
}

std::string FormatCsv(const Schema& schema, const std::vector<Batch>& batches) {
  std::string out;
  for (size_t c = 0; c < schema.size(); c++) {
    if (c > 0) out += ',';
    out += CsvField(schema.field(c).name);
  }
  out += '\n';
  for (const auto& b : batches) {
    for (size_t r = 0; r < b.num_rows(); r++) {
      for (size_t c = 0; c < b.num_columns(); c++) {
        if (c > 0) out += ',';
        const Value v = b.column(c)->GetValue(r);
        if (!v.is_null()) out += CsvField(v.ToString());
      }
      out += '\n';
    }
  }
  return out;
}

std::string FormatJson(const Schema& schema, const std::vector<Batch>& batches) {
  std::string out;
  for (const auto& b : batches) {
    for (size_t r = 0; r < b.num_rows(); r++) {
      out += '{';
      for (size_t c = 0; c < b.num_columns(); c++) {
        if (c > 0) out += ',';
        out += JsonString(schema.field(c).name) + ":";
        const Value v = b.column(c)->GetValue(r);
        const TypeId id = schema.field(c).type.id();
        if (v.is_null()) {
          out += "null";
        } else if (schema.field(c).type.IsNested()) {
          AppendJsonValue(*b.column(c), r, &out);  // arrays and objects
        } else if (id == TypeId::kBoolean ||
                   (schema.field(c).type.IsNumeric() && id != TypeId::kDouble)) {
          out += v.ToString();
        } else if (id == TypeId::kDouble) {
          const std::string s = v.ToString();
          out += (s == "nan" || s == "inf" || s == "-inf") ? JsonString(s) : s;
        } else {
          out += JsonString(v.ToString());
        }
      }
      out += "}\n";
    }
  }
  return out;
}

std::string FormatMarkdown(const Schema& schema, const std::vector<Batch>& batches) {
  const auto rows = Cells(batches);
  std::vector<size_t> widths(schema.size(), 3);
  for (size_t c = 0; c < schema.size(); c++) {
    widths[c] = std::max(widths[c], DisplayWidth(MarkdownCell(schema.field(c).name)));
    for (const auto& row : rows)
      widths[c] = std::max(widths[c], DisplayWidth(MarkdownCell(row[c])));
  }
  auto line = [&](const std::function<std::string(size_t)>& cell) {
    std::string out = "|";
    for (size_t c = 0; c < schema.size(); c++) out += " " + cell(c) + " |";
    return out + "\n";
  };
  std::string out =
      line([&](size_t c) { return Pad(MarkdownCell(schema.field(c).name), widths[c], false); });
  out += line([&](size_t c) {
    return RightAligned(schema.field(c).type) ? std::string(widths[c] - 1, '-') + ":"
                                              : std::string(widths[c], '-');
  });
  for (const auto& row : rows) {
    out += line([&](size_t c) {
      return Pad(MarkdownCell(row[c]), widths[c], RightAligned(schema.field(c).type));
    });
  }
  return out;
}

std::string FormatLines(const Schema& schema, const std::vector<Batch>& batches) {
  size_t width = 0;
  for (const auto& f : schema.fields()) width = std::max(width, DisplayWidth(f.name));
  std::string out;
  for (const auto& row : Cells(batches)) {
    if (!out.empty()) out += "\n";
    for (size_t c = 0; c < schema.size(); c++) {
      out += Pad(schema.field(c).name, width, true) + " = " + row[c] + "\n";
    }
  }
  return out;
}

std::string FormatList(const Schema& schema, const std::vector<Batch>& batches,
                       const std::string& separator) {
  std::string out;
  for (size_t c = 0; c < schema.size(); c++) {
    out += (c > 0 ? separator : "") + schema.field(c).name;
  }
  out += "\n";
  for (const auto& row : Cells(batches)) {
    for (size_t c = 0; c < row.size(); c++) out += (c > 0 ? separator : "") + row[c];
    out += "\n";
  }
  return out;
}

}  // namespace sluice

