// Encoding of the Parquet footer and page headers in the Thrift compact protocol.
#include "io/parquet_metadata.h"
#include "io/thrift_compact.h"

namespace sluice::parquet {

namespace {

void WriteLogicalType(ThriftWriter& w, const LogicalTypeInfo& t) {
  w.StructBegin();
  w.FieldStructBegin(t.kind);
  w.StructBegin();
  switch (t.kind) {
    case LogicalTypeInfo::kDecimal:
      w.FieldI32(1, t.scale);
      w.FieldI32(2, t.precision);
      break;
    case LogicalTypeInfo::kTime:
    case LogicalTypeInfo::kTimestamp:
      w.FieldBool(1, t.utc_adjusted);
      w.FieldStructBegin(2);
      w.StructBegin();
      w.FieldStructBegin(static_cast<int16_t>(t.unit));
      w.StructBegin();
      w.StructEnd();
      w.StructEnd();
      break;
    case LogicalTypeInfo::kInteger:
      w.FieldByte(1, t.bit_width);
      w.FieldBool(2, t.is_signed);
      break;
    default: break;
  }
  w.StructEnd();
  w.StructEnd();
}

void WriteSchemaElement(ThriftWriter& w, const SchemaElement& e) {
  w.StructBegin();
  if (e.type) w.FieldI32(1, static_cast<int32_t>(*e.type));
  if (e.type == Type::kFixedLenByteArray) w.FieldI32(2, e.type_length);
  w.FieldI32(3, static_cast<int32_t>(e.repetition));
  w.FieldBinary(4, e.name);
  if (!e.type) w.FieldI32(5, e.num_children);
  if (e.converted_type != ConvertedType::kNone) {
    w.FieldI32(6, static_cast<int32_t>(e.converted_type));
  }
  if (e.converted_type == ConvertedType::kDecimal) {
    w.FieldI32(7, e.scale);
    w.FieldI32(8, e.precision);
  }
  if (e.field_id) w.FieldI32(9, *e.field_id);
  if (e.logical_type.kind != LogicalTypeInfo::kAbsent) {
    w.FieldStructBegin(10);
    WriteLogicalType(w, e.logical_type);
  }
  w.StructEnd();
}

void WriteStatistics(ThriftWriter& w, const Statistics& s) {
  w.StructBegin();
  if (s.max) w.FieldBinary(1, *s.max);
  if (s.min) w.FieldBinary(2, *s.min);
  if (s.null_count) w.FieldI64(3, *s.null_count);
  if (s.max_value) w.FieldBinary(5, *s.max_value);
  if (s.min_value) w.FieldBinary(6, *s.min_value);
  w.StructEnd();
}

void WriteColumnMetaData(ThriftWriter& w, const ColumnMetaData& m) {
  w.StructBegin();
  w.FieldI32(1, static_cast<int32_t>(m.type));
  w.FieldListBegin(2, ThriftType::kI32, static_cast<uint32_t>(m.encodings.size()));
  for (const Encoding e : m.encodings) w.I32(static_cast<int32_t>(e));
  w.FieldListBegin(3, ThriftType::kBinary, static_cast<uint32_t>(m.path_in_schema.size()));
  for (const auto& p : m.path_in_schema) w.Binary(p);
  w.FieldI32(4, static_cast<int32_t>(m.codec));
  w.FieldI64(5, m.num_values);
  w.FieldI64(6, m.total_uncompressed_size);
  w.FieldI64(7, m.total_compressed_size);
  w.FieldI64(9, m.data_page_offset);
  if (m.dictionary_page_offset) w.FieldI64(11, *m.dictionary_page_offset);
  if (m.statistics) {
    w.FieldStructBegin(12);
    WriteStatistics(w, *m.statistics);
  }
  w.StructEnd();
}

}  // namespace

void SerializeFileMetaData(const FileMetaData& m, std::string* out) {
  ThriftWriter w(out);
  w.StructBegin();
  w.FieldI32(1, m.version);
  w.FieldListBegin(2, ThriftType::kStruct, static_cast<uint32_t>(m.schema.size()));
  for (const auto& e : m.schema) WriteSchemaElement(w, e);
  w.FieldI64(3, m.num_rows);
  w.FieldListBegin(4, ThriftType::kStruct, static_cast<uint32_t>(m.row_groups.size()));
  for (const auto& g : m.row_groups) {
    w.StructBegin();
    w.FieldListBegin(1, ThriftType::kStruct, static_cast<uint32_t>(g.columns.size()));
    for (const auto& c : g.columns) {
      w.StructBegin();
      w.FieldI64(2, c.file_offset);
      if (c.meta_data) {
        w.FieldStructBegin(3);
        WriteColumnMetaData(w, *c.meta_data);
      }
      w.StructEnd();
    }
    w.FieldI64(2, g.total_byte_size);
    w.FieldI64(3, g.num_rows);
    w.StructEnd();
  }
  if (!m.created_by.empty()) w.FieldBinary(6, m.created_by);
  w.StructEnd();
}

void SerializePageHeader(const PageHeader& h, std::string* out) {
  ThriftWriter w(out);
  w.StructBegin();
  w.FieldI32(1, static_cast<int32_t>(h.type));
  w.FieldI32(2, h.uncompressed_page_size);
  w.FieldI32(3, h.compressed_page_size);
  if (h.data_page) {
    w.FieldStructBegin(5);
    w.StructBegin();
    w.FieldI32(1, h.data_page->num_values);
    w.FieldI32(2, static_cast<int32_t>(h.data_page->encoding));
    w.FieldI32(3, static_cast<int32_t>(h.data_page->definition_level_encoding));
    w.FieldI32(4, static_cast<int32_t>(h.data_page->repetition_level_encoding));
    w.StructEnd();
  }
  if (h.dictionary_page) {
    w.FieldStructBegin(7);
    w.StructBegin();
    w.FieldI32(1, h.dictionary_page->num_values);
    w.FieldI32(2, static_cast<int32_t>(h.dictionary_page->encoding));
    w.StructEnd();
  }
  w.StructEnd();
}

}  // namespace sluice::parquet
