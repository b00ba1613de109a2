#include "services/followup/delivery/message.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace tandem::followup::delivery {
namespace {

namespace v1 = ::tandem::followup::v1;

constexpr size_t kMaxAppointments = 10;

// Stems, so "therap" catches therapy, therapist and therapeutic.
// clang-format off
constexpr absl::string_view kForbidden[] = {
    // The format, its founders and its exercises.
    "sex", "therap", "intensive", "masters", "johnson", "sensate", "homework",
    "co-therap", "cotherap", "programme", "program", "treatment", "session",
    "assessment", "counsel", "coach",
    // Relationship words: the message must not reveal a partner.
    "couple", "partner", "husband", "wife", "spouse", "marri", "marital",
    "relationship", "boyfriend", "girlfriend", "lover",
    // Conditions and body words.
    "erecti", "erectile", "impoten", "ejaculat", "orgasm", "libido", "arousal",
    "desire", "dysfunction", "disorder", "diagnos", "symptom", "vagin",
    "vulv", "penis", "penile", "genital", "pelvi", "prostat", "fertil",
    "menopaus", "hormon", "testosteron", "viagra", "intima", "sensual",
    "pleasure", "pain", "dyspareun", "premature", "porn", "trauma", "abuse",
    "condition",
    // Specialties and clinic kinds.
    "urolog", "gynaecolog", "gynecolog", "endocrin", "androlog", "psych",
    "psychiatr", "sexolog", "specialist", "referral", "clinic", "medical",
    "patient", "doctor", "health", "mental", "hospital", "surgery",
    "consultant", "physician", "nurse",
};
// clang-format on

std::string Lower(absl::string_view text) {
  return absl::AsciiStrToLower(text);
}

// Decodes UTF-8 into code points; invalid bytes become U+FFFD.
std::vector<char32_t> CodePoints(absl::string_view text) {
  std::vector<char32_t> out;
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const int extra = byte < 0x80           ? 0
                      : (byte >> 5) == 0x6  ? 1
                      : (byte >> 4) == 0xE  ? 2
                      : (byte >> 3) == 0x1E ? 3
                                            : -1;
    if (extra < 0 || i + extra >= text.size()) {  // bad lead or cut short
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    char32_t cp = extra == 0 ? byte : byte & (0x3F >> extra);
    bool valid = true;
    for (int k = 1; k <= extra; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if (next >> 6 != 0x2) valid = false;
      cp = (cp << 6) | (next & 0x3F);
    }
    out.push_back(valid ? cp : 0xFFFD);
    i += valid ? extra + 1 : 1;
  }
  return out;
}

// GSM 03.38 default alphabet (one septet each) and extension table (two).
constexpr std::u32string_view kGsmBasic =
    U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    U"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
constexpr std::u32string_view kGsmExtension = U"\f^{}\\[~]|€";

bool IsClientEvent(v1::ReminderEvent event) {
  return event == v1::REMINDER_EVENT_INTENSIVE_START ||
         event == v1::REMINDER_EVENT_FOLLOW_UP_CONTACT;
}

std::string LongDay(absl::Time t, absl::TimeZone zone) {
  // "Tuesday 28 March 2027": the day without a leading zero.
  return absl::StrCat(absl::FormatTime("%A", t, zone), " ",
                      absl::ToCivilDay(t, zone).day(), " ",
                      absl::FormatTime("%B %Y", t, zone));
}

std::string ShortDay(absl::Time t, absl::TimeZone zone) {
  // "Tue 28 Mar".
  return absl::StrCat(absl::FormatTime("%a", t, zone), " ",
                      absl::ToCivilDay(t, zone).day(), " ",
                      absl::FormatTime("%b", t, zone));
}

std::string Clock(absl::Time t, absl::TimeZone zone) {
  return absl::FormatTime("%H:%M", t, zone);
}

std::string JoinAnd(const std::vector<std::string>& parts) {
  if (parts.size() <= 1) return parts.empty() ? "" : parts[0];
  return absl::StrCat(absl::StrJoin(parts.begin(), parts.end() - 1, ", "),
                      " and ", parts.back());
}

// The phrases of one message, shared by the long and the short form.
struct Facts {
  bool to_therapist = false;
  int calls = 0;                   // therapist: calls due that day
  std::vector<std::string> times;  // "09:00", or "09:00 (by phone)" if mixed
  bool all_by_phone = false;
  absl::Time first;
};

Facts Describe(absl::Span<const Appointment> items, absl::TimeZone zone) {
  Facts facts;
  facts.first = items.front().start;
  facts.to_therapist =
      items.front().event == v1::REMINDER_EVENT_THERAPIST_CALLS_DUE;
  facts.all_by_phone = std::all_of(items.begin(), items.end(), [](auto& a) {
    return a.mode == AppointmentMode::kPhoneCall;
  });
  const bool mixed = !facts.all_by_phone &&
                     std::any_of(items.begin(), items.end(), [](auto& a) {
                       return a.mode == AppointmentMode::kPhoneCall;
                     });
  for (const Appointment& a : items) {
    facts.calls += a.call_count;
    facts.times.push_back(absl::StrCat(
        Clock(a.start, zone),
        mixed && a.mode == AppointmentMode::kPhoneCall ? " (by phone)" : ""));
  }
  return facts;
}

RenderedMessage RenderLong(const MessageContext& c, const Facts& f) {
  const std::string day = LongDay(f.first, c.zone);
  const std::string greeting = c.first_name.empty()
                                   ? "Hello,"
                                   : absl::StrCat("Hello ", c.first_name, ",");
  std::string what;
  if (f.to_therapist) {
    what = absl::StrCat(
        f.calls == 1 ? "1 call is" : absl::StrCat(f.calls, " calls are"),
        " due on ", day, ", the first at ", f.times.front(),
        ". The details are in your roster.");
  } else if (f.all_by_phone) {
    what = absl::StrCat("this is a reminder that we will call you on ", day,
                        " at ", JoinAnd(f.times), ".");
  } else {
    what = absl::StrCat("this is a reminder of your appointment",
                        f.times.size() > 1 ? "s" : "", " on ", day, " at ",
                        JoinAnd(f.times), ".");
  }
  std::string change;
  if (!f.to_therapist && !c.clinic_phone.empty()) {
    change = absl::StrCat("If the time does not suit you, please call us on ",
                          c.clinic_phone, ".\n\n");
  }
  RenderedMessage out;
  out.subject = absl::StrCat("Reminder: ", day, ", ", f.times.front());
  out.body = absl::StrCat(greeting, "\n\n", what, "\n\n", change,
                          "Kind regards\n", c.clinic_display_name, "\n");
  return out;
}

// Cuts UTF-8 text to at most `max_points` code points.
std::string Truncate(absl::string_view text, size_t max_points) {
  size_t points = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (points == max_points) return std::string(text.substr(0, i));
      ++points;
    }
  }
  return std::string(text);
}

