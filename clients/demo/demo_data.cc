#include "clients/demo/demo_data.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace tandem::demo {

namespace {

namespace bk = ::tandem::booking::v1;
namespace dir = ::tandem::directory::v1;

constexpr int H(int hours, int minutes = 0) { return hours * 60 + minutes; }

// clang-format off
constexpr TherapistRow kTherapists[] = {
    {"D. Okafor",    dir::SEX_MALE,   "en",       "couples,assessment,supervision", H(8),     H(16, 30), 360},
    {"M. Lindqvist", dir::SEX_MALE,   "en,sv",    "couples,assessment",             H(9),     H(17, 30), 360},
    {"R. Mehta",     dir::SEX_MALE,   "en,hi,gu", "couples,assessment",             H(10),    H(18),     330},
    {"T. Brennan",   dir::SEX_MALE,   "en,ga",    "couples",                        H(8),     H(16),     300},
    {"P. Kowalski",  dir::SEX_MALE,   "en,pl",    "couples,assessment",             H(9),     H(17),     360},
    {"S. Haddad",    dir::SEX_MALE,   "en,ar,fr", "couples,assessment,supervision", H(10),    H(18),     360},
    {"A. Whitfield", dir::SEX_FEMALE, "en",       "couples,assessment,supervision", H(8),     H(16),     360},
    {"C. Moreau",    dir::SEX_FEMALE, "en,fr",    "couples,assessment",             H(9),     H(17),     360},
    {"H. Nakamura",  dir::SEX_FEMALE, "en,ja",    "couples,assessment",             H(9, 30), H(18),     330},
    {"L. Evans",     dir::SEX_FEMALE, "en,cy",    "couples",                        H(8, 30), H(17),     300},
    {"K. Nowak",     dir::SEX_FEMALE, "en,pl",    "couples,assessment",             H(8),     H(17),     360},
    {"N. Adeyemi",   dir::SEX_FEMALE, "en,yo",    "couples,assessment,supervision", H(9),     H(18),     360},
};

constexpr TeamRow kTeams[] = {
    {0, 6, "Team Blue"},  {1, 7, "Team Green"}, {2, 8, "Team Amber"},
    {3, 9, "Team Slate"}, {4, 10, "Team Teal"}, {5, 11, "Team Coral"},
};

constexpr RoomRow kRooms[] = {
    {"Garden Room", 4, true, false},  {"Bay Room", 4, true, false},
    {"Lantern Room", 5, true, false}, {"Studio", 4, true, true},
    {"Room 5", 2, false, true},       {"Room 6", 2, false, true},
    {"Room 7", 2, false, true},       {"Room 8", 2, false, true},
};

constexpr AbsenceRow kAbsences[] = {
    {7, 28, true, 5, dir::ABSENCE_REASON_LEAVE},     // C. Moreau, a week
    {8, 3, false, 1, dir::ABSENCE_REASON_TRAINING},  // H. Nakamura, a day
    {5, 42, true, 5, dir::ABSENCE_REASON_LEAVE},     // S. Haddad, a week
};

constexpr auto kSms = bk::CONTACT_CHANNEL_SMS;
constexpr auto kEmail = bk::CONTACT_CHANNEL_EMAIL;
constexpr auto kNoReminders = bk::CONTACT_CHANNEL_NONE;
constexpr ReferralRow kNoReferral = {bk::REFERRAL_SPECIALTY_UNSPECIFIED,
                                     bk::PARTNER_ROLE_UNSPECIFIED,
                                     bk::REFERRAL_STATUS_UNSPECIFIED};
constexpr PartnerRow kNobody = {nullptr, nullptr, bk::SEX_UNSPECIFIED,
                                bk::CONTACT_CHANNEL_UNSPECIFIED, false, false};

constexpr CoupleRow kCouples[] = {
    {"c1", {"Tom", "Fletcher", bk::SEX_MALE, kSms, true, true},
     {"Sarah", "Fletcher", bk::SEX_FEMALE, kEmail, false, true}, "en",
     kNoReferral, Outcome::kConfirm, Format::kIntensive, 0, 0,
     bk::DAY_PART_MORNING, -1, 0, 0},
    {"c2", {"Daniel", "Hughes", bk::SEX_MALE, kEmail, true, true},
     {"Priya", "Shah", bk::SEX_FEMALE, kSms, true, false}, "en",
     {bk::REFERRAL_SPECIALTY_UROLOGY, bk::PARTNER_ROLE_A,
      bk::REFERRAL_STATUS_CLEARED},
     Outcome::kConfirm, Format::kIntensive, 7, 1, bk::DAY_PART_ANY, 9, 0, 0},
    {"c3", {"Marek", "Zielinski", bk::SEX_MALE, kSms, true, false},
     {"Ewa", "Zielinski", bk::SEX_FEMALE, kSms, true, false}, "pl",
     {bk::REFERRAL_SPECIALTY_GYNAECOLOGY, bk::PARTNER_ROLE_B,
      bk::REFERRAL_STATUS_NOT_NEEDED},
     Outcome::kConfirm, Format::kIntensive, 0, 4, bk::DAY_PART_AFTERNOON, -1,
     0, 0},
    {"c4", {"Claire", "Dawson", bk::SEX_FEMALE, kEmail, false, true},
     {"Megan", "Price", bk::SEX_FEMALE, kEmail, true, true}, "en",
     {bk::REFERRAL_SPECIALTY_ENDOCRINOLOGY, bk::PARTNER_ROLE_B,
      bk::REFERRAL_STATUS_REQUESTED},
     Outcome::kHold, Format::kIntensive, 14, 2, bk::DAY_PART_ANY, -1, 0, 0},
    {"c5", {"Oliver", "Grant", bk::SEX_MALE, kNoReminders, true, false},
     {"Hannah", "Grant", bk::SEX_FEMALE, kSms, true, true}, "en",
     kNoReferral, Outcome::kConfirm, Format::kWeekly, 2, 3,
     bk::DAY_PART_AFTERNOON, -1, 0, 0},
    {"c6", {"James", "Osei", bk::SEX_MALE, kEmail, true, true}, kNobody, "en",
     kNoReferral, Outcome::kNone, Format::kIntensive, 0, -1, bk::DAY_PART_ANY,
     -1, 30, 10},
};
// clang-format on

// Easter Sunday (Gregorian), by the anonymous algorithm (Meeus/Jones/Butcher).
absl::CivilDay EasterSunday(int year) {
  const int a = year % 19, b = year / 100, c = year % 100;
  const int d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4, k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return absl::CivilDay(year, month, day);
}

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday w = absl::GetWeekday(day);
  return w == absl::Weekday::saturday || w == absl::Weekday::sunday;
}

