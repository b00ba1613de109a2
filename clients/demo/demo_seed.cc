// Placeholder until the demo seeder lands (see demo_seed.h).
#include "clients/demo/demo_seed.h"

namespace tandem::demo {

absl::StatusOr<DemoSeedSummary> SeedDemo(const DemoSeedChannels&,
                                         const DemoSeedOptions&, bool) {
  return absl::UnimplementedError("demo seed is not written yet");
}

}  // namespace tandem::demo
