#include "io/csv_tokenizer.h"

#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace sluice {

CsvTokenizer::CsvTokenizer(const CsvDialect& dialect) : dialect_(dialect) {}

namespace {

// Finds delimiters, quotes and LFs 32 bytes at a time: one bitmask per block, then one bit
// per special byte, so short fields cost a few instructions each instead of a scan each.
class SpecialScanner {
 public:
  SpecialScanner(const char* data, size_t size, char delimiter, char quote)
      : data_(data), size_(size), delimiter_(delimiter), quote_(quote) {}

  // Position of the first special byte in [p, size), or size.
  size_t Next(size_t p) {
    for (;;) {
      if (p >= block_ && p < block_ + 32) {
        const uint32_t bits = mask_ & (~uint32_t{0} << (p - block_));
        if (bits != 0) return block_ + __builtin_ctz(bits);
        p = block_ + 32;
      }
      if (p + 32 > size_) return Tail(p);
      block_ = p;
      mask_ = Mask(p);
    }
  }

 private:
  uint32_t Mask(size_t p) const {
#ifdef __SSE2__
    const __m128i d = _mm_set1_epi8(delimiter_);
    const __m128i q = _mm_set1_epi8(quote_);
    const __m128i nl = _mm_set1_epi8('\n');
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data_ + p));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data_ + p + 16));
    const __m128i ha = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(a, d), _mm_cmpeq_epi8(a, q)),
                                    _mm_cmpeq_epi8(a, nl));
    const __m128i hb = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(b, d), _mm_cmpeq_epi8(b, q)),
                                    _mm_cmpeq_epi8(b, nl));
    return static_cast<uint32_t>(_mm_movemask_epi8(ha)) |
           (static_cast<uint32_t>(_mm_movemask_epi8(hb)) << 16);
#else
    uint32_t mask = 0;
    for (int i = 0; i < 32; i++) {
      const char c = data_[p + i];
      if (c == delimiter_ || c == quote_ || c == '\n') mask |= uint32_t{1} << i;
    }
    return mask;
#endif
  }

  size_t Tail(size_t p) const {
    for (; p < size_; p++) {
      const char c = data_[p];
      if (c == delimiter_ || c == quote_ || c == '\n') return p;
    }
    return size_;
  }

  const char* data_;
  size_t size_;
  char delimiter_;
  char quote_;
  size_t block_ = ~size_t{0} - 64;
  uint32_t mask_ = 0;
};

}  // namespace

size_t CsvTokenizer::FindClosingQuote(const char* data, size_t p, size_t size, bool at_eof,
                                      bool* escaped, bool* need_more) const {
  const char quote = dialect_.quote;
  const char escape = dialect_.escape;
  size_t i = p + 1;
  if (escape == quote) {
    for (;;) {
      const void* found = i < size ? std::memchr(data + i, quote, size - i) : nullptr;
      if (found == nullptr) break;
      const size_t q = static_cast<const char*>(found) - data;
      if (q + 1 < size) {
        if (data[q + 1] != quote) return q;
        *escaped = true;  // "" inside quotes
        i = q + 2;
        continue;
      }
      // A quote as the last byte may be the first half of "": only EOF settles it.
      if (at_eof) return q;
      break;
    }
  } else {
    for (; i < size; i++) {
      const char c = data[i];
      if (c == escape) {
        *escaped = true;
        i++;  // the escaped character, whatever it is
      } else if (c == quote) {
        return i;
      }
    }
  }
  if (!at_eof) *need_more = true;
  return size;
}

