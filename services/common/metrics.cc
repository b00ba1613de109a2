#include "services/common/metrics.h"

#include <charconv>
#include <cmath>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace tandem::common {

namespace {

// Shortest text that reads back as `value`; +Inf, -Inf and NaN as
// Prometheus spells them.
std::string FormatValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  if (error != std::errc()) return "NaN";
  return std::string(buffer, end);
}

// Label values: backslash, double quote and line feed are escaped.
void AppendEscapedLabelValue(absl::string_view value, std::string& out) {
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
}

// HELP text: backslash and line feed are escaped.
std::string EscapeHelp(absl::string_view help) {
  std::string out;
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// `{a="x",b="y"}` (plus `extra` as a last label if given); "" without labels.
void AppendLabels(const std::vector<std::string>& names,
                  const LabelValues& values, std::string& out,
                  absl::string_view extra_name = "",
                  absl::string_view extra_value = "") {
  if (names.empty() && extra_name.empty()) return;
  out += '{';
  bool first = true;
  for (size_t i = 0; i < names.size(); ++i) {
    if (!first) out += ',';
    first = false;
    absl::StrAppend(&out, names[i], "=\"");
    AppendEscapedLabelValue(values[i], out);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!first) out += ',';
    absl::StrAppend(&out, extra_name, "=\"");
    AppendEscapedLabelValue(extra_value, out);
    out += '"';
  }
  out += '}';
}

void AppendSample(absl::string_view name,
                  const std::vector<std::string>& label_names,
                  const LabelValues& values, double value, std::string& out) {
  absl::StrAppend(&out, name);
  AppendLabels(label_names, values, out);
  absl::StrAppend(&out, " ", FormatValue(value), "\n");
}

bool IsValidName(absl::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok =
        absl::ascii_isalpha(static_cast<unsigned char>(c)) || c == '_' ||
        (allow_colon && c == ':') ||
        (i > 0 && absl::ascii_isdigit(static_cast<unsigned char>(c)));
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::vector<double> LatencyBucketsSeconds() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};
}

void CounterFamily::Increment(const LabelValues& values, double by) {
  if (values.size() != label_names_.size() || !(by >= 0)) return;
  absl::MutexLock lock(&mu_);
  values_[values] += by;
}

double CounterFamily::Value(const LabelValues& values) const {
  absl::MutexLock lock(&mu_);
  auto it = values_.find(values);
  return it == values_.end() ? 0 : it->second;
}

void CounterFamily::Render(const std::string& name, std::string& out) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [values, value] : values_) {
    AppendSample(name, label_names_, values, value, out);
  }
}

void GaugeFamily::Set(const LabelValues& values, double value) {
  if (values.size() != label_names_.size()) return;
  absl::MutexLock lock(&mu_);
  values_[values] = value;
}

void GaugeFamily::Add(const LabelValues& values, double delta) {
  if (values.size() != label_names_.size()) return;
  absl::MutexLock lock(&mu_);
  values_[values] += delta;
}

double GaugeFamily::Value(const LabelValues& values) const {
  absl::MutexLock lock(&mu_);
  auto it = values_.find(values);
  return it == values_.end() ? 0 : it->second;
}

void GaugeFamily::Render(const std::string& name, std::string& out) const {
  absl::MutexLock lock(&mu_);
  for (const auto& [values, value] : values_) {
    AppendSample(name, label_names_, values, value, out);
  }
}

void HistogramFamily::Observe(const LabelValues& values, double value) {
  if (values.size() != label_names_.size() || std::isnan(value)) return;
  // The first bound that holds it; the +Inf bucket otherwise.
  size_t bucket = 0;
  while (bucket < bounds_.size() && value > bounds_[bucket]) ++bucket;
  absl::MutexLock lock(&mu_);
  Series& series = series_[values];
  if (series.buckets.empty()) series.buckets.resize(bounds_.size() + 1);
  ++series.buckets[bucket];
  series.sum += value;
  ++series.count;
}

uint64_t HistogramFamily::Count(const LabelValues& values) const {
  absl::MutexLock lock(&mu_);
  auto it = series_.find(values);
  return it == series_.end() ? 0 : it->second.count;
}

