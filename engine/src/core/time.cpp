#include "feedloop/core/time.hpp"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace feedloop {
namespace {

// A tiny cursor over the date text.
struct Cursor {
  std::string_view s;
  size_t pos = 0;
  bool done() const { return pos >= s.size(); }
  char peek() const { return done() ? '\0' : s[pos]; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos;
    return true;
  }
  // Reads exactly `min`..`max` digits.
  bool digits(int min, int max, int64_t* out) {
    int64_t v = 0;
    int n = 0;
    while (n < max && !done() && s[pos] >= '0' && s[pos] <= '9') {
      v = v * 10 + (s[pos] - '0');
      ++pos;
      ++n;
    }
    *out = v;
    return n >= min;
  }
  void skip_spaces() {
    while (!done() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
  }
};

bool IsLeap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static const unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

std::string Quote(std::string_view text) {
  // At most 40 bytes, cut between characters: the message must stay valid UTF-8.
  size_t n = std::min<size_t>(text.size(), 40);
  while (n > 0 && n < text.size() && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;
  std::string s(text.substr(0, n));
  return "'" + s + (text.size() > 40 ? "...'" : "'");
}

Status BadDate(std::string_view text, const char* why) {
  return Status::InvalidInput("date " + Quote(text) + " " + why);
}

// Parses "HH:MM[:SS[.frac]]" into seconds of the day.
bool ParseClock(Cursor& c, int64_t* seconds) {
  int64_t h, m, s = 0;
  if (!c.digits(1, 2, &h) || !c.eat(':') || !c.digits(2, 2, &m)) return false;
  if (c.eat(':')) {
    if (!c.digits(2, 2, &s)) return false;
    if (c.eat('.') || c.eat(',')) {
      int64_t frac;
      if (!c.digits(1, 9, &frac)) return false;
    }
  }
  if (h > 24 || m > 59 || s > 60 || (h == 24 && (m != 0 || s != 0))) return false;
  if (s == 60) s = 59;  // leap second: keep it inside the minute
  *seconds = h * 3600 + m * 60 + s;
  return true;
}

// Parses an optional zone: Z, +HH, +HH:MM, +HHMM. Returns false on a malformed zone.
bool ParseZone(Cursor& c, int64_t* offset) {
  *offset = 0;
  if (c.eat('Z') || c.eat('z')) return true;
  if (c.done()) return true;
  char sign = c.peek();
  if (sign != '+' && sign != '-') return false;
  ++c.pos;
  int64_t hh, mm = 0;
  if (!c.digits(2, 2, &hh)) return false;
  if (c.eat(':')) {
    if (!c.digits(2, 2, &mm)) return false;
  } else if (!c.done()) {
    if (!c.digits(2, 2, &mm)) return false;
  }
  if (hh > 18 || mm > 59) return false;
  *offset = (hh * 3600 + mm * 60) * (sign == '-' ? -1 : 1);
  return true;
}

// Optional " AM"/" PM" after a clock.
bool ApplyMeridiem(Cursor& c, int64_t* seconds) {
  c.skip_spaces();
  if (c.done()) return true;
  char a = c.peek();
  if (a != 'a' && a != 'A' && a != 'p' && a != 'P') return true;
  ++c.pos;
  if (!c.eat('m') && !c.eat('M')) return false;
  int64_t hour = *seconds / 3600;
  if (hour < 1 || hour > 12) return false;
  bool pm = (a == 'p' || a == 'P');
  if (hour == 12) *seconds -= 12 * 3600;
  if (pm) *seconds += 12 * 3600;
  return true;
}

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

Result<int64_t> ParseDate(std::string_view text, const DateOptions& options) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return BadDate(text, "is empty");

  Cursor c{text};
  int64_t a;
  if (!c.digits(1, 12, &a))
    return BadDate(text, "is not a date (expected e.g. 2026-11-16T09:12:00Z)");
  int64_t y, mo, d;
  if (c.done() && c.pos >= 9) {
    // Unix seconds.
    return a;
  }
  if (c.pos == 4 && (c.peek() == '-' || c.peek() == '/')) {
    char sep = c.s[c.pos++];
    y = a;
    if (!c.digits(1, 2, &mo) || !c.eat(sep) || !c.digits(1, 2, &d))
      return BadDate(text, "is not a date (expected YYYY-MM-DD)");
  } else if (c.pos <= 2 && (c.peek() == '/' || c.peek() == '.')) {
    char sep = c.s[c.pos++];
    int64_t b;
    if (!c.digits(1, 2, &b) || !c.eat(sep) || !c.digits(4, 4, &y))
      return BadDate(text, "is not a date (expected MM/DD/YYYY)");
    bool day_first = sep == '.' || options.slashed == DateOrder::kDayFirst;
    mo = day_first ? b : a;
    d = day_first ? a : b;
  } else {
    return BadDate(text, "is not a date (expected e.g. 2026-11-16T09:12:00Z)");
  }
  if (mo < 1 || mo > 12) return BadDate(text, "has a month outside 1-12");
  if (y < options.min_year || y > options.max_year) {
    return BadDate(text, ("has year " + std::to_string(y) + ", outside " +
                          std::to_string(options.min_year) + "-" + std::to_string(options.max_year))
                             .c_str());
  }
  if (d < 1 || d > DaysInMonth(y, static_cast<unsigned>(mo)))
    return BadDate(text, "has a day that does not exist in its month");

  int64_t seconds = 0, offset = 0;
  if (!c.done()) {
    char t = c.peek();
    if (t == 'T' || t == 't' || t == ' ') {
      ++c.pos;
      c.skip_spaces();
      if (!ParseClock(c, &seconds)) return BadDate(text, "has an invalid time of day");
      if (!ApplyMeridiem(c, &seconds)) return BadDate(text, "has an invalid AM/PM time");
      c.skip_spaces();
      if (!ParseZone(c, &offset)) return BadDate(text, "has an invalid time zone");
    } else if (!ParseZone(c, &offset)) {
      return BadDate(text, "has unexpected text after the date");
    }
  }
  if (!c.done()) return BadDate(text, "has unexpected text after the date");
  int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return days * 86400 + seconds - offset;
}

std::string FormatIsoUtc(int64_t t) {
  int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
  int64_t secs = t - days * 86400;
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, &y, &m, &d);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60));
  return buf;
}

namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

int64_t WeekIndexOfDay(int64_t days) {
  return FloorDiv(days + 3, 7);
}  // epoch day 0 is a Thursday

// Monday of ISO week 1 of `year` (the week holding January 4), in days since the epoch.
int64_t IsoWeekOneMonday(int64_t year) {
  return WeekIndexOfDay(DaysFromCivil(year, 1, 4)) * 7 - 3;
}

}  // namespace

int64_t PeriodStartDay(const Period& p) {
  switch (p.granularity) {
    case Granularity::kDay:
      return p.index;
    case Granularity::kWeek:
      return p.index * 7 - 3;
    case Granularity::kMonth: {
      int64_t y = 1970 + FloorDiv(p.index, 12);
      unsigned m = static_cast<unsigned>(p.index - FloorDiv(p.index, 12) * 12) + 1;
      return DaysFromCivil(y, m, 1);
    }
  }
  return 0;
}

std::string FormatPeriod(const Period& p) {
  char buf[32];
  int64_t y;
  unsigned m, d;
  switch (p.granularity) {
    case Granularity::kDay:
      CivilFromDays(p.index, &y, &m, &d);
      std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
      break;
    case Granularity::kWeek: {
      int64_t thursday = p.index * 7;  // Monday is index*7-3, Thursday three days later
      CivilFromDays(thursday, &y, &m, &d);
      int64_t week = (thursday - IsoWeekOneMonday(y)) / 7 + 1;
      std::snprintf(buf, sizeof(buf), "%04lld-W%02lld", static_cast<long long>(y),
                    static_cast<long long>(week));
      break;
    }
    case Granularity::kMonth:
      CivilFromDays(PeriodStartDay(p), &y, &m, &d);
      std::snprintf(buf, sizeof(buf), "%04lld-%02u", static_cast<long long>(y), m);
      break;
  }
  return buf;
}

