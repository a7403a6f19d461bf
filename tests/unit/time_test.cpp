#include "feedloop/core/time.hpp"

#include <gtest/gtest.h>

namespace feedloop {
namespace {

int64_t Parse(std::string_view s, DateOptions o = {}) {
  Result<int64_t> r = ParseDate(s, o);
  EXPECT_TRUE(r.ok()) << s << ": " << r.status().message();
  return r.ok() ? r.value() : 0;
}

std::string Error(std::string_view s) {
  Result<int64_t> r = ParseDate(s);
  EXPECT_FALSE(r.ok()) << s;
  return r.ok() ? "" : r.status().message();
}

TEST(ParseDate, IsoForms) {
  const int64_t t = 1794820320;  // 2026-11-16T09:12:00Z
  EXPECT_EQ(Parse("2026-11-16T09:12:00Z"), t);
  EXPECT_EQ(Parse("2026-11-16T09:12:00"), t);  // no zone: UTC
  EXPECT_EQ(Parse("2026-11-16T10:12:00+01:00"), t);
  EXPECT_EQ(Parse("2026-11-16T04:12:00-0500"), t);
  EXPECT_EQ(Parse("2026-11-16T09:12:00.250Z"), t);
  EXPECT_EQ(Parse("2026-11-16 09:12:00"), t);
  EXPECT_EQ(Parse("2026-11-16T09:12Z"), t);
  EXPECT_EQ(Parse("2026-11-16"), t - 9 * 3600 - 12 * 60);
}

TEST(ParseDate, SlashedForms) {
  const int64_t day = 1794787200;  // 2026-11-16
  EXPECT_EQ(Parse("11/16/2026"), day);
  DateOptions dmy;
  dmy.slashed = DateOrder::kDayFirst;
  EXPECT_EQ(Parse("16/11/2026", dmy), day);
  EXPECT_EQ(Parse("16.11.2026"), day);  // dotted dates are day-first
  EXPECT_EQ(Parse("11/16/2026 09:12"), day + 9 * 3600 + 12 * 60);
  EXPECT_EQ(Parse("11/16/2026 9:12 PM"), day + 21 * 3600 + 12 * 60);
  EXPECT_EQ(Parse("11/16/2026 12:00 AM"), day);
}

TEST(ParseDate, UnixSeconds) {
  EXPECT_EQ(Parse("1794820320"), 1794820320);
}

TEST(ParseDate, Invalid) {
  EXPECT_NE(Error("yesterday").find("is not a date"), std::string::npos);
  EXPECT_NE(Error("2026-13-01").find("month outside 1-12"), std::string::npos);
  EXPECT_NE(Error("2026-02-30").find("does not exist"), std::string::npos);
  EXPECT_NE(Error("2025-02-29").find("does not exist"), std::string::npos);
  EXPECT_NE(Error("0000-01-01").find("outside 1990-2100"), std::string::npos);
  EXPECT_NE(Error("9999-12-31").find("outside 1990-2100"), std::string::npos);
  EXPECT_NE(Error("2026-11-16T25:00:00Z").find("time of day"), std::string::npos);
  EXPECT_NE(Error("2026-11-16T10:00:00+25:00").find("time zone"), std::string::npos);
  EXPECT_NE(Error("2026-11-16 garbage").find("time of day"), std::string::npos);
  EXPECT_NE(Error("").find("empty"), std::string::npos);
  EXPECT_EQ(Parse("2024-02-29"), 1709164800);  // leap day exists
}

TEST(Period, IsoWeeks) {
  Result<Period> w = ParsePeriod("2026-W47");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(FormatPeriod(w.value()), "2026-W47");
  // 2026-11-16 (Monday) .. 2026-11-22 (Sunday) are W47.
  auto clock = PeriodClock::Create("UTC", Granularity::kWeek);
  ASSERT_TRUE(clock.ok());
  EXPECT_EQ((*clock)->PeriodOf(Parse("2026-11-16T00:00:00Z")), w.value());
  EXPECT_EQ((*clock)->PeriodOf(Parse("2026-11-22T23:59:59Z")), w.value());
  EXPECT_EQ(FormatPeriod((*clock)->PeriodOf(Parse("2026-11-23T00:00:00Z"))), "2026-W48");
  // Year boundaries: 2021-01-03 is in 2020-W53, 2024-12-30 in 2025-W01.
  EXPECT_EQ(FormatPeriod((*clock)->PeriodOf(Parse("2021-01-03"))), "2020-W53");
  EXPECT_EQ(FormatPeriod((*clock)->PeriodOf(Parse("2024-12-30"))), "2025-W01");
  EXPECT_FALSE(ParsePeriod("2021-W53").ok());
  EXPECT_TRUE(ParsePeriod("2020-W53").ok());
  EXPECT_EQ(w.value().Plus(-6).index + 6, w.value().index);
}

TEST(Period, DaysAndMonths) {
  auto days = PeriodClock::Create("UTC", Granularity::kDay);
  auto months = PeriodClock::Create("UTC", Granularity::kMonth);
  ASSERT_TRUE(days.ok() && months.ok());
  EXPECT_EQ(FormatPeriod((*days)->PeriodOf(Parse("2026-11-16T23:00:00Z"))), "2026-11-16");
  EXPECT_EQ(FormatPeriod((*months)->PeriodOf(Parse("2026-11-30T23:00:00Z"))), "2026-11");
  EXPECT_EQ(ParsePeriod("2026-11").value(), (*months)->PeriodOf(Parse("2026-11-01")));
  EXPECT_EQ(ParsePeriod("2026-11-16").value(), (*days)->PeriodOf(Parse("2026-11-16T12:00:00Z")));
  EXPECT_FALSE(ParsePeriod("2026-13").ok());
  EXPECT_FALSE(ParsePeriod("last week").ok());
}

TEST(Period, TimeZoneMovesTheBoundary) {
  // Sunday 23:30 UTC is already Monday in Berlin (UTC+1 in November).
  auto utc = PeriodClock::Create("UTC", Granularity::kWeek);
  auto berlin = PeriodClock::Create("Europe/Berlin", Granularity::kWeek);
  ASSERT_TRUE(utc.ok() && berlin.ok());
  int64_t t = Parse("2026-11-22T23:30:00Z");
  EXPECT_EQ(FormatPeriod((*utc)->PeriodOf(t)), "2026-W47");
  EXPECT_EQ(FormatPeriod((*berlin)->PeriodOf(t)), "2026-W48");
  EXPECT_EQ((*berlin)->OffsetAt(t), 3600);
  EXPECT_FALSE(PeriodClock::Create("Mars/Olympus", Granularity::kWeek).ok());
}

TEST(FormatIsoUtc, RoundTrip) {
  EXPECT_EQ(FormatIsoUtc(1794820320), "2026-11-16T09:12:00Z");
  EXPECT_EQ(Parse(FormatIsoUtc(951782400)), 951782400);  // 2000-02-29
}

}  // namespace
}  // namespace feedloop
