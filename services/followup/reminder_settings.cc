#include "services/followup/reminder_settings.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "services/common/proto_time.h"
#include "services/common/status_macros.h"
#include "services/followup/delivery/outbox.h"
#include "services/followup/delivery/reminder_planner.h"
#include "services/followup/followup_store.h"

namespace tandem::followup {

const absl::string_view kReminderSettingsSchemaSql = R"sql(
CREATE TABLE reminder_policy (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  body      BLOB NOT NULL
);
CREATE TABLE contact_preferences (
  recipient TEXT PRIMARY KEY,  -- delivery::RecipientKey
  body      BLOB NOT NULL
) WITHOUT ROWID;
)sql";

namespace {

using common::Statement;

constexpr absl::string_view kSelectPolicy =
    "SELECT body FROM reminder_policy WHERE singleton = 1";
constexpr absl::string_view kUpsertPolicy =
    "INSERT INTO reminder_policy(singleton, body) VALUES (1, ?) "
    "ON CONFLICT(singleton) DO UPDATE SET body = excluded.body";
constexpr absl::string_view kSelectPreference =
    "SELECT body FROM contact_preferences WHERE recipient = ?";
constexpr absl::string_view kUpsertPreference =
    "INSERT INTO contact_preferences(recipient, body) VALUES (?, ?) "
    "ON CONFLICT(recipient) DO UPDATE SET body = excluded.body";
constexpr absl::string_view kDeletePreference =
    "DELETE FROM contact_preferences WHERE recipient = ?";
constexpr absl::string_view kListPreferences =
    "SELECT recipient, body FROM contact_preferences "
    "WHERE (?1 = '' OR recipient = ?1 OR recipient LIKE ?1 || '/%') "
    "AND recipient > ?2 ORDER BY recipient LIMIT ?3";

constexpr absl::Duration kMinLead = absl::Hours(1);
constexpr absl::Duration kMaxLead = absl::Hours(24 * 30);
constexpr absl::Duration kMaxDebounce = absl::Hours(24);

google::protobuf::Duration Hours(int hours) {
  google::protobuf::Duration d;
  d.set_seconds(int64_t{hours} * 3600);
  return d;
}

absl::Duration FromProto(const google::protobuf::Duration& d) {
  return absl::Seconds(d.seconds()) + absl::Nanoseconds(d.nanos());
}

void AddRule(v1::ReminderPolicy& policy, v1::ReminderEvent event,
             std::initializer_list<int> lead_hours,
             std::initializer_list<v1::ReminderChannel> channels,
             bool enabled) {
  v1::ReminderRule* rule = policy.add_rules();
  rule->set_event(event);
  for (int h : lead_hours) *rule->add_lead_times() = Hours(h);
  for (v1::ReminderChannel c : channels) rule->add_channels(c);
  rule->set_enabled(enabled);
}

}  // namespace

v1::ReminderPolicy DefaultReminderPolicy() {
  v1::ReminderPolicy policy;
  AddRule(policy, v1::REMINDER_EVENT_INTENSIVE_START, {72, 24},
          {v1::REMINDER_CHANNEL_EMAIL, v1::REMINDER_CHANNEL_SMS}, true);
  AddRule(policy, v1::REMINDER_EVENT_FOLLOW_UP_CONTACT, {24},
          {v1::REMINDER_CHANNEL_SMS, v1::REMINDER_CHANNEL_EMAIL}, true);
  AddRule(policy, v1::REMINDER_EVENT_THERAPIST_CALLS_DUE, {12},
          {v1::REMINDER_CHANNEL_EMAIL}, false);
  policy.mutable_send_window_start()->set_hours(8);
  policy.mutable_send_window_end()->set_hours(21);
  policy.mutable_debounce()->set_seconds(600);
  return policy;
}

