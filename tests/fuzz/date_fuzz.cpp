// Fuzz target: ParseDate (both orders of slashed dates, the default and the widest year range),
// ParsePeriod, and the period arithmetic behind them.
//
// Input: the text to parse.
//
// Invariants: an accepted date formats to ISO 8601 and parses back to the same instant; a date
// accepted with the default options is accepted with the widest range too; an accepted period
// formats and parses back to itself, and its instants map back into it.
#include <cstdint>
#include <string>

#include "feedloop/core/time.hpp"
#include "fuzz_util.hpp"

namespace feedloop::fuzz {
namespace {

void CheckDate(std::string_view text, const DateOptions& options) {
  Result<int64_t> t = ParseDate(text, options);
  if (!t.ok()) {
    FUZZ_CHECK(ValidUtf8(t.status().message()) || !ValidUtf8(text), Show(t.status().message()));
    return;
  }
  // Round trip through the ISO form. ISO dates below year 1000 or above 9999 do not have four
  // digits, and Unix seconds are not range-checked, so only instants in 1000-9999 go round.
  const std::string iso = FormatIsoUtc(t.value());
  int64_t days = t.value() >= 0 ? t.value() / 86400 : (t.value() - 86399) / 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  FUZZ_CHECK(m >= 1 && m <= 12 && d >= 1 && d <= 31, iso);
  if (y < 1000 || y > 9999) return;
  DateOptions wide;
  wide.min_year = 0;
  wide.max_year = 9999;
  Result<int64_t> back = ParseDate(iso, wide);
  FUZZ_CHECK(back.ok() && back.value() == t.value(),
             Show(text) + " -> " + iso + " -> " +
                 (back.ok() ? FormatIsoUtc(back.value()) : back.status().message()));
  // A date the default range accepts is accepted by a wider one, to the same instant.
  Result<int64_t> widened = ParseDate(text, DateOptions{options.slashed, 0, 9999});
  FUZZ_CHECK(widened.ok() && widened.value() == t.value(), Show(text));
}

void CheckPeriod(std::string_view text) {
  Result<Period> p = ParsePeriod(text);
  if (!p.ok()) return;
  const std::string formatted = FormatPeriod(p.value());
  Result<Period> again = ParsePeriod(formatted);
  FUZZ_CHECK(again.ok() && again.value() == p.value(), Show(text) + " -> " + formatted);
  // The first day of the period lies in it, and the day before does not.
  static const std::shared_ptr<PeriodClock> clocks[] = {
      PeriodClock::Create("UTC", Granularity::kDay).value(),
      PeriodClock::Create("UTC", Granularity::kWeek).value(),
      PeriodClock::Create("UTC", Granularity::kMonth).value(),
  };
  const PeriodClock& clock = *clocks[static_cast<int>(p.value().granularity)];
  const int64_t start = PeriodStartDay(p.value()) * 86400;
  FUZZ_CHECK(clock.PeriodOf(start) == p.value(), formatted);
  FUZZ_CHECK(clock.PeriodOf(start - 1) == p.value().Plus(-1), formatted);
}

}  // namespace
}  // namespace feedloop::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace feedloop;
  using namespace feedloop::fuzz;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  CheckDate(text, DateOptions{DateOrder::kMonthFirst, 1990, 2100});
  CheckDate(text, DateOptions{DateOrder::kDayFirst, 1990, 2100});
  CheckDate(text, DateOptions{DateOrder::kMonthFirst, 0, 9999});
  CheckPeriod(text);
  return 0;
}
