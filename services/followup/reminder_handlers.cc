// FollowUpHandler: the reminder policy, people's opt-outs, and the delivery
// record of every reminder (for coordinators; no addresses, no texts).
#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/common/update_mask.h"
#include "services/followup/delivery/outbox.h"
#include "services/followup/followup_handler.h"
#include "services/followup/ids.h"
#include "services/followup/reminder_settings.h"

namespace tandem::followup {

namespace {

constexpr absl::string_view kPreferencesTokenPrefix = "prefs:";

const std::initializer_list<absl::string_view> kPolicyOutputOnly = {
    "update_time"};

// "cp-3" or "th-5" from the request's two optional filters.
absl::StatusOr<std::string> PersonFilter(const std::string& couple_id,
                                         const std::string& therapist_id) {
  if (!couple_id.empty() && !therapist_id.empty()) {
    return absl::InvalidArgumentError(
        "couple_id, therapist_id: give at most one");
  }
  if (!couple_id.empty()) {
    RETURN_IF_ERROR(ParseId(kCouplePrefix, couple_id, "couple_id").status());
    return couple_id;
  }
  if (!therapist_id.empty()) {
    RETURN_IF_ERROR(
        ParseId(kTherapistPrefix, therapist_id, "therapist_id").status());
  }
  return therapist_id;
}

// Preference pages are keyed by recipient key, not by a numeric id.
std::string EncodePreferencesToken(absl::string_view after_key) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(kPreferencesTokenPrefix, after_key));
}

absl::StatusOr<std::string> DecodePreferencesToken(absl::string_view token) {
  if (token.empty()) return std::string();
  const absl::Status foreign =
      absl::InvalidArgumentError("page_token: not from this list");
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(token, &decoded)) return foreign;
  absl::string_view key = decoded;
  if (!absl::ConsumePrefix(&key, kPreferencesTokenPrefix)) return foreign;
  return std::string(key);
}

}  // namespace

absl::Status FollowUpHandler::GetReminderPolicy(
    const Caller&, const v1::GetReminderPolicyRequest&,
    v1::GetReminderPolicyResponse* response) {
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(*response->mutable_reminder_policy(),
                   store->reminder_settings().Policy());
  return absl::OkStatus();
}

