#include "services/roster/calendar_feed.h"

#include <libical/ical.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "services/common/proto_time.h"

namespace tandem::roster {
namespace {

using common::FromProto;

// SEQUENCE counts seconds of the booking's last change since this epoch:
// it grows with every change without any state kept here, and stays an
// RFC 5545 INTEGER (31 bits) until 2092.
const absl::Time kSequenceEpoch = absl::FromUnixSeconds(1704067200);  // 2024

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Component = std::unique_ptr<icalcomponent, ComponentDeleter>;

icaltimetype LocalTime(absl::CivilSecond t) {
  icaltimetype out = icaltime_null_time();
  out.year = static_cast<int>(t.year());
  out.month = t.month();
  out.day = t.day();
  out.hour = t.hour();
  out.minute = t.minute();
  out.second = t.second();
  out.is_date = 0;
  return out;
}

icaltimetype UtcTime(absl::Time t) {
  icaltimetype out = LocalTime(absl::ToCivilSecond(t, absl::UTCTimeZone()));
  out.zone = icaltimezone_get_utc_timezone();
  return out;
}

icalproperty* WithTzid(icalproperty* property, const std::string& tzid) {
  icalproperty_add_parameter(property, icalparameter_new_tzid(tzid.c_str()));
  return property;
}

void AddObservance(icalcomponent* vtimezone, absl::CivilSecond local_start,
                   const absl::TimeZone::CivilInfo& after, int offset_before) {
  icalcomponent* observance = after.is_dst ? icalcomponent_new_xdaylight()
                                           : icalcomponent_new_xstandard();
  icalcomponent_add_property(observance,
                             icalproperty_new_dtstart(LocalTime(local_start)));
  icalcomponent_add_property(observance,
                             icalproperty_new_tzoffsetfrom(offset_before));
  icalcomponent_add_property(observance,
                             icalproperty_new_tzoffsetto(after.offset));
  icalcomponent_add_property(observance,
                             icalproperty_new_tzname(after.zone_abbr));
  icalcomponent_add_component(vtimezone, observance);
}

// The zone's rules between `from` and `to` as explicit observances: one for
// the state at `from`, one per transition after it (the zone database's
// rules, not a copy of libical's own, so they match what the services use).
icalcomponent* TimeZoneComponent(const absl::TimeZone& zone, absl::Time from,
                                 absl::Time to) {
  icalcomponent* vtimezone = icalcomponent_new_vtimezone();
  icalcomponent_add_property(vtimezone,
                             icalproperty_new_tzid(zone.name().c_str()));
  absl::TimeZone::CivilInfo state = zone.At(from);
  AddObservance(vtimezone, state.cs, state, state.offset);
  absl::TimeZone::CivilTransition transition;
  absl::Time cursor = from;
  while (zone.NextTransition(cursor, &transition)) {
    // `from` is the local wall time just before the change, in the old
    // offset: exactly what an observance's DTSTART holds.
    const absl::Time instant =
        absl::FromCivil(transition.from, absl::UTCTimeZone()) -
        absl::Seconds(state.offset);
    if (instant > to) break;
    const absl::TimeZone::CivilInfo after = zone.At(instant);
    AddObservance(vtimezone, transition.from, after, state.offset);
    state = after;
    cursor = instant;
  }
  return vtimezone;
}

int Sequence(const google::protobuf::Timestamp& update_time) {
  const int64_t seconds =
      absl::ToInt64Seconds(FromProto(update_time) - kSequenceEpoch);
  return static_cast<int>(std::clamp<int64_t>(seconds, 0, 0x7fffffff));
}

struct Event {
  std::string uid;
  absl::Time start, end;
  std::string summary;
  std::string location;
  std::string reference;
  icalproperty_status status = ICAL_STATUS_CONFIRMED;
  int sequence = 0;
};

template <typename Map>
const typename Map::mapped_type* Find(const Map& map, const std::string& id) {
  auto it = map.find(id);
  return it == map.end() ? nullptr : &it->second;
}

std::string RoomName(const RosterInputs& in, const std::string& room_id) {
  const dir::Room* room = Find(in.rooms, room_id);
  return room == nullptr ? room_id : room->display_name();
}

Event SessionEvent(const RosterInputs& in, const bk::Session& s,
                   const std::string& therapist_id) {
  Event e;
  e.uid = absl::StrCat(s.intensive_id(), ".d", s.day_number(), ".",
                       s.template_session_key(), "@tandem");
  e.start = FromProto(s.start_time());
  e.end = FromProto(s.end_time());
  e.location = s.room_ids().empty() ? "" : RoomName(in, s.room_ids(0));
  e.summary = e.location.empty() ? "Session"
                                 : absl::StrCat("Session (", e.location, ")");
  for (const std::string& id : s.therapist_ids()) {
    if (id == therapist_id) continue;
    const dir::Therapist* t = Find(in.therapists, id);
    absl::StrAppend(&e.summary, " with co-therapist ",
                    t == nullptr ? id : ShortName(t->display_name()));
  }
  e.reference = s.intensive_id();
  if (s.status() == bk::SESSION_STATUS_CANCELLED) {
    e.status = ICAL_STATUS_CANCELLED;
  } else if (s.status() == bk::SESSION_STATUS_TENTATIVE) {
    e.status = ICAL_STATUS_TENTATIVE;
  }
  if (const bk::Intensive* i = Find(in.intensives, s.intensive_id())) {
    e.sequence = Sequence(i->update_time());
  }
  return e;
}

Event AppointmentEvent(const RosterInputs& in, const bk::Appointment& a) {
  Event e;
  e.uid = absl::StrCat(a.id(), "@tandem");
  e.start = FromProto(a.start_time());
  e.end = FromProto(a.end_time());
  if (a.kind() == bk::APPOINTMENT_KIND_OFFICE_VISIT) {
    e.location = RoomName(in, a.room_id());
    e.summary = absl::StrCat("Visit (", e.location, ")");
  } else {
    e.summary = "Phone call";
  }
  e.reference = a.id();
  if (a.status() == bk::APPOINTMENT_STATUS_CANCELLED) {
    e.status = ICAL_STATUS_CANCELLED;
  }
  e.sequence = Sequence(a.update_time());
  return e;
}

// One event per UID: a rescheduled session's live copy wins over the
// cancelled one it replaced.
std::vector<Event> Events(const RosterInputs& in,
                          const std::string& therapist_id) {
  absl::flat_hash_map<std::string, Event> by_uid;
  auto add = [&](Event e) {
    auto [it, inserted] = by_uid.try_emplace(e.uid, e);
    if (!inserted && it->second.status == ICAL_STATUS_CANCELLED &&
        e.status != ICAL_STATUS_CANCELLED) {
      it->second = std::move(e);
    }
  };
  for (const bk::Session& s : in.sessions) {
    if (std::find(s.therapist_ids().begin(), s.therapist_ids().end(),
                  therapist_id) == s.therapist_ids().end()) {
      continue;
    }
    add(SessionEvent(in, s, therapist_id));
  }
  for (const bk::Appointment& a : in.appointments) {
    if (a.therapist_id() == therapist_id) add(AppointmentEvent(in, a));
  }
  std::vector<Event> events;
  for (auto& [uid, e] : by_uid) events.push_back(std::move(e));
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return std::tie(a.start, a.uid) < std::tie(b.start, b.uid);
  });
  return events;
}

