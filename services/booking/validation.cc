#include "services/booking/validation.h"

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/booking/ids.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

namespace {

absl::Status Invalid(absl::string_view field, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", why));
}

absl::Status ValidateText(const std::string& text, absl::string_view field,
                          size_t min, size_t max) {
  if (text.size() < min || text.size() > max) {
    return Invalid(
        field, min > 0 ? absl::StrCat("required, at most ", max, " characters")
                       : absl::StrCat("at most ", max, " characters"));
  }
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f)
      return Invalid(field, "contains control characters");
  }
  return absl::OkStatus();
}

// E.164: '+' then 8-15 digits.
bool IsE164(const std::string& phone) {
  if (phone.size() < 9 || phone.size() > 16 || phone[0] != '+') return false;
  for (size_t i = 1; i < phone.size(); ++i) {
    if (!absl::ascii_isdigit(phone[i])) return false;
  }
  return true;
}

// Deliberately loose: one '@', something either side, a dot in the domain.
bool LooksLikeEmail(const std::string& email) {
  const size_t at = email.find('@');
  if (at == std::string::npos || at == 0 ||
      email.find('@', at + 1) != std::string::npos) {
    return false;
  }
  const std::string domain = email.substr(at + 1);
  return domain.find('.') != std::string::npos && domain.back() != '.' &&
         email.find(' ') == std::string::npos && email.size() <= 254;
}

bool IsLanguageTag(const std::string& tag) {
  if (tag.size() < 2 || tag.size() > 35 || !absl::ascii_islower(tag[0]))
    return false;
  for (char c : tag) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-'))
      return false;
  }
  return true;
}

absl::Status ValidatePartner(const v1::Partner& partner,
                             const std::string& path) {
  RETURN_IF_ERROR(ValidateText(partner.given_name(),
                               absl::StrCat(path, ".given_name"), 1, 100));
  RETURN_IF_ERROR(ValidateText(partner.family_name(),
                               absl::StrCat(path, ".family_name"), 0, 100));
  if (!partner.phone().empty() && !IsE164(partner.phone())) {
    return Invalid(absl::StrCat(path, ".phone"),
                   "international form with country code, e.g. +447700900123");
  }
  if (!partner.email().empty() && !LooksLikeEmail(partner.email())) {
    return Invalid(absl::StrCat(path, ".email"), "not an e-mail address");
  }
  switch (partner.preferred_channel()) {
    case v1::CONTACT_CHANNEL_SMS:
      if (partner.phone().empty()) {
        return Invalid(absl::StrCat(path, ".phone"),
                       "required for SMS reminders");
      }
      break;
    case v1::CONTACT_CHANNEL_EMAIL:
      if (partner.email().empty()) {
        return Invalid(absl::StrCat(path, ".email"),
                       "required for e-mail reminders");
      }
      break;
    case v1::CONTACT_CHANNEL_NONE:
      break;
    default:
      return Invalid(absl::StrCat(path, ".preferred_channel"),
                     "must be SMS, EMAIL or NONE");
  }
  absl::TimeZone zone;
  if (!partner.time_zone().empty() &&
      !absl::LoadTimeZone(partner.time_zone(), &zone)) {
    return Invalid(absl::StrCat(path, ".time_zone"),
                   "not a known IANA time zone");
  }
  if (!v1::Sex_IsValid(partner.sex())) {
    return Invalid(absl::StrCat(path, ".sex"), "unknown value");
  }
  return absl::OkStatus();
}

std::string Initials(const v1::Partner& partner) {
  std::string out;
  for (const std::string* name :
       {&partner.given_name(), &partner.family_name()}) {
    if (!name->empty() && absl::ascii_isalpha((*name)[0])) {
      absl::StrAppend(&out, std::string(1, absl::ascii_toupper((*name)[0])),
                      ".");
    }
  }
  return out.empty() ? "?" : out;
}

}  // namespace

absl::Status ValidateCouple(const v1::Couple& couple) {
  if (!couple.has_partner_a()) return Invalid("couple.partner_a", "required");
  RETURN_IF_ERROR(ValidatePartner(couple.partner_a(), "couple.partner_a"));
  if (couple.has_partner_b()) {
    RETURN_IF_ERROR(ValidatePartner(couple.partner_b(), "couple.partner_b"));
  }
  if (!IsLanguageTag(couple.language())) {
    return Invalid("couple.language", "a lower-case language tag such as 'en'");
  }
  if (couple.blackout_dates_size() > 100) {
    return Invalid("couple.blackout_dates", "at most 100 ranges");
  }
  for (int i = 0; i < couple.blackout_dates_size(); ++i) {
    const std::string path = absl::StrCat("couple.blackout_dates[", i, "]");
    ASSIGN_OR_RETURN(absl::CivilDay start,
                     common::DayFromProto(couple.blackout_dates(i).start_date(),
                                          absl::StrCat(path, ".start_date")));
    ASSIGN_OR_RETURN(absl::CivilDay end,
                     common::DayFromProto(couple.blackout_dates(i).end_date(),
                                          absl::StrCat(path, ".end_date")));
    if (end < start)
      return Invalid(absl::StrCat(path, ".end_date"), "before start_date");
  }
  if (couple.excluded_therapist_ids_size() > 100) {
    return Invalid("couple.excluded_therapist_ids", "at most 100");
  }
  for (int i = 0; i < couple.excluded_therapist_ids_size(); ++i) {
    RETURN_IF_ERROR(
        ParseId(kTherapistPrefix, couple.excluded_therapist_ids(i),
                absl::StrCat("couple.excluded_therapist_ids[", i, "]"))
            .status());
  }
  if (couple.notes().size() > 2000)
    return Invalid("couple.notes", "at most 2000 characters");
  return ValidateText(couple.display_label(), "couple.display_label", 0, 40);
}

