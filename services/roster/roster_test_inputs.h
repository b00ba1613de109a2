// A small clinic day for the roster's unit tests: London, two therapists
// sharing a joint session, a follow-up call, a tentative assessment, an
// absence and a closure. Built by hand: no services involved.
#ifndef TANDEM_SERVICES_ROSTER_ROSTER_TEST_INPUTS_H_
#define TANDEM_SERVICES_ROSTER_ROSTER_TEST_INPUTS_H_

#include <string>

#include "services/common/proto_time.h"
#include "services/roster/roster_inputs.h"

namespace tandem::roster::testing {

inline google::protobuf::Timestamp At(const RosterInputs& in, int month,
                                      int day, int hour, int minute = 0) {
  return common::ToProto(
      absl::FromCivil(absl::CivilMinute(2026, month, day, hour, minute), in.zone));
}

inline bk::Session MakeSession(const RosterInputs& in, const std::string& id,
                               int day, int hour, bk::SessionKind kind) {
  bk::Session s;
  s.set_id(id);
  s.set_intensive_id("in-1");
  s.set_couple_id("cp-1");
  s.set_template_session_key(kind == bk::SESSION_KIND_JOINT ? "joint" : "a");
  s.set_kind(kind);
  s.set_day_number(3);
  s.set_day_count(10);
  *s.mutable_start_time() = At(in, 12, day, hour);
  *s.mutable_end_time() = At(in, 12, day, hour + 1, 30);
  s.add_room_ids("rm-1");
  s.add_therapist_ids("th-1");
  if (kind == bk::SESSION_KIND_JOINT) s.add_therapist_ids("th-2");
  s.set_status(bk::SESSION_STATUS_SCHEDULED);
  return s;
}

inline RosterInputs SmallClinic() {
  RosterInputs in;
  in.clinic.set_time_zone("Europe/London");
  absl::LoadTimeZone("Europe/London", &in.zone);
  in.today = absl::CivilDay(2026, 12, 2);
  in.first_day = absl::CivilDay(2026, 12, 2);
  in.last_day = absl::CivilDay(2026, 12, 4);
  auto therapist = [&](const std::string& id, const std::string& name) {
    dir::Therapist& t = in.therapists[id];
    t.set_id(id);
    t.set_display_name(name);
    t.set_active(true);
  };
  therapist("th-1", "Tom Berg");
  therapist("th-2", "Jaya Rao");
  therapist("th-10", "Old Colleague");
  in.therapists["th-10"].set_active(false);
  dir::Room& room = in.rooms["rm-1"];
  room.set_id("rm-1");
  room.set_display_name("Room 1");
  room.set_active(true);
  dir::Room& closed_room = in.rooms["rm-9"];
  closed_room.set_id("rm-9");
  closed_room.set_display_name("Old room");

  dir::Closure closure;
  *closure.mutable_date() = common::DayToProto(absl::CivilDay(2026, 12, 4));
  closure.set_label("Staff day");
  in.closures.push_back(closure);
  dir::Absence absence;
  absence.set_therapist_id("th-1");
  *absence.mutable_start_time() = At(in, 12, 3, 13);
  *absence.mutable_end_time() = At(in, 12, 3, 17);
  in.absences.push_back(absence);

  in.sessions.push_back(MakeSession(in, "se-1", 2, 9, bk::SESSION_KIND_JOINT));
  bk::Session tentative =
      MakeSession(in, "se-2", 3, 9, bk::SESSION_KIND_INDIVIDUAL_ASSESSMENT);
  tentative.set_status(bk::SESSION_STATUS_TENTATIVE);
  in.sessions.push_back(tentative);

  bk::Appointment call;
  call.set_id("ap-1");
  call.set_kind(bk::APPOINTMENT_KIND_PHONE_CALL);
  call.set_therapist_id("th-1");
  call.set_couple_id("cp-1");
  call.set_external_ref("fc-1");
  *call.mutable_start_time() = At(in, 12, 2, 14);
  *call.mutable_end_time() = At(in, 12, 2, 14, 30);
  call.set_status(bk::APPOINTMENT_STATUS_SCHEDULED);
  *call.mutable_update_time() = At(in, 11, 20, 8);
  in.appointments.push_back(call);

  fu::FollowUpContact contact;
  contact.set_id("fc-1");
  contact.set_couple_id("cp-1");
  contact.set_intensive_id("in-0");
  contact.set_kind(fu::CONTACT_KIND_PHONE_CALL);
  contact.set_therapist_id("th-1");
  *contact.mutable_due_date() = common::DayToProto(absl::CivilDay(2026, 12, 2));
  *contact.mutable_scheduled_start_time() = call.start_time();
  *contact.mutable_scheduled_end_time() = call.end_time();
  contact.set_appointment_id("ap-1");
  contact.set_status(fu::CONTACT_STATUS_SCHEDULED);
  in.contacts.push_back(contact);

  bk::Couple& couple = in.couples["cp-1"];
  couple.set_id("cp-1");
  couple.set_display_label("A.K. & B.K.");
  couple.mutable_partner_a()->set_given_name("Anna");
  couple.mutable_partner_a()->set_family_name("Kowalska");
  couple.mutable_partner_a()->set_phone("+447700900123");
  couple.mutable_partner_b()->set_given_name("bartek");
  couple.mutable_partner_b()->set_family_name("Kowalski");
  couple.mutable_partner_b()->set_phone("+447700900456");

  bk::Intensive& intensive = in.intensives["in-1"];
  intensive.set_id("in-1");
  intensive.set_couple_id("cp-1");
  intensive.set_template_display_name("Ten-day intensive");
  intensive.set_status(bk::INTENSIVE_STATUS_BOOKED);
  *intensive.mutable_update_time() = At(in, 11, 20, 9);
  return in;
}

}  // namespace tandem::roster::testing

#endif  // TANDEM_SERVICES_ROSTER_ROSTER_TEST_INPUTS_H_