CsvTokenizer::Status CsvTokenizer::NextRow(const char* data, size_t size, size_t pos,
                                           bool at_eof, CsvField* fields, int max_fields,
                                           Row* row) const {
  const char delimiter = dialect_.delimiter;
  const char quote = dialect_.quote;
  // Blank and comment lines are not rows.
  for (;;) {
    if (pos >= size) {
      row->start = pos;
      return at_eof ? Status::kEnd : Status::kNeedMore;
    }
    const char c = data[pos];
    if (dialect_.comment != '\0' && c == dialect_.comment) {
      const void* nl = std::memchr(data + pos, '\n', size - pos);
      if (nl == nullptr) {
        row->start = at_eof ? size : pos;
        return at_eof ? Status::kEnd : Status::kNeedMore;
      }
      pos = static_cast<const char*>(nl) - data + 1;
      continue;
    }
    if (!dialect_.skip_blank_lines) break;
    if (c == '\n') {
      pos++;
      continue;
    }
    if (c == '\r') {
      if (pos + 1 < size) {
        if (data[pos + 1] != '\n') break;
        pos += 2;
        continue;
      }
      row->start = at_eof ? size : pos;
      return at_eof ? Status::kEnd : Status::kNeedMore;
    }
    break;
  }

  row->start = pos;
  row->spans_lines = false;
  row->error = ErrorKind::kNone;
  int n = 0;
  auto add = [&](size_t begin, size_t end, uint32_t flags) {
    if (n < max_fields) {
      fields[n] = {static_cast<uint32_t>(begin), static_cast<uint32_t>(end - begin) | flags};
    }
    n++;
  };
  auto finish = [&](size_t next) {
    row->num_fields = n;
    row->next = next;
    return Status::kRow;
  };
  size_t p = pos;
  SpecialScanner scanner(data, size, delimiter, quote);
  for (;;) {
    if (p < size && data[p] == quote) {
      bool escaped = false;
      bool need_more = false;
      const size_t close = FindClosingQuote(data, p, size, at_eof, &escaped, &need_more);
      if (need_more) return Status::kNeedMore;
      if (close >= size) {
        row->error = ErrorKind::kUnterminatedQuote;
        row->error_field = n;
        row->num_fields = n + 1;
        row->next = size;
        return Status::kError;
      }
      if (!row->spans_lines && std::memchr(data + p + 1, '\n', close - p - 1) != nullptr) {
        row->spans_lines = true;
      }
      add(p + 1, close, CsvField::kQuoted | (escaped ? CsvField::kEscaped : 0));
      const size_t after = close + 1;
      if (after >= size) {
        if (!at_eof) return Status::kNeedMore;
        return finish(size);
      }
      const char c = data[after];
      if (c == delimiter) {
        p = after + 1;
        continue;
      }
      if (c == '\n') return finish(after + 1);
      if (c == '\r') {
        if (after + 1 >= size) {
          if (!at_eof) return Status::kNeedMore;
          return finish(size);
        }
        if (data[after + 1] == '\n') return finish(after + 2);
      }
      // Text between a closing quote and the next delimiter: the row is malformed. Resume
      // at the next line so one bad row costs one row.
      row->error = ErrorKind::kTextAfterQuote;
      row->error_field = n - 1;
      row->num_fields = n;
      const void* nl = std::memchr(data + after, '\n', size - after);
      if (nl == nullptr) {
        if (!at_eof) return Status::kNeedMore;
        row->next = size;
      } else {
        row->next = static_cast<const char*>(nl) - data + 1;
      }
      return Status::kError;
    }
    size_t q = scanner.Next(p);
    // A quote that does not open a field is an ordinary character.
    while (q < size && data[q] == quote) q = scanner.Next(q + 1);
    if (q >= size) {
      if (!at_eof) return Status::kNeedMore;
      size_t end = size;
      if (end > p && data[end - 1] == '\r') end--;
      add(p, end, 0);
      return finish(size);
    }
    if (data[q] == delimiter) {
      add(p, q, 0);
      p = q + 1;
      continue;
    }
    size_t end = q;
    if (end > p && data[end - 1] == '\r') end--;
    add(p, end, 0);
    return finish(q + 1);
  }
}

std::string_view CsvTokenizer::Unescape(const char* data, CsvField field,
                                        std::string* scratch) const {
  const std::string_view raw(data + field.offset, field.size());
  scratch->clear();
  const char quote = dialect_.quote;
  const char escape = dialect_.escape;
  for (size_t i = 0; i < raw.size(); i++) {
    const char c = raw[i];
    if (c == escape && i + 1 < raw.size() && (escape != quote || raw[i + 1] == quote)) {
      scratch->push_back(raw[++i]);
    } else {
      scratch->push_back(c);
    }
  }
  return *scratch;
}

}  // namespace sluice
