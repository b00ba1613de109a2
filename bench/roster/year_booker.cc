#include "bench/roster/year_booker.h"

#include <grpcpp/grpcpp.h>

#include <algorithm>
#include <atomic>
#include <latch>
#include <memory>
#include <numeric>
#include <random>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "services/common/proto_time.h"
#include "tandem/booking/v1/booking_service.grpc.pb.h"
#include "tests/integration/test_security.h"

namespace tandem::bench {
namespace {

namespace v1 = ::tandem::booking::v1;
using Stub = v1::BookingService::Stub;

constexpr char kTemplate[] = "pt-1";  // the shipped ten-day intensive
constexpr int kWindowDays = 21;
constexpr int kWindowStep = 14;  // days between the windows tried
constexpr int kWindows = 4;
constexpr int kAbortRetries = 3;
constexpr absl::Duration kCallTimeout = absl::Seconds(60);

// What one client did; merged into the result under a lock at the end.
struct Tally {
  int booked = 0, gave_up = 0, aborted = 0, windows_full = 0, errors = 0;
  std::vector<std::string> error_samples;
  absl::CivilDay last_start;

  void Error(const char* call, const grpc::Status& status) {
    ++errors;
    if (error_samples.size() < 5) {
      error_samples.push_back(absl::StrCat(call, ": code ", status.error_code(),
                                           " \"", status.error_message(),
                                           "\""));
    }
  }
};

// One client's connection and the calls of one booking.
class Client {
 public:
  explicit Client(const std::string& target) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);  // own connection
    stub_ = v1::BookingService::NewStub(grpc::CreateCustomChannel(
        target, ::tandem::testing::UserCredentials(::tandem::testing::OperatorToken()), args));
  }

  // Books intensive `k` with its first window starting at `start`.
  void Book(int k, absl::CivilDay start, const YearBookingSpec& spec,
            Tally& tally) {
    std::string couple_id;
    if (!CreateCouple(k, spec.languages[k % spec.languages.size()], &couple_id,
                      tally)) {
      ++tally.gave_up;
      return;
    }
    for (int w = 0; w < kWindows; ++w) {
      const int offset =
          static_cast<int>(start - spec.first_day) + w * kWindowStep;
      const absl::CivilDay earliest = spec.first_day + offset % spec.days;
      for (int attempt = 0; attempt <= kAbortRetries; ++attempt) {
        switch (TryWindow(k, couple_id, earliest, tally)) {
          case Outcome::kBooked:
            return;
          case Outcome::kError:
            ++tally.gave_up;
            return;
          case Outcome::kAborted:
            continue;
          case Outcome::kNoPlan:
            break;
        }
        break;
      }
    }
    ++tally.gave_up;
  }

 private:
  enum class Outcome { kBooked, kNoPlan, kAborted, kError };

