#include "clients/tandemctl/clinic_time.h"

#include <array>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/proto_time.h"

namespace tandem::cli {
namespace {

using tandem::common::v1::TimeOfDay;
using tandem::common::v1::WeeklyHours;

constexpr std::array<absl::string_view, 7> kDayNames = {
    "mon", "tue", "wed", "thu", "fri", "sat", "sun"};

absl::Status Bad(absl::string_view flag, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(flag, ": ", why));
}

// 1 (Monday) .. 7, or 0.
int WeekdayNumber(absl::string_view name) {
  std::string lower = absl::AsciiStrToLower(name);
  for (size_t i = 0; i < kDayNames.size(); ++i) {
    if (lower.size() >= 3 && absl::string_view(lower).substr(0, 3) ==
                                 kDayNames[i]) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

// "08:00" -> minutes since midnight, 0..1440; -1 if malformed.
int ParseClock(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  int h = 0, m = 0;
  if (parts.size() != 2 || parts[1].size() != 2 ||
      !absl::SimpleAtoi(parts[0], &h) || !absl::SimpleAtoi(parts[1], &m) ||
      h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0)) {
    return -1;
  }
  return h * 60 + m;
}

TimeOfDay ToTimeOfDay(int minutes) {
  TimeOfDay t;
  t.set_hours(minutes / 60);
  t.set_minutes(minutes % 60);
  return t;
}

std::string DayName(int weekday) {
  std::string name(kDayNames[weekday - 1]);
  name[0] = absl::ascii_toupper(name[0]);
  return name;
}

}  // namespace

std::string ClinicTime::DateTime(absl::Time t) const {
  return absl::FormatTime("%Y-%m-%d %H:%M", t, zone_);
}
std::string ClinicTime::DateTime(const google::protobuf::Timestamp& t) const {
  return DateTime(common::FromProto(t));
}
std::string ClinicTime::Clock(absl::Time t) const {
  return absl::FormatTime("%H:%M", t, zone_);
}
std::string ClinicTime::Clock(const google::protobuf::Timestamp& t) const {
  return Clock(common::FromProto(t));
}

std::string ClinicTime::Range(const google::protobuf::Timestamp& start,
                              const google::protobuf::Timestamp& end) const {
  const absl::Time s = common::FromProto(start);
  const absl::Time e = common::FromProto(end);
  if (absl::ToCivilDay(s, zone_) == absl::ToCivilDay(e, zone_)) {
    return absl::StrCat(DateTime(s), "-", Clock(e));
  }
  return absl::StrCat(DateTime(s), " - ", DateTime(e));
}

std::string ClinicTime::Span(const google::protobuf::Timestamp& start,
                             const google::protobuf::Timestamp& end) const {
  const absl::Time s = common::FromProto(start);
  const absl::Time e = common::FromProto(end);
  const absl::CivilDay first = absl::ToCivilDay(s, zone_);
  const absl::CivilDay after = absl::ToCivilDay(e, zone_);
  if (e > s && s == StartOfDay(first) && e == StartOfDay(after)) {
    if (after - first == 1) return FormatDay(first);
    return absl::StrCat(FormatDay(first), " to ", FormatDay(after - 1));
  }
  return Range(start, end);
}

std::string ClinicTime::ClockRange(
    const google::protobuf::Timestamp& start,
    const google::protobuf::Timestamp& end) const {
  const absl::Time s = common::FromProto(start);
  const absl::Time e = common::FromProto(end);
  const int days = static_cast<int>(absl::ToCivilDay(e, zone_) -
                                    absl::ToCivilDay(s, zone_));
  std::string out = absl::StrCat(Clock(s), "-", Clock(e));
  if (days != 0) absl::StrAppend(&out, days > 0 ? "+" : "", days);
  return out;
}

absl::CivilDay ClinicTime::Today(absl::Time now) const {
  return absl::ToCivilDay(now, zone_);
}

absl::Time ClinicTime::StartOfDay(absl::CivilDay day) const {
  return zone_.At(absl::CivilSecond(day)).pre;
}

absl::StatusOr<absl::Time> ClinicTime::ParseLocal(
    absl::string_view text, absl::string_view flag) const {
  std::string normalized(absl::StripAsciiWhitespace(text));
  if (normalized.size() > 10 && normalized[10] == ' ') normalized[10] = 'T';
  absl::CivilSecond civil;
  absl::CivilMinute minute;
  if (absl::ParseCivilTime(normalized, &minute)) {
    civil = absl::CivilSecond(minute);
  } else if (!absl::ParseCivilTime(normalized, &civil)) {
    return Bad(flag, absl::StrCat("'", text,
                                  "' is not a clinic-local time like "
                                  "2026-12-01T09:00"));
  }
  const absl::TimeZone::TimeInfo info = zone_.At(civil);
  // UNIQUE: pre; SKIPPED: the instant after the gap (trans); REPEATED: the
  // first occurrence (pre).
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans
                                                        : info.pre;
}

absl::StatusOr<absl::CivilDay> ParseDay(absl::string_view text,
                                        absl::CivilDay today,
                                        absl::string_view flag) {
  std::string lower = absl::AsciiStrToLower(absl::StripAsciiWhitespace(text));
  if (lower == "today") return today;
  if (lower == "tomorrow") return today + 1;
  if (lower == "yesterday") return today - 1;
  if (!lower.empty() && (lower[0] == '+' || lower[0] == '-')) {
    int offset = 0;
    if (absl::SimpleAtoi(absl::string_view(lower).substr(1), &offset)) {
      return lower[0] == '+' ? today + offset : today - offset;
    }
  }
  absl::CivilDay day;
  if (!absl::ParseCivilTime(lower, &day)) {
    return Bad(flag, absl::StrCat("'", text,
                                  "' is not a date like 2026-12-01 (or "
                                  "today, tomorrow, +7)"));
  }
  return day;
}

std::string FormatDay(absl::CivilDay day) {
  return absl::FormatCivilTime(day);
}

std::string FormatDate(const tandem::common::v1::Date& date) {
  if (date.year() == 0) return "";
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

std::string FormatTimeOfDay(const TimeOfDay& time) {
  return absl::StrFormat("%02d:%02d", time.hours(), time.minutes());
}

absl::StatusOr<std::vector<WeeklyHours>> ParseWeeklyHours(
    absl::string_view spec, absl::string_view flag) {
  std::vector<WeeklyHours> hours;
  spec = absl::StripAsciiWhitespace(spec);
  if (spec.empty() || absl::AsciiStrToLower(spec) == "none") return hours;
  bool seen[8] = {};
  for (absl::string_view entry : absl::StrSplit(spec, ',')) {
    entry = absl::StripAsciiWhitespace(entry);
    std::vector<absl::string_view> parts = absl::StrSplit(entry, '=');
    const std::string example = "like mon-fri=08:00-18:00";
    if (parts.size() != 2) {
      return Bad(flag, absl::StrCat("'", entry, "' is not ", example));
    }
    std::vector<absl::string_view> days = absl::StrSplit(parts[0], '-');
    std::vector<absl::string_view> times = absl::StrSplit(parts[1], '-');
    if (days.empty() || days.size() > 2 || times.size() != 2) {
      return Bad(flag, absl::StrCat("'", entry, "' is not ", example));
    }
    const int first = WeekdayNumber(absl::StripAsciiWhitespace(days[0]));
    const int last =
        days.size() == 2 ? WeekdayNumber(absl::StripAsciiWhitespace(days[1]))
                         : first;
    if (first == 0 || last == 0 || last < first) {
      return Bad(flag, absl::StrCat("'", parts[0],
                                    "' is not a weekday or range like "
                                    "mon-fri"));
    }
    const int start = ParseClock(absl::StripAsciiWhitespace(times[0]));
    const int end = ParseClock(absl::StripAsciiWhitespace(times[1]));
    if (start < 0 || end < 0) {
      return Bad(flag, absl::StrCat("'", parts[1],
                                    "' is not a time range like 08:00-18:00"));
    }
    if (end <= start) {
      return Bad(flag, absl::StrCat("'", parts[1], "' ends before it starts"));
    }
    for (int d = first; d <= last; ++d) {
      if (seen[d]) {
        return Bad(flag, absl::StrCat(DayName(d), " is given twice"));
      }
      seen[d] = true;
      WeeklyHours h;
      h.set_weekday(static_cast<tandem::common::v1::Weekday>(d));
      *h.mutable_start_time() = ToTimeOfDay(start);
      *h.mutable_end_time() = ToTimeOfDay(end);
      hours.push_back(std::move(h));
    }
  }
  std::sort(hours.begin(), hours.end(),
            [](const WeeklyHours& a, const WeeklyHours& b) {
              return a.weekday() < b.weekday();
            });
  return hours;
}

std::string FormatWeeklyHours(
    const google::protobuf::RepeatedPtrField<WeeklyHours>& hours) {
  std::vector<const WeeklyHours*> sorted;
  for (const WeeklyHours& h : hours) sorted.push_back(&h);
  std::sort(sorted.begin(), sorted.end(),
            [](const WeeklyHours* a, const WeeklyHours* b) {
              return a->weekday() < b->weekday();
            });
  std::vector<std::string> parts;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    auto same = [&](size_t a, size_t b) {
      return FormatTimeOfDay(sorted[a]->start_time()) ==
                 FormatTimeOfDay(sorted[b]->start_time()) &&
             FormatTimeOfDay(sorted[a]->end_time()) ==
                 FormatTimeOfDay(sorted[b]->end_time());
    };
    while (j + 1 < sorted.size() &&
           sorted[j + 1]->weekday() == sorted[j]->weekday() + 1 &&
           same(i, j + 1)) {
      ++j;
    }
    const int first = sorted[i]->weekday();
    const int last = sorted[j]->weekday();
    if (first < 1 || last > 7) {
      i = j + 1;
      continue;
    }
    std::string days = first == last
                           ? DayName(first)
                           : absl::StrCat(DayName(first), "-", DayName(last));
    parts.push_back(absl::StrCat(days, " ",
                                 FormatTimeOfDay(sorted[i]->start_time()), "-",
                                 FormatTimeOfDay(sorted[i]->end_time())));
    i = j + 1;
  }
  return parts.empty() ? "none" : absl::StrJoin(parts, ", ");
}

absl::StatusOr<absl::Duration> ParseLength(absl::string_view text,
                                           absl::string_view flag) {
  std::string t(absl::StripAsciiWhitespace(text));
  int minutes = 0;
  absl::Duration d;
  if (absl::SimpleAtoi(t, &minutes)) {
    d = absl::Minutes(minutes);
  } else if (!t.empty() && t.back() == 'd' &&
             absl::SimpleAtoi(absl::string_view(t).substr(0, t.size() - 1),
                              &minutes)) {
    d = absl::Hours(24) * minutes;
  } else if (!absl::ParseDuration(t, &d)) {
    return Bad(flag, absl::StrCat("'", text,
                                  "' is not a length like 30m, 2h or 14d"));
  }
  if (d <= absl::ZeroDuration()) return Bad(flag, "must be positive");
  return d;
}

std::string FormatLength(absl::Duration d) {
  const int64_t minutes = absl::ToInt64Minutes(d);
  if (minutes > 0 && minutes % (24 * 60) == 0) {
    const int64_t days = minutes / (24 * 60);
    return absl::StrCat(days, days == 1 ? " day" : " days");
  }
  if (minutes < 60) return absl::StrCat(minutes, " min");
  if (minutes % 60 == 0) return absl::StrCat(minutes / 60, " h");
  return absl::StrCat(minutes / 60, " h ", minutes % 60, " min");
}

}  // namespace tandem::cli