absl::Status FollowUpHandler::UpdateReminderPolicy(
    const Caller&, const v1::UpdateReminderPolicyRequest& request,
    v1::UpdateReminderPolicyResponse* response) {
  RETURN_IF_ERROR(common::ValidateUpdateMask(
      request.update_mask(), request.reminder_policy(), kPolicyOutputOnly));
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::UpdateReminderPolicyResponse>(
          "UpdateReminderPolicy", request, request.request_id(),
          [&](FollowUpStore* store, absl::Time now)
              -> absl::StatusOr<v1::UpdateReminderPolicyResponse> {
            ReminderSettings& settings = store->reminder_settings();
            ASSIGN_OR_RETURN(v1::ReminderPolicy policy, settings.Policy());
            common::ApplyUpdateMask(request.reminder_policy(),
                                    request.update_mask(), &policy);
            RETURN_IF_ERROR(ValidateReminderPolicy(policy));
            v1::UpdateReminderPolicyResponse out;
            ASSIGN_OR_RETURN(*out.mutable_reminder_policy(),
                             settings.SavePolicy(std::move(policy), now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status FollowUpHandler::ListContactPreferences(
    const Caller&, const v1::ListContactPreferencesRequest& request,
    v1::ListContactPreferencesResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(std::string person,
                   PersonFilter(request.couple_id(), request.therapist_id()));
  ASSIGN_OR_RETURN(std::string after,
                   DecodePreferencesToken(request.page_token()));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(
      ReminderSettings::PreferencePage page,
      store->reminder_settings().ListPreferences(person, after, limit));
  for (v1::ContactPreference& p : page.items) {
    *response->add_contact_preferences() = std::move(p);
  }
  if (!page.next_after_key.empty()) {
    response->set_next_page_token(EncodePreferencesToken(page.next_after_key));
  }
  return absl::OkStatus();
}

absl::Status FollowUpHandler::SetOptOut(const Caller& caller,
                                        const v1::SetOptOutRequest& request,
                                        v1::SetOptOutResponse* response) {
  absl::StatusOr<std::string> key = delivery::RecipientKey(request.recipient());
  if (!key.ok()) {
    return absl::InvalidArgumentError(
        "recipient: a partner (couple id and A or B) or a therapist id");
  }
  const std::string person = key->substr(0, key->find('/'));
  RETURN_IF_ERROR(
      PersonFilter(request.recipient().has_partner() ? person : "",
                   request.recipient().has_therapist_id() ? person : "")
          .status());
  if (request.channel() == v1::REMINDER_CHANNEL_UNSPECIFIED ||
      !v1::ReminderChannel_IsValid(request.channel())) {
    return absl::InvalidArgumentError("channel: required");
  }
  ASSIGN_OR_RETURN(
      *response,
      store_.Mutate<v1::SetOptOutResponse>(
          "SetOptOut", request, request.request_id(),
          [&](FollowUpStore* store,
              absl::Time now) -> absl::StatusOr<v1::SetOptOutResponse> {
            ReminderSettings& settings = store->reminder_settings();
            ASSIGN_OR_RETURN(v1::ContactPreference preference,
                             settings.Preference(request.recipient()));
            std::vector<int> channels(preference.opted_out_channels().begin(),
                                      preference.opted_out_channels().end());
            std::erase(channels, request.channel());
            if (request.opted_out()) channels.push_back(request.channel());
            std::sort(channels.begin(), channels.end());
            preference.clear_opted_out_channels();
            for (int c : channels)
              preference.add_opted_out_channels(
                  static_cast<v1::ReminderChannel>(c));
            v1::SetOptOutResponse out;
            ASSIGN_OR_RETURN(*out.mutable_contact_preference(),
                             settings.SavePreference(std::move(preference),
                                                     caller.subject, now));
            return out;
          }));
  return absl::OkStatus();
}

absl::Status FollowUpHandler::GetReminder(const Caller&,
                                          const v1::GetReminderRequest& request,
                                          v1::GetReminderResponse* response) {
  ASSIGN_OR_RETURN(int64_t id,
                   ParseId(delivery::kReminderIdPrefix, request.id(), "id"));
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(delivery::ReminderRecord record, store->outbox().Get(id));
  *response->mutable_reminder() = record.ToProto();
  return absl::OkStatus();
}

absl::Status FollowUpHandler::ListReminders(
    const Caller&, const v1::ListRemindersRequest& request,
    v1::ListRemindersResponse* response) {
  ASSIGN_OR_RETURN(int limit, common::EffectivePageSize(request.page_size()));
  ASSIGN_OR_RETURN(common::PageCursor after,
                   common::DecodePageToken(delivery::Outbox::kListScope,
                                           request.page_token()));
  delivery::ReminderFilter filter;
  ASSIGN_OR_RETURN(filter.person,
                   PersonFilter(request.couple_id(), request.therapist_id()));
  if (!request.subject_ref().empty()) filter.subject_ref = request.subject_ref();
  for (int s : request.statuses())
    filter.statuses.push_back(static_cast<v1::ReminderStatus>(s));
  for (int e : request.events())
    filter.events.push_back(static_cast<v1::ReminderEvent>(e));
  for (int c : request.channels())
    filter.channels.push_back(static_cast<v1::ReminderChannel>(c));
  if (request.has_due_after()) {
    ASSIGN_OR_RETURN(filter.due_after,
                     common::TimeFromProto(request.due_after(), "due_after"));
  }
  if (request.has_due_before()) {
    ASSIGN_OR_RETURN(filter.due_before,
                     common::TimeFromProto(request.due_before(), "due_before"));
  }
  auto store = store_.Lock();
  ASSIGN_OR_RETURN(common::Page<delivery::ReminderRecord> page,
                   store->outbox().List(filter, limit, after));
  for (const delivery::ReminderRecord& r : page.items) {
    *response->add_reminders() = r.ToProto();
  }
  if (page.next) {
    response->set_next_page_token(
        common::EncodePageToken(delivery::Outbox::kListScope, *page.next));
  }
  return absl::OkStatus();
}

}  // namespace tandem::followup
