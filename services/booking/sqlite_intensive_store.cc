// SqliteBookingStore: intensives, their sessions, and the commitments they
// hold.
#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/booking/claims.h"
#include "services/booking/ids.h"
#include "services/booking/sorted_page.h"
#include "services/booking/sqlite_booking_store.h"
#include "services/booking/therapist_scope_sql.h"
#include "services/common/change_log.h"
#include "services/common/proto_time.h"
#include "services/common/resource_rows.h"
#include "services/common/status_macros.h"

namespace tandem::booking {

namespace {

using common::PageCursor;
using common::Statement;

constexpr absl::string_view kSelectIntensive =
    "SELECT id, body FROM intensives WHERE id = ?";
constexpr absl::string_view kInsertIntensive =
    "INSERT INTO intensives(couple_id, template_id, status, start_day, "
    "end_day, start_time, end_time, expire_time, body, held_by) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr absl::string_view kUpdateIntensive =
    "UPDATE intensives SET couple_id = ?, template_id = ?, status = ?, "
    "start_day = ?, end_day = ?, start_time = ?, end_time = ?, "
    "expire_time = ?, body = ?, held_by = ? WHERE id = ?";
constexpr absl::string_view kDeleteTeam =
    "DELETE FROM intensive_therapists WHERE intensive_id = ?";
constexpr absl::string_view kInsertTeamMember =
    "INSERT OR IGNORE INTO intensive_therapists(therapist_id, intensive_id) "
    "VALUES (?, ?)";
constexpr absl::string_view kIntensiveInScope =
    "SELECT 1 FROM intensive_therapists t "
    "JOIN intensives i ON i.id = t.intensive_id WHERE t.intensive_id = ?4 "
    "AND " TANDEM_SEEN_BY("?1", "?2", "?3");
constexpr absl::string_view kLiveHoldsOf =
    "SELECT COUNT(*) FROM intensives WHERE held_by = ?1 AND status = ?2 "
    "AND expire_time > ?3";
// Day bounds are compared as "YYYY-MM-DD" text; the cursor's sort key is the
// start day as a day number.
#define TANDEM_DAY_NUMBER "CAST(julianday(start_day) - 2440587.5 AS INTEGER)"
constexpr absl::string_view kListIntensives =
    "SELECT id, body, " TANDEM_DAY_NUMBER ", status FROM intensives "
    "WHERE (?1 IS NULL OR couple_id = ?1) "
    "AND (?2 IS NULL OR end_day >= ?2) AND (?3 IS NULL OR start_day <= ?3) "
    "AND (" TANDEM_DAY_NUMBER " > ?4 OR "
    "     (" TANDEM_DAY_NUMBER " = ?4 AND id > ?5)) "
    "AND (?6 = 0 OR id IN (" TANDEM_SEEN_INTENSIVES("?7", "?8", "?9") ")) "
    "ORDER BY start_day, id";
#undef TANDEM_DAY_NUMBER
constexpr absl::string_view kIntensivesInStatus =
    "SELECT id FROM intensives WHERE status = ? ORDER BY id";
constexpr absl::string_view kExpiredHolds =
    "SELECT id FROM intensives WHERE status IN (?1, ?2) "
    "AND expire_time IS NOT NULL AND expire_time <= ?3 ORDER BY id";
constexpr absl::string_view kStartedBy =
    "SELECT id FROM intensives WHERE status = ? AND start_time <= ? "
    "ORDER BY id";
constexpr absl::string_view kEndedBy =
    "SELECT id FROM intensives WHERE status = ? AND end_time <= ? ORDER BY id";
constexpr absl::string_view kTemplateInUse =
    "SELECT 1 FROM intensives WHERE template_id = ? AND status IN "
    "(?, ?, ?, ?) LIMIT 1";
constexpr absl::string_view kCoupleOpenIntensive =
    "SELECT 1 FROM intensives WHERE couple_id = ? AND status IN "
    "(?, ?, ?, ?) LIMIT 1";

constexpr absl::string_view kSessionsOf =
    "SELECT id, body FROM sessions WHERE intensive_id = ?1 "
    "AND (?2 OR status != ?3) ORDER BY start_time, id";
constexpr absl::string_view kInsertSession =
    "INSERT INTO sessions(intensive_id, start_time, status, body) "
    "VALUES (?, ?, ?, ?)";
constexpr absl::string_view kUpdateSession =
    "UPDATE sessions SET start_time = ?, status = ?, body = ? WHERE id = ?";
constexpr absl::string_view kDeleteParties =
    "DELETE FROM session_parties WHERE session_id = ?";
constexpr absl::string_view kInsertParty =
    "INSERT OR IGNORE INTO session_parties(party, day, start_time, "
    "session_id) VALUES (?, ?, ?, ?)";
constexpr absl::string_view kListSessions =
    "SELECT s.id, s.body, p.start_time FROM session_parties p "
    "JOIN sessions s ON s.id = p.session_id "
    "WHERE p.party = ?1 AND p.day BETWEEN ?2 AND ?3 "
    "AND (?4 OR s.status != ?5) "
    "AND (p.start_time > ?6 OR (p.start_time = ?6 AND s.id > ?7)) "
    "AND (?9 = 0 OR s.intensive_id IN ("
    TANDEM_SEEN_INTENSIVES("?10", "?11", "?12") ")) "
    "ORDER BY p.start_time, s.id LIMIT ?8";

// Every session of the days: each has exactly one couple among its parties,
// so the couple rows list each session once. (?1 is the empty party.)
constexpr absl::string_view kListAllSessions =
    "SELECT s.id, s.body, p.start_time FROM session_parties p "
    "JOIN sessions s ON s.id = p.session_id "
    "WHERE ?1 = '' AND p.day BETWEEN ?2 AND ?3 "
    "AND p.party >= 'cp-' AND p.party < 'cp.' "
    "AND (?4 OR s.status != ?5) "
    "AND (p.start_time > ?6 OR (p.start_time = ?6 AND s.id > ?7)) "
    "AND (?9 = 0 OR s.intensive_id IN ("
    TANDEM_SEEN_INTENSIVES("?10", "?11", "?12") ")) "
    "ORDER BY p.start_time, s.id LIMIT ?8";

constexpr absl::string_view kDeleteCommitments =
    "DELETE FROM commitments WHERE booking = ?";
constexpr absl::string_view kInsertCommitment =
    "INSERT INTO commitments(resource, start_time, end_time, booking, "
    "blocking_id) VALUES (?, ?, ?, ?, ?)";
// Sessions and appointments last at most a day: bounding the scan by the
// longest possible commitment keeps it on the (resource, start_time) index.
constexpr absl::string_view kOverlaps =
    "SELECT blocking_id, start_time, end_time FROM commitments "
    "WHERE resource = ?1 AND start_time < ?3 AND start_time > ?2 - ?5 "
    "AND end_time > ?2 AND booking != ?4 ORDER BY start_time";
constexpr absl::Duration kLongestCommitment = absl::Hours(24);

const std::vector<int64_t> kLiveStatuses = {
    v1::INTENSIVE_STATUS_HELD, v1::INTENSIVE_STATUS_BOOKED,
    v1::INTENSIVE_STATUS_IN_PROGRESS, v1::INTENSIVE_STATUS_NEEDS_ATTENTION};

std::string DayText(const tandem::common::v1::Date& date) {
  return absl::StrFormat("%04d-%02d-%02d", date.year(), date.month(),
                         date.day());
}

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

// Who placed the hold: the actor of the HELD entry of the history, if any.
std::optional<std::string> HolderOf(const v1::Intensive& intensive) {
  for (const v1::StatusChange& entry : intensive.status_history()) {
    if (entry.event() == v1::INTENSIVE_EVENT_HELD) return entry.actor();
  }
  return std::nullopt;
}

absl::StatusOr<std::vector<int64_t>> ReadIds(Statement& stmt) {
  std::vector<int64_t> ids;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return ids;
    ids.push_back(stmt.ColumnInt64(0));
  }
}

}  // namespace

