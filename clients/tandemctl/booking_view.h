// How booking's answers look in tables, shared by the booking and follow-up
// commands: plans, intensives, sessions and the conflicts in error details.
#ifndef TANDEM_CLIENTS_TANDEMCTL_BOOKING_VIEW_H_
#define TANDEM_CLIENTS_TANDEMCTL_BOOKING_VIEW_H_

#include <string>

#include "absl/status/status.h"
#include "clients/tandemctl/clinic_time.h"
#include "clients/tandemctl/context.h"
#include "tandem/booking/v1/booking.pb.h"

namespace tandem::cli {

// Numbered plans: start and end date, team names, rooms, score.
std::string PlanTable(
    Context& ctx,
    const google::protobuf::RepeatedPtrField<tandem::booking::v1::Plan>& plans);

// Why fewer plans were found, and the earliest start that would work.
std::string ExplanationText(const tandem::booking::v1::Explanation& e);

// One line per conflict: "booked  J. Rao  2026-12-01 09:00-10:30  (se-40)".
std::string ConflictLines(
    Context& ctx, const ClinicTime& clinic,
    const google::protobuf::RepeatedPtrField<tandem::booking::v1::Conflict>&
        conflicts);

// The ConflictInfo details of a failed call as lines; empty if none.
std::string ConflictDetails(Context& ctx, const absl::Status& status);

// An intensive: its fields, then its sessions.
std::string IntensiveView(Context& ctx, const ClinicTime& clinic,
                          const tandem::booking::v1::Intensive& intensive);

// Sessions, one line each; with_owner adds the couple and intensive.
std::string SessionTable(
    Context& ctx, const ClinicTime& clinic,
    const google::protobuf::RepeatedPtrField<tandem::booking::v1::Session>&
        sessions,
    bool with_owner = true);

}  // namespace tandem::cli

#endif  // TANDEM_CLIENTS_TANDEMCTL_BOOKING_VIEW_H_
