#include "services/common/metrics.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "services/common/metrics_http.h"

namespace tandem::common {
namespace {

TEST(MetricsRegistryTest, RendersCountersWithHelpTypeAndSortedLabelSets) {
  MetricsRegistry registry;
  auto requests = registry.AddCounter("tandem_rpc_requests_total",
                                      "RPCs handled.", {"method", "code"});
  ASSERT_TRUE(requests.ok()) << requests.status();
  (*requests)->Increment({"ListTherapists", "OK"});
  (*requests)->Increment({"CreateTherapist", "OK"}, 2);
  (*requests)->Increment({"ListTherapists", "OK"});
  EXPECT_EQ(registry.Render(),
            "# HELP tandem_rpc_requests_total RPCs handled.\n"
            "# TYPE tandem_rpc_requests_total counter\n"
            "tandem_rpc_requests_total{method=\"CreateTherapist\",code=\"OK\"} "
            "2\n"
            "tandem_rpc_requests_total{method=\"ListTherapists\",code=\"OK\"} "
            "2\n");
  EXPECT_EQ((*requests)->Value({"ListTherapists", "OK"}), 2);
  EXPECT_EQ((*requests)->Value({"GetTherapist", "OK"}), 0);
}

TEST(MetricsRegistryTest, DropsSamplesWithTheWrongNumberOfLabelsOrNegative) {
  MetricsRegistry registry;
  auto counter = registry.AddCounter("c_total", "c", {"a"});
  ASSERT_TRUE(counter.ok());
  (*counter)->Increment({});
  (*counter)->Increment({"x", "y"});
  (*counter)->Increment({"x"}, -1);
  EXPECT_EQ(registry.Render(), "# HELP c_total c\n# TYPE c_total counter\n");
  (*counter)->Touch({"x"});
  EXPECT_TRUE(absl::StrContains(registry.Render(), "c_total{a=\"x\"} 0\n"));
}

TEST(MetricsRegistryTest, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  auto gauge = registry.AddGauge("g", "line one\nback\\slash", {"v"});
  ASSERT_TRUE(gauge.ok());
  (*gauge)->Set({"a\"b\\c\nd"}, 1.5);
  EXPECT_EQ(registry.Render(),
            "# HELP g line one\\nback\\\\slash\n"
            "# TYPE g gauge\n"
            "g{v=\"a\\\"b\\\\c\\nd\"} 1.5\n");
}

TEST(MetricsRegistryTest, GaugesGoUpAndDown) {
  MetricsRegistry registry;
  auto gauge = registry.AddGauge("depth", "d");
  ASSERT_TRUE(gauge.ok());
  (*gauge)->Add({}, 3);
  (*gauge)->Add({}, -1);
  EXPECT_EQ((*gauge)->Value({}), 2);
  EXPECT_TRUE(absl::StrContains(registry.Render(), "\ndepth 2\n"));
}

TEST(MetricsRegistryTest, HistogramBucketsAreCumulativeWithInfSumAndCount) {
  MetricsRegistry registry;
  auto latency =
      registry.AddHistogram("lat_seconds", "l", {"method"}, {0.01, 0.1, 1});
  ASSERT_TRUE(latency.ok()) << latency.status();
  for (double v : {0.005, 0.01, 0.05, 0.5, 3.0}) {
    (*latency)->Observe({"Get"}, v);
  }
  EXPECT_EQ((*latency)->Count({"Get"}), 5u);
  EXPECT_EQ(registry.Render(),
            "# HELP lat_seconds l\n"
            "# TYPE lat_seconds histogram\n"
            "lat_seconds_bucket{method=\"Get\",le=\"0.01\"} 2\n"
            "lat_seconds_bucket{method=\"Get\",le=\"0.1\"} 3\n"
            "lat_seconds_bucket{method=\"Get\",le=\"1\"} 4\n"
            "lat_seconds_bucket{method=\"Get\",le=\"+Inf\"} 5\n"
            "lat_seconds_sum{method=\"Get\"} 3.565\n"
            "lat_seconds_count{method=\"Get\"} 5\n");
}

TEST(MetricsRegistryTest, HistogramWithoutLabels) {
  MetricsRegistry registry;
  auto h = registry.AddHistogram("h", "h", {}, {1});
  ASSERT_TRUE(h.ok());
  (*h)->Observe({}, 2);
  EXPECT_EQ(registry.Render(),
            "# HELP h h\n# TYPE h histogram\n"
            "h_bucket{le=\"1\"} 0\nh_bucket{le=\"+Inf\"} 1\n"
            "h_sum 2\nh_count 1\n");
}

TEST(MetricsRegistryTest, CallbackGaugesAreSampledAtEachRender) {
  MetricsRegistry registry;
  double depth = 4;
  ASSERT_TRUE(registry
                  .AddCallbackGauge("outbox_depth", "pending",
                                    [&]() -> absl::StatusOr<double> {
                                      if (depth < 0) {
                                        return absl::UnavailableError("busy");
                                      }
                                      return depth;
                                    })
                  .ok());
  EXPECT_TRUE(absl::StrContains(registry.Render(), "\noutbox_depth 4\n"));
  depth = 7;
  EXPECT_TRUE(absl::StrContains(registry.Render(), "\noutbox_depth 7\n"));
  depth = -1;  // a failed sample leaves the value out, not the family
  EXPECT_EQ(registry.Render(),
            "# HELP outbox_depth pending\n# TYPE outbox_depth gauge\n");
}

TEST(MetricsRegistryTest, RefusesBadNamesDuplicatesAndBuckets) {
  MetricsRegistry registry;
  EXPECT_EQ(registry.AddCounter("bad-name", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounter("1abc", "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounter("ok", "x", {"__reserved"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddCounter("ok", "x", {"a:b"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddHistogram("h", "x", {"le"}, {1}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.AddHistogram("h", "x", {}, {1, 1}).status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(registry.AddCounter("ok", "x").ok());
  EXPECT_EQ(registry.AddGauge("ok", "x").status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST(MetricsRegistryTest, ConcurrentIncrementsAreAllCounted) {
  MetricsRegistry registry;
  auto counter = registry.AddCounter("n_total", "n", {"t"});
  auto histogram =
      registry.AddHistogram("d", "d", {"t"}, LatencyBucketsSeconds());
  ASSERT_TRUE(counter.ok() && histogram.ok());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        (*counter)->Increment({"x"});
        (*histogram)->Observe({"x"}, 0.002);
        if (i % 1000 == 0) registry.Render();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ((*counter)->Value({"x"}), 40000);
  EXPECT_EQ((*histogram)->Count({"x"}), 40000u);
}

TEST(MetricsHttpServerTest, ServesGetMetricsAndNothingElse) {
  MetricsRegistry registry;
  auto counter = registry.AddCounter("scrapes_total", "s");
  ASSERT_TRUE(counter.ok());
  (*counter)->Increment({}, 3);
  auto server = MetricsHttpServer::Start("127.0.0.1:0", &registry);
  ASSERT_TRUE(server.ok()) << server.status();
  ASSERT_GT((*server)->port(), 0);
  httplib::Client client("127.0.0.1", (*server)->port());
  httplib::Result page = client.Get("/metrics");
  ASSERT_TRUE(page) << httplib::to_string(page.error());
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), kMetricsContentType);
  EXPECT_EQ(page->body, registry.Render());
  EXPECT_TRUE(absl::StrContains(page->body, "\nscrapes_total 3\n"));
  httplib::Result other = client.Get("/");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 404);
  httplib::Result post = client.Post("/metrics", "x", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_NE(post->status, 200);
}

TEST(MetricsHttpServerTest, RefusesAnAddressWithoutPort) {
  MetricsRegistry registry;
  EXPECT_EQ(MetricsHttpServer::Start("localhost", &registry).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MetricsHttpServer::Start("127.0.0.1:x", &registry).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace tandem::common