// The first `weekday` on or after `day`.
absl::CivilDay OnOrAfter(absl::CivilDay day, absl::Weekday weekday) {
  return absl::NextWeekday(day - 1, weekday);
}

// Fixed-date holidays that fall on a weekend are observed on the next
// weekday no other holiday of the year takes (gov.uk's substitute days).
void AddFixed(std::vector<Holiday>& year, absl::CivilDay day,
              const std::string& label) {
  if (!IsWeekend(day)) {
    year.push_back({day, label});
    return;
  }
  auto taken = [&year](absl::CivilDay d) {
    return std::any_of(year.begin(), year.end(),
                       [d](const Holiday& h) { return h.day == d; });
  };
  absl::CivilDay observed = day;
  while (IsWeekend(observed) || taken(observed)) ++observed;
  year.push_back({observed, absl::StrCat(label, " (substitute day)")});
}

std::vector<Holiday> EnglandAndWales(int year) {
  const absl::CivilDay easter = EasterSunday(year);
  std::vector<Holiday> out = {
      {easter - 2, "Good Friday"},
      {easter + 1, "Easter Monday"},
      {OnOrAfter(absl::CivilDay(year, 5, 1), absl::Weekday::monday),
       "Early May bank holiday"},
      {absl::PrevWeekday(absl::CivilDay(year, 6, 1), absl::Weekday::monday),
       "Spring bank holiday"},
      {absl::PrevWeekday(absl::CivilDay(year, 9, 1), absl::Weekday::monday),
       "Summer bank holiday"},
  };
  // Weekday dates first, so a weekend one moves past them.
  const Holiday fixed[] = {{absl::CivilDay(year, 1, 1), "New Year's Day"},
                           {absl::CivilDay(year, 12, 25), "Christmas Day"},
                           {absl::CivilDay(year, 12, 26), "Boxing Day"}};
  for (const Holiday& h : fixed) {
    if (!IsWeekend(h.day)) AddFixed(out, h.day, h.label);
  }
  for (const Holiday& h : fixed) {
    if (IsWeekend(h.day)) AddFixed(out, h.day, h.label);
  }
  return out;
}

std::vector<Holiday> Elsewhere(int year) {
  return {{absl::CivilDay(year, 1, 1), "New Year's Day"},
          {absl::CivilDay(year, 12, 25), "Christmas Day"},
          {absl::CivilDay(year, 12, 26), "26 December"}};
}

}  // namespace

absl::Span<const TherapistRow> Therapists() { return kTherapists; }
absl::Span<const TeamRow> Teams() { return kTeams; }
absl::Span<const RoomRow> Rooms() { return kRooms; }
absl::Span<const AbsenceRow> Absences() { return kAbsences; }
absl::Span<const CoupleRow> Couples() { return kCouples; }

std::string DemoPhone(int couple, int partner, const PartnerRow& row) {
  if (!row.has_phone) return "";
  return absl::StrFormat("+447700900%03d", 100 + 10 * couple + partner);
}

std::string DemoEmail(const PartnerRow& row) {
  if (!row.has_email) return "";
  return absl::AsciiStrToLower(
      absl::StrCat(row.given_name, ".", row.family_name, "@example.org"));
}

std::string InitialsLabel(const CoupleRow& row) {
  auto initials = [](const PartnerRow& p) {
    return absl::StrCat(std::string(1, p.given_name[0]), ".",
                        std::string(1, p.family_name[0]), ".");
  };
  if (row.b.given_name == nullptr) return initials(row.a);
  return absl::StrCat(initials(row.a), " & ", initials(row.b));
}

std::vector<Holiday> PublicHolidays(const std::string& time_zone,
                                    absl::CivilDay first, absl::CivilDay last) {
  std::vector<Holiday> out;
  for (int year = static_cast<int>(first.year()); year <= last.year(); ++year) {
    std::vector<Holiday> of_year =
        time_zone == "Europe/London" ? EnglandAndWales(year) : Elsewhere(year);
    std::copy_if(
        of_year.begin(), of_year.end(), std::back_inserter(out),
        [&](const Holiday& h) { return h.day >= first && h.day <= last; });
  }
  std::sort(out.begin(), out.end(),
            [](const Holiday& a, const Holiday& b) { return a.day < b.day; });
  return out;
}

}  // namespace tandem::demo
