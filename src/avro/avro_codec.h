#pragma once

#include <string>

#include "avro/avro_file.h"

namespace sluice::avro {

// Compresses one block of an object container file with `codec`.
std::string CompressBlock(Codec codec, const std::string& raw);
// Decompresses one block; throws InvalidInputError (naming `where`) when it is corrupt. The
// result is never larger than `max_size` (a corrupt size cannot allocate without bound).
std::string DecompressBlock(Codec codec, const std::string& block, const std::string& where,
                            size_t max_size);

}  // namespace sluice::avro
