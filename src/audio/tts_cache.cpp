#include "audio/tts_cache.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <vector>

#include "audio/wav.h"
#include "core/md5.h"

namespace hark::audio {
namespace fs = std::filesystem;
namespace {

// A name safe as one path component: voices such as "en-us+f3" keep their spelling, a "/" or a
// leading dot does not survive.
std::string folder_name(std::string_view name) {
  std::string safe;
  for (char c : name) safe += (c == '/' || c == '\\') ? '_' : c;
  if (safe.empty() || safe.front() == '.') safe = "_" + safe;
  return safe;
}

std::uintmax_t count_bytes(const fs::path& dir) {
  std::uintmax_t total = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec)) total += it->file_size(ec);
  }
  return total;
}

}  // namespace

TtsCache::TtsCache(fs::path dir, std::uintmax_t max_bytes)
    : dir_(std::move(dir)), max_bytes_(max_bytes) {}

fs::path TtsCache::file_for(std::string_view engine, std::string_view voice,
                            std::string_view text) const {
  return dir_ / folder_name(engine) / folder_name(voice) / (md5_hex(text) + ".wav");
}

std::optional<Pcm> TtsCache::find(const TtsEngine& engine, std::string_view text) {
  if (max_bytes_ == 0) return std::nullopt;
  auto path = file_for(engine.name(), engine.voice(), text);
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  try {
    Pcm pcm = read_wav(path);
    // Least recently used goes first, so a hit counts as a use.
    fs::last_write_time(path, fs::file_time_type::clock::now(), ec);
    return pcm;
  } catch (const WavError& e) {
    spdlog::warn("TTS cache: ignoring a damaged file, it will be written again: {}", e.what());
    return std::nullopt;
  }
}

void TtsCache::store(const TtsEngine& engine, std::string_view text, const Pcm& pcm) {
  if (max_bytes_ == 0 || pcm.samples.empty()) return;
  auto path = file_for(engine.name(), engine.voice(), text);
  // Written beside and renamed, so a crash never leaves half a file under the final name.
  auto partial = path;
  static std::atomic<unsigned> writes = 0;
  partial += fmt::format(".{}-{}.part", ::getpid(), ++writes);
  std::error_code ec;
  try {
    fs::create_directories(path.parent_path());
    std::uintmax_t replaced = fs::exists(path, ec) ? fs::file_size(path, ec) : 0;
    write_wav(partial, pcm);
    std::uintmax_t written = fs::file_size(partial);
    fs::rename(partial, path);
    std::lock_guard hold(mutex_);
    if (!total_bytes_) {
      total_bytes_ = count_bytes(dir_);
    } else {
      *total_bytes_ += written;
      *total_bytes_ -= std::min(replaced, *total_bytes_);
    }
    evict_over_limit();
  } catch (const std::exception& e) {
    fs::remove(partial, ec);
    spdlog::warn("TTS cache: cannot store {}: {}", path.string(), e.what());
  }
}

Pcm TtsCache::synthesize(TtsEngine& engine, std::string_view text) {
  if (auto cached = find(engine, text)) return std::move(*cached);
  Pcm pcm = engine.synthesize(text);
  store(engine, text, pcm);
  return pcm;
}

std::uintmax_t TtsCache::size_bytes() {
  std::lock_guard hold(mutex_);
  if (!total_bytes_) total_bytes_ = count_bytes(dir_);
  return *total_bytes_;
}

void TtsCache::evict_over_limit() {
  if (*total_bytes_ <= max_bytes_) return;
  struct Entry {
    fs::file_time_type used;
    std::uintmax_t bytes;
    fs::path path;
  };
  std::vector<Entry> entries;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir_, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".wav") {
      entries.push_back({it->last_write_time(ec), it->file_size(ec), it->path()});
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry& a, const Entry& b) { return a.used < b.used; });
  // Down to 90 % of the limit, so that the next few stores do not each scan the folder again.
  std::uintmax_t target = max_bytes_ / 10 * 9;
  std::uintmax_t total = count_bytes(dir_);
  for (const auto& entry : entries) {
    if (total <= target) break;
    if (fs::remove(entry.path, ec)) total -= std::min(entry.bytes, total);
  }
  total_bytes_ = total;
}

}  // namespace hark::audio
