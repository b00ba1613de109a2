// A small, fixed clinic for unit tests: weekdays 08:00-18:00 on a 15-minute
// grid, two male and two female therapists, one joint and two individual
// rooms, one standing team (m1, f1). Today is Monday 2026-03-02.
#ifndef TANDEM_SCHEDULER_TESTING_SMALL_CLINIC_H_
#define TANDEM_SCHEDULER_TESTING_SMALL_CLINIC_H_

#include <string>

#include "absl/time/civil_time.h"
#include "scheduler/model.h"
#include "scheduler/request.h"

namespace tandem::scheduler::testing {

inline WeeklyHours Weekdays(int from_minute, int to_minute) {
  WeeklyHours h;
  for (int wd = 0; wd < 5; ++wd) h[wd] = MinuteRange{from_minute, to_minute};
  return h;
}

inline Therapist MakeTherapist(std::string id, Sex sex) {
  Therapist t;
  t.id = std::move(id);
  t.sex = sex;
  t.languages = {"English"};
  t.working_hours = Weekdays(8 * 60, 18 * 60);
  t.daily_cap_minutes = 360;
  return t;
}

inline Snapshot SmallClinic() {
  Snapshot s;
  s.clinic.time_zone = "Europe/London";
  s.clinic.opening_hours = Weekdays(8 * 60, 18 * 60);
  s.clinic.grid_minutes = 15;
  s.today = absl::CivilDay(2026, 3, 2);
  s.therapists = {
      MakeTherapist("m1", Sex::kMale), MakeTherapist("m2", Sex::kMale),
      MakeTherapist("f1", Sex::kFemale), MakeTherapist("f2", Sex::kFemale)};
  s.teams = {Team{"m1", "f1"}};
  s.rooms = {Room{"J1", 4, {RoomKind::kJoint}},
             Room{"I1", 2, {RoomKind::kIndividual}},
             Room{"I2", 2, {RoomKind::kIndividual}}};
  return s;
}

inline Request TenDayRequest(std::string booking_id = "b1") {
  Request r;
  r.booking_id = std::move(booking_id);
  r.template_id = "ten-day-intensive";
  r.earliest_start = absl::CivilDay(2026, 3, 2);
  r.latest_start = absl::CivilDay(2026, 3, 31);
  r.language = "English";
  return r;
}

}  // namespace tandem::scheduler::testing

#endif  // TANDEM_SCHEDULER_TESTING_SMALL_CLINIC_H_