void HistogramFamily::Render(const std::string& name, std::string& out) const {
  const std::string bucket_name = absl::StrCat(name, "_bucket");
  absl::MutexLock lock(&mu_);
  for (const auto& [values, series] : series_) {
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
      cumulative += series.buckets[i];
      out += bucket_name;
      AppendLabels(label_names_, values, out, "le",
                   i < bounds_.size() ? FormatValue(bounds_[i]) : "+Inf");
      absl::StrAppend(&out, " ", cumulative, "\n");
    }
    AppendSample(absl::StrCat(name, "_sum"), label_names_, values, series.sum,
                 out);
    out += name;
    out += "_count";
    AppendLabels(label_names_, values, out);
    absl::StrAppend(&out, " ", series.count, "\n");
  }
}

absl::Status MetricsRegistry::Register(Family family,
                                       const std::vector<std::string>& labels) {
  if (!IsValidName(family.name, /*allow_colon=*/true)) {
    return absl::InvalidArgumentError(
        absl::StrCat("metric name '", family.name, "' is not valid"));
  }
  for (const std::string& label : labels) {
    if (!IsValidName(label, /*allow_colon=*/false) ||
        absl::StartsWith(label, "__") ||
        (family.histogram != nullptr && label == "le")) {
      return absl::InvalidArgumentError(absl::StrCat(
          "label name '", label, "' of ", family.name, " is not valid"));
    }
  }
  absl::MutexLock lock(&mu_);
  for (const auto& existing : families_) {
    if (existing->name == family.name) {
      return absl::AlreadyExistsError(
          absl::StrCat("metric ", family.name, " is already registered"));
    }
  }
  families_.push_back(std::make_unique<Family>(std::move(family)));
  return absl::OkStatus();
}

absl::StatusOr<CounterFamily*> MetricsRegistry::AddCounter(
    std::string name, std::string help, std::vector<std::string> label_names) {
  auto counter = std::unique_ptr<CounterFamily>(new CounterFamily(label_names));
  CounterFamily* result = counter.get();
  Family family{std::move(name), std::move(help), "counter", std::move(counter),
                nullptr,         nullptr,         nullptr};
  absl::Status registered = Register(std::move(family), label_names);
  if (!registered.ok()) return registered;
  return result;
}

absl::StatusOr<GaugeFamily*> MetricsRegistry::AddGauge(
    std::string name, std::string help, std::vector<std::string> label_names) {
  auto gauge = std::unique_ptr<GaugeFamily>(new GaugeFamily(label_names));
  GaugeFamily* result = gauge.get();
  Family family{std::move(name),  std::move(help), "gauge", nullptr,
                std::move(gauge), nullptr,         nullptr};
  absl::Status registered = Register(std::move(family), label_names);
  if (!registered.ok()) return registered;
  return result;
}

absl::StatusOr<HistogramFamily*> MetricsRegistry::AddHistogram(
    std::string name, std::string help, std::vector<std::string> label_names,
    std::vector<double> bounds) {
  for (size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && !(bounds[i] > bounds[i - 1]))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "buckets of ", name, " must be finite and strictly ascending"));
    }
  }
  auto histogram = std::unique_ptr<HistogramFamily>(
      new HistogramFamily(label_names, std::move(bounds)));
  HistogramFamily* result = histogram.get();
  Family family{std::move(name), std::move(help),      "histogram", nullptr,
                nullptr,         std::move(histogram), nullptr};
  absl::Status registered = Register(std::move(family), label_names);
  if (!registered.ok()) return registered;
  return result;
}

absl::Status MetricsRegistry::AddCallbackGauge(
    std::string name, std::string help,
    std::function<absl::StatusOr<double>()> sample) {
  if (!sample) return absl::InvalidArgumentError("no sample function");
  Family family{std::move(name), std::move(help), "gauge",          nullptr,
                nullptr,         nullptr,         std::move(sample)};
  return Register(std::move(family), {});
}

std::string MetricsRegistry::Render() const {
  std::string out;
  absl::MutexLock lock(&mu_);
  for (const auto& family : families_) {
    absl::StrAppend(&out, "# HELP ", family->name, " ",
                    EscapeHelp(family->help), "\n# TYPE ", family->name, " ",
                    family->type, "\n");
    if (family->counter) family->counter->Render(family->name, out);
    if (family->gauge) family->gauge->Render(family->name, out);
    if (family->histogram) family->histogram->Render(family->name, out);
    if (family->sample) {
      absl::StatusOr<double> value = family->sample();
      if (value.ok()) AppendSample(family->name, {}, {}, *value, out);
    }
  }
  return out;
}

}  // namespace tandem::common
