// Decoding of the Parquet footer and page headers from the Thrift compact protocol.
#include "io/parquet_metadata.h"

#include "io/thrift_compact.h"

namespace sluice::parquet {

namespace {

// Calls `on_field(id, type)` for each field of the struct at the reader's position;
// `on_field` returns false for fields it does not know, which are skipped.
template <typename F>
void ReadStruct(ThriftReader& r, F&& on_field) {
  r.StructBegin();
  int16_t id;
  ThriftType type;
  while (r.ReadFieldBegin(&id, &type)) {
    if (!on_field(id, type)) r.Skip(type);
  }
  r.StructEnd();
}

// Reads a list of structs (or skips a list of anything else), calling `read` per element.
template <typename F>
void ReadList(ThriftReader& r, ThriftType field_type, F&& read) {
  if (field_type != ThriftType::kList) {
    r.Skip(field_type);
    return;
  }
  ThriftType element;
  const uint32_t n = r.ReadListBegin(&element);
  for (uint32_t i = 0; i < n; i++) read(element);
}

void Expect(ThriftType have, ThriftType want) {
  if (have != want) throw ThriftError{"unexpected Thrift field type"};
}

TimeUnit ReadTimeUnit(ThriftReader& r) {
  TimeUnit unit = TimeUnit::kNone;
  ReadStruct(r, [&](int16_t id, ThriftType t) {
    if (t != ThriftType::kStruct || id < 1 || id > 3) return false;
    r.Skip(t);
    unit = static_cast<TimeUnit>(id);
    return true;
  });
  return unit;
}

LogicalTypeInfo ReadLogicalType(ThriftReader& r) {
  LogicalTypeInfo info;
  ReadStruct(r, [&](int16_t id, ThriftType t) {
    if (t != ThriftType::kStruct) return false;
    info.kind = static_cast<LogicalTypeInfo::Kind>(id);
    switch (id) {
      case LogicalTypeInfo::kDecimal:
        ReadStruct(r, [&](int16_t f, ThriftType ft) {
          if (ft != ThriftType::kI32) return false;
          if (f == 1) info.scale = r.ReadI32();
          else if (f == 2) info.precision = r.ReadI32();
          else return false;
          return true;
        });
        return true;
      case LogicalTypeInfo::kTime:
      case LogicalTypeInfo::kTimestamp:
        ReadStruct(r, [&](int16_t f, ThriftType ft) {
          if (f == 1 && (ft == ThriftType::kTrue || ft == ThriftType::kFalse)) {
            info.utc_adjusted = r.ReadBool(ft);
          } else if (f == 2 && ft == ThriftType::kStruct) {
            info.unit = ReadTimeUnit(r);
          } else {
            return false;
          }
          return true;
        });
        return true;
      case LogicalTypeInfo::kInteger:
        ReadStruct(r, [&](int16_t f, ThriftType ft) {
          if (f == 1 && ft == ThriftType::kByte) info.bit_width = r.ReadByte();
          else if (f == 2 && (ft == ThriftType::kTrue || ft == ThriftType::kFalse))
            info.is_signed = r.ReadBool(ft);
          else return false;
          return true;
        });
        return true;
      default: return false;  // an empty struct (STRING, DATE, ...): skipped by the caller
    }
  });
  return info;
}

SchemaElement ReadSchemaElement(ThriftReader& r) {
  SchemaElement e;
  ReadStruct(r, [&](int16_t id, ThriftType t) {
    switch (id) {
      case 1: Expect(t, ThriftType::kI32); e.type = static_cast<Type>(r.ReadI32()); return true;
      case 2: Expect(t, ThriftType::kI32); e.type_length = r.ReadI32(); return true;
      case 3:
        Expect(t, ThriftType::kI32);
        e.repetition = static_cast<Repetition>(r.ReadI32());
        return true;
      case 4: Expect(t, ThriftType::kBinary); e.name = r.ReadString(); return true;
      case 5: Expect(t, ThriftType::kI32); e.num_children = r.ReadI32(); return true;
      case 6:
        Expect(t, ThriftType::kI32);
        e.converted_type = static_cast<ConvertedType>(r.ReadI32());
        return true;
      case 7: Expect(t, ThriftType::kI32); e.scale = r.ReadI32(); return true;
      case 8: Expect(t, ThriftType::kI32); e.precision = r.ReadI32(); return true;
      case 9: Expect(t, ThriftType::kI32); e.field_id = r.ReadI32(); return true;
      case 10: Expect(t, ThriftType::kStruct); e.logical_type = ReadLogicalType(r); return true;
      default: return false;
    }
  });
  return e;
}

Statistics ReadStatistics(ThriftReader& r) {
  Statistics s;
  ReadStruct(r, [&](int16_t id, ThriftType t) {
    if (id == 3) {
      Expect(t, ThriftType::kI64);
      s.null_count = r.ReadI64();
      return true;
    }
    if (t != ThriftType::kBinary) return false;
    switch (id) {
      case 1: s.max = r.ReadString(); return true;
      case 2: s.min = r.ReadString(); return true;
      case 5: s.max_value = r.ReadString(); return true;
      case 6: s.min_value = r.ReadString(); return true;
      default: return false;
    }
  });
  return s;
}

ColumnMetaData ReadColumnMetaData(ThriftReader& r) {
  ColumnMetaData m;
  ReadStruct(r, [&](int16_t id, ThriftType t) {
    switch (id) {
      case 1: Expect(t, ThriftType::kI32); m.type = static_cast<Type>(r.ReadI32()); return true;
      case 2:
        ReadList(r, t, [&](ThriftType e) {
          Expect(e, ThriftType::kI32);
          m.encodings.push_back(static_cast<Encoding>(r.ReadI32()));
        });
        return true;
      case 3:
        ReadList(r, t, [&](ThriftType e) {
          Expect(e, ThriftType::kBinary);
          m.path_in_schema.push_back(r.ReadString());
        });
        return true;
      case 4: Expect(t, ThriftType::kI32); m.codec = static_cast<Codec>(r.ReadI32()); return true;
      case 5: Expect(t, ThriftType::kI64); m.num_values = r.ReadI64(); return true;
      case 6: Expect(t, ThriftType::kI64); m.total_uncompressed_size = r.ReadI64(); return true;
      case 7: Expect(t, ThriftType::kI64); m.total_compressed_size = r.ReadI64(); return true;
      case 9: Expect(t, ThriftType::kI64); m.data_page_offset = r.ReadI64(); return true;
      case 11: Expect(t, ThriftType::kI64); m.dictionary_page_offset = r.ReadI64(); return true;
      case 12: Expect(t, ThriftType::kStruct); m.statistics = ReadStatistics(r); return true;
      default: return false;
    }
  });
  return m;
}

ColumnChunk ReadColumnChunk(ThriftReader& r) {
  ColumnChunk c;
  ReadStruct(r, [&](int16_t id, ThriftType t) {
    switch (id) {
      case 1: Expect(t, ThriftType::kBinary); c.file_path = r.ReadString(); return true;
      case 2: Expect(t, ThriftType::kI64); c.file_offset = r.ReadI64(); return true;
      case 3: Expect(t, ThriftType::kStruct); c.meta_data = ReadColumnMetaData(r); return true;
      default: return false;
    }
  });
  return c;
}

RowGroup ReadRowGroup(ThriftReader& r) {
  RowGroup g;
  ReadStruct(r, [&](int16_t id, ThriftType t) {
    switch (id) {
      case 1:
        ReadList(r, t, [&](ThriftType e) {
          Expect(e, ThriftType::kStruct);
          g.columns.push_back(ReadColumnChunk(r));
        });
        return true;
      case 2: Expect(t, ThriftType::kI64); g.total_byte_size = r.ReadI64(); return true;
      case 3: Expect(t, ThriftType::kI64); g.num_rows = r.ReadI64(); return true;
      default: return false;
    }
  });
  return g;
}

}  // namespace

FileMetaData ParseFileMetaData(const uint8_t* data, size_t size) {
  ThriftReader r(data, size);
  FileMetaData m;
  ReadStruct(r, [&](int16_t id, ThriftType t) {
    switch (id) {
      case 1: Expect(t, ThriftType::kI32); m.version = r.ReadI32(); return true;
      case 2:
        ReadList(r, t, [&](ThriftType e) {
          Expect(e, ThriftType::kStruct);
          m.schema.push_back(ReadSchemaElement(r));
        });
        return true;
      case 3: Expect(t, ThriftType::kI64); m.num_rows = r.ReadI64(); return true;
      case 4:
        ReadList(r, t, [&](ThriftType e) {
          Expect(e, ThriftType::kStruct);
          m.row_groups.push_back(ReadRowGroup(r));
        });
        return true;
      case 6: Expect(t, ThriftType::kBinary); m.created_by = r.ReadString(); return true;
      default: return false;
    }
  });
  return m;
}

size_t ParsePageHeader(const uint8_t* data, size_t size, PageHeader* header) {
  ThriftReader r(data, size);
  PageHeader& h = *header;
  h = PageHeader();
  ReadStruct(r, [&](int16_t id, ThriftType t) {
    switch (id) {
      case 1: Expect(t, ThriftType::kI32); h.type = static_cast<PageType>(r.ReadI32()); return true;
      case 2: Expect(t, ThriftType::kI32); h.uncompressed_page_size = r.ReadI32(); return true;
      case 3: Expect(t, ThriftType::kI32); h.compressed_page_size = r.ReadI32(); return true;
      case 5: {
        Expect(t, ThriftType::kStruct);
        DataPageHeader& p = h.data_page.emplace();
        ReadStruct(r, [&](int16_t f, ThriftType ft) {
          if (ft != ThriftType::kI32 || f < 1 || f > 4) return false;
          const int32_t v = r.ReadI32();
          if (f == 1) p.num_values = v;
          if (f == 2) p.encoding = static_cast<Encoding>(v);
          if (f == 3) p.definition_level_encoding = static_cast<Encoding>(v);
          if (f == 4) p.repetition_level_encoding = static_cast<Encoding>(v);
          return true;
        });
        return true;
      }
      case 7: {
        Expect(t, ThriftType::kStruct);
        DictionaryPageHeader& p = h.dictionary_page.emplace();
        ReadStruct(r, [&](int16_t f, ThriftType ft) {
          if (ft != ThriftType::kI32 || f < 1 || f > 2) return false;
          const int32_t v = r.ReadI32();
          if (f == 1) p.num_values = v;
          if (f == 2) p.encoding = static_cast<Encoding>(v);
          return true;
        });
        return true;
      }
      case 8: {
        Expect(t, ThriftType::kStruct);
        DataPageHeaderV2& p = h.data_page_v2.emplace();
        ReadStruct(r, [&](int16_t f, ThriftType ft) {
          if (f == 7 && (ft == ThriftType::kTrue || ft == ThriftType::kFalse)) {
            p.is_compressed = r.ReadBool(ft);
            return true;
          }
          if (ft != ThriftType::kI32 || f < 1 || f > 6) return false;
          const int32_t v = r.ReadI32();
          if (f == 1) p.num_values = v;
          if (f == 2) p.num_nulls = v;
          if (f == 3) p.num_rows = v;
          if (f == 4) p.encoding = static_cast<Encoding>(v);
          if (f == 5) p.definition_levels_byte_length = v;
          if (f == 6) p.repetition_levels_byte_length = v;
          return true;
        });
        return true;
      }
      default: return false;
    }
  });
  return r.position();
}

const char* EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kPlain: return "PLAIN";
    case Encoding::kPlainDictionary: return "PLAIN_DICTIONARY";
    case Encoding::kRle: return "RLE";
    case Encoding::kBitPacked: return "BIT_PACKED";
    case Encoding::kDeltaBinaryPacked: return "DELTA_BINARY_PACKED";
    case Encoding::kDeltaLengthByteArray: return "DELTA_LENGTH_BYTE_ARRAY";
    case Encoding::kDeltaByteArray: return "DELTA_BYTE_ARRAY";
    case Encoding::kRleDictionary: return "RLE_DICTIONARY";
    case Encoding::kByteStreamSplit: return "BYTE_STREAM_SPLIT";
  }
  return "unknown";
}

const char* CodecName(Codec codec) {
  switch (codec) {
    case Codec::kUncompressed: return "UNCOMPRESSED";
    case Codec::kSnappy: return "SNAPPY";
    case Codec::kGzip: return "GZIP";
    case Codec::kLzo: return "LZO";
    case Codec::kBrotli: return "BROTLI";
    case Codec::kLz4: return "LZ4";
    case Codec::kZstd: return "ZSTD";
    case Codec::kLz4Raw: return "LZ4_RAW";
  }
  return "unknown";
}

}  // namespace sluice::parquet
