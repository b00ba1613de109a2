// SQL shared by the store's reads that a TherapistScope narrows (see
// booking_store.h), spelled as string-literal pieces so that every query
// stays one named constant.
//
// The pieces take the query's parameter markers ("?6") for the scope's
// therapist id, INTENSIVE_STATUS_CANCELLED and the scope's now (unix
// microseconds); BindScope binds those three, in that order, from a given
// index. Internal to the store.
#ifndef TANDEM_SERVICES_BOOKING_THERAPIST_SCOPE_SQL_H_
#define TANDEM_SERVICES_BOOKING_THERAPIST_SCOPE_SQL_H_

#include <cstdint>
#include <optional>

#include "absl/time/time.h"
#include "services/booking/booking_store.h"
#include "services/common/sqlite.h"

// A WHERE condition on `intensive_therapists t JOIN intensives i ON i.id =
// t.intensive_id`: the row is one of the therapist's intensives, neither
// cancelled nor a hold that lapsed (expire_time is set only while held).
#define TANDEM_SEEN_BY(therapist, cancelled, now)             \
  "t.therapist_id = " therapist " AND i.status != " cancelled \
  " AND (i.expire_time IS NULL OR i.expire_time > " now ")"

// Subqueries: the ids of the intensives, and of the couples, the therapist
// may see. Both are driven by intensive_therapists' primary key.
#define TANDEM_SEEN_INTENSIVES(therapist, cancelled, now) \
  "SELECT t.intensive_id FROM intensive_therapists t "    \
  "JOIN intensives i ON i.id = t.intensive_id "           \
  "WHERE " TANDEM_SEEN_BY(therapist, cancelled, now)
#define TANDEM_SEEN_COUPLES(therapist, cancelled, now) \
  "SELECT i.couple_id FROM intensive_therapists t "    \
  "JOIN intensives i ON i.id = t.intensive_id "        \
  "WHERE " TANDEM_SEEN_BY(therapist, cancelled, now)

namespace tandem::booking {

// Binds the scope's therapist id, INTENSIVE_STATUS_CANCELLED and now at
// first .. first + 2.
inline void BindSeenBy(common::Statement& stmt, int first,
                       const TherapistScope& scope) {
  stmt.Bind(first, scope.therapist_id)
      .Bind(first + 1, static_cast<int64_t>(v1::INTENSIVE_STATUS_CANCELLED))
      .Bind(first + 2, absl::ToUnixMicros(scope.now));
}

// For a list narrowed by "(?flag = 0 OR ... IN (TANDEM_SEEN_...))": binds 1
// at `flag` and the scope after it when there is one, else 0 and
// placeholders that the condition never reads.
inline void BindScope(common::Statement& stmt, int flag,
                      const std::optional<TherapistScope>& scope) {
  stmt.Bind(flag, scope ? 1 : 0);
  BindSeenBy(stmt, flag + 1, scope ? *scope : TherapistScope{});
}

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_THERAPIST_SCOPE_SQL_H_
