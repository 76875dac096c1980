// BLOB functions, as DuckDB's: octet_length, hex/unhex, to_base64/from_base64,
// encode/decode, the digests of a blob, and || of two blobs (see RegisterBlobFunctions).
#include <fmt/format.h>

#include <cstring>

#include "common/digest.h"
#include "common/error.h"
#include "expr/kernel_util.h"
#include "expr/scalar_functions.h"

namespace sluice {

namespace {

using kernel::ArgReader;

const LogicalType kBlob = TypeId::kBlob;
const LogicalType kVarchar = TypeId::kVarchar;
const LogicalType kBigInt = TypeId::kBigInt;

constexpr char kHexDigits[] = "0123456789ABCDEF";
constexpr char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// A kernel writing one string-like result per row: fn(bytes, buffer) fills buffer and
// returns false for NULL.
template <typename Fn>
ScalarKernel BytesKernel(const LogicalType& result, Fn fn) {
  return [result, fn](const std::vector<ColumnPtr>& args, size_t n) {
    ArgReader in(*args[0]);
    std::string buf;
    return kernel::RowExec(result, args, n, [&](size_t i, Column& out) {
      buf.clear();
      if (!fn(in.Get<StringView>(i).view(), buf)) return false;
      out.data<StringView>()[i] = out.AddString(buf);
      return true;
    });
  };
}

bool Hex(std::string_view bytes, std::string& out) {
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kHexDigits[b >> 4];
    out += kHexDigits[b & 15];
  }
  return true;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  throw InvalidInputError(fmt::format("Invalid input for hex digit: {}", c));
}

// An odd count of digits reads the first alone, as DuckDB does ('abc' is \x0A\xBC).
bool Unhex(std::string_view text, std::string& out) {
  size_t i = 0;
  if (text.size() % 2 == 1) out += static_cast<char>(HexValue(text[i++]));
  for (; i < text.size(); i += 2) {
    out += static_cast<char>(HexValue(text[i]) * 16 + HexValue(text[i + 1]));
  }
  return true;
}

bool ToBase64(std::string_view bytes, std::string& out) {
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t chunk = static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) chunk |= static_cast<uint32_t>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    if (i + 2 < bytes.size()) chunk |= static_cast<unsigned char>(bytes[i + 2]);
    out += kBase64[(chunk >> 18) & 63];
    out += kBase64[(chunk >> 12) & 63];
    out += i + 1 < bytes.size() ? kBase64[(chunk >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kBase64[chunk & 63] : '=';
  }
  return true;
}

bool FromBase64(std::string_view text, std::string& out) {
  auto fail = [&](const std::string& why) {
    throw ConversionError(fmt::format("Could not decode string \"{}\" as base64: {}", text, why));
  };
  if (text.size() % 4 != 0) fail("length must be a multiple of 4");
  for (size_t i = 0; i < text.size(); i += 4) {
    uint32_t chunk = 0;
    int padding = 0;
    for (size_t k = 0; k < 4; k++) {
      const char c = text[i + k];
      const char* at = c == '\0' ? nullptr : std::strchr(kBase64, c);
      int value = 0;
      if (c == '=' && i + 4 == text.size() && k >= 2) {
        padding++;
      } else if (at == nullptr || padding > 0) {
        fail(fmt::format("invalid byte value '{}' at position {}",
                         static_cast<int>(static_cast<unsigned char>(c)), i + k));
      } else {
        value = static_cast<int>(at - kBase64);
      }
      chunk = (chunk << 6) | static_cast<uint32_t>(value);
    }
    out += static_cast<char>(chunk >> 16);
    if (padding < 2) out += static_cast<char>((chunk >> 8) & 255);
    if (padding < 1) out += static_cast<char>(chunk & 255);
  }
  return true;
}

// The length of the valid UTF-8 sequence at text[i], or 0.
size_t Utf8Length(std::string_view text, size_t i) {
  const auto b = static_cast<unsigned char>(text[i]);
  const size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || i + len > text.size()) return 0;
  for (size_t k = 1; k < len; k++) {
    if ((static_cast<unsigned char>(text[i + k]) >> 6) != 2) return 0;
  }
  return len;
}

bool Decode(std::string_view bytes, std::string& out) {
  for (size_t i = 0; i < bytes.size();) {
    const size_t len = Utf8Length(bytes, i);
    if (len == 0) {
      throw ConversionError(
          "Failure in decode: could not convert blob to UTF8 string, the blob contained invalid "
          "UTF8 characters");
    }
    out.append(bytes.substr(i, len));
    i += len;
  }
  return true;
}

