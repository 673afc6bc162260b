// A generated corpus of skills for the intent benchmark: `count` skill folders, each with five
// .intent files of a device or topic of its own ("turn on the garden sprinkler", "is the
// garden sprinkler on"), written as real files so that loading them is measured too. The same
// count always gives the same files.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace hark::bench {

inline std::vector<std::filesystem::path> write_generated_skills(const std::filesystem::path& dir,
                                                                 int count) {
  static const std::vector<std::string> places = {
      "garden",   "kitchen", "garage",  "attic",      "office",   "bedroom", "porch",
      "basement", "hallway", "studio",  "greenhouse", "workshop", "pantry",  "balcony",
      "cellar",   "nursery", "library", "shed",       "patio",    "loft"};
  static const std::vector<std::string> things = {
      "sprinkler", "heater",    "fan",          "blinds",     "camera",
      "speaker",   "projector", "dehumidifier", "aquarium",   "printer",
      "kettle",    "robot",     "doorbell",     "thermostat", "purifier"};
  std::vector<std::filesystem::path> skills;
  for (int i = 0; i < count; ++i) {
    const auto& place = places[i % places.size()];
    const auto& thing = things[(i / places.size() + i * 7) % things.size()];
    const std::string device = place + " " + thing;
    const auto skill = dir / ("generated-" + std::to_string(i));
    const auto locale = skill / "locale" / "en-us";
    std::filesystem::create_directories(locale);
    auto write = [&](const std::string& name, const std::vector<std::string>& lines) {
      std::ofstream out(locale / (name + ".intent"));
      for (const auto& line : lines) out << line << '\n';
    };
    write("on", {"(turn|switch) on [the] " + device, "start [the] " + device,
                 "(activate|enable) [the] " + device, "i want the " + device + " on"});
    write("off", {"(turn|switch) off [the] " + device, "stop [the] " + device,
                  "(deactivate|disable) [the] " + device, "shut [down] [the] " + device});
    write("status", {"is the " + device + " (on|running|working)",
                     "(what is|tell me) the status of [the] " + device, "check [the] " + device});
    write("set", {"set [the] " + device + " to {level}", "change [the] " + device + " to {level}",
                  "put [the] " + device + " (at|on) {level}"});
    write("schedule", {"schedule [the] " + device + " (for|at) {time}",
                       "run [the] " + device + " (every|each) {day}",
                       "when (does|will) [the] " + device + " run [next]"});
    skills.push_back(skill);
  }
  return skills;
}

}  // namespace hark::bench