icalcomponent* EventComponent(const Event& e, const absl::TimeZone& zone,
                              absl::Time now) {
  icalcomponent* vevent = icalcomponent_new_vevent();
  const std::string tzid = zone.name();
  icalcomponent_add_property(vevent, icalproperty_new_uid(e.uid.c_str()));
  icalcomponent_add_property(vevent, icalproperty_new_dtstamp(UtcTime(now)));
  icalcomponent_add_property(
      vevent, WithTzid(icalproperty_new_dtstart(
                           LocalTime(absl::ToCivilSecond(e.start, zone))),
                       tzid));
  icalcomponent_add_property(
      vevent, WithTzid(icalproperty_new_dtend(
                           LocalTime(absl::ToCivilSecond(e.end, zone))),
                       tzid));
  icalcomponent_add_property(vevent, icalproperty_new_sequence(e.sequence));
  icalcomponent_add_property(vevent, icalproperty_new_status(e.status));
  icalcomponent_add_property(vevent,
                             icalproperty_new_summary(e.summary.c_str()));
  if (!e.location.empty()) {
    icalcomponent_add_property(vevent,
                               icalproperty_new_location(e.location.c_str()));
  }
  const std::string description =
      absl::StrCat("Booking reference ", e.reference);
  icalcomponent_add_property(
      vevent, icalproperty_new_description(description.c_str()));
  return vevent;
}

}  // namespace

std::string ShortName(const std::string& display_name) {
  std::vector<absl::string_view> words =
      absl::StrSplit(display_name, ' ', absl::SkipEmpty());
  if (words.size() < 2) return display_name;
  std::string out = absl::StrCat(words[0].substr(0, 1), ".");
  for (size_t i = 1; i < words.size(); ++i) absl::StrAppend(&out, " ", words[i]);
  return out;
}

absl::StatusOr<std::string> BuildCalendarFeed(const RosterInputs& in,
                                              const std::string& therapist_id,
                                              absl::Time now) {
  Component calendar(icalcomponent_new_vcalendar());
  icalcomponent* root = calendar.get();
  icalcomponent_add_property(root, icalproperty_new_version("2.0"));
  icalcomponent_add_property(root,
                             icalproperty_new_prodid("-//Tandem//Roster//EN"));
  icalcomponent_add_property(root, icalproperty_new_calscale("GREGORIAN"));
  icalcomponent_add_property(root, icalproperty_new_method(ICAL_METHOD_PUBLISH));
  // Rules a year either side of the range cover every event shown.
  const absl::Time from =
      absl::FromCivil(in.first_day, in.zone) - absl::Hours(24 * 366);
  const absl::Time to =
      absl::FromCivil(in.last_day + 1, in.zone) + absl::Hours(24 * 366);
  icalcomponent_add_component(root, TimeZoneComponent(in.zone, from, to));
  for (const Event& e : Events(in, therapist_id)) {
    icalcomponent_add_component(root, EventComponent(e, in.zone, now));
  }
  char* text = icalcomponent_as_ical_string_r(root);
  if (text == nullptr) {
    return absl::InternalError("calendar: libical could not serialize");
  }
  std::string out(text);
  free(text);
  // libical ends lines with "\r\n" on some builds and "\n" on others.
  out = absl::StrReplaceAll(out, {{"\r\n", "\n"}});
  return absl::StrReplaceAll(out, {{"\n", "\r\n"}});
}

}  // namespace tandem::roster
