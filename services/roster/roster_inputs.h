// Everything a roster is assembled from, as read from the directory,
// booking and follow-up services for one request. Plain data: the assembly
// (roster_assembly.h) and the calendar feed (calendar_feed.h) are pure
// functions of it, and tests build it by hand.
#ifndef TANDEM_SERVICES_ROSTER_ROSTER_INPUTS_H_
#define TANDEM_SERVICES_ROSTER_ROSTER_INPUTS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tandem/booking/v1/booking.pb.h"
#include "tandem/directory/v1/directory.pb.h"
#include "tandem/followup/v1/followup.pb.h"

namespace tandem::roster {

namespace bk = ::tandem::booking::v1;
namespace dir = ::tandem::directory::v1;
namespace fu = ::tandem::followup::v1;

struct RosterInputs {
  dir::ClinicSettings clinic;
  absl::TimeZone zone;
  // The clinic-local day it is now (calls due are shown for it only).
  absl::CivilDay today;
  // Clinic-local days asked for, both included.
  absl::CivilDay first_day;
  absl::CivilDay last_day;

  std::vector<dir::Closure> closures;
  // By id; every therapist and room the roster mentions (inactive too).
  absl::flat_hash_map<std::string, dir::Therapist> therapists;
  absl::flat_hash_map<std::string, dir::Room> rooms;
  // Absences and outages overlapping the range (maybe a little more).
  std::vector<dir::Absence> absences;
  std::vector<dir::RoomOutage> outages;

  // Sessions and appointments in the range (cancelled ones only when asked
  // for, e.g. by the calendar feed).
  std::vector<bk::Session> sessions;
  std::vector<bk::Appointment> appointments;
  // Follow-up contacts in the range: they link appointments to the
  // follow-up contact and intensive, and give the calls due.
  std::vector<fu::FollowUpContact> contacts;

  // By id, for those referenced above.
  absl::flat_hash_map<std::string, bk::Couple> couples;
  absl::flat_hash_map<std::string, bk::Intensive> intensives;

  // Clinic day only: bookings needing attention, clinic-wide.
  std::vector<bk::Intensive> attention_intensives;
  std::vector<bk::Appointment> attention_appointments;
};

}  // namespace tandem::roster

#endif  // TANDEM_SERVICES_ROSTER_ROSTER_INPUTS_H_