absl::StatusOr<std::vector<v1::Session>> SqliteBookingStore::SessionsOf(
    int64_t intensive_id, bool include_cancelled) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kSessionsOf));
  stmt.Bind(1, intensive_id)
      .Bind(2, include_cancelled ? 1 : 0)
      .Bind(3, static_cast<int64_t>(v1::SESSION_STATUS_CANCELLED));
  std::vector<v1::Session> sessions;
  while (true) {
    ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) return sessions;
    ASSIGN_OR_RETURN(v1::Session s, common::ResourceFromRow<v1::Session>(
                                        stmt, 1, kSessionPrefix));
    sessions.push_back(std::move(s));
  }
}

absl::StatusOr<v1::Intensive> SqliteBookingStore::GetIntensive(int64_t id) {
  ASSIGN_OR_RETURN(
      v1::Intensive intensive,
      common::SelectResource<v1::Intensive>(*db_, kSelectIntensive, id, 1,
                                            kIntensivePrefix, "intensive"));
  ASSIGN_OR_RETURN(std::vector<v1::Session> sessions, SessionsOf(id, false));
  for (v1::Session& s : sessions) *intensive.add_sessions() = std::move(s);
  return intensive;
}

absl::StatusOr<Page<v1::Intensive>> SqliteBookingStore::ListIntensives(
    const IntensiveFilter& filter, const PageCursor& after, int limit) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kListIntensives));
  stmt.Bind(1, filter.couple_id);
  if (filter.first_day) {
    stmt.Bind(2, DayText(*filter.first_day));
  } else {
    stmt.BindNull(2);
  }
  if (filter.last_day) {
    stmt.Bind(3, DayText(*filter.last_day));
  } else {
    stmt.BindNull(3);
  }
  // The first page starts before any day number.
  const bool first_page = after.sort_key == 0 && after.id == 0;
  stmt.Bind(4,
            first_page ? std::numeric_limits<int64_t>::min() : after.sort_key)
      .Bind(5, after.id);
  BindScope(stmt, 6, filter.seen_by);
  return ReadSortedPage<v1::Intensive>(
      stmt, kIntensivePrefix, limit,
      [&](const Statement& row) {
        if (filter.statuses.empty()) return true;
        const auto status =
            static_cast<v1::IntensiveStatus>(row.ColumnInt64(3));
        return std::find(filter.statuses.begin(), filter.statuses.end(),
                         status) != filter.statuses.end();
      },
      [&](v1::Intensive& intensive) -> absl::Status {
        ASSIGN_OR_RETURN(int64_t id,
                         ParseId(kIntensivePrefix, intensive.id(), "id"));
        ASSIGN_OR_RETURN(std::vector<v1::Session> sessions,
                         SessionsOf(id, false));
        for (v1::Session& s : sessions)
          *intensive.add_sessions() = std::move(s);
        return absl::OkStatus();
      });
}

