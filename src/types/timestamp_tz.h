#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "types/time_zone.h"

namespace sluice {

// TIMESTAMPTZ values (int64 microseconds since 1970-01-01 00:00:00 UTC) and the session time
// zone they are shown and computed in.

// The zone of the `TimeZone` setting: process-wide, set by the session on SET TimeZone and read
// when a query runs (see docs/sql_semantics.md). UTC until set. Thread-safe.
const TimeZone& CurrentTimeZone();
void SetCurrentTimeZone(const TimeZone& zone);

// The wall-clock TIMESTAMP of instant `utc` in `zone`; nullopt outside the TIMESTAMP range.
std::optional<int64_t> UtcToLocal(int64_t utc, const TimeZone& zone);
// The instant of wall-clock TIMESTAMP `local` in `zone` (see TimeZone::LocalToUtc for skipped
// and repeated times); nullopt outside the TIMESTAMP range.
std::optional<int64_t> LocalToUtc(int64_t local, const TimeZone& zone);

// "2024-03-10 02:30:00-05", "... 12:00:00+05:30", "...Z", "... America/New_York", or without
// a zone (then local time in `session`). nullopt when the text is not a timestamp; throws
// InvalidInputError for an unknown zone name.
std::optional<int64_t> ParseTimestampTz(std::string_view text, const TimeZone& session);

// The instant as local time in `zone` with its offset, as DuckDB prints it:
// "2024-03-10 03:30:00-04", "2024-01-01 05:30:00+05:30" (offsets truncated to minutes).
std::string FormatTimestampTz(int64_t utc, const TimeZone& zone);
// "+00", "-05", "+05:30" for an offset in seconds east of UTC.
std::string FormatUtcOffset(int32_t seconds);

// The casts between TIMESTAMPTZ and DATE and TIMESTAMP, in CurrentTimeZone() as DuckDB's ICU
// casts are; nullopt when the result is out of range.
std::optional<int64_t> TimestampToTz(int64_t local);
std::optional<int64_t> TzToTimestamp(int64_t utc);
std::optional<int64_t> DateToTz(int32_t days);
std::optional<int32_t> TzToDate(int64_t utc);

}  // namespace sluice