std::string ShortText(absl::string_view name, absl::string_view clinic,
                      const MessageContext& c, const Facts& f) {
  const std::string when = absl::StrCat(
      ShortDay(f.first, c.zone), " ", absl::FormatTime("%Y", f.first, c.zone));
  const std::string hello =
      name.empty() ? "Hello, " : absl::StrCat("Hello ", name, ", ");
  std::string what;
  if (f.to_therapist) {
    what =
        absl::StrCat(f.calls == 1 ? "1 call" : absl::StrCat(f.calls, " calls"),
                     " due ", when, ", first at ", f.times.front(), ".");
  } else if (f.all_by_phone) {
    what = absl::StrCat("we will call you on ", when, " at ", JoinAnd(f.times),
                        ".");
  } else {
    what = absl::StrCat("reminder: appointment", f.times.size() > 1 ? "s" : "",
                        " on ", when, " at ", JoinAnd(f.times), ".");
  }
  std::string change;
  if (!f.to_therapist && !c.clinic_phone.empty()) {
    change = absl::StrCat(" To change: ", c.clinic_phone, ".");
  }
  return absl::StrCat(hello, what, change, clinic.empty() ? "" : " ", clinic);
}

bool FitsSms(absl::string_view text) {
  std::optional<int> septets = GsmSeptets(text);
  return septets.has_value() && *septets <= kMaxSmsSeptets;
}