absl::StatusOr<std::vector<int64_t>> SqliteBookingStore::IntensiveIds(
    const std::vector<v1::IntensiveStatus>& statuses) {
  std::vector<int64_t> ids;
  for (v1::IntensiveStatus status : statuses) {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kIntensivesInStatus));
    stmt.Bind(1, static_cast<int64_t>(status));
    ASSIGN_OR_RETURN(std::vector<int64_t> some, ReadIds(stmt));
    ids.insert(ids.end(), some.begin(), some.end());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::StatusOr<std::vector<int64_t>> SqliteBookingStore::ExpiredHolds(
    absl::Time now) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kExpiredHolds));
  stmt.Bind(1, static_cast<int64_t>(v1::INTENSIVE_STATUS_HELD))
      .Bind(2, static_cast<int64_t>(v1::INTENSIVE_STATUS_NEEDS_ATTENTION))
      .Bind(3, absl::ToUnixMicros(now));
  return ReadIds(stmt);
}

absl::StatusOr<int64_t> SqliteBookingStore::CountLiveHolds(
    absl::string_view holder, absl::Time now) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kLiveHoldsOf));
  stmt.Bind(1, holder)
      .Bind(2, static_cast<int64_t>(v1::INTENSIVE_STATUS_HELD))
      .Bind(3, absl::ToUnixMicros(now));
  ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.ColumnInt64(0) : 0;
}

absl::StatusOr<bool> SqliteBookingStore::InScopeIntensive(
    const TherapistScope& scope, int64_t intensive_id) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kIntensiveInScope));
  BindSeenBy(stmt, 1, scope);
  stmt.Bind(4, intensive_id);
  return stmt.Step();
}

