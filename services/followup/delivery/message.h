// Reminder texts. They are fixed here, not configurable, and neutral: a
// first name, a date and time in the recipient's time zone, the clinic's
// display name and phone number. They never name the kind of therapy, a
// diagnosis, the partner, the programme or a therapist's specialty; a test
// renders every event and combination and scans each text against
// ForbiddenWords().
//
// Example:
//   MessageContext context{.first_name = "Anna",
//                          .clinic_display_name = "Praxis am Lindenhof",
//                          .clinic_phone = "+49 30 1234567",
//                          .zone = berlin};
//   Appointment visit{.event = v1::REMINDER_EVENT_FOLLOW_UP_CONTACT,
//                     .start = start, .mode = AppointmentMode::kVisit};
//   absl::StatusOr<RenderedMessage> mail =
//       RenderMessage(context, {visit}, v1::REMINDER_CHANNEL_EMAIL);
//   // mail->subject: "Reminder: Tuesday 28 March 2027, 09:00"
//   // mail->body:    "Hello Anna,\n\nthis is a reminder of your appointment
//   //                 on Tuesday 28 March 2027 at 09:00. ..."
//
// A couple's reminders for the same local day become one message per
// partner: pass all of that partner's appointments of the day to
// RenderMessage (GroupByLocalDay() sorts a list into such days).
#ifndef TANDEM_SERVICES_FOLLOWUP_DELIVERY_MESSAGE_H_
#define TANDEM_SERVICES_FOLLOWUP_DELIVERY_MESSAGE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "tandem/followup/v1/followup.pb.h"

namespace tandem::followup::delivery {

// How the recipient takes part: comes in, or is called.
enum class AppointmentMode { kVisit, kPhoneCall };

// One thing to remind of.
struct Appointment {
  // INTENSIVE_START or FOLLOW_UP_CONTACT (to a client), or
  // THERAPIST_CALLS_DUE (to a therapist).
  tandem::followup::v1::ReminderEvent event =
      tandem::followup::v1::REMINDER_EVENT_UNSPECIFIED;
  // Start; for THERAPIST_CALLS_DUE the first call of the day.
  absl::Time start;
  // Ignored for THERAPIST_CALLS_DUE (calls).
  AppointmentMode mode = AppointmentMode::kVisit;
  // THERAPIST_CALLS_DUE only: calls due that day (>= 1).
  int call_count = 1;
};

// Who and where, the same for every appointment of a message.
struct MessageContext {
  std::string first_name;           // may be empty: "Hello,"
  std::string clinic_display_name;  // as the clinic wants to be named
  std::string clinic_phone;         // shown for changes; may be empty
  absl::TimeZone zone;              // the recipient's (or clinic's) zone
};

// A rendered text. SMS messages have a subject too (shown by the file
// channel and in logs-free previews); the SMS channel sends only the body.
struct RenderedMessage {
  std::string subject;
  std::string body;
};

// Renders one message about `appointments` (1-10, all on the same local day
// in context.zone, either all to a client or all THERAPIST_CALLS_DUE) for
// `channel`: e-mail and file get the long form, SMS a text of at most 160
// GSM 03.38 septets (the first name, then the clinic name are shortened or
// dropped as needed; a non-GSM character in them drops that part).
// INVALID_ARGUMENT otherwise.
absl::StatusOr<RenderedMessage> RenderMessage(
    const MessageContext& context, absl::Span<const Appointment> appointments,
    tandem::followup::v1::ReminderChannel channel);

// Sorts `appointments` by start and splits them into runs on the same local
// day in `zone`: each run is the input of one RenderMessage call.
std::vector<std::vector<Appointment>> GroupByLocalDay(
    std::vector<Appointment> appointments, absl::TimeZone zone);

// Lower-case stems that must never appear in a reminder (matched as
// case-insensitive substrings): therapy and clinic kinds, conditions, body
// words, specialties, the format's names, relationship words.
absl::Span<const absl::string_view> ForbiddenWords();

// The first forbidden stem found in `text` (case-insensitively), if any.
// The service can use it to warn about a clinic display name.
std::optional<std::string> FindForbiddenWord(absl::string_view text);

// Length of `text` (UTF-8) in GSM 03.38 septets (extension characters count
// two), or nullopt if some character has no GSM encoding.
std::optional<int> GsmSeptets(absl::string_view text);

// The most an SMS body may have: one segment.
inline constexpr int kMaxSmsSeptets = 160;

}  // namespace tandem::followup::delivery

#endif  // TANDEM_SERVICES_FOLLOWUP_DELIVERY_MESSAGE_H_
