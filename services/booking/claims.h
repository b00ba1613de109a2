// What time a session or an appointment claims, and on which resources: the
// rows of the commitments table and the input of the conflict check.
#ifndef TANDEM_SERVICES_BOOKING_CLAIMS_H_
#define TANDEM_SERVICES_BOOKING_CLAIMS_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/booking/booking_store.h"
#include "services/common/proto_time.h"

namespace tandem::booking {

// The partners' resource names: a partner cannot be in two places either.
inline std::string PartnerResource(absl::string_view couple_id, char partner) {
  return absl::StrCat(couple_id, "/", std::string(1, partner));
}

inline std::vector<Claim> SessionClaims(const v1::Session& s) {
  const absl::Time start = common::FromProto(s.start_time());
  const absl::Time end = common::FromProto(s.end_time());
  std::vector<Claim> claims;
  for (const std::string& id : s.therapist_ids()) claims.push_back({id, start, end});
  for (const std::string& id : s.room_ids()) claims.push_back({id, start, end});
  if (s.participants() != v1::SESSION_PARTICIPANTS_PARTNER_B) {
    claims.push_back({PartnerResource(s.couple_id(), 'a'), start, end});
  }
  if (s.participants() != v1::SESSION_PARTICIPANTS_PARTNER_A) {
    claims.push_back({PartnerResource(s.couple_id(), 'b'), start, end});
  }
  return claims;
}

inline std::vector<Claim> AppointmentClaims(const v1::Appointment& a) {
  const absl::Time start = common::FromProto(a.start_time());
  const absl::Time end = common::FromProto(a.end_time());
  std::vector<Claim> claims = {{a.therapist_id(), start, end}};
  if (!a.room_id().empty()) claims.push_back({a.room_id(), start, end});
  claims.push_back({PartnerResource(a.couple_id(), 'a'), start, end});
  claims.push_back({PartnerResource(a.couple_id(), 'b'), start, end});
  return claims;
}

inline bool SessionBlocksTime(v1::SessionStatus status) {
  return status == v1::SESSION_STATUS_TENTATIVE ||
         status == v1::SESSION_STATUS_SCHEDULED ||
         status == v1::SESSION_STATUS_NEEDS_ATTENTION;
}

inline bool AppointmentBlocksTime(v1::AppointmentStatus status) {
  return status == v1::APPOINTMENT_STATUS_SCHEDULED ||
         status == v1::APPOINTMENT_STATUS_NEEDS_ATTENTION;
}

}  // namespace tandem::booking

#endif  // TANDEM_SERVICES_BOOKING_CLAIMS_H_