absl::Status ValidateReferral(const v1::Referral& referral) {
  if (referral.partner() != v1::PARTNER_ROLE_A &&
      referral.partner() != v1::PARTNER_ROLE_B) {
    return Invalid("referral.partner", "must be A or B");
  }
  if (referral.specialty() == v1::REFERRAL_SPECIALTY_UNSPECIFIED ||
      !v1::ReferralSpecialty_IsValid(referral.specialty())) {
    return Invalid("referral.specialty", "required");
  }
  if (referral.status() == v1::REFERRAL_STATUS_UNSPECIFIED ||
      !v1::ReferralStatus_IsValid(referral.status())) {
    return Invalid("referral.status", "required");
  }
  const struct {
    bool set;
    const tandem::common::v1::Date& date;
    const char* field;
  } dates[] = {
      {referral.has_suggest_date(), referral.suggest_date(),
       "referral.suggest_date"},
      {referral.has_request_date(), referral.request_date(),
       "referral.request_date"},
      {referral.has_seen_date(), referral.seen_date(), "referral.seen_date"},
      {referral.has_settle_date(), referral.settle_date(),
       "referral.settle_date"},
  };
  for (const auto& d : dates) {
    if (d.set) RETURN_IF_ERROR(common::DayFromProto(d.date, d.field).status());
  }
  return absl::OkStatus();
}

namespace {

bool IsSessionKey(const std::string& key) {
  if (key.empty() || key.size() > 32) return false;
  for (char c : key) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '-'))
      return false;
  }
  return true;
}

bool IsSinglePartner(v1::SessionParticipants p) {
  return p == v1::SESSION_PARTICIPANTS_PARTNER_A ||
         p == v1::SESSION_PARTICIPANTS_PARTNER_B;
}

// Two sessions at the same time must not need the same person. Rules that
// depend on the partners' sexes are resolved only when planning; here it
// is enough that they differ.
bool SharePeople(const v1::TemplateSession& a, const v1::TemplateSession& b) {
  if (!IsSinglePartner(a.participants()) ||
      !IsSinglePartner(b.participants()) ||
      a.participants() == b.participants()) {
    return true;
  }
  const auto rule_a = a.therapists(), rule_b = b.therapists();
  if (rule_a == v1::THERAPIST_RULE_BOTH || rule_b == v1::THERAPIST_RULE_BOTH)
    return true;
  return rule_a == rule_b && (rule_a == v1::THERAPIST_RULE_MALE ||
                              rule_a == v1::THERAPIST_RULE_FEMALE);
}

