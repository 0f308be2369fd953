#pragma once

#include <cstdint>

// Enum values and field ids of parquet.thrift that the writer and reader share.
namespace envmon::lake::parquet::format {

enum PhysicalType : int32_t { kInt32 = 1, kInt64 = 2, kDouble = 5, kByteArray = 6 };
enum Encoding : int32_t { kPlain = 0, kRle = 3, kRleDictionary = 8 };
enum PageType : int32_t { kDataPage = 0, kDictionaryPage = 2 };
enum CompressionCodec : int32_t { kUncompressed = 0, kZstd = 6 };
enum ConvertedType : int32_t { kUtf8 = 0, kTimestampMillis = 9 };
enum FieldRepetition : int32_t { kRequired = 0, kOptional = 1 };

inline constexpr char kMagic[] = "PAR1";

}  // namespace envmon::lake::parquet::format
