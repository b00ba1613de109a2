#include "bench/roster/roster_calls.h"

#include <random>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/common/proto_time.h"
#include "tandem/roster/v1/roster_service.grpc.pb.h"

namespace tandem::bench {
namespace {

namespace v1 = ::tandem::roster::v1;
using Stub = v1::RosterService::Stub;

constexpr absl::Duration kCallTimeout = absl::Seconds(30);

// Request k's random choices; `salt` keeps the kinds of call apart.
class Pick {
 public:
  Pick(const ReadSpace& space, int k, uint64_t salt)
      : space_(space), rng_(space.seed * 1000003 + salt * 7919 + k) {}

  const std::string& Therapist() {
    return space_.therapist_ids[std::uniform_int_distribution<size_t>(
        0, space_.therapist_ids.size() - 1)(rng_)];
  }
  // A first day such that `span_days` days from it stay in the year.
  absl::CivilDay Day(int span_days) {
    return space_.first_day +
           std::uniform_int_distribution<int>(0, space_.days - span_days)(rng_);
  }

 private:
  const ReadSpace& space_;
  std::mt19937_64 rng_;
};

void SetRange(absl::CivilDay first, int span_days,
              tandem::common::v1::DateRange* range) {
  *range->mutable_start_date() = common::DayToProto(first);
  *range->mutable_end_date() = common::DayToProto(first + span_days - 1);
}

void SetDeadline(grpc::ClientContext& context) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
}

int64_t CountEvents(const std::string& calendar) {
  int64_t n = 0;
  for (size_t at = calendar.find("BEGIN:VEVENT"); at != std::string::npos;
       at = calendar.find("BEGIN:VEVENT", at + 1)) {
    ++n;
  }
  return n;
}

}  // namespace

ReadCall TherapistRosterCall(const ReadSpace& space, int span_days) {
  return [space, span_days](Stub& stub, int k) {
    Pick pick(space, k, 1);
    v1::GetTherapistRosterRequest request;
    request.set_therapist_id(pick.Therapist());
    SetRange(pick.Day(span_days), span_days, request.mutable_date_range());
    v1::GetTherapistRosterResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    ReadResult result;
    result.status = stub.GetTherapistRoster(&context, request, &response);
    result.bytes = static_cast<int64_t>(response.ByteSizeLong());
    for (const v1::TherapistRosterDay& day : response.roster().days()) {
      result.items += day.items_size();
    }
    return result;
  };
}

ReadCall ClinicDayCall(const ReadSpace& space) {
  return [space](Stub& stub, int k) {
    Pick pick(space, k, 2);
    v1::GetClinicDayRequest request;
    *request.mutable_date() = common::DayToProto(pick.Day(1));
    v1::GetClinicDayResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    ReadResult result;
    result.status = stub.GetClinicDay(&context, request, &response);
    result.bytes = static_cast<int64_t>(response.ByteSizeLong());
    for (const auto& column : response.clinic_day().therapists()) {
      result.items += column.items_size();
    }
    return result;
  };
}

ReadCall ExportCalendarCall(const ReadSpace& space, int span_days) {
  return [space, span_days](Stub& stub, int k) {
    Pick pick(space, k, 3);
    v1::ExportTherapistCalendarRequest request;
    request.set_therapist_id(pick.Therapist());
    SetRange(space.first_day, span_days, request.mutable_date_range());
    v1::ExportTherapistCalendarResponse response;
    grpc::ClientContext context;
    SetDeadline(context);
    ReadResult result;
    result.status = stub.ExportTherapistCalendar(&context, request, &response);
    result.bytes = static_cast<int64_t>(response.content().size());
    result.items = CountEvents(response.content());
    return result;
  };
}

}  // namespace tandem::bench
