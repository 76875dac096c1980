#include "avro/avro_codec.h"

#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <fmt/format.h>

#include "common/error.h"

namespace sluice::avro {

namespace {

[[noreturn]] void Corrupt(const std::string& where, Codec codec, const std::string& why) {
  throw InvalidInputError(fmt::format("{}: corrupt {} block in an Avro file: {}", where, CodecName(codec), why));
}

void AppendBigEndian32(uint32_t v, std::string* out) {
  for (int shift = 24; shift >= 0; shift -= 8) out->push_back(static_cast<char>((v >> shift) & 0xff));
}

uint32_t Crc32(const std::string& s) {
  return static_cast<uint32_t>(crc32(0L, reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

std::string Deflate(const std::string& raw) {
  z_stream z{};
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error("deflateInit2 failed");
  }
  std::string out(deflateBound(&z, static_cast<uLong>(raw.size())) + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw Error("deflate did not finish");
  return out;
}

std::string Inflate(const std::string& block, const std::string& where, size_t max_size) {
  z_stream z{};
  if (inflateInit2(&z, -15) != Z_OK) throw Error("inflateInit2 failed");
  std::string out;
  char buffer[64 * 1024];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(block.data()));
  z.avail_in = static_cast<uInt>(block.size());
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof(buffer);
    rc = inflate(&z, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&z);
      Corrupt(where, Codec::kDeflate, z.msg != nullptr ? z.msg : "inflate failed");
    }
    out.append(buffer, sizeof(buffer) - z.avail_out);
    if (out.size() > max_size) {
      inflateEnd(&z);
      Corrupt(where, Codec::kDeflate, "inflates beyond the largest block allowed");
    }
    if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
      inflateEnd(&z);
      Corrupt(where, Codec::kDeflate, "the block ends inside the deflate stream");
    }
  }
  inflateEnd(&z);
  return out;
}

}  // namespace

std::string CompressBlock(Codec codec, const std::string& raw) {
  switch (codec) {
    case Codec::kNull: return raw;
    case Codec::kDeflate: return Deflate(raw);
    case Codec::kSnappy: {
      std::string out;
      snappy::Compress(raw.data(), raw.size(), &out);
      AppendBigEndian32(Crc32(raw), &out);
      return out;
    }
    case Codec::kZstd: {
      std::string out(ZSTD_compressBound(raw.size()), '\0');
      const size_t n = ZSTD_compress(out.data(), out.size(), raw.data(), raw.size(), 3);
      if (ZSTD_isError(n)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(n));
      out.resize(n);
      return out;
    }
  }
  return raw;
}

std::string DecompressBlock(Codec codec, const std::string& block, const std::string& where, size_t max_size) {
  switch (codec) {
    case Codec::kNull: return block;
    case Codec::kDeflate: return Inflate(block, where, max_size);
    case Codec::kSnappy: {
      if (block.size() < 4) Corrupt(where, codec, "shorter than its checksum");
      const std::string body = block.substr(0, block.size() - 4);
      size_t n = 0;
      if (!snappy::GetUncompressedLength(body.data(), body.size(), &n) || n > max_size) {
        Corrupt(where, codec, "bad length");
      }
      std::string out;
      if (!snappy::Uncompress(body.data(), body.size(), &out)) Corrupt(where, codec, "does not decompress");
      const auto* tail = reinterpret_cast<const uint8_t*>(block.data() + block.size() - 4);
      const uint32_t expected = (uint32_t{tail[0]} << 24) | (uint32_t{tail[1]} << 16) | (uint32_t{tail[2]} << 8) | tail[3];
      if (Crc32(out) != expected) Corrupt(where, codec, "checksum mismatch");
      return out;
    }
    case Codec::kZstd: {
      ZSTD_DStream* stream = ZSTD_createDStream();
      ZSTD_initDStream(stream);
      std::string out;
      char buffer[64 * 1024];
      ZSTD_inBuffer in{block.data(), block.size(), 0};
      size_t rc = 1;
      while (in.pos < in.size || rc != 0) {
        ZSTD_outBuffer o{buffer, sizeof(buffer), 0};
        const size_t before = in.pos;
        rc = ZSTD_decompressStream(stream, &o, &in);
        if (ZSTD_isError(rc)) {
          ZSTD_freeDStream(stream);
          Corrupt(where, codec, ZSTD_getErrorName(rc));
        }
        out.append(buffer, o.pos);
        if (out.size() > max_size) {
          ZSTD_freeDStream(stream);
          Corrupt(where, codec, "decompresses beyond the largest block allowed");
        }
        if (o.pos == 0 && in.pos == before) {
          ZSTD_freeDStream(stream);
          Corrupt(where, codec, "the block ends inside a zstd frame");
        }
      }
      ZSTD_freeDStream(stream);
      return out;
    }
  }
  return block;
}

}  // namespace sluice::avro
