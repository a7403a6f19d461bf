// Dates and periods: parsing the date forms found in feedback exports into UTC seconds, and
// bucketing instants into ISO weeks, days or months in a configurable time zone.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "feedloop/core/item.hpp"
#include "feedloop/core/status.hpp"

namespace feedloop {

// How to read an ambiguous slashed date such as 03/04/2026.
enum class DateOrder { kMonthFirst, kDayFirst };

struct DateOptions {
  DateOrder slashed = DateOrder::kMonthFirst;
  int min_year = 1990;
  int max_year = 2100;
};

// Parses ISO 8601 ("2026-11-16T09:12:00Z", "+01:00" or "+0100" offsets, fractional seconds; a
// time without zone is UTC), a date alone ("2026-11-16"), "2026-11-16 09:12:00", "MM/DD/YYYY"
// (or DD/MM/YYYY) with an optional time, and Unix seconds. Returns seconds since the epoch, UTC.
Result<int64_t> ParseDate(std::string_view text, const DateOptions& options = {});

// "2026-11-16T09:12:00Z".
std::string FormatIsoUtc(int64_t unix_seconds);

// Days since 1970-01-01 of a civil date, and back (proleptic Gregorian).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d);

enum class Granularity { kDay, kWeek, kMonth };

// A period: a granularity plus an index (days since epoch, ISO weeks since 1970-W01's Monday, or
// months since 1970-01). Periods of one granularity are consecutive integers, so "the 6 periods
// before" is index - 6 .. index - 1.
struct Period {
  Granularity granularity = Granularity::kWeek;
  int64_t index = 0;
  bool operator==(const Period&) const = default;
  bool operator<(const Period& o) const { return index < o.index; }
  Period Plus(int64_t n) const { return Period{granularity, index + n}; }
};

// "2026-W47", "2026-11-16" or "2026-11".
std::string FormatPeriod(const Period& period);
Result<Period> ParsePeriod(std::string_view text);
// The first instant of the period in local time, as a local-days number (for display).
int64_t PeriodStartDay(const Period& period);

// Maps UTC instants to periods in a time zone. Thread-safe after construction.
class PeriodClock {
 public:
  // `zone` is an IANA name ("Europe/London") or "UTC".
  static Result<std::shared_ptr<PeriodClock>> Create(std::string_view zone,
                                                     Granularity granularity);
  ~PeriodClock();

  Period PeriodOf(int64_t unix_seconds) const;
  Granularity granularity() const { return granularity_; }
  const std::string& zone() const { return zone_; }
  // Offset of the zone from UTC at that instant, in seconds.
  int32_t OffsetAt(int64_t unix_seconds) const;
  // Whether data whose newest item is at `latest` reaches the end of `period`: its last day (for
  // a day, its last six hours), local time. A report's `last` prefers such a complete period.
  bool Completes(const Period& period, int64_t latest) const;

 private:
  PeriodClock() = default;
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string zone_;
  Granularity granularity_ = Granularity::kWeek;
};

Result<Granularity> ParseGranularity(std::string_view text);
// "day", "week" or "month": what ParseGranularity reads.
std::string_view GranularityName(Granularity granularity);

}  // namespace feedloop
