#include "intent/english_lexicon.h"

#include <gtest/gtest.h>

namespace hark::intent {
namespace {

TEST(EnglishPlainVerbs, TurnedOffIsCancelledWhereverTheParticleIs) {
  EXPECT_EQ(english_plain_verbs("turn off the timer"), "cancel the timer");
  EXPECT_EQ(english_plain_verbs("switch the kitchen timer off please"),
            "cancel the kitchen timer please");
  EXPECT_EQ(english_plain_verbs("turn off all my alarms"), "cancel all my alarms");
}

TEST(EnglishPlainVerbs, TheSoundIsMutedAndUnmuted) {
  EXPECT_EQ(english_plain_verbs("turn the sound back on"), "unmute the sound");
  EXPECT_EQ(english_plain_verbs("switch on the audio"), "unmute the sound");
  EXPECT_EQ(english_plain_verbs("turn off the speakers"), "mute the sound");
}

TEST(EnglishPlainVerbs, UpAndDownWithNoObjectTurnTheVolume) {
  EXPECT_EQ(english_plain_verbs("turn it up a bit"), "increase the volume a bit");
  EXPECT_EQ(english_plain_verbs("hey, turn it down!"), "hey, decrease the volume!");
  EXPECT_EQ(english_plain_verbs("crank up the music"), "increase the volume");
  EXPECT_EQ(english_plain_verbs("turn the volume all the way up"), "set the volume to maximum");
  EXPECT_EQ(english_plain_verbs("turn it up all the way"), "set the volume to maximum");
  EXPECT_EQ(english_plain_verbs("turn the volume down low"), "set the volume to low");
}

TEST(EnglishPlainVerbs, LouderOrQuieterAloneIsTheVolume) {
  EXPECT_EQ(english_plain_verbs("could you make it a tad louder please"),
            "increase the volume please");
  EXPECT_EQ(english_plain_verbs("quieter"), "decrease the volume");
  EXPECT_EQ(english_plain_verbs("you're too loud"), "decrease the volume");
  // Something else is louder, or the sound is named: as said.
  EXPECT_EQ(english_plain_verbs("the neighbours are louder than ever"),
            "the neighbours are louder than ever");
  EXPECT_EQ(english_plain_verbs("make the music louder"), "make the music louder");
}

TEST(EnglishPlainVerbs, StopIdioms) {
  EXPECT_EQ(english_plain_verbs("cut it out"), "stop");
  EXPECT_EQ(english_plain_verbs("oh knock it off"), "oh stop");
  EXPECT_EQ(english_plain_verbs("shut up please"), "stop please");
  EXPECT_EQ(english_plain_verbs("hey be quiet now"), "hey stop now");
  EXPECT_EQ(english_plain_verbs("shush"), "stop");
  // An idiom among other words is about something else.
  EXPECT_EQ(english_plain_verbs("tell the kids to be quiet"), "tell the kids to be quiet");
}

TEST(EnglishPlainVerbs, OtherThingsTurnedStayAsSaid) {
  for (const char* text : {"turn up the heat", "turn down the bed", "turn on the kitchen lights",
                           "turn it off and on again", "turn the volume knob on the radio",
                           "it is my turn", "what time is it", "", "turn"})
    EXPECT_EQ(english_plain_verbs(text), text);
}

}  // namespace
}  // namespace hark::intent
