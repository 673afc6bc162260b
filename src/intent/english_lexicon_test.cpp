#include "intent/english_lexicon.h"

#include <gtest/gtest.h>

#include <string_view>
#include <utility>
#include <vector>

namespace hark::intent {
namespace {

using Cases = std::vector<std::pair<std::string_view, std::string_view>>;

// Each case: what is said, and how english_said_plainly says it.
void expect_said_plainly(const Cases& cases) {
  for (const auto& [said, plainly] : cases) EXPECT_EQ(english_said_plainly(said), plainly);
}

TEST(EnglishStem, EndingsGoButASpeakerIsNoSpeak) {
  for (const auto& [word, stem] : Cases{{"louder", "loud"},
                                        {"raining", "rain"},
                                        {"speakers", "speaker"},
                                        {"speaker", "speaker"},
                                        {"speaking", "speak"}})
    EXPECT_EQ(english_stem(word), stem);
}

TEST(EnglishStem, APluralHasItsSingularsStem) {
  for (const auto& [plural, singular] : Cases{{"developers", "developer"},
                                              {"timers", "timer"},
                                              {"reminders", "reminder"},
                                              {"days", "day"},
                                              {"boxes", "box"}})
    EXPECT_EQ(english_stem(plural), english_stem(singular)) << plural;
}

TEST(EnglishSaidPlainly, TurnedOffIsCancelledWhereverTheParticleIs) {
  expect_said_plainly({{"turn off the timer", "cancel the timer"},
                       {"switch the kitchen timer off please", "cancel the kitchen timer please"},
                       {"turn off all my alarms", "cancel all my alarms"}});
}

TEST(EnglishSaidPlainly, TheSoundIsMutedAndUnmuted) {
  expect_said_plainly({{"turn the sound back on", "unmute the sound"},
                       {"switch on the audio", "unmute the sound"},
                       {"turn off the speakers", "mute the sound"}});
}

TEST(EnglishSaidPlainly, UpAndDownWithNoObjectTurnTheVolume) {
  expect_said_plainly({{"turn it up a bit", "increase the volume a bit"},
                       {"hey, turn it down!", "hey, decrease the volume!"},
                       {"crank up the music", "increase the volume"},
                       {"turn the volume all the way up", "set the volume to maximum"},
                       {"turn it up all the way", "set the volume to maximum"},
                       {"turn the volume down low", "set the volume to low"},
                       {"can you speak up a bit", "can you increase the volume a bit"}});
}

TEST(EnglishSaidPlainly, RemindingWakingTimingAndRemovingSaidAnotherWay) {
  expect_said_plainly(
      {{"don't let me forget to take my pills", "remind me to take my pills"},
       {"please remember to tell me to pay the rent", "please remind me to pay the rent"},
       {"get me up at 6", "wake me up at 6"},
       {"i need to get up at 6 tomorrow morning", "wake me up at 6 tomorrow morning"},
       {"get rid of all my alarms", "remove all my alarms"},
       {"can you time 25 minutes for the cake", "can you set a timer for 25 minutes for the cake"},
       {"count down from an hour and a half", "set a timer for an hour and a half"},
       {"count down from ten", "count down from ten"},
       {"what time is it", "what time is it"},
       {"i remember to tell you things", "i remember to tell you things"}});
}

TEST(EnglishSaidPlainly, TheAssistantsBirthMakingAndSleepSaidAnotherWay) {
  expect_said_plainly(
      {{"when did you come into the world", "when did you come into existence"},
       {"do you have a birthday", "when is your birthday"},
       {"what's your hometown", "where do you come from"},
       {"who wrote your code", "who programmed you"},
       {"tell me who put you together", "tell me who built you"},
       {"where do i live", "where am i"},
       {"how many years you have", "what is your age"},
       {"how long have you been around", "what is your age around"},
       {"how long have you been playing music", "how long have you been playing music"},
       {"where did you grow up", "where do you come from"},
       {"do you have a name", "what is your name"},
       {"sorry i forgot what you're called", "sorry i forgot what is your name"},
       {"what name did they give you", "what is your name"},
       {"when did they make you", "when were you made"},
       {"stop listening for a while", "go to sleep"},
       {"time for bed assistant", "time to sleep assistant"},
       {"who wrote hamlet", "who wrote hamlet"}});
}

TEST(EnglishSaidPlainly, HowItIsOutsideIsTheWeather) {
  expect_said_plainly(
      {{"how's it looking out there this morning", "how is the weather outside this morning"},
       {"what are things like outside", "how is the weather outside"},
       {"how is it outside for the dog", "how is it outside for the dog"}});
}

TEST(EnglishSaidPlainly, TheVolumePutAtALevel) {
  expect_said_plainly({{"put the volume at 7", "set the volume to 7"},
                       {"put the sound on low", "set the volume to low"},
                       {"full blast please", "maximum volume please"},
                       {"put the kettle on", "put the kettle on"}});
}

TEST(EnglishSaidPlainly, LouderOrQuieterAloneIsTheVolume) {
  expect_said_plainly(
      {{"could you make it a tad louder please", "increase the volume please"},
       {"quieter", "decrease the volume"},
       {"you're too loud", "decrease the volume"},
       {"not so loud", "decrease the volume"},
       // Something else is louder, or the sound is named: as said.
       {"the neighbours are louder than ever", "the neighbours are louder than ever"},
       {"make the music louder", "make the music louder"}});
}

TEST(EnglishSaidPlainly, WhichPlaceIsWhere) {
  expect_said_plainly({{"which country do you come from", "where do you come from"},
                       {"what city am i in", "where am i in"},
                       {"what city should i visit", "what city should i visit"}});
}

TEST(EnglishSaidPlainly, WhichMakerIsWho) {
  expect_said_plainly({{"which company built you", "who built you"},
                       {"what people made you", "who made you"},
                       {"which company", "which company"},
                       {"what time is it", "what time is it"}});
}

TEST(EnglishSaidPlainly, WhatTheAssistantIsAskedYesOrNo) {
  expect_said_plainly({{"are you a robot", "what are you"},
                       {"so are you like a chatbot or what", "what are you"},
                       {"are you a real person or a computer", "what are you"},
                       {"are you some kind of computer program", "what are you"},
                       {"wait are you just a chatbot", "what are you"},
                       {"do you have a body or are you just software", "what are you"},
                       {"are you a fan of the beatles", "are you a fan of the beatles"},
                       {"tell me if you are a robot", "tell me if you are a robot"},
                       {"are you awake", "are you awake"}});
}

TEST(EnglishSaidPlainly, WhereSomeoneIsFromIsWhereTheyComeFrom) {
  expect_said_plainly({{"where are you from", "where do you come from"},
                       {"where are you originally from", "where do you come from"},
                       {"where do you hail from", "where do you come from"},
                       {"which country are you from", "where do you come from"},
                       {"where are you going", "where are you going"}});
}

TEST(EnglishSaidPlainly, AClauseOfTheSpeakersOwnAfterTheRequestIsContext) {
  expect_said_plainly(
      {{"can you tell me what the time is i'm running late", "can you tell me what the time is"},
       {"should we go out now we're late", "should we go out now"},
       {"i was wondering what it's like out there i need to go", "how is the weather outside"},
       // A question's clause of purpose or reason, but not one of when it is about.
       {"could you count to 3 so we can start the race", "could you count to 3"},
       {"is it cold out because my kids want to swim", "is it cold out"},
       {"what's the weather when i land in paris", "what's the weather when i land in paris"},
       // The first person inside the request: after an auxiliary, a question word, a verb that
       // takes a clause; too few words before it; a statement.
       {"what language do you think i speak", "which language am i speaking"},
       {"remind me when we get home", "remind me when we get home"},
       {"where do i park the car", "where do i park the car"},
       {"what time i wonder", "what time i wonder"},
       {"the weather was awful i stayed in", "the weather was awful i stayed in"},
       {"thanks i", "thanks i"},
       {"were there any alerts i missed", "were there any alerts i missed"}});
}

TEST(EnglishSaidPlainly, AStatementOfTheSpeakersOwnBeforeTheRequestIsContext) {
  expect_said_plainly(
      {{"i always get this one wrong how do you spell definitely", "how do you spell definitely"},
       {"my hands are covered in flour can you set a timer", "can you set a timer"},
       {"i'm on a work call so please just sleep", "please just sleep"},
       {"my grandma wants to know who you are", "who you are"},
       {"i'm trying to ssh in what's your ip address", "what is your ip address"},
       {"i'm about to leave what's the weather like", "what's the weather like"},
       {"i'm heading out remind me at 5 to pick up the dry cleaning",
        "remind me at 5 to pick up the dry cleaning"},
       {"my son wants to know if it's going to snow", "it's going to snow"},
       {"i was wondering what day you were born on", "when you were born on"},
       {"the baby's napping so you should take a nap too", "you should take a nap too"},
       {"my feet are cold so turn up the heat", "turn up the heat"},
       {"i was wondering what it's like outside", "how is the weather outside"},
       // Not a question that inverts, nor one the speaker's words lead to.
       {"i think that is it", "i think that is it"},
       {"the weather is so nice today", "the weather is so nice today"},
       {"i was late so the bus left", "i was late so the bus left"},
       {"i asked him to set the table", "i asked him to set the table"},
       {"the kids want to know can you tell a joke", "the kids want to know can you tell a joke"}});
}

TEST(EnglishSaidPlainly, QuestionsSaidAnotherWay) {
  expect_said_plainly(
      {{"how many degrees is it outside", "what temperature is it outside"},
       {"should i take an umbrella", "do i need an umbrella"},
       {"should i grab an umbrella", "do i need an umbrella"},
       {"is your processor working hard", "what is your cpu usage"},
       {"excuse me which hour is it now", "excuse me what time is it now"},
       {"are you feeling good today", "how are you doing today"},
       {"how's life treating you", "how are you doing"},
       {"tell me the ip address of this device", "what is your ip address"},
       {"is there a graphics card in this thing", "do you have a gpu"},
       {"what wifi are you hooked up to", "what wifi network are you connected to"},
       {"which network did you join", "which network are you connected to"},
       {"kill the sound", "mute the volume"},
       {"can you count up to 20", "can you count to 20"},
       {"how do i write the word colonel letter by letter", "how do you spell the word colonel"},
       {"what letters are in the word colonel", "how do you spell the word colonel"},
       {"i'm bored crack me up", "i'm bored make me laugh"},
       {"know any good one liners", "know any good jokes"},
       {"say a joke related to football", "say a joke about football"},
       {"can you do a joke involving bananas", "can you do a joke about bananas"},
       {"who am i actually talking to", "who are you"},
       {"since when do you exist", "when were you created"},
       {"any chance of fog tonight", "will there be fog tonight"},
       {"take yourself off mute", "unmute yourself"},
       {"who are the people that built you", "who built you"},
       {"how long ago were you made", "when were you made"},
       {"what year were you born", "when were you born"},
       {"when were you switched on for the very first time", "when were you created"},
       {"which developers are behind you", "who made you"},
       {"i totally forgot what you're called", "what is your name"},
       {"how much longer on the pasta timer", "how much time is left on the pasta timer"},
       {"which linux kernel are you on", "what is your kernel version"},
       {"besides english what other languages do you speak", "what other languages do you have"},
       {"apart from your main language which others do you know",
        "what other languages do you have"},
       {"how loud are you set right now", "what is your volume set right now"},
       {"how low will the temperature drop tonight", "what is the low temperature drop tonight"},
       {"what's the hottest it'll get today", "what's the high temperature today"},
       {"is this some kind of computer program", "what are you"},
       {"can you count up to 50 for my son", "can you count to 50"},
       {"i want to make a new grocery list", "make a new grocery list"},
       {"when does the plane fly overhead", "when does the plane pass overhead"},
       {"what are the conditions like outside", "what is the weather like outside"},
       {"are we getting any snow today", "will there be any snow today"},
       {"at what hour does the sun rise", "when does the sun rise"},
       {"how many degrees is it right this minute", "what temperature is it now"},
       {"should i call him", "should i call him"}});
}

TEST(EnglishSaidPlainly, TermsOfAddressAtTheEndNameNothing) {
  expect_said_plainly({{"thanks buddy", "thanks"},
                       {"hey there mate", "hey there"},
                       {"could you read me the forecast love", "could you read me the forecast"},
                       {"hello there my friend", "hello there"},
                       {"good evening my friend", "good evening"},
                       // What the request is about, not whom it is said to.
                       {"call my friend", "call my friend"},
                       {"introduce yourself to my friend", "introduce yourself to my friend"},
                       {"send it to my buddy", "send it to my buddy"},
                       {"my buddy is here", "my buddy is here"}});
}

TEST(EnglishSaidPlainly, BeingAbleToIsCan) {
  expect_said_plainly(
      {{"what are you able to do", "what can you do"},
       {"which languages are you able to speak", "which languages can you speak"},
       {"list the languages you're able to understand", "list the languages you can understand"},
       {"am i able to set two timers", "can i set two timers"},
       {"the table is able to hold it", "the table is able to hold it"}});
}

TEST(EnglishSaidPlainly, AnAgeOrTheTimeAskedByItsAdjective) {
  expect_said_plainly({{"how old are you", "what is your age"},
                       {"hey how late is it now", "hey what time is it now"},
                       {"how old are your kids", "how old are your kids"},
                       {"how late is the train", "how late is the train"}});
}

TEST(EnglishSaidPlainly, HowAWordIsSpelledIsAskedActively) {
  expect_said_plainly({{"how is rhythm spelled", "how do you spell rhythm"},
                       {"how is new york spelt", "how do you spell new york"},
                       {"how is quinoa pronounced", "how do you pronounce quinoa"},
                       {"how is the report written", "how do you write the report"},
                       // No past participle at the end, or no question: as said.
                       {"how is it going", "how is it going"},
                       {"the word is spelled wrong", "the word is spelled wrong"}});
}

TEST(EnglishSaidPlainly, AppreciationIsThanks) {
  expect_said_plainly({{"i appreciate it, thanks", "thanks, thanks"},
                       {"much appreciated", "thanks"},
                       {"i appreciate your help", "i appreciate your help"}});
}

TEST(EnglishSaidPlainly, TillIsUntilAndCountingFromOneIsCounting) {
  expect_said_plainly({{"how long till new year's eve", "how long until new year's eve"},
                       {"how many days til christmas", "how many days until christmas"},
                       {"count from one to ten", "count to ten"},
                       {"please count from one to five", "please count to five"},
                       {"count from five to ten", "count from five to ten"}});
}

TEST(EnglishSaidPlainly, EverySingleThingIsEverythingHourByHourHourly) {
  expect_said_plainly({{"stop every single thing", "stop everything"},
                       {"hour by hour forecast please", "hourly forecast please"},
                       {"day by day", "daily"}});
}

TEST(EnglishSaidPlainly, AtTheMomentIsNow) {
  expect_said_plainly({{"what year is it at the moment", "what year is it now"},
                       {"who is at present in charge", "who is now in charge"}});
}

TEST(EnglishSaidPlainly, WhatOthersCallYouIsYourName) {
  expect_said_plainly({{"what do people call you", "what is your name"},
                       {"hey what should i call you", "hey what is your name"},
                       {"what do they call you", "what is your name"},
                       {"how should i address you", "what is your name"},
                       {"what name do you go by", "what is your name"},
                       // Something else is called: as said.
                       {"what do you call a baby kangaroo", "what do you call a baby kangaroo"},
                       {"what time should i call you", "what time should i call you"}});
}

TEST(EnglishSaidPlainly, AskingAfterSomeonesWellBeingIsHowAreYouDoing) {
  expect_said_plainly({{"how are you feeling today", "how are you doing today"},
                       {"how do you feel", "how are you doing"},
                       {"hey how do you feel this morning", "hey how are you doing this morning"},
                       // An opinion asked, or someone else's well-being: as said.
                       {"how do you feel about cats", "how do you feel about cats"},
                       {"how are they feeling", "how are they feeling"}});
}

TEST(EnglishSaidPlainly, StopIdioms) {
  expect_said_plainly({{"cut it out", "stop"},
                       {"oh knock it off", "oh stop"},
                       {"shut up please", "stop please"},
                       {"hey be quiet now", "hey stop now"},
                       {"shush", "stop"},
                       // An idiom among other words is about something else.
                       {"tell the kids to be quiet", "tell the kids to be quiet"}});
}

TEST(EnglishSaidPlainly, WhatIsPutOnAListOrAskedOfOneAreItsItems) {
  expect_said_plainly(
      {{"add milk and eggs to my shopping list", "add items milk and eggs to my shopping list"},
       {"put bread on the grocery list please", "add items bread on the grocery list please"},
       {"what's on my shopping list", "what items are on my shopping list"},
       {"what alarms do i have", "list my alarms"},
       {"did anything go off while i was away", "did i miss any alerts"},
       {"put a dentist appointment on my calendar for tuesday",
        "add a dentist appointment on my calendar for tuesday"},
       {"when will the iss be visible tonight", "when is the iss passing over"},
       {"which reminders have i got set", "list my reminders set"},
       {"what alarms have i missed", "what alarms have i missed"},
       {"read me the packing list", "read the items on the packing list"},
       // A list made, or items already named: as said.
       {"add a new shopping list", "add a new shopping list"},
       {"add an item to my list", "add an item to my list"},
       {"put the kettle on", "put the kettle on"},
       {"what's on tv tonight", "what's on tv tonight"}});
}

TEST(EnglishSaidPlainly, ANetworksSpeedAskedOrCheckedIsTheSpeedTest) {
  constexpr std::string_view kTest = "run an internet speed test";
  expect_said_plainly({{"check my internet speed", kTest},
                       {"how fast is the wifi right now", kTest},
                       {"the wifi feels really slow can you test it", kTest},
                       {"what's my broadband speed", kTest},
                       {"how many megabits am i getting", kTest},
                       {"see if the broadband is running at full speed", kTest},
                       {"what's the upload and download speed", kTest},
                       // A network, or a speed, said of something else: as said.
                       {"how do i speed up my wifi", "how do i speed up my wifi"},
                       {"my internet is so slow", "my internet is so slow"},
                       {"how fast can a cheetah run", "how fast can a cheetah run"},
                       {"check my internet bill", "check my internet bill"}});
}

TEST(EnglishSaidPlainly, TheSpaceStationIsAskedInItsSkillsWords) {
  expect_said_plainly(
      {{"how big is the crew on board the space station today",
        "how many people are on board the iss"},
       {"how many astronauts are in space right now", "how many people are on board the iss"},
       {"tell me who the crew of the iss is", "who is on board the iss"},
       {"when can i see the iss go over my house", "when is the iss passing over"},
       {"what time does the international space station pass overhead tonight",
        "when is the iss passing over"},
       {"where in the world is the space station these days", "where is the iss"},
       {"is the space station over the ocean right now", "where is the iss"},
       // The station named, nothing asked of it; or no station: as said.
       {"i watched a documentary about the space station",
        "i watched a documentary about the space station"},
       {"when does the train pass over the bridge", "when does the train pass over the bridge"},
       {"how many people live in tokyo", "how many people live in tokyo"}});
}

TEST(EnglishSaidPlainly, TheAssistantAskedAboutInOtherWords) {
  expect_said_plainly({{"so what exactly am i talking to", "so what exactly are you"},
                       {"um where's your birthplace", "um where were you born"},
                       {"hey who's the company behind you", "hey who made you"},
                       {"since when have you been around", "since when were you created"},
                       {"where do you come from originally", "where do you come from"},
                       {"introduce yourself to my grandma please", "introduce yourself please"},
                       // Said to someone else, or of another thing: as said.
                       {"what am i talking about", "what am i talking about"},
                       {"who are you talking to", "who are you talking to"}});
}

TEST(EnglishSaidPlainly, ALaughAskedForIsAJoke) {
  expect_said_plainly({{"i need a good laugh", "i make me laugh"},
                       {"let's hear a joke", "tell me a joke"},
                       {"entertain me with a joke", "tell me a joke"},
                       {"could you be funny for a second", "could you make me laugh for a second"},
                       {"that movie was funny", "that movie was funny"}});
}

TEST(EnglishSaidPlainly, TheAssistantsSystemAskedAboutInOtherWords) {
  expect_said_plainly(
      {{"how hard is your cpu working", "what is your cpu usage"},
       {"is your ram almost full", "what is your memory usage"},
       {"which graphics card is in this machine", "do you have a gpu"},
       {"what's the kernel release on this box", "what is your kernel version"},
       // The speaker's own, parts in general, or no use asked: as said.
       {"my cpu fan is making a grinding noise", "my cpu fan is making a grinding noise"},
       {"what's the best graphics card for gaming", "what's the best graphics card for gaming"},
       {"do you have a good memory", "do you have a good memory"}});
}

TEST(EnglishSaidPlainly, LanguagesAndPlacesAskedInTheDiagnosticsSkillsWords) {
  expect_said_plainly(
      {{"do you have any backup languages configured", "what other languages do you have"},
       {"what language do you hear me speaking", "which language am i speaking"},
       {"where is this device located", "where are you"},
       {"which town do you have me living in", "where am i"},
       // Where it comes from, where something of the speaker's is, a language of theirs: as said.
       {"where are you from originally", "where do you come from"},
       {"where did you put my car keys", "where did you put my car keys"},
       {"my language teacher gave us homework", "my language teacher gave us homework"}});
}

TEST(EnglishSaidPlainly, SleepSaidAsAModeARestOrGoodNight) {
  expect_said_plainly({{"switch into sleep mode", "enter sleep mode"},
                       {"can you go into hibernation", "can you enter hibernation"},
                       {"hibernate for now", "enter hibernation for now"},
                       {"nighty night", "go to sleep"},
                       {"enough for today take a siesta", "enough for today initiate siesta"},
                       {"the bears hibernate in winter", "the bears enter hibernation in winter"}});
}

TEST(EnglishSaidPlainly, TheAssistantsAddressAndNetworkAskedInOtherWords) {
  expect_said_plainly(
      {{"i need your local ip address", "what is your ip address"},
       {"only the end of your ip address please", "what are the last digits of your ip address"},
       {"which wireless network is this", "what wifi network are you connected to"},
       {"what's the name of the wifi", "what wifi network are you connected to"},
       // Another ip, another network's password: as said.
       {"my ip lawyer finally called back", "my ip lawyer finally called back"},
       {"what's the wifi password", "what's the wifi password"},
       {"connect to the guest wifi network", "connect to the guest wifi network"}});
}

TEST(EnglishSaidPlainly, AQuestionOpenedByAnyAsksWhetherThereAreAny) {
  expect_said_plainly(
      {{"any memos for me", "are there any memos for me"},
       {"any appointments coming up this week", "are there any appointments coming up this week"},
       {"any chance of rain", "will there be rain"},
       {"is there any milk left", "is there any milk left"}});
}

TEST(EnglishSaidPlainly, RainAndSunshineAskedInTheWeatherSkillsWords) {
  expect_said_plainly(
      {{"how long until it rains", "when will it rain next"},
       {"when is the rain supposed to start", "when will it rain next"},
       {"is the sun out", "is there sunshine"},
       {"are we getting blue skies this afternoon", "is there sunshine this afternoon"},
       // When the rain ends, when the sun rises, a sun said of something else: as said.
       {"when will the rain stop", "when will the rain stop"},
       {"when does the sun rise tomorrow", "when does the sun rise tomorrow"},
       {"the sun is a star", "the sun is a star"}});
}

TEST(EnglishSaidPlainly, WhatSomethingIsGoingToBeSaidLastIsWhatItIs) {
  expect_said_plainly({{"what's today's high going to be", "what's today's high"},
                       {"what's the temperature gonna be later", "what's the temperature later"},
                       {"is it going to be sunny", "is it going to be sunny"},
                       {"going to be late", "going to be late"}});
}

TEST(EnglishSaidPlainly, ClockTimesAreSpacedAsWords) {
  expect_said_plainly({{"alarm 7am", "alarm 7 am"},
                       {"wake me at 6:30pm please", "wake me at 6:30 pm please"},
                       {"remind me at 5 p.m. to call mom", "remind me at 5 pm to call mom"},
                       {"i ate 2 apples at 9a.m.", "i ate 2 apples at 9 am"},
                       {"5 amazing facts", "5 amazing facts"},
                       {"am i late", "am i late"}});
}

TEST(EnglishSaidPlainly, OtherThingsTurnedStayAsSaid) {
  for (std::string_view text :
       {"turn up the heat", "turn down the bed", "turn on the kitchen lights",
        "turn it off and on again", "turn the volume knob on the radio", "it is my turn",
        "what time is it", "", "turn"})
    EXPECT_EQ(english_said_plainly(text), text);
}

TEST(EnglishCommandSaid, OnItsOwnOfWhatIsGoingOnButNotOfAThing) {
  const std::vector<std::string> commands{"cancel", "stop", "never mind"};
  for (std::string_view text :
       {"stop", "nope cancel that", "okay so just stop", "can you stop please the baby is sleeping",
        "never mind thanks", "stop counting i get it", "whoa hang on stop", "stop that noise"})
    EXPECT_EQ(english_command_said(text, commands), EnglishCommandObject::Itself) << text;
  for (std::string_view text :
       {"stop everything", "cancel all of it right now", "just stop every single thing",
        "whatever's running stop all of it", "stop all the stuff that's going on right now"})
    EXPECT_EQ(english_command_said(text, commands), EnglishCommandObject::Everything) << text;
  for (std::string_view text :
       {"stop the car", "cancel my flight", "i need to stop", "the bus stop is across the street",
        "don't stop believing", "stop by the bakery", "we can't stop laughing", ""})
    EXPECT_FALSE(english_command_said(text, commands)) << text;
}

}  // namespace
}  // namespace hark::intent
