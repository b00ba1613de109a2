// A small thread-safe metrics registry and its Prometheus text exposition
// (format 0.0.4): counters and gauges with fixed label names, histograms with
// fixed buckets, and gauges sampled by a callback at scrape time.
//
// Label values must come from a fixed vocabulary (a gRPC service or method
// name, a status code name, a reminder channel, an outcome): never an id, a
// name or anything else a client sent. The registry cannot tell them apart;
// the callers choose what they pass.
//
// Typical use:
//   MetricsRegistry registry;
//   absl::StatusOr<CounterFamily*> requests = registry.AddCounter(
//       "tandem_rpc_requests_total", "RPCs handled, by final status code.",
//       {"service", "method", "code"});
//   (*requests)->Increment({"tandem.directory.v1.DirectoryService",
//                           "GetTherapist", "NOT_FOUND"});
//   std::string page = registry.Render();  // the body of GET /metrics
//
// Families live as long as the registry; their pointers stay valid.
#ifndef TANDEM_SERVICES_COMMON_METRICS_H_
#define TANDEM_SERVICES_COMMON_METRICS_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace tandem::common {

// The values of a family's labels, in the order of its label names.
using LabelValues = std::vector<std::string>;

// A monotonically increasing count per label set (a label set appears in the
// exposition once it was incremented, or Touch()ed).
class CounterFamily {
 public:
  // Adds `by` (>= 0; negative values are ignored) to the label set's count.
  // A wrong number of values drops the sample: check with label_count().
  void Increment(const LabelValues& values, double by = 1);
  // Makes the label set appear with 0 before anything happened.
  void Touch(const LabelValues& values) { Increment(values, 0); }
  // The count of a label set (0 if never incremented), for tests.
  double Value(const LabelValues& values) const;
  size_t label_count() const { return label_names_.size(); }

 private:
  friend class MetricsRegistry;
  explicit CounterFamily(std::vector<std::string> label_names)
      : label_names_(std::move(label_names)) {}
  void Render(const std::string& name, std::string& out) const;

  const std::vector<std::string> label_names_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, double> values_ ABSL_GUARDED_BY(mu_);
};

// A value that goes up and down, per label set.
class GaugeFamily {
 public:
  // A wrong number of values drops the sample.
  void Set(const LabelValues& values, double value);
  void Add(const LabelValues& values, double delta);
  double Value(const LabelValues& values) const;
  size_t label_count() const { return label_names_.size(); }

 private:
  friend class MetricsRegistry;
  explicit GaugeFamily(std::vector<std::string> label_names)
      : label_names_(std::move(label_names)) {}
  void Render(const std::string& name, std::string& out) const;

  const std::vector<std::string> label_names_;
  mutable absl::Mutex mu_;
  std::map<LabelValues, double> values_ ABSL_GUARDED_BY(mu_);
};

// Observations counted into fixed buckets per label set: `<name>_bucket`
// with cumulative counts per upper bound (le, ending with +Inf),
// `<name>_sum` and `<name>_count`.
class HistogramFamily {
 public:
  // A wrong number of values drops the observation.
  void Observe(const LabelValues& values, double value);
  // Observations of a label set so far, for tests.
  uint64_t Count(const LabelValues& values) const;
  size_t label_count() const { return label_names_.size(); }

 private:
  friend class MetricsRegistry;
  struct Series {
    std::vector<uint64_t> buckets;  // not cumulative; one per bound, +Inf last
    double sum = 0;
    uint64_t count = 0;
  };
  HistogramFamily(std::vector<std::string> label_names,
                  std::vector<double> bounds)
      : label_names_(std::move(label_names)), bounds_(std::move(bounds)) {}
  void Render(const std::string& name, std::string& out) const;

  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;  // ascending, finite
  mutable absl::Mutex mu_;
  std::map<LabelValues, Series> series_ ABSL_GUARDED_BY(mu_);
};

// Request latencies in seconds: 1 ms to 2.5 s.
std::vector<double> LatencyBucketsSeconds();

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Each returns INVALID_ARGUMENT for a name or label name that Prometheus
  // does not accept ([a-zA-Z_:][a-zA-Z0-9_:]*, labels without ':' and not
  // starting with "__", "le" reserved for histograms), or buckets that are
  // not finite and strictly ascending; ALREADY_EXISTS if the name is taken.
  absl::StatusOr<CounterFamily*> AddCounter(
      std::string name, std::string help,
      std::vector<std::string> label_names = {});
  absl::StatusOr<GaugeFamily*> AddGauge(
      std::string name, std::string help,
      std::vector<std::string> label_names = {});
  absl::StatusOr<HistogramFamily*> AddHistogram(
      std::string name, std::string help, std::vector<std::string> label_names,
      std::vector<double> bounds);
  // A gauge without labels whose value `sample` reads at each Render() (on
  // the scraping thread). An error leaves the gauge out of that scrape.
  absl::Status AddCallbackGauge(std::string name, std::string help,
                                std::function<absl::StatusOr<double>()> sample);

  // Every family in registration order, in the text exposition format 0.0.4
  // (HELP and TYPE lines, then one line per series).
  std::string Render() const;

 private:
  struct Family {
    std::string name;
    std::string help;
    const char* type;
    std::unique_ptr<CounterFamily> counter;
    std::unique_ptr<GaugeFamily> gauge;
    std::unique_ptr<HistogramFamily> histogram;
    std::function<absl::StatusOr<double>()> sample;
  };
  absl::Status Register(Family family, const std::vector<std::string>& labels);

  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Family>> families_ ABSL_GUARDED_BY(mu_);
};

// The content type of Render()'s output.
inline constexpr char kMetricsContentType[] =
    "text/plain; version=0.0.4; charset=utf-8";

}  // namespace tandem::common

#endif  // TANDEM_SERVICES_COMMON_METRICS_H_
