// Books follow-up contacts as booking appointments: finds a free time in a
// contact's window by simply asking booking (CreateAppointment with
// candidate times and rooms; booking's conflict checks decide), moves and
// cancels them. Never touches the follow-up store: callers record results.
//
// Request ids sent to booking are derived from the contact id, its version
// and the candidate ("fu-fc-12-v3-bk-29031840-rm-2"), so a call retried after
// a crash or a lost answer replays in booking instead of booking twice; a
// contact already booked under its id (external_ref) is adopted, not booked
// again.
//
// Candidates: the due day, then later days, then earlier ones within
// window_days (never today or before); on each day every 15 minutes from
// the start of the therapist's working hours (for office visits also within
// the clinic's opening hours), in the clinic's time zone. Office visits try
// the active rooms, individual rooms first. Rooms and hours are read from the
// directory at each attempt.
//
// Thread-safe; one contact must not be booked by two callers at once (see
// ContactLocks).
#ifndef TANDEM_SERVICES_FOLLOWUP_CONTACT_BOOKER_H_
#define TANDEM_SERVICES_FOLLOWUP_CONTACT_BOOKER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/common/guarded_store.h"
#include "services/followup/booking_client.h"
#include "services/followup/followup_store.h"

namespace tandem::followup {

// Serializes booking work per contact (handlers and the follower).
class ContactLocks {
 public:
  class Held {
   public:
    Held(ContactLocks* locks, std::string id)
        : locks_(locks), id_(std::move(id)) {}
    Held(const Held&) = delete;
    Held& operator=(const Held&) = delete;
    ~Held() { locks_->Release(id_); }

   private:
    ContactLocks* locks_;
    std::string id_;
  };
  // Blocks while another caller holds `id`.
  [[nodiscard]] std::unique_ptr<Held> Acquire(const std::string& id);

 private:
  void Release(const std::string& id);
  absl::Mutex mu_;
  absl::flat_hash_set<std::string> held_ ABSL_GUARDED_BY(mu_);
};

// Where and when a contact is booked, as the caller asks for it.
struct SlotRequest {
  absl::Time start;
  std::string therapist_id;  // the contact's when empty
  std::string room_id;       // office visits: chosen when empty
};

class ContactBooker {
 public:
  ContactBooker(BookingClient* client, common::Clock clock)
      : client_(client), clock_(std::move(clock)) {}

  // The appointment booked for the contact (adopting one booked earlier
  // under its id), or nullopt if no candidate in its window is free.
  absl::StatusOr<std::optional<bk::Appointment>> BookInWindow(
      const ContactRow& row);
  // Moves the contact's appointment into its (new) window; nullopt if no
  // candidate is free (the appointment is unchanged then).
  absl::StatusOr<std::optional<bk::Appointment>> MoveInWindow(
      const ContactRow& row);
  // Books (no appointment yet) or moves the contact's appointment to
  // `slot`. FAILED_PRECONDITION with booking's ConflictInfo if not free.
  absl::StatusOr<bk::Appointment> BookAt(const ContactRow& row,
                                         const SlotRequest& slot);
  // Cancels an appointment; one already cancelled or gone is OK.
  absl::Status Cancel(const std::string& appointment_id);

  // The clinic-local day of `time` (for ContactRow::day).
  absl::StatusOr<absl::CivilDay> ClinicDay(absl::Time time);

 private:
  struct Candidate {
    absl::Time start;
    std::string room_id;
  };
  // Tries `candidates` in order: create (no appointment_id) or move.
  // nullopt if none was free; the last clash goes to `last_clash`.
  absl::StatusOr<std::optional<bk::Appointment>> TryCandidates(
      const ContactRow& row, const std::string& therapist_id,
      const std::vector<Candidate>& candidates, absl::Status* last_clash);
  absl::StatusOr<std::vector<Candidate>> WindowCandidates(
      const ContactRow& row);
  absl::StatusOr<std::vector<std::string>> VisitRooms();
  absl::StatusOr<absl::TimeZone> ClinicZone(dir::ClinicSettings* settings);

  BookingClient* const client_;
  const common::Clock clock_;
};

}  // namespace tandem::followup

#endif  // TANDEM_SERVICES_FOLLOWUP_CONTACT_BOOKER_H_
