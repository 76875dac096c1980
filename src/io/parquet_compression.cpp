#include "io/parquet_compression.h"

#include <lz4.h>
#include <snappy.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <memory>

#include "common/error.h"
#include "io/snappy_decode.h"

namespace sluice {

namespace {

// Contexts kept per thread: creating one per page would allocate fresh memory each time.
struct ZstdContexts {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ~ZstdContexts() {
    ZSTD_freeDCtx(dctx);
    ZSTD_freeCCtx(cctx);
  }
};

ZstdContexts& Zstd() {
  thread_local ZstdContexts contexts;
  return contexts;
}

bool GzipDecompress(const uint8_t* src, size_t src_size, uint8_t* dst, size_t dst_size) {
  z_stream z{};
  // 15 + 32: accept gzip and zlib headers.
  if (inflateInit2(&z, 15 + 32) != Z_OK) return false;
  z.next_in = const_cast<Bytef*>(src);
  z.avail_in = static_cast<uInt>(src_size);
  z.next_out = dst;
  z.avail_out = static_cast<uInt>(dst_size);
  const int rc = inflate(&z, Z_FINISH);
  const bool ok = rc == Z_STREAM_END && z.total_out == dst_size;
  inflateEnd(&z);
  return ok;
}

// Hadoop's LZ4 framing (codec LZ4): blocks of [u32 BE raw size][u32 BE compressed size][lz4].
bool HadoopLz4Decompress(const uint8_t* src, size_t src_size, uint8_t* dst, size_t dst_size) {
  size_t in = 0, out = 0;
  auto be32 = [&](size_t at) {
    return (uint32_t{src[at]} << 24) | (uint32_t{src[at + 1]} << 16) | (uint32_t{src[at + 2]} << 8) |
           src[at + 3];
  };
  while (in < src_size) {
    if (src_size - in < 8) return false;
    const uint32_t raw = be32(in), packed = be32(in + 4);
    in += 8;
    if (packed > src_size - in || raw > dst_size - out) return false;
    const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(src + in),
                                      reinterpret_cast<char*>(dst + out), static_cast<int>(packed),
                                      static_cast<int>(raw));
    if (n != static_cast<int>(raw)) return false;
    in += packed;
    out += raw;
  }
  return out == dst_size;
}

}  // namespace

bool ParquetDecompress(parquet::Codec codec, const uint8_t* src, size_t src_size, uint8_t* dst,
                       size_t dst_size) {
  using parquet::Codec;
  switch (codec) {
    case Codec::kUncompressed:
      if (src_size != dst_size) return false;
      if (dst_size > 0) std::memcpy(dst, src, dst_size);
      return true;
    case Codec::kSnappy: return SnappyDecode(src, src_size, dst, dst_size);
    case Codec::kGzip: return GzipDecompress(src, src_size, dst, dst_size);
    case Codec::kZstd: {
      const size_t n = ZSTD_decompressDCtx(Zstd().dctx, dst, dst_size, src, src_size);
      return !ZSTD_isError(n) && n == dst_size;
    }
    case Codec::kLz4Raw: {
      const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(src),
                                        reinterpret_cast<char*>(dst), static_cast<int>(src_size),
                                        static_cast<int>(dst_size));
      return n >= 0 && static_cast<size_t>(n) == dst_size;
    }
    case Codec::kLz4: {
      if (HadoopLz4Decompress(src, src_size, dst, dst_size)) return true;
      // Some writers put a raw LZ4 block under this codec.
      const int n = LZ4_decompress_safe(reinterpret_cast<const char*>(src),
                                        reinterpret_cast<char*>(dst), static_cast<int>(src_size),
                                        static_cast<int>(dst_size));
      return n >= 0 && static_cast<size_t>(n) == dst_size;
    }
    default: break;
  }
  throw NotImplementedError(
      fmt::format("Parquet compression codec {} is not supported", parquet::CodecName(codec)));
}

void ParquetCompress(parquet::Codec codec, int level, const char* src, size_t src_size,
                     std::string* out) {
  using parquet::Codec;
  const size_t start = out->size();
  switch (codec) {
    case Codec::kUncompressed: out->append(src, src_size); return;
    case Codec::kSnappy: {
      out->resize(start + snappy::MaxCompressedLength(src_size));
      size_t n = 0;
      snappy::RawCompress(src, src_size, out->data() + start, &n);
      out->resize(start + n);
      return;
    }
    case Codec::kZstd: {
      out->resize(start + ZSTD_compressBound(src_size));
      const size_t n = ZSTD_compressCCtx(Zstd().cctx, out->data() + start, out->size() - start,
                                         src, src_size, level == 0 ? 3 : level);
      SLUICE_CHECK(!ZSTD_isError(n), "zstd: {}", ZSTD_getErrorName(n));
      out->resize(start + n);
      return;
    }
    case Codec::kGzip: {
      z_stream z{};
      // 15 + 16: a gzip header, as the format asks for.
      SLUICE_CHECK(deflateInit2(&z, level == 0 ? Z_DEFAULT_COMPRESSION : level, Z_DEFLATED, 15 + 16,
                                8, Z_DEFAULT_STRATEGY) == Z_OK);
      out->resize(start + deflateBound(&z, static_cast<uLong>(src_size)) + 32);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(src));
      z.avail_in = static_cast<uInt>(src_size);
      z.next_out = reinterpret_cast<Bytef*>(out->data() + start);
      z.avail_out = static_cast<uInt>(out->size() - start);
      const int rc = deflate(&z, Z_FINISH);
      deflateEnd(&z);
      SLUICE_CHECK(rc == Z_STREAM_END, "deflate rc={}", rc);
      out->resize(start + z.total_out);
      return;
    }
    case Codec::kLz4Raw: {
      out->resize(start + LZ4_compressBound(static_cast<int>(src_size)));
      const int n = LZ4_compress_default(src, out->data() + start, static_cast<int>(src_size),
                                         static_cast<int>(out->size() - start));
      SLUICE_CHECK(n > 0 || src_size == 0, "lz4 n={}", n);
      out->resize(start + n);
      return;
    }
    default: break;
  }
  throw NotImplementedError(fmt::format("Parquet compression codec {} is not supported for writing",
                                        parquet::CodecName(codec)));
}

}  // namespace sluice
