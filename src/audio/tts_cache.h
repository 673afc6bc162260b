// Synthesized sentences on disk, so a repeated answer plays without synthesis:
// <dir>/<engine>/<voice>/<md5 of the sentence>.wav (OVOS names its cache files the same way).
// The folder is bounded: after a write, the least recently used files go until the total is
// under the limit. A file that does not read back as mono audio is ignored (and overwritten by
// the next store).
//
//   hark::audio::TtsCache cache(hark::config::user_cache_dir() / "hark" / "tts", 64 << 20);
//   auto pcm = cache.find(engine, "Hello.");   // std::nullopt on a miss
//   if (!pcm) cache.store(engine, "Hello.", *pcm = engine.synthesize("Hello."));
#pragma once

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string_view>

#include "audio/tts_engine.h"

namespace hark::audio {

class TtsCache {
 public:
  // `max_bytes` 0 disables the cache.
  TtsCache(std::filesystem::path dir, std::uintmax_t max_bytes);

  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path file_for(std::string_view engine, std::string_view voice,
                                 std::string_view text) const;

  // Thread-safe. find() logs and ignores unreadable files; store() logs and carries on when the
  // disk refuses (the answer still plays).
  std::optional<Pcm> find(const TtsEngine& engine, std::string_view text);
  void store(const TtsEngine& engine, std::string_view text, const Pcm& pcm);

  // The engine's audio for `text`, from the cache when there, synthesized (and stored) when not.
  Pcm synthesize(TtsEngine& engine, std::string_view text);

  std::uintmax_t size_bytes();

 private:
  void evict_over_limit();

  std::filesystem::path dir_;
  std::uintmax_t max_bytes_;
  std::mutex mutex_;
  std::optional<std::uintmax_t> total_bytes_;  // counted on first need
};

}  // namespace hark::audio