bool Copy(std::string_view bytes, std::string& out) {
  out.append(bytes);
  return true;
}

template <std::string (*kDigest)(std::string_view)>
bool Digest(std::string_view bytes, std::string& out) {
  out = kDigest(bytes);
  return true;
}

ScalarKernel BlobConcatKernel() {
  return [](const std::vector<ColumnPtr>& args, size_t n) {
    ArgReader a(*args[0]), b(*args[1]);
    std::string buf;
    return kernel::RowExec(kBlob, args, n, [&](size_t i, Column& out) {
      const std::string_view x = a.Get<StringView>(i).view(), y = b.Get<StringView>(i).view();
      kernel::CheckStringSize(x.size() + y.size(), "||");
      buf.assign(x);
      buf.append(y);
      out.data<StringView>()[i] = out.AddString(buf);
      return true;
    });
  };
}

// Like kernel::FixedSignature, but a BLOB parameter takes only a BLOB argument (not a string
// literal), so that VARCHAR overloads of the same name registered later keep their calls.
ScalarResolver Signature(std::vector<LogicalType> params, LogicalType result, ScalarKernel k) {
  ScalarResolver fixed = kernel::FixedSignature(params, result, std::move(k));
  return [params = std::move(params), fixed](const std::vector<ExprPtr>& args) {
    for (size_t i = 0; i < args.size() && i < params.size(); i++) {
      if (params[i].id() == TypeId::kBlob && args[i]->type.id() != TypeId::kBlob) {
        return std::optional<BoundScalar>();
      }
    }
    return fixed(args);
  };
}

}  // namespace

void RegisterBlobFunctions(FunctionRegistry& r) {
  r.AddScalar("octet_length",
              Signature({kBlob}, kBigInt,
                                     [](const std::vector<ColumnPtr>& args, size_t n) {
                                       return kernel::UnaryExec<StringView, int64_t>(
                                           kBigInt, args[0], n,
                                           [](const StringView& s, int64_t& r) {
                                             r = static_cast<int64_t>(s.size());
                                             return true;
                                           },
                                           kernel::NullOnFail());
                                     }),
              "octet_length(BLOB)");
  for (const char* name : {"hex", "to_hex"}) {
    r.AddScalar(name, Signature({kVarchar}, kVarchar, BytesKernel(kVarchar, Hex)),
                "hex(VARCHAR)");
    r.AddScalar(name, Signature({kBlob}, kVarchar, BytesKernel(kVarchar, Hex)),
                "hex(BLOB)");
  }
  for (const char* name : {"unhex", "from_hex"}) {
    r.AddScalar(name, Signature({kVarchar}, kBlob, BytesKernel(kBlob, Unhex)),
                "unhex(VARCHAR)");
  }
  for (const char* name : {"to_base64", "base64"}) {
    r.AddScalar(name, kernel::FixedSignature({kBlob}, kVarchar, BytesKernel(kVarchar, ToBase64)),
                "to_base64(BLOB)");
  }
  r.AddScalar("from_base64",
              Signature({kVarchar}, kBlob, BytesKernel(kBlob, FromBase64)),
              "from_base64(VARCHAR)");
  r.AddScalar("encode", Signature({kVarchar}, kBlob, BytesKernel(kBlob, Copy)),
              "encode(VARCHAR)");
  r.AddScalar("decode", kernel::FixedSignature({kBlob}, kVarchar, BytesKernel(kVarchar, Decode)),
              "decode(BLOB)");
  r.AddScalar("md5", Signature({kBlob}, kVarchar, BytesKernel(kVarchar, Digest<Md5Hex>)),
              "md5(BLOB)");
  r.AddScalar("sha1",
              Signature({kBlob}, kVarchar, BytesKernel(kVarchar, Digest<Sha1Hex>)),
              "sha1(BLOB)");
  r.AddScalar("sha256",
              Signature({kBlob}, kVarchar, BytesKernel(kVarchar, Digest<Sha256Hex>)),
              "sha256(BLOB)");
  r.AddScalar(
      "||",
      [](const std::vector<ExprPtr>& a) -> std::optional<BoundScalar> {
        if (a.size() != 2 || a[0]->type.id() != TypeId::kBlob || a[1]->type.id() != TypeId::kBlob) {
          return std::nullopt;
        }
        return BoundScalar{kBlob, {kBlob, kBlob}, BlobConcatKernel()};
      },
      "||(BLOB, BLOB)");
}

}  // namespace sluice
