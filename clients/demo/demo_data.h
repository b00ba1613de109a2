// The demo clinic as data: therapists, standing teams, rooms, absences and
// couples, each a table that demo_seed.cc walks in order. Everything here is
// fictional: phone numbers are from Ofcom's drama range (+44 7700 900xxx),
// e-mail addresses are at example.org. No name contains a word that the
// reminder renderer forbids (services/followup/delivery/message.cc), so a
// reminder built from them never says what kind of place this is.
//
// Rows refer to each other by index (a team names its therapists by their
// row in Therapists()); dates are offsets in days from the demo's `today`.
#ifndef TANDEM_CLIENTS_DEMO_DEMO_DATA_H_
#define TANDEM_CLIENTS_DEMO_DEMO_DATA_H_

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "tandem/booking/v1/booking.pb.h"
#include "tandem/directory/v1/directory.pb.h"

namespace tandem::demo {

// Neutral: reminders carry it.
inline constexpr char kClinicDisplayName[] = "Harbour Street Practice";
// London's drama range (020 7946 0000-0999).
inline constexpr char kClinicPhone[] = "020 7946 0321";
// Opening hours, Monday to Friday, in minutes after midnight. The clinic is
// closed at weekends: the shipped ten-day template places treatment days on
// every open day, so a Saturday rota would force every team to work it.
inline constexpr int kOpenMinute = 8 * 60;
inline constexpr int kCloseMinute = 18 * 60;
inline constexpr int kBookingGridMinutes = 15;

struct TherapistRow {
  const char* display_name;
  tandem::directory::v1::Sex sex;
  const char* languages;       // comma-separated BCP 47 tags
  const char* qualifications;  // comma-separated tags
  int start_minute;            // Monday to Friday, minutes after midnight
  int end_minute;
  int daily_cap_minutes;
};

struct TeamRow {
  int male;  // rows of Therapists()
  int female;
  const char* label;
};

struct RoomRow {
  const char* display_name;
  int capacity;
  bool joint;
  bool individual;
};

// A whole-day absence: `days` weekdays (Monday to Friday) from the first
// weekday on or after today + offset_days, or from the Monday on or after it
// when `from_monday`.
struct AbsenceRow {
  int therapist;  // row of Therapists()
  int offset_days;
  bool from_monday;
  int days;
  tandem::directory::v1::AbsenceReason reason;
};

struct PartnerRow {
  const char* given_name;  // nullptr: no such partner (a single client)
  const char* family_name;
  tandem::booking::v1::Sex sex;
  tandem::booking::v1::ContactChannel channel;  // consent follows it
  bool has_phone;
  bool has_email;
};

// What the demo does for a couple.
enum class Outcome {
  kNone,     // on the waiting list: no booking yet
  kHold,     // a held plan, not confirmed (its referral is still open)
  kConfirm,  // proposed, held and confirmed
};

enum class Format { kIntensive, kWeekly };

struct ReferralRow {
  // REFERRAL_SPECIALTY_UNSPECIFIED: the couple has no referral.
  tandem::booking::v1::ReferralSpecialty specialty;
  tandem::booking::v1::PartnerRole partner;
  tandem::booking::v1::ReferralStatus status;
};

struct CoupleRow {
  const char* key;  // stable part of the couple's request ids
  PartnerRow a;
  PartnerRow b;
  const char* language;
  ReferralRow referral;
  Outcome outcome;
  Format format;
  int earliest_offset_days;  // first acceptable start: today + this
  int preferred_team;        // row of Teams(), or -1
  tandem::booking::v1::DayPart day_part;
  int excluded_therapist;    // row of Therapists(), or -1
  int blackout_offset_days;  // with blackout_days > 0: days they cannot come
  int blackout_days;
};

absl::Span<const TherapistRow> Therapists();
absl::Span<const TeamRow> Teams();
absl::Span<const RoomRow> Rooms();
absl::Span<const AbsenceRow> Absences();
absl::Span<const CoupleRow> Couples();

// The partner's phone (E.164, drama range) and e-mail for couple row
// `couple` (0-based), partner 0 (A) or 1 (B); empty when the row has none.
std::string DemoPhone(int couple, int partner, const PartnerRow& row);
std::string DemoEmail(const PartnerRow& row);

// "T.F. & S.F.", or "J.O." for a single client.
std::string InitialsLabel(const CoupleRow& row);

struct Holiday {
  absl::CivilDay day;
  std::string label;
};

// Public holidays observed in [first, last], ordered by day. For
// Europe/London the bank holidays of England and Wales (a holiday that falls
// on a weekend moves to the next free weekday, as gov.uk publishes them;
// one-off royal occasions are not predicted). For any other zone only
// 1 January and 25-26 December, on their dates, since the demo does not
// know that country's calendar.
std::vector<Holiday> PublicHolidays(const std::string& time_zone,
                                    absl::CivilDay first, absl::CivilDay last);

}  // namespace tandem::demo

#endif  // TANDEM_CLIENTS_DEMO_DEMO_DATA_H_
