#include "phal/language.h"

#include <gtest/gtest.h>

namespace hark::phal {
namespace {

TEST(NormalizedLanguage, SpellsCodesAsMycroftConfDoes) {
  EXPECT_EQ(normalized_language("en_US"), "en-us");
  EXPECT_EQ(normalized_language("pt-BR"), "pt-br");
  EXPECT_EQ(normalized_language("de"), "de");
  EXPECT_EQ(normalized_language("zh-Hant-TW"), "zh-hant-tw");
  EXPECT_EQ(normalized_language("es-419"), "es-419");
}

TEST(NormalizedLanguage, RefusesWhatIsNoLanguageCode) {
  for (const char* code : {"", "e", "english", "en-", "-us", "en--us", "en-u", "en us", "../../etc",
                           "en-us;rm", "1a", "en-a-b-c-d", "en-toolongsubtag"}) {
    EXPECT_EQ(normalized_language(code), std::nullopt) << code;
  }
}

}  // namespace
}  // namespace hark::phal