std::string RenderShort(const MessageContext& c, const Facts& f) {
  const std::string name = FitsSms(c.first_name) ? c.first_name : "";
  const std::string clinic =
      FitsSms(c.clinic_display_name) ? c.clinic_display_name : "";
  // Longest first: shorten the clinic name, then drop the first name.
  for (absl::string_view n : {absl::string_view(name), absl::string_view()}) {
    for (size_t clinic_len : {size_t{60}, size_t{30}, size_t{15}, size_t{0}}) {
      std::string text = ShortText(n, Truncate(clinic, clinic_len), c, f);
      if (FitsSms(text)) return text;
    }
  }
  return Truncate(ShortText("", "", c, f), kMaxSmsSeptets);
}

}  // namespace

absl::StatusOr<RenderedMessage> RenderMessage(
    const MessageContext& context, absl::Span<const Appointment> appointments,
    v1::ReminderChannel channel) {
  if (appointments.empty() || appointments.size() > kMaxAppointments) {
    return absl::InvalidArgumentError("appointments: 1-10 per message");
  }
  if (channel == v1::REMINDER_CHANNEL_UNSPECIFIED ||
      !v1::ReminderChannel_IsValid(channel)) {
    return absl::InvalidArgumentError("channel: unspecified or unknown");
  }
  std::vector<Appointment> items(appointments.begin(), appointments.end());
  std::sort(items.begin(), items.end(),
            [](const Appointment& a, const Appointment& b) {
              return a.start < b.start;
            });
  const absl::CivilDay day =
      absl::ToCivilDay(items.front().start, context.zone);
  const bool to_therapist =
      items.front().event == v1::REMINDER_EVENT_THERAPIST_CALLS_DUE;
  for (const Appointment& a : items) {
    if (!IsClientEvent(a.event) &&
        a.event != v1::REMINDER_EVENT_THERAPIST_CALLS_DUE) {
      return absl::InvalidArgumentError("appointments.event: unspecified");
    }
    if ((a.event == v1::REMINDER_EVENT_THERAPIST_CALLS_DUE) != to_therapist) {
      return absl::InvalidArgumentError(
          "appointments: client and therapist events in one message");
    }
    if (absl::ToCivilDay(a.start, context.zone) != day) {
      return absl::InvalidArgumentError(
          "appointments: not all on the same local day");
    }
    if (a.call_count < 1) {
      return absl::InvalidArgumentError(
          "appointments.call_count: must be >= 1");
    }
  }
  if (context.clinic_display_name.empty()) {
    return absl::InvalidArgumentError("clinic_display_name: empty");
  }
  const Facts facts = Describe(items, context.zone);
  RenderedMessage out = RenderLong(context, facts);
  if (channel == v1::REMINDER_CHANNEL_SMS)
    out.body = RenderShort(context, facts);
  return out;
}

std::vector<std::vector<Appointment>> GroupByLocalDay(
    std::vector<Appointment> appointments, absl::TimeZone zone) {
  std::stable_sort(appointments.begin(), appointments.end(),
                   [](const Appointment& a, const Appointment& b) {
                     return a.start < b.start;
                   });
  std::vector<std::vector<Appointment>> days;
  std::optional<absl::CivilDay> current;
  for (Appointment& a : appointments) {
    const absl::CivilDay day = absl::ToCivilDay(a.start, zone);
    if (!current || day != *current) days.emplace_back();
    current = day;
    days.back().push_back(std::move(a));
  }
  return days;
}

absl::Span<const absl::string_view> ForbiddenWords() { return kForbidden; }

std::optional<std::string> FindForbiddenWord(absl::string_view text) {
  const std::string lower = Lower(text);
  for (absl::string_view word : kForbidden) {
    if (absl::StrContains(lower, word)) return std::string(word);
  }
  return std::nullopt;
}

std::optional<int> GsmSeptets(absl::string_view text) {
  int septets = 0;
  for (char32_t cp : CodePoints(text)) {
    if (kGsmBasic.find(cp) != std::u32string_view::npos) {
      septets += 1;
    } else if (kGsmExtension.find(cp) != std::u32string_view::npos) {
      septets += 2;
    } else {
      return std::nullopt;
    }
  }
  return septets;
}

}  // namespace tandem::followup::delivery
