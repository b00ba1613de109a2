#include "services/roster/roster_assembly.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "services/common/proto_time.h"

namespace tandem::roster {
namespace {

using common::FromProto;

v1::RosterItemKind SessionKind(bk::SessionKind kind) {
  switch (kind) {
    case bk::SESSION_KIND_JOINT:
      return v1::ROSTER_ITEM_KIND_JOINT_SESSION;
    case bk::SESSION_KIND_INDIVIDUAL_ASSESSMENT:
      return v1::ROSTER_ITEM_KIND_INDIVIDUAL_ASSESSMENT;
    case bk::SESSION_KIND_ROUND_TABLE:
      return v1::ROSTER_ITEM_KIND_ROUND_TABLE;
    case bk::SESSION_KIND_INDIVIDUAL:
      return v1::ROSTER_ITEM_KIND_INDIVIDUAL_SESSION;
    default:
      return v1::ROSTER_ITEM_KIND_UNSPECIFIED;
  }
}

template <typename Map>
const typename Map::mapped_type* Find(const Map& map, const std::string& id) {
  auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

void SetRoom(const RosterInputs& in, const std::string& room_id,
             v1::RosterItem& item) {
  item.set_room_id(room_id);
  if (const dir::Room* room = Find(in.rooms, room_id)) {
    item.set_room_name(room->display_name());
  }
}

void SetCouple(const RosterInputs& in, const std::string& couple_id,
               v1::RosterItem& item) {
  item.set_couple_id(couple_id);
  if (const bk::Couple* couple = Find(in.couples, couple_id)) {
    item.set_couple_label(couple->display_label());
  }
}

void SetCoTherapist(const RosterInputs& in, absl::string_view viewer,
                    v1::RosterItem& item) {
  if (viewer.empty()) return;
  for (const std::string& id : item.therapist_ids()) {
    if (id == viewer) continue;
    item.set_co_therapist_id(id);
    if (const dir::Therapist* t = Find(in.therapists, id)) {
      item.set_co_therapist_name(t->display_name());
    }
  }
}

v1::RosterItem SessionItem(const RosterInputs& in, const bk::Session& s,
                           absl::string_view viewer) {
  v1::RosterItem item;
  item.set_kind(SessionKind(s.kind()));
  *item.mutable_start_time() = s.start_time();
  *item.mutable_end_time() = s.end_time();
  if (!s.room_ids().empty()) SetRoom(in, s.room_ids(0), item);
  item.mutable_therapist_ids()->CopyFrom(s.therapist_ids());
  SetCoTherapist(in, viewer, item);
  SetCouple(in, s.couple_id(), item);
  item.set_intensive_id(s.intensive_id());
  const bk::Intensive* intensive = Find(in.intensives, s.intensive_id());
  if (intensive != nullptr) {
    item.set_template_name(intensive->template_display_name());
  }
  item.set_day_number(s.day_number());
  item.set_day_count(s.day_count());
  item.set_session_id(s.id());
  item.set_tentative(s.status() == bk::SESSION_STATUS_TENTATIVE);
  item.set_needs_attention(
      s.status() == bk::SESSION_STATUS_NEEDS_ATTENTION ||
      (intensive != nullptr &&
       intensive->status() == bk::INTENSIVE_STATUS_NEEDS_ATTENTION));
  return item;
}

v1::RosterItem AppointmentItem(const RosterInputs& in,
                               const bk::Appointment& a,
                               absl::string_view viewer) {
  v1::RosterItem item;
  item.set_kind(a.kind() == bk::APPOINTMENT_KIND_OFFICE_VISIT
                    ? v1::ROSTER_ITEM_KIND_OFFICE_VISIT
                    : v1::ROSTER_ITEM_KIND_FOLLOW_UP_CALL);
  *item.mutable_start_time() = a.start_time();
  *item.mutable_end_time() = a.end_time();
  if (!a.room_id().empty()) SetRoom(in, a.room_id(), item);
  item.add_therapist_ids(a.therapist_id());
  SetCoTherapist(in, viewer, item);
  SetCouple(in, a.couple_id(), item);
  item.set_appointment_id(a.id());
  if (absl::StartsWith(a.external_ref(), "fc-")) {
    item.set_follow_up_contact_id(a.external_ref());
    for (const fu::FollowUpContact& c : in.contacts) {
      if (c.id() != a.external_ref()) continue;
      item.set_intensive_id(c.intensive_id());
      if (const bk::Intensive* i = Find(in.intensives, c.intensive_id())) {
        item.set_template_name(i->template_display_name());
      }
    }
  }
  item.set_needs_attention(a.status() ==
                           bk::APPOINTMENT_STATUS_NEEDS_ATTENTION);
  return item;
}

bool Involves(const v1::RosterItem& item, const std::string& id) {
  if (item.room_id() == id) return true;
  return std::find(item.therapist_ids().begin(), item.therapist_ids().end(),
                   id) != item.therapist_ids().end();
}

absl::CivilDay DayOf(const RosterInputs& in, const v1::RosterItem& item) {
  return absl::ToCivilDay(FromProto(item.start_time()), in.zone);
}

// Items of `day` that involve `id` (any item when `id` is empty).
template <typename Items>
void AddItemsOfDay(const RosterInputs& in,
                   const std::vector<v1::RosterItem>& items, absl::CivilDay day,
                   const std::string& id, Items* out) {
  for (const v1::RosterItem& item : items) {
    if (DayOf(in, item) == day && (id.empty() || Involves(item, id))) {
      *out->Add() = item;
    }
  }
}

// Closure of `day`, if any.
const dir::Closure* ClosureOf(const RosterInputs& in, absl::CivilDay day) {
  for (const dir::Closure& closure : in.closures) {
    if (common::DayFromProto(closure.date(), "date").value_or(absl::CivilDay()) ==
        day) {
      return &closure;
    }
  }
  return nullptr;
}

template <typename Day>
void MarkClosure(const RosterInputs& in, absl::CivilDay day, Day& out) {
  *out.mutable_date() = common::DayToProto(day);
  if (const dir::Closure* closure = ClosureOf(in, day)) {
    out.set_clinic_closed(true);
    out.set_closure_label(closure->label());
  }
}

// Adds the spans of `owner` that overlap `day` (absences or outages).
template <typename Spans, typename Owner, typename Out>
void AddSpansOfDay(const RosterInputs& in, const Spans& spans,
                   absl::CivilDay day, const std::string& id, Owner owner,
                   Out* out) {
  const absl::Time start = absl::FromCivil(day, in.zone);
  const absl::Time end = absl::FromCivil(day + 1, in.zone);
  for (const auto& span : spans) {
    if (owner(span) != id) continue;
    if (FromProto(span.start_time()) >= end ||
        FromProto(span.end_time()) <= start) {
      continue;
    }
    v1::UnavailableSpan* added = out->Add();
    *added->mutable_start_time() = span.start_time();
    *added->mutable_end_time() = span.end_time();
  }
}

void AddAbsences(const RosterInputs& in, absl::CivilDay day,
                 const std::string& therapist_id,
                 google::protobuf::RepeatedPtrField<v1::UnavailableSpan>* out) {
  AddSpansOfDay(in, in.absences, day, therapist_id,
                [](const dir::Absence& a) { return a.therapist_id(); }, out);
}

void AddOutages(const RosterInputs& in, absl::CivilDay day,
                const std::string& room_id,
                google::protobuf::RepeatedPtrField<v1::UnavailableSpan>* out) {
  AddSpansOfDay(in, in.outages, day, room_id,
                [](const dir::RoomOutage& o) { return o.room_id(); }, out);
}

bool IsOpenCall(const fu::FollowUpContact& c) {
  return c.kind() == fu::CONTACT_KIND_PHONE_CALL &&
         (c.status() == fu::CONTACT_STATUS_SCHEDULED ||
          c.status() == fu::CONTACT_STATUS_UNSCHEDULED ||
          c.status() == fu::CONTACT_STATUS_NEEDS_ATTENTION);
}

void AddPhone(const bk::Partner& partner, v1::CallDue& call) {
  if (partner.phone().empty()) return;
  v1::PhoneToRing* phone = call.add_phones();
  phone->set_label(Initials(partner.given_name(), partner.family_name()));
  phone->set_phone(partner.phone());
}

// Calls `therapist_id` owes today: due today, or booked for today.
void AddCallsDue(const RosterInputs& in, const std::string& therapist_id,
                 v1::TherapistRosterDay& day) {
  for (const fu::FollowUpContact& c : in.contacts) {
    if (c.therapist_id() != therapist_id || !IsOpenCall(c)) continue;
    const bool due_today =
        common::DayFromProto(c.due_date(), "due_date").value_or(absl::CivilDay()) ==
        in.today;
    const bool booked_today =
        c.has_scheduled_start_time() &&
        absl::ToCivilDay(FromProto(c.scheduled_start_time()), in.zone) ==
            in.today;
    if (!due_today && !booked_today) continue;
    v1::CallDue* call = day.add_calls_due();
    call->set_follow_up_contact_id(c.id());
    call->set_couple_id(c.couple_id());
    if (c.has_scheduled_start_time()) {
      *call->mutable_start_time() = c.scheduled_start_time();
      *call->mutable_end_time() = c.scheduled_end_time();
    }
    if (const bk::Couple* couple = Find(in.couples, c.couple_id())) {
      call->set_couple_label(couple->display_label());
      AddPhone(couple->partner_a(), *call);
      if (couple->has_partner_b()) AddPhone(couple->partner_b(), *call);
    }
  }
}

// "th-2" before "th-10".
bool IdLess(const std::string& a, const std::string& b) {
  return a.size() != b.size() ? a.size() < b.size() : a < b;
}

template <typename Map>
std::vector<std::string> SortedIds(const Map& map) {
  std::vector<std::string> ids;
  for (const auto& [id, value] : map) ids.push_back(id);
  std::sort(ids.begin(), ids.end(), IdLess);
  return ids;
}

template <typename Hours>
const tandem::common::v1::WeeklyHours* HoursOn(const Hours& hours,
                                               absl::CivilDay day) {
  const tandem::common::v1::Weekday weekday =
      common::WeekdayToProto(absl::GetWeekday(day));
  for (const auto& h : hours) {
    if (h.weekday() == weekday) return &h;
  }
  return nullptr;
}

std::optional<absl::CivilDay> FirstAffectedDay(const RosterInputs& in,
                                               const bk::Intensive& i) {
  std::optional<absl::CivilDay> first;
  for (const bk::Session& s : i.sessions()) {
    if (s.status() != bk::SESSION_STATUS_NEEDS_ATTENTION) continue;
    const absl::CivilDay day =
        absl::ToCivilDay(FromProto(s.start_time()), in.zone);
    if (!first || day < *first) first = day;
  }
  if (!first) {
    first = common::DayFromProto(i.start_date(), "start_date")
                .value_or(absl::CivilDay());
  }
  return first;
}

void AddAttention(const RosterInputs& in, v1::ClinicDay& out) {
  std::vector<v1::AttentionItem> items;
  auto label = [&](const std::string& couple_id) {
    const bk::Couple* couple = Find(in.couples, couple_id);
    return couple == nullptr ? std::string() : couple->display_label();
  };
  for (const bk::Intensive& i : in.attention_intensives) {
    v1::AttentionItem& item = items.emplace_back();
    item.set_intensive_id(i.id());
    item.set_couple_id(i.couple_id());
    item.set_couple_label(label(i.couple_id()));
    item.set_reason(static_cast<v1::AttentionReason>(i.attention_reason()));
    *item.mutable_first_affected_date() =
        common::DayToProto(*FirstAffectedDay(in, i));
  }
  for (const bk::Appointment& a : in.attention_appointments) {
    v1::AttentionItem& item = items.emplace_back();
    item.set_appointment_id(a.id());
    item.set_couple_id(a.couple_id());
    item.set_couple_label(label(a.couple_id()));
    item.set_reason(static_cast<v1::AttentionReason>(a.attention_reason()));
    *item.mutable_first_affected_date() = common::DayToProto(
        absl::ToCivilDay(FromProto(a.start_time()), in.zone));
  }
  auto key = [](const v1::AttentionItem& item) {
    const auto& d = item.first_affected_date();
    return std::make_tuple(d.year(), d.month(), d.day(), item.intensive_id(),
                           item.appointment_id());
  };
  std::sort(items.begin(), items.end(),
            [&](const auto& a, const auto& b) { return key(a) < key(b); });
  for (v1::AttentionItem& item : items) {
    *out.add_needs_attention() = std::move(item);
  }
}

}  // namespace

std::string Initials(absl::string_view given_name,
                     absl::string_view family_name) {
  std::string out;
  for (absl::string_view name : {given_name, family_name}) {
    if (name.empty()) continue;
    // The whole first UTF-8 character ("Ł" is two bytes).
    size_t length = 1;
    while (length < name.size() &&
           (static_cast<unsigned char>(name[length]) & 0xC0) == 0x80) {
      ++length;
    }
    std::string first(name.substr(0, length));
    if (length == 1) first[0] = static_cast<char>(std::toupper(first[0]));
    out += first + ".";
  }
  return out;
}

std::vector<v1::RosterItem> AllItems(const RosterInputs& in,
                                     absl::string_view viewer) {
  std::vector<v1::RosterItem> items;
  for (const bk::Session& s : in.sessions) {
    if (s.status() == bk::SESSION_STATUS_CANCELLED) continue;
    items.push_back(SessionItem(in, s, viewer));
  }
  for (const bk::Appointment& a : in.appointments) {
    if (a.status() == bk::APPOINTMENT_STATUS_CANCELLED) continue;
    items.push_back(AppointmentItem(in, a, viewer));
  }
  std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
    return FromProto(a.start_time()) < FromProto(b.start_time());
  });
  return items;
}

