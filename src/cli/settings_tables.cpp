#include "cli/settings_tables.h"

#include "audio/settings.h"
#include "bus/settings.h"
#include "listener/settings.h"
#include "phal/settings.h"
#include "phal_admin/settings.h"
#include "pipeline/settings.h"
#include "supervisor/settings.h"

namespace hark::cli {

std::span<const ServiceSettings> known_settings() {
  static const ServiceSettings tables[] = {
      {"bus", bus::settings(), bus::validate},
      {"core", pipeline::settings(), pipeline::validate},
      {"phal", phal::settings(), phal::validate},
      {"phal-admin", phal_admin::settings(), phal_admin::validate},
      {"up", supervisor::settings(), supervisor::validate},
      {"audio", audio::settings(), audio::validate},
      {"listener", listener::settings(), listener::validate},
  };
  return tables;
}

}  // namespace hark::cli
