// Bitsets over one day's booking grid: bit s is slot s (the grid step that
// starts at origin + s * grid minutes). 128 bits cover a 32-hour day at a
// 15-minute grid, so a day is always one value and every check is a handful
// of word operations.
#ifndef TANDEM_SCHEDULER_INTERNAL_SLOT_MASK_H_
#define TANDEM_SCHEDULER_INTERNAL_SLOT_MASK_H_

#include <cstdint>

namespace tandem::scheduler::internal {

__extension__ typedef unsigned __int128 SlotMask;

inline constexpr int kMaxSlotsPerDay = 128;

// Bits [from, to), clipped to [0, 128).
inline SlotMask SlotRange(int from, int to) {
  if (from < 0) from = 0;
  if (to > kMaxSlotsPerDay) to = kMaxSlotsPerDay;
  if (from >= to) return 0;
  const SlotMask ones = ~SlotMask{0};
  SlotMask upper = to == kMaxSlotsPerDay ? ones : ((SlotMask{1} << to) - 1);
  return upper & ~((SlotMask{1} << from) - 1);
}

// Bit s is set iff bits s .. s+len-1 of `free` are all set: the slots where a
// block of `len` slots can start. Doubling keeps it to log2(len) steps.
inline SlotMask RunStarts(SlotMask free, int len) {
  if (len <= 1) return len == 1 ? free : ~SlotMask{0};
  if (len > kMaxSlotsPerDay) return 0;
  SlotMask r = free;
  int covered = 1;
  while (covered < len) {
    const int step = covered < len - covered ? covered : len - covered;
    r &= r >> step;
    covered += step;
  }
  return r;
}

inline int LowestSlot(SlotMask m) {  // m must be non-zero.
  const uint64_t lo = static_cast<uint64_t>(m);
  if (lo != 0) return __builtin_ctzll(lo);
  return 64 + __builtin_ctzll(static_cast<uint64_t>(m >> 64));
}

inline int HighestSlot(SlotMask m) {  // m must be non-zero.
  const uint64_t hi = static_cast<uint64_t>(m >> 64);
  if (hi != 0) return 127 - __builtin_clzll(hi);
  return 63 - __builtin_clzll(static_cast<uint64_t>(m));
}

inline bool HasSlot(SlotMask m, int s) {
  return s >= 0 && s < kMaxSlotsPerDay && ((m >> s) & 1) != 0;
}

// The set slot nearest to `target` (ties go to the earlier slot), or -1.
inline int NearestSlot(SlotMask m, int target) {
  if (m == 0) return -1;
  if (HasSlot(m, target)) return target;
  const SlotMask below = m & SlotRange(0, target);
  const SlotMask above = m & SlotRange(target + 1, kMaxSlotsPerDay);
  const int b = below ? HighestSlot(below) : -1;
  const int a = above ? LowestSlot(above) : -1;
  if (b < 0) return a;
  if (a < 0) return b;
  return (target - b) <= (a - target) ? b : a;
}

}  // namespace tandem::scheduler::internal

#endif  // TANDEM_SCHEDULER_INTERNAL_SLOT_MASK_H_