v1::TherapistRoster BuildTherapistRoster(const RosterInputs& in,
                                         const std::string& therapist_id) {
  v1::TherapistRoster roster;
  roster.set_therapist_id(therapist_id);
  if (const dir::Therapist* t = Find(in.therapists, therapist_id)) {
    roster.set_therapist_name(t->display_name());
  }
  const std::vector<v1::RosterItem> items = AllItems(in, therapist_id);
  for (absl::CivilDay day = in.first_day; day <= in.last_day; ++day) {
    v1::TherapistRosterDay* out = roster.add_days();
    MarkClosure(in, day, *out);
    AddAbsences(in, day, therapist_id, out->mutable_absences());
    AddItemsOfDay(in, items, day, therapist_id, out->mutable_items());
    if (day == in.today) AddCallsDue(in, therapist_id, *out);
  }
  return roster;
}

v1::RoomRoster BuildRoomRoster(const RosterInputs& in,
                               const std::string& room_id) {
  v1::RoomRoster roster;
  roster.set_room_id(room_id);
  if (const dir::Room* room = Find(in.rooms, room_id)) {
    roster.set_room_name(room->display_name());
  }
  const std::vector<v1::RosterItem> items = AllItems(in, "");
  for (absl::CivilDay day = in.first_day; day <= in.last_day; ++day) {
    v1::RoomRosterDay* out = roster.add_days();
    MarkClosure(in, day, *out);
    AddOutages(in, day, room_id, out->mutable_outages());
    AddItemsOfDay(in, items, day, room_id, out->mutable_items());
  }
  return roster;
}

