#include "services/booking/repair_diff.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/util/message_differencer.h"

namespace tandem::booking {

namespace {

namespace v1 = tandem::booking::v1;
using google::protobuf::util::MessageDifferencer;

std::vector<std::string> Sorted(
    const google::protobuf::RepeatedPtrField<std::string>& ids) {
  std::vector<std::string> out(ids.begin(), ids.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int ChangedSessionCount(const v1::Intensive& current, const v1::Plan& plan) {
  absl::flat_hash_map<std::pair<std::string, int>, const v1::PlannedSession*>
      planned;
  for (const v1::PlannedSession& s : plan.sessions()) {
    planned[{s.template_session_key(), s.day_number()}] = &s;
  }
  int changed = 0;
  for (const v1::Session& s : current.sessions()) {
    auto it = planned.find({s.template_session_key(), s.day_number()});
    if (it == planned.end()) {
      ++changed;
      continue;
    }
    const v1::PlannedSession& p = *it->second;
    if (!MessageDifferencer::Equals(s.start_time(), p.start_time()) ||
        !MessageDifferencer::Equals(s.end_time(), p.end_time()) ||
        Sorted(s.room_ids()) != Sorted(p.room_ids()) ||
        Sorted(s.therapist_ids()) != Sorted(p.therapist_ids())) {
      ++changed;
    }
  }
  return changed;
}

}  // namespace tandem::booking
