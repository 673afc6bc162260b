#include "intent/english_lexicon.h"

#include <gtest/gtest.h>

namespace hark::intent {
namespace {

TEST(EnglishStem, EndingsGoButASpeakerIsNoSpeak) {
  EXPECT_EQ(english_stem("louder"), "loud");
  EXPECT_EQ(english_stem("raining"), "rain");
  EXPECT_EQ(english_stem("speakers"), "speaker");
  EXPECT_EQ(english_stem("speaker"), "speaker");
  EXPECT_EQ(english_stem("speaking"), "speak");
}

TEST(EnglishSaidPlainly, TurnedOffIsCancelledWhereverTheParticleIs) {
  EXPECT_EQ(english_said_plainly("turn off the timer"), "cancel the timer");
  EXPECT_EQ(english_said_plainly("switch the kitchen timer off please"),
            "cancel the kitchen timer please");
  EXPECT_EQ(english_said_plainly("turn off all my alarms"), "cancel all my alarms");
}

TEST(EnglishSaidPlainly, TheSoundIsMutedAndUnmuted) {
  EXPECT_EQ(english_said_plainly("turn the sound back on"), "unmute the sound");
  EXPECT_EQ(english_said_plainly("switch on the audio"), "unmute the sound");
  EXPECT_EQ(english_said_plainly("turn off the speakers"), "mute the sound");
}

TEST(EnglishSaidPlainly, UpAndDownWithNoObjectTurnTheVolume) {
  EXPECT_EQ(english_said_plainly("turn it up a bit"), "increase the volume a bit");
  EXPECT_EQ(english_said_plainly("hey, turn it down!"), "hey, decrease the volume!");
  EXPECT_EQ(english_said_plainly("crank up the music"), "increase the volume");
  EXPECT_EQ(english_said_plainly("turn the volume all the way up"), "set the volume to maximum");
  EXPECT_EQ(english_said_plainly("turn it up all the way"), "set the volume to maximum");
  EXPECT_EQ(english_said_plainly("turn the volume down low"), "set the volume to low");
}

TEST(EnglishSaidPlainly, LouderOrQuieterAloneIsTheVolume) {
  EXPECT_EQ(english_said_plainly("could you make it a tad louder please"),
            "increase the volume please");
  EXPECT_EQ(english_said_plainly("quieter"), "decrease the volume");
  EXPECT_EQ(english_said_plainly("you're too loud"), "decrease the volume");
  // Something else is louder, or the sound is named: as said.
  EXPECT_EQ(english_said_plainly("the neighbours are louder than ever"),
            "the neighbours are louder than ever");
  EXPECT_EQ(english_said_plainly("make the music louder"), "make the music louder");
}

TEST(EnglishSaidPlainly, WhichPlaceIsWhere) {
  EXPECT_EQ(english_said_plainly("which country do you come from"), "where do you come from");
  EXPECT_EQ(english_said_plainly("what city am i in"), "where am i in");
  EXPECT_EQ(english_said_plainly("what city should i visit"), "what city should i visit");
}

TEST(EnglishSaidPlainly, StopIdioms) {
  EXPECT_EQ(english_said_plainly("cut it out"), "stop");
  EXPECT_EQ(english_said_plainly("oh knock it off"), "oh stop");
  EXPECT_EQ(english_said_plainly("shut up please"), "stop please");
  EXPECT_EQ(english_said_plainly("hey be quiet now"), "hey stop now");
  EXPECT_EQ(english_said_plainly("shush"), "stop");
  // An idiom among other words is about something else.
  EXPECT_EQ(english_said_plainly("tell the kids to be quiet"), "tell the kids to be quiet");
}

TEST(EnglishSaidPlainly, OtherThingsTurnedStayAsSaid) {
  for (const char* text : {"turn up the heat", "turn down the bed", "turn on the kitchen lights",
                           "turn it off and on again", "turn the volume knob on the radio",
                           "it is my turn", "what time is it", "", "turn"})
    EXPECT_EQ(english_said_plainly(text), text);
}

}  // namespace
}  // namespace hark::intent