absl::StatusOr<std::vector<int64_t>> SqliteBookingStore::DueToStart(
    absl::Time now) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kStartedBy));
  stmt.Bind(1, static_cast<int64_t>(v1::INTENSIVE_STATUS_BOOKED))
      .Bind(2, absl::ToUnixMicros(now));
  return ReadIds(stmt);
}

absl::StatusOr<std::vector<int64_t>> SqliteBookingStore::DueToComplete(
    absl::Time now) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kEndedBy));
  stmt.Bind(1, static_cast<int64_t>(v1::INTENSIVE_STATUS_IN_PROGRESS))
      .Bind(2, absl::ToUnixMicros(now));
  return ReadIds(stmt);
}

absl::StatusOr<bool> SqliteBookingStore::TemplateInUse(int64_t template_id) {
  ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kTemplateInUse));
  stmt.Bind(1, template_id);
  for (int i = 0; i < 4; ++i) stmt.Bind(2 + i, kLiveStatuses[i]);
  return stmt.Step();
}

absl::StatusOr<bool> SqliteBookingStore::CoupleHasOpenBookings(
    int64_t couple_id) {
  {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kCoupleOpenIntensive));
    stmt.Bind(1, couple_id);
    for (int i = 0; i < 4; ++i) stmt.Bind(2 + i, kLiveStatuses[i]);
    ASSIGN_OR_RETURN(bool found, stmt.Step());
    if (found) return true;
  }
  AppointmentFilter filter;
  filter.couple_id = couple_id;
  ASSIGN_OR_RETURN(Page<v1::Appointment> page,
                   ListAppointments(filter, PageCursor{}, 1));
  return !page.items.empty();
}