Result<Period> ParsePeriod(std::string_view text) {
  auto bad = [&] {
    return Status::Usage("period '" + std::string(text) +
                         "' is not a week (2026-W47), a day (2026-11-16) or a month (2026-11)");
  };
  Cursor c{text};
  int64_t y;
  if (!c.digits(4, 4, &y) || !c.eat('-')) return bad();
  if (c.eat('W') || c.eat('w')) {
    int64_t w;
    if (!c.digits(1, 2, &w) || !c.done() || w < 1 || w > 53) return bad();
    int64_t monday = IsoWeekOneMonday(y) + (w - 1) * 7;
    if (w == 53 && IsoWeekOneMonday(y + 1) <= monday) return bad();
    return Period{Granularity::kWeek, WeekIndexOfDay(monday)};
  }
  int64_t m;
  if (!c.digits(1, 2, &m) || m < 1 || m > 12) return bad();
  if (c.done()) return Period{Granularity::kMonth, (y - 1970) * 12 + (m - 1)};
  int64_t d;
  if (!c.eat('-') || !c.digits(1, 2, &d) || !c.done() || d < 1 ||
      d > DaysInMonth(y, static_cast<unsigned>(m)))
    return bad();
  return Period{Granularity::kDay,
                DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d))};
}

std::string_view GranularityName(Granularity g) {
  switch (g) {
    case Granularity::kDay:
      return "day";
    case Granularity::kWeek:
      return "week";
    case Granularity::kMonth:
      return "month";
  }
  return "week";
}

Result<Granularity> ParseGranularity(std::string_view text) {
  if (text == "week" || text == "weekly" || text == "iso-week") return Granularity::kWeek;
  if (text == "day" || text == "daily") return Granularity::kDay;
  if (text == "month" || text == "monthly") return Granularity::kMonth;
  return Status::Usage("period granularity '" + std::string(text) +
                       "' is not one of week, day, month");
}

struct PeriodClock::Impl {
  std::unique_ptr<icu::TimeZone> zone;  // null for UTC
};

PeriodClock::~PeriodClock() = default;

Result<std::shared_ptr<PeriodClock>> PeriodClock::Create(std::string_view zone,
                                                         Granularity granularity) {
  std::shared_ptr<PeriodClock> clock(new PeriodClock());
  clock->impl_ = std::make_unique<Impl>();
  clock->zone_ = zone.empty() ? "UTC" : std::string(zone);
  clock->granularity_ = granularity;
  if (clock->zone_ != "UTC" && clock->zone_ != "Etc/UTC") {
    icu::UnicodeString id = icu::UnicodeString::fromUTF8(clock->zone_);
    std::unique_ptr<icu::TimeZone> tz(icu::TimeZone::createTimeZone(id));
    icu::UnicodeString got;
    tz->getID(got);
    if (got == icu::UnicodeString("Etc/Unknown")) {
      return Status::Usage("time zone '" + clock->zone_ +
                           "' is unknown (use an IANA name such as Europe/London, or UTC)");
    }
    clock->impl_->zone = std::move(tz);
  }
  return clock;
}

int32_t PeriodClock::OffsetAt(int64_t unix_seconds) const {
  if (!impl_->zone) return 0;
  int32_t raw = 0, dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  impl_->zone->getOffset(static_cast<UDate>(unix_seconds) * 1000.0, false, raw, dst, status);
  if (U_FAILURE(status)) return 0;
  return (raw + dst) / 1000;
}

bool PeriodClock::Completes(const Period& period, int64_t latest) const {
  const int64_t local = latest + OffsetAt(latest);
  const int64_t end = PeriodStartDay(period.Plus(1)) * 86400;
  const int64_t margin = period.granularity == Granularity::kDay ? 6 * 3600 : 86400;
  return local >= end - margin;
}

Period PeriodClock::PeriodOf(int64_t unix_seconds) const {
  int64_t local = unix_seconds + OffsetAt(unix_seconds);
  int64_t days = FloorDiv(local, 86400);
  switch (granularity_) {
    case Granularity::kDay:
      return Period{granularity_, days};
    case Granularity::kWeek:
      return Period{granularity_, WeekIndexOfDay(days)};
    case Granularity::kMonth: {
      int64_t y;
      unsigned m, d;
      CivilFromDays(days, &y, &m, &d);
      return Period{granularity_, (y - 1970) * 12 + (m - 1)};
    }
  }
  return Period{granularity_, days};
}

}  // namespace feedloop