absl::Status ValidateSession(const v1::TemplateSession& s,
                             const std::string& path, v1::ProgrammeKind kind) {
  if (!IsSessionKey(s.key())) {
    return Invalid(absl::StrCat(path, ".key"), "1-32 of a-z, 0-9 and '-'");
  }
  if (s.kind() == v1::SESSION_KIND_UNSPECIFIED ||
      !v1::SessionKind_IsValid(s.kind())) {
    return Invalid(absl::StrCat(path, ".kind"), "required");
  }
  const int64_t seconds = s.duration().seconds();
  if (s.duration().nanos() != 0 || seconds % 60 != 0 || seconds < 15 * 60 ||
      seconds > 4 * 3600) {
    return Invalid(absl::StrCat(path, ".duration"),
                   "whole minutes, from 15 minutes to 4 hours");
  }
  if (s.participants() == v1::SESSION_PARTICIPANTS_UNSPECIFIED ||
      !v1::SessionParticipants_IsValid(s.participants())) {
    return Invalid(absl::StrCat(path, ".participants"), "required");
  }
  if (kind == v1::PROGRAMME_KIND_INDIVIDUAL &&
      s.participants() == v1::SESSION_PARTICIPANTS_PARTNER_B) {
    return Invalid(absl::StrCat(path, ".participants"),
                   "an individual programme has no partner B");
  }
  if (s.therapists() == v1::THERAPIST_RULE_UNSPECIFIED ||
      !v1::TherapistRule_IsValid(s.therapists())) {
    return Invalid(absl::StrCat(path, ".therapists"), "required");
  }
  if ((s.therapists() == v1::THERAPIST_RULE_SAME_SEX_AS_PARTNER ||
       s.therapists() == v1::THERAPIST_RULE_OTHER_SEX_THAN_PARTNER) &&
      !IsSinglePartner(s.participants())) {
    return Invalid(absl::StrCat(path, ".therapists"),
                   "same-sex / other-sex rules need a single-partner session");
  }
  if (s.room_kind() == v1::SESSION_ROOM_KIND_UNSPECIFIED ||
      !v1::SessionRoomKind_IsValid(s.room_kind())) {
    return Invalid(absl::StrCat(path, ".room_kind"), "required");
  }
  if (!v1::DayPart_IsValid(s.preferred_day_part())) {
    return Invalid(absl::StrCat(path, ".preferred_day_part"), "unknown value");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateProgrammeTemplate(const v1::ProgrammeTemplate& t) {
  RETURN_IF_ERROR(ValidateText(t.display_name(),
                               "programme_template.display_name", 1, 100));
  if (t.kind() == v1::PROGRAMME_KIND_UNSPECIFIED ||
      !v1::ProgrammeKind_IsValid(t.kind())) {
    return Invalid("programme_template.kind", "required");
  }
  if (t.days().empty() || t.days_size() > 120) {
    return Invalid("programme_template.days", "between 1 and 120 days");
  }
  int span = 1;  // shortest possible span, in calendar days
  for (int d = 0; d < t.days_size(); ++d) {
    const v1::TemplateDay& day = t.days(d);
    const std::string path = absl::StrCat("programme_template.days[", d, "]");
    if (day.day_number() != d + 1) {
      return Invalid(absl::StrCat(path, ".day_number"),
                     absl::StrCat("must be ", d + 1));
    }
    if (day.min_days_after_previous() < 0 ||
        day.min_days_after_previous() > 31) {
      return Invalid(absl::StrCat(path, ".min_days_after_previous"), "0-31");
    }
    if (d > 0) span += std::max(1, day.min_days_after_previous());
    if (day.sessions().empty() || day.sessions_size() > 8) {
      return Invalid(absl::StrCat(path, ".sessions"),
                     "between 1 and 8 sessions");
    }
    for (int i = 0; i < day.sessions_size(); ++i) {
      const v1::TemplateSession& s = day.sessions(i);
      const std::string session_path = absl::StrCat(path, ".sessions[", i, "]");
      RETURN_IF_ERROR(ValidateSession(s, session_path, t.kind()));
      int parallel = -1;
      for (int j = 0; j < i; ++j) {
        if (day.sessions(j).key() == s.key()) {
          return Invalid(absl::StrCat(session_path, ".key"),
                         "used twice in the day");
        }
        if (day.sessions(j).key() == s.parallel_with()) parallel = j;
      }
      if (s.parallel_with().empty()) continue;
      if (parallel < 0) {
        return Invalid(absl::StrCat(session_path, ".parallel_with"),
                       "must name an earlier session of the same day");
      }
      if (SharePeople(s, day.sessions(parallel))) {
        return Invalid(
            absl::StrCat(session_path, ".parallel_with"),
            "parallel sessions must not share a partner or a therapist");
      }
    }
  }
  if (t.max_span_days() < span || t.max_span_days() > 400) {
    return Invalid(
        "programme_template.max_span_days",
        absl::StrCat("between ", span, " (what the days need) and 400"));
  }
  if (t.kind() == v1::PROGRAMME_KIND_WEEKLY) {
    if (t.sessions_per_week() < 1 || t.sessions_per_week() > 2) {
      return Invalid("programme_template.sessions_per_week", "1 or 2");
    }
    if (t.weeks() < 1 || t.weeks() > 52) {
      return Invalid("programme_template.weeks", "1-52");
    }
    if (t.days_size() != t.sessions_per_week() * t.weeks()) {
      return Invalid("programme_template.days",
                     "one day per meeting: sessions_per_week x weeks");
    }
  } else if (t.sessions_per_week() != 0 || t.weeks() != 0) {
    return Invalid("programme_template.sessions_per_week",
                   "only for WEEKLY programmes");
  }
  if (t.required_qualifications_size() > 16) {
    return Invalid("programme_template.required_qualifications", "at most 16");
  }
  for (int i = 0; i < t.required_qualifications_size(); ++i) {
    RETURN_IF_ERROR(ValidateText(
        t.required_qualifications(i),
        absl::StrCat("programme_template.required_qualifications[", i, "]"), 1,
        50));
  }
  return absl::OkStatus();
}

std::string DefaultDisplayLabel(const v1::Couple& couple) {
  std::string label = Initials(couple.partner_a());
  if (couple.has_partner_b())
    absl::StrAppend(&label, " & ", Initials(couple.partner_b()));
  return label;
}

}  // namespace tandem::booking