  template <typename Method, typename Request, typename Response>
  grpc::Status Call(Method method, const Request& request, Response* response) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + kCallTimeout));
    return ((*stub_).*method)(&context, request, response);
  }

  bool CreateCouple(int k, const std::string& language, std::string* id,
                    Tally& tally) {
    v1::CreateCoupleRequest request;
    request.set_request_id(absl::StrCat("yb-couple-", k));
    v1::Couple& couple = *request.mutable_couple();
    couple.set_language(language);
    for (auto [partner, sex, name] :
         {std::tuple{couple.mutable_partner_a(), v1::SEX_MALE, "Alex"},
          std::tuple{couple.mutable_partner_b(), v1::SEX_FEMALE, "Sam"}}) {
      partner->set_given_name(name);
      partner->set_family_name(absl::StrCat("Year", k));
      partner->set_sex(sex);
      partner->set_preferred_channel(v1::CONTACT_CHANNEL_NONE);
    }
    v1::CreateCoupleResponse response;
    const grpc::Status status = Call(&Stub::CreateCouple, request, &response);
    if (!status.ok()) {
      tally.Error("CreateCouple", status);
      return false;
    }
    *id = response.couple().id();
    return true;
  }

  Outcome TryWindow(int k, const std::string& couple_id,
                    absl::CivilDay earliest, Tally& tally) {
    v1::ProposeIntensiveRequest propose;
    propose.set_couple_id(couple_id);
    propose.set_template_id(kTemplate);
    propose.set_max_plans(1);
    *propose.mutable_earliest_start() = common::DayToProto(earliest);
    *propose.mutable_latest_start() =
        common::DayToProto(earliest + kWindowDays - 1);
    v1::ProposeIntensiveResponse proposed;
    grpc::Status status = Call(&Stub::ProposeIntensive, propose, &proposed);
    if (!status.ok()) {
      tally.Error("ProposeIntensive", status);
      return Outcome::kError;
    }
    if (proposed.plans_size() == 0) {
      ++tally.windows_full;
      return Outcome::kNoPlan;
    }
    v1::HoldIntensiveRequest hold;
    hold.set_request_id(absl::StrCat("yb-hold-", k, "-", ++holds_));
    hold.set_couple_id(couple_id);
    *hold.mutable_plan() = proposed.plans(0);
    v1::HoldIntensiveResponse held;
    status = Call(&Stub::HoldIntensive, hold, &held);
    if (status.error_code() == grpc::StatusCode::ABORTED) {
      ++tally.aborted;
      return Outcome::kAborted;
    }
    if (!status.ok()) {
      tally.Error("HoldIntensive", status);
      return Outcome::kError;
    }
    v1::ConfirmIntensiveRequest confirm;
    confirm.set_request_id(absl::StrCat("yb-confirm-", k));
    confirm.set_id(held.intensive().id());
    v1::ConfirmIntensiveResponse confirmed;
    status = Call(&Stub::ConfirmIntensive, confirm, &confirmed);
    if (!status.ok()) {
      tally.Error("ConfirmIntensive", status);
      return Outcome::kError;
    }
    ++tally.booked;
    const tandem::common::v1::Date& d = proposed.plans(0).start_date();
    tally.last_start = std::max(tally.last_start,
                                absl::CivilDay(d.year(), d.month(), d.day()));
    return Outcome::kBooked;
  }

  std::unique_ptr<Stub> stub_;
  int holds_ = 0;
};

}  // namespace

YearBooking BookYear(const std::string& target, const YearBookingSpec& spec) {
  YearBooking result;
  result.last_start = spec.first_day;
  if (spec.count <= 0 || spec.languages.empty()) return result;
  // Window k starts k/count of the way through the year; the order in which
  // the windows are booked is shuffled.
  std::vector<int> order(spec.count);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), std::mt19937_64(spec.seed));
  std::atomic<int> next{0};
  absl::Mutex mu;
  std::latch start(spec.clients + 1);
  std::vector<std::thread> threads;
  for (int c = 0; c < spec.clients; ++c) {
    threads.emplace_back([&] {
      Client client(target);
      Tally tally;
      tally.last_start = spec.first_day;
      start.arrive_and_wait();
      for (int i = next++; i < spec.count; i = next++) {
        const int k = order[i];
        client.Book(k, spec.first_day + (int64_t{k} * spec.days) / spec.count,
                    spec, tally);
      }
      absl::MutexLock lock(&mu);
      result.booked += tally.booked;
      result.gave_up += tally.gave_up;
      result.aborted += tally.aborted;
      result.windows_full += tally.windows_full;
      result.errors += tally.errors;
      for (std::string& s : tally.error_samples) {
        if (result.error_samples.size() < 5) {
          result.error_samples.push_back(std::move(s));
        }
      }
      result.last_start = std::max(result.last_start, tally.last_start);
    });
  }
  start.arrive_and_wait();
  const absl::Time began = absl::Now();
  for (std::thread& t : threads) t.join();
  result.wall = absl::Now() - began;
  return result;
}

}  // namespace tandem::bench