v1::ClinicDay BuildClinicDay(const RosterInputs& in) {
  const absl::CivilDay day = in.first_day;
  v1::ClinicDay out;
  MarkClosure(in, day, out);
  if (const auto* hours = HoursOn(in.clinic.opening_hours(), day)) {
    *out.mutable_opening_hours() = *hours;
  }
  AddAttention(in, out);
  const std::vector<v1::RosterItem> items = AllItems(in, "");
  for (const std::string& id : SortedIds(in.rooms)) {
    const dir::Room& room = in.rooms.at(id);
    v1::RoomColumn column;
    column.set_room_id(id);
    column.set_room_name(room.display_name());
    column.set_inactive(!room.active());
    AddOutages(in, day, id, column.mutable_outages());
    AddItemsOfDay(in, items, day, id, column.mutable_items());
    if (room.active() || !column.items().empty()) {
      *out.add_rooms() = std::move(column);
    }
  }
  for (const std::string& id : SortedIds(in.therapists)) {
    const dir::Therapist& therapist = in.therapists.at(id);
    v1::TherapistColumn column;
    column.set_therapist_id(id);
    column.set_therapist_name(therapist.display_name());
    AddAbsences(in, day, id, column.mutable_absences());
    if (const auto* hours = HoursOn(therapist.working_hours(), day)) {
      *column.mutable_working_hours() = *hours;
    }
    AddItemsOfDay(in, items, day, id, column.mutable_items());
    if (therapist.active() || !column.items().empty()) {
      *out.add_therapists() = std::move(column);
    }
  }
  return out;
}

}  // namespace tandem::roster