absl::Status ValidateReminderPolicy(const v1::ReminderPolicy& policy) {
  std::set<int> events;
  for (int i = 0; i < policy.rules_size(); ++i) {
    const v1::ReminderRule& rule = policy.rules(i);
    const std::string field = absl::StrCat("reminder_policy.rules[", i, "]");
    if (rule.event() == v1::REMINDER_EVENT_UNSPECIFIED ||
        !v1::ReminderEvent_IsValid(rule.event())) {
      return absl::InvalidArgumentError(absl::StrCat(field, ".event: required"));
    }
    if (!events.insert(rule.event()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".event: one rule per event"));
    }
    if (rule.lead_times_size() < 1 || rule.lead_times_size() > 5) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".lead_times: 1 to 5 entries"));
    }
    for (const google::protobuf::Duration& lead : rule.lead_times()) {
      const absl::Duration d = FromProto(lead);
      if (d < kMinLead || d > kMaxLead) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ".lead_times: each between 1 hour and 30 days"));
      }
    }
    std::set<int> channels;
    for (int c : rule.channels()) {
      if (c == v1::REMINDER_CHANNEL_UNSPECIFIED ||
          !v1::ReminderChannel_IsValid(c) || !channels.insert(c).second) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ".channels: e-mail, SMS or file, each at most once"));
      }
    }
    if (channels.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".channels: at least one"));
    }
  }
  ASSIGN_OR_RETURN(int start,
                   common::MinuteOfDayFromProto(policy.send_window_start(),
                                                "reminder_policy.send_window_start"));
  ASSIGN_OR_RETURN(int end,
                   common::MinuteOfDayFromProto(policy.send_window_end(),
                                                "reminder_policy.send_window_end"));
  if (end <= start) {
    return absl::InvalidArgumentError(
        "reminder_policy.send_window_end: must be after send_window_start");
  }
  const absl::Duration debounce = FromProto(policy.debounce());
  if (debounce < absl::ZeroDuration() || debounce > kMaxDebounce) {
    return absl::InvalidArgumentError(
        "reminder_policy.debounce: between 0 and 24 hours");
  }
  return absl::OkStatus();
}

delivery::SendWindow CurrentSendWindow(
    common::GuardedStore<FollowUpStore>& store) {
  auto locked = store.Lock();
  absl::StatusOr<v1::ReminderPolicy> policy =
      locked->reminder_settings().Policy();
  return delivery::PolicyWindow(policy.ok() ? *policy
                                            : DefaultReminderPolicy());
}

absl::StatusOr<v1::ReminderPolicy> SqliteReminderSettings::Policy() {
  ASSIGN_OR_RETURN(Statement select, db_.Prepare(kSelectPolicy));
  ASSIGN_OR_RETURN(bool found, select.Step());
  if (!found) return DefaultReminderPolicy();
  v1::ReminderPolicy policy;
  if (!policy.ParseFromString(select.ColumnBlob(0))) {
    return absl::InternalError("storage: unreadable reminder policy");
  }
  return policy;
}

absl::StatusOr<v1::ReminderPolicy> SqliteReminderSettings::SavePolicy(
    v1::ReminderPolicy policy, absl::Time now) {
  *policy.mutable_update_time() = common::ToProto(now);
  ASSIGN_OR_RETURN(Statement upsert, db_.Prepare(kUpsertPolicy));
  upsert.BindBlob(1, policy.SerializeAsString());
  RETURN_IF_ERROR(upsert.Run());
  return policy;
}

absl::StatusOr<v1::ContactPreference> SqliteReminderSettings::Preference(
    const v1::RecipientRef& recipient) {
  ASSIGN_OR_RETURN(std::string key, delivery::RecipientKey(recipient));
  ASSIGN_OR_RETURN(Statement select, db_.Prepare(kSelectPreference));
  select.Bind(1, key);
  ASSIGN_OR_RETURN(bool found, select.Step());
  v1::ContactPreference preference;
  if (found && !preference.ParseFromString(select.ColumnBlob(0))) {
    return absl::InternalError("storage: unreadable contact preference");
  }
  *preference.mutable_recipient() = recipient;
  return preference;
}

absl::StatusOr<v1::ContactPreference> SqliteReminderSettings::SavePreference(
    v1::ContactPreference preference, absl::string_view actor, absl::Time now) {
  ASSIGN_OR_RETURN(std::string key,
                   delivery::RecipientKey(preference.recipient()));
  preference.set_update_actor(std::string(actor));
  *preference.mutable_update_time() = common::ToProto(now);
  if (preference.opted_out_channels().empty()) {
    ASSIGN_OR_RETURN(Statement remove, db_.Prepare(kDeletePreference));
    remove.Bind(1, key);
    RETURN_IF_ERROR(remove.Run());
    return preference;
  }
  ASSIGN_OR_RETURN(Statement upsert, db_.Prepare(kUpsertPreference));
  upsert.Bind(1, key).BindBlob(2, preference.SerializeAsString());
  RETURN_IF_ERROR(upsert.Run());
  return preference;
}

absl::StatusOr<ReminderSettings::PreferencePage>
SqliteReminderSettings::ListPreferences(absl::string_view person,
                                        absl::string_view after_key,
                                        int limit) {
  ASSIGN_OR_RETURN(Statement select, db_.Prepare(kListPreferences));
  select.Bind(1, person).Bind(2, after_key).Bind(3, limit + 1);
  PreferencePage page;
  std::string last_key;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_after_key = last_key;
      break;
    }
    v1::ContactPreference preference;
    if (!preference.ParseFromString(select.ColumnBlob(1))) {
      return absl::InternalError("storage: unreadable contact preference");
    }
    last_key = select.ColumnText(0);
    page.items.push_back(std::move(preference));
  }
  return page;
}

}  // namespace tandem::followup