absl::Status SqliteBookingStore::SaveSession(v1::Session& session,
                                             int64_t intensive_id) {
  const int64_t start =
      absl::ToUnixMicros(common::FromProto(session.start_time()));
  int64_t id = 0;
  if (session.id().empty()) {
    ASSIGN_OR_RETURN(Statement insert, db_->Prepare(kInsertSession));
    insert.Bind(1, intensive_id)
        .Bind(2, start)
        .Bind(3, static_cast<int64_t>(session.status()))
        .BindBlob(4, common::ResourceBody(session));
    RETURN_IF_ERROR(insert.Run());
    id = db_->LastInsertRowId();
    session.set_id(FormatId(kSessionPrefix, id));
  } else {
    ASSIGN_OR_RETURN(id, ParseId(kSessionPrefix, session.id(), "session.id"));
    ASSIGN_OR_RETURN(Statement update, db_->Prepare(kUpdateSession));
    update.Bind(1, start)
        .Bind(2, static_cast<int64_t>(session.status()))
        .BindBlob(3, common::ResourceBody(session))
        .Bind(4, id);
    RETURN_IF_ERROR(update.Run());
    ASSIGN_OR_RETURN(Statement clear, db_->Prepare(kDeleteParties));
    clear.Bind(1, id);
    RETURN_IF_ERROR(clear.Run());
  }
  std::vector<std::string> parties(session.therapist_ids().begin(),
                                   session.therapist_ids().end());
  parties.insert(parties.end(), session.room_ids().begin(),
                 session.room_ids().end());
  parties.push_back(session.couple_id());
  for (const std::string& party : parties) {
    ASSIGN_OR_RETURN(Statement insert, db_->Prepare(kInsertParty));
    insert.Bind(1, party)
        .Bind(2, DayText(session.date()))
        .Bind(3, start)
        .Bind(4, id);
    RETURN_IF_ERROR(insert.Run());
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Intensive> SqliteBookingStore::SaveIntensive(
    v1::Intensive intensive, v1::IntensiveEvent event, absl::Time now) {
  *intensive.mutable_update_time() = common::ToProto(now);
  if (intensive.id().empty())
    *intensive.mutable_create_time() = common::ToProto(now);
  ASSIGN_OR_RETURN(int64_t couple_id,
                   ParseId(kCouplePrefix, intensive.couple_id(), "couple_id"));
  ASSIGN_OR_RETURN(
      int64_t template_id,
      ParseId(kTemplatePrefix, intensive.template_id(), "template_id"));
  std::sort(intensive.mutable_sessions()->begin(),
            intensive.mutable_sessions()->end(),
            [](const v1::Session& a, const v1::Session& b) {
              return common::FromProto(a.start_time()) <
                     common::FromProto(b.start_time());
            });
  if (intensive.sessions().empty()) {
    return absl::InternalError("an intensive needs sessions");
  }
  absl::Time first = absl::InfiniteFuture(), last = absl::InfinitePast();
  for (const v1::Session& s : intensive.sessions()) {
    first = std::min(first, common::FromProto(s.start_time()));
    last = std::max(last, common::FromProto(s.end_time()));
  }
  v1::Intensive record = intensive;
  record.clear_sessions();
  const bool held = intensive.has_expire_time();
  const std::optional<std::string> holder = HolderOf(intensive);
  auto bind_record = [&](Statement& stmt) {
    stmt.Bind(1, couple_id)
        .Bind(2, template_id)
        .Bind(3, static_cast<int64_t>(intensive.status()))
        .Bind(4, DayText(intensive.start_date()))
        .Bind(5, DayText(intensive.end_date()))
        .Bind(6, absl::ToUnixMicros(first))
        .Bind(7, absl::ToUnixMicros(last));
    if (held) {
      stmt.Bind(8,
                absl::ToUnixMicros(common::FromProto(intensive.expire_time())));
    } else {
      stmt.BindNull(8);
    }
    stmt.BindBlob(9, common::ResourceBody(record));
    if (holder) {
      stmt.Bind(10, *holder);
    } else {
      stmt.BindNull(10);
    }
  };
  int64_t id = 0;
  if (intensive.id().empty()) {
    ASSIGN_OR_RETURN(Statement insert, db_->Prepare(kInsertIntensive));
    bind_record(insert);
    RETURN_IF_ERROR(insert.Run());
    id = db_->LastInsertRowId();
    intensive.set_id(FormatId(kIntensivePrefix, id));
  } else {
    ASSIGN_OR_RETURN(id, ParseId(kIntensivePrefix, intensive.id(), "id"));
    ASSIGN_OR_RETURN(Statement update, db_->Prepare(kUpdateIntensive));
    bind_record(update);
    update.Bind(11, id);
    RETURN_IF_ERROR(update.Run());
    if (db_->Changes() != 1) {
      return absl::NotFoundError(
          absl::StrCat("intensive ", intensive.id(), " not found"));
    }
  }
  RETURN_IF_ERROR(ReplaceTeam(id, intensive.team()));

  // Sessions: write the listed ones, cancel the stored ones no longer listed.
  ASSIGN_OR_RETURN(std::vector<v1::Session> stored, SessionsOf(id, false));
  std::set<std::string> listed;
  for (v1::Session& s : *intensive.mutable_sessions()) {
    s.set_intensive_id(intensive.id());
    s.set_couple_id(intensive.couple_id());
    RETURN_IF_ERROR(SaveSession(s, id));
    listed.insert(s.id());
  }
  for (v1::Session& s : stored) {
    if (listed.contains(s.id())) continue;
    s.set_status(v1::SESSION_STATUS_CANCELLED);
    RETURN_IF_ERROR(SaveSession(s, id));
  }

  std::vector<Claim> claims;
  std::vector<std::string> blocking;
  for (const v1::Session& s : intensive.sessions()) {
    if (!SessionBlocksTime(s.status())) continue;
    for (Claim& c : SessionClaims(s)) {
      claims.push_back(std::move(c));
      blocking.push_back(s.id());
    }
  }
  RETURN_IF_ERROR(ReplaceCommitments(intensive.id(), claims, blocking));

  v1::Change change;
  change.set_kind(v1::CHANGE_KIND_UPSERT);
  change.set_intensive_event(event);
  *change.mutable_intensive() = intensive;
  RETURN_IF_ERROR(
      common::AppendChange(*db_, change.SerializeAsString(), now).status());
  return intensive;
}

absl::Status SqliteBookingStore::ReplaceTeam(int64_t intensive_id,
                                             const v1::TeamAssignment& team) {
  ASSIGN_OR_RETURN(Statement clear, db_->Prepare(kDeleteTeam));
  clear.Bind(1, intensive_id);
  RETURN_IF_ERROR(clear.Run());
  for (const std::string* therapist :
       {&team.male_therapist_id(), &team.female_therapist_id()}) {
    if (therapist->empty()) continue;
    ASSIGN_OR_RETURN(Statement insert, db_->Prepare(kInsertTeamMember));
    insert.Bind(1, *therapist).Bind(2, intensive_id);
    RETURN_IF_ERROR(insert.Run());
  }
  return absl::OkStatus();
}

absl::Status SqliteBookingStore::ReplaceCommitments(
    absl::string_view booking, const std::vector<Claim>& claims,
    const std::vector<std::string>& blocking) {
  ASSIGN_OR_RETURN(Statement clear, db_->Prepare(kDeleteCommitments));
  clear.Bind(1, booking);
  RETURN_IF_ERROR(clear.Run());
  for (size_t i = 0; i < claims.size(); ++i) {
    ASSIGN_OR_RETURN(Statement insert, db_->Prepare(kInsertCommitment));
    insert.Bind(1, claims[i].resource)
        .Bind(2, absl::ToUnixMicros(claims[i].start))
        .Bind(3, absl::ToUnixMicros(claims[i].end))
        .Bind(4, booking)
        .Bind(5, blocking[i]);
    RETURN_IF_ERROR(insert.Run());
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Conflict>> SqliteBookingStore::FindConflicts(
    const std::vector<Claim>& claims, absl::string_view ignore_booking) {
  std::vector<v1::Conflict> conflicts;
  for (const Claim& claim : claims) {
    ASSIGN_OR_RETURN(Statement stmt, db_->Prepare(kOverlaps));
    stmt.Bind(1, claim.resource)
        .Bind(2, absl::ToUnixMicros(claim.start))
        .Bind(3, absl::ToUnixMicros(claim.end))
        .Bind(4, ignore_booking)
        .Bind(5, absl::ToInt64Microseconds(kLongestCommitment));
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt.Step());
      if (!row) break;
      v1::Conflict conflict;
      conflict.set_kind(v1::CONFLICT_KIND_BOOKED);
      // A partner's resource names the couple, never which partner.
      conflict.set_resource_id(
          claim.resource.substr(0, claim.resource.find('/')));
      conflict.set_blocking_id(stmt.ColumnText(0));
      *conflict.mutable_start_time() = common::ToProto(
          std::max(claim.start, absl::FromUnixMicros(stmt.ColumnInt64(1))));
      *conflict.mutable_end_time() = common::ToProto(
          std::min(claim.end, absl::FromUnixMicros(stmt.ColumnInt64(2))));
      conflicts.push_back(std::move(conflict));
    }
  }
  std::sort(conflicts.begin(), conflicts.end(),
            [](const v1::Conflict& a, const v1::Conflict& b) {
              return common::FromProto(a.start_time()) <
                     common::FromProto(b.start_time());
            });
  return conflicts;
}

absl::StatusOr<Page<v1::Session>> SqliteBookingStore::ListSessions(
    const SessionFilter& filter, const PageCursor& after, int limit) {
  ASSIGN_OR_RETURN(
      Statement stmt,
      db_->Prepare(filter.party.empty() ? kListAllSessions : kListSessions));
  const bool first_page = after.sort_key == 0 && after.id == 0;
  stmt.Bind(1, filter.party)
      .Bind(2, DayText(filter.first_day))
      .Bind(3, DayText(filter.last_day))
      .Bind(4, filter.include_cancelled ? 1 : 0)
      .Bind(5, static_cast<int64_t>(v1::SESSION_STATUS_CANCELLED))
      .Bind(6,
            first_page ? std::numeric_limits<int64_t>::min() : after.sort_key)
      .Bind(7, after.id)
      .Bind(8, limit + 1);
  BindScope(stmt, 9, filter.seen_by);
  return ReadSortedPage<v1::Session>(
      stmt, kSessionPrefix, limit, [](const Statement&) { return true; },
      [](v1::Session&) { return absl::OkStatus(); });
}

}  // namespace tandem::booking
