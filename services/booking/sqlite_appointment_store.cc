// SqliteBookingStore: one-off appointments (follow-up calls and visits).
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "services/booking/claims.h"
#include "services/booking/ids.h"
#include "services/booking/sorted_page.h"
#include "services/booking/sqlite_booking_store.h"
#include "services/common/change_log.h"
#include "services/common/proto_time.h"
#include "services/common/resource_rows.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

namespace {

using common::PageCursor;
using common::Statement;

constexpr absl::string_view kSelectAppointment =
    "SELECT id, body FROM appointments WHERE id = ?";
constexpr absl::string_view kInsertAppointment =
    "INSERT INTO appointments(couple_id, therapist_id, room_id, external_ref, "
    "day, start_time, status, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr absl::string_view kUpdateAppointment =
    "UPDATE appointments SET couple_id = ?, therapist_id = ?, room_id = ?, "
    "external_ref = ?, day = ?, start_time = ?, status = ?, body = ? "
    "WHERE id = ?";
constexpr absl::string_view kListAppointments =
    "SELECT id, body, start_time FROM appointments "
    "WHERE (?1 = '' OR therapist_id = ?1) AND (?2 = '' OR room_id = ?2) "
    "AND (?3 IS NULL OR couple_id = ?3) AND (?4 = '' OR external_ref = ?4) "
    "AND (?5 IS NULL OR day >= ?5) AND (?6 IS NULL OR day <= ?6) "
    "AND (?7 OR status != ?8) "
    "AND (start_time > ?9 OR (start_time = ?9 AND id > ?10)) "
    "ORDER BY start_time, id LIMIT ?11";
// Appointments last at most a day (see kLongestCommitment).
constexpr absl::string_view kLiveAppointments =
    "SELECT id, body FROM appointments WHERE status IN (?, ?) "
    "AND start_time > ? ORDER BY id";

void BindOptionalDay(Statement& stmt, int index,
                     const std::optional<absl::CivilDay>& day) {
  if (day) {
    stmt.Bind(index, absl::FormatCivilTime(*day));
  } else {
    stmt.BindNull(index);
  }
}

}  // namespace

absl::StatusOr<v1::Appointment> SqliteBookingStore::GetAppointment(int64_t id) {
  return common::SelectResource<v1::Appointment>(
      *db_, kSelectAppointment, id, 1, kAppointmentPrefix, "appointment");
}

absl::StatusOr<Page<v1::Appointment>> SqliteBookingStore::ListAppointments(
    const AppointmentFilter& filter, const PageCursor& after, int limit) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kListAppointments));
  const bool first_page = after.sort_key == 0 && after.id == 0;
  stmt.Bind(1, filter.therapist_id)
      .Bind(2, filter.room_id)
      .Bind(3, filter.couple_id)
      .Bind(4, filter.external_ref);
  BindOptionalDay(stmt, 5, filter.first_day);
  BindOptionalDay(stmt, 6, filter.last_day);
  stmt.Bind(7, filter.include_cancelled ? 1 : 0)
      .Bind(8, static_cast<int64_t>(v1::APPOINTMENT_STATUS_CANCELLED))
      .Bind(9,
            first_page ? std::numeric_limits<int64_t>::min() : after.sort_key)
      .Bind(10, after.id)
      .Bind(11, limit + 1);
  return ReadSortedPage<v1::Appointment>(
      stmt, kAppointmentPrefix, limit, [](const Statement&) { return true; },
      [](v1::Appointment&) { return absl::OkStatus(); });
}

absl::StatusOr<std::vector<v1::Appointment>>
SqliteBookingStore::LiveAppointments(absl::Time after) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kLiveAppointments));
  stmt.Bind(1, static_cast<int64_t>(v1::APPOINTMENT_STATUS_SCHEDULED))
      .Bind(2, static_cast<int64_t>(v1::APPOINTMENT_STATUS_NEEDS_ATTENTION))
      .Bind(3, absl::ToUnixMicros(after - absl::Hours(24)));
  std::vector<v1::Appointment> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return out;
    ASSIGN_OR_RETURN(
        v1::Appointment a,
        common::ResourceFromRow<v1::Appointment>(stmt, 1, kAppointmentPrefix));
    if (common::FromProto(a.end_time()) > after) out.push_back(std::move(a));
  }
}

absl::StatusOr<v1::Appointment> SqliteBookingStore::SaveAppointment(
    v1::Appointment appointment, absl::CivilDay day, absl::Time now) {
  *appointment.mutable_update_time() = common::ToProto(now);
  if (appointment.id().empty()) {
    *appointment.mutable_create_time() = common::ToProto(now);
  }
  ASSIGN_OR_RETURN(
      int64_t couple_id,
      ParseId(kCouplePrefix, appointment.couple_id(), "appointment.couple_id"));
  auto bind = [&](Statement& stmt) {
    stmt.Bind(1, couple_id)
        .Bind(2, appointment.therapist_id())
        .Bind(3, appointment.room_id())
        .Bind(4, appointment.external_ref())
        .Bind(5, absl::FormatCivilTime(day))
        .Bind(6,
              absl::ToUnixMicros(common::FromProto(appointment.start_time())))
        .Bind(7, static_cast<int64_t>(appointment.status()))
        .BindBlob(8, common::ResourceBody(appointment));
  };
  if (appointment.id().empty()) {
    ASSIGN_OR_RETURN(Statement insert, db_->Prepare(kInsertAppointment));
    bind(insert);
    RETURN_IF_ERROR(insert.Run());
    appointment.set_id(FormatId(kAppointmentPrefix, db_->LastInsertRowId()));
  } else {
    ASSIGN_OR_RETURN(int64_t id, ParseId(kAppointmentPrefix, appointment.id(),
                                         "appointment.id"));
    ASSIGN_OR_RETURN(Statement update, db_->Prepare(kUpdateAppointment));
    bind(update);
    update.Bind(9, id);
    RETURN_IF_ERROR(update.Run());
    if (db_->Changes() != 1) {
      return absl::NotFoundError(
          absl::StrCat("appointment ", appointment.id(), " not found"));
    }
  }
  std::vector<Claim> claims;
  if (AppointmentBlocksTime(appointment.status())) {
    claims = AppointmentClaims(appointment);
  }
  RETURN_IF_ERROR(ReplaceCommitments(
      appointment.id(), claims,
      std::vector<std::string>(claims.size(), appointment.id())));
  v1::Change change;
  change.set_kind(v1::CHANGE_KIND_UPSERT);
  *change.mutable_appointment() = appointment;
  RETURN_IF_ERROR(
      common::AppendChange(*db_, change.SerializeAsString(), now).status());
  return appointment;
}

}  // namespace tandem::booking
