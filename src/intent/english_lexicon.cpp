#include "intent/english_lexicon.h"

#include <algorithm>
#include <cctype>
#include <initializer_list>
#include <optional>
#include <span>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "intent/spoken_numbers.h"

namespace hark::intent {
namespace {

// Groups of words an assistant's user says for one another. Only words that keep their meaning
// in every skill's context belong here: "clear" (skies, a list) or "make" do not. A word may be
// in several groups ("cancel" a timer is to delete it, "cancel that" is to stop).
constexpr std::string_view kSynonymGroups[][14] = {
    {"cpu", "processor"},
    {"gpu", "graphics"},
    {"ram", "memory"},
    {"quiet", "low", "soft"},
    {"loud", "high"},
    {"max", "maximum", "full"},
    {"default", "normal", "usual", "standard"},
    {"version", "release"},
    {"mute", "silence", "silent"},
    {"audio", "sound", "speaker", "volume"},
    {"joke", "funny", "laugh", "humor", "humour", "pun", "giggle", "chuckle"},
    {"born", "birthday", "birth", "age"},  // an assistant's age is asked as its birth
    {"old", "age"},
    {"called", "name", "named"},
    {"cancel", "delete", "remove", "erase", "dismiss", "scrap"},
    {"begin", "start"},
    {"above", "overhead"},
    // Who made something, or when: its creator, builder, developer ...
    {"made", "making", "maker", "makers"},
    {"created", "creator", "built", "builder", "developed", "developer", "designed", "designer",
     "invented", "inventor", "programmed", "programmer", "manufactured", "manufacturer"},
    {"stop", "cancel", "halt", "cease", "quit", "abort"},
    {"cancel", "kill", "stop"},  // a timer or a process is killed, it stops
    {"usage", "load", "busy", "utilization"},
    {"left", "remaining", "remain", "available", "free"},  // time left, memory free
    {"event", "appointment", "meeting", "visit"},
    {"forecast", "outlook"},
    {"weather", "conditions"},
    {"temperature", "degrees", "thermometer", "temp", "temps"},
    {"current", "currently", "now"},
    {"gray", "grey"},
    {"umbrella", "raincoat", "brolly"},
    {"fog", "foggy", "mist", "misty"},
    {"snow", "sleet"},
    {"sunrise", "dawn", "daybreak", "sunup"},
    {"sunset", "dusk", "nightfall", "sundown"},
    {"windy", "breezy", "gusty"},
    {"wind", "breeze", "gust", "gusts"},
    {"rain", "pour", "drizzle", "raining", "pouring"},
    {"storm", "thunderstorm", "thunder", "lightning"},
    {"cloudy", "overcast"},
    {"hot", "warm"},
    {"cold", "chilly", "freezing"},
    {"humid", "humidity", "muggy", "sticky"},
    {"location", "city", "town", "place"},
    // The assistant's own machine: "the gpu in this device" is the one "in your system".
    {"system", "device", "machine", "box", "hardware"},
    {"hello", "hi", "hiya", "howdy", "greetings"},
    {"thanks", "thank", "cheers"},
    {"speak", "talk"},
    {"search", "look", "find", "lookup"},
    {"speed", "fast", "bandwidth"},
    {"internet", "broadband"},
    {"test", "measure"},
    {"nap", "sleep", "snooze", "doze", "slumber"},
    {"hibernate", "hibernation"},
    {"astronaut", "crew", "people"},
    {"timer", "countdown"},
};

// Filler people wrap requests in ("hey ... please", "can you tell me", "alright"), and the
// assistant's names, "assistant" included ("hi there assistant").
constexpr std::string_view kFillerWords[] = {
    "hey",       "hi",      "ok",       "okay",  "please",  "so",    "um",  "uh",    "well",
    "just",      "right",   "now",      "could", "can",     "would", "you", "tell",  "me",
    "i",         "want",    "to",       "know",  "the",     "a",     "an",  "do",    "kindly",
    "like",      "wonder",  "actually", "hark",  "mycroft", "there", "if",  "maybe", "some",
    "assistant", "alright", "yo",       "erm",   "hmm",     "uhm"};

// Frequent English words that carry no subject of their own, everyday verbs people wrap a
// request in among them ("read me", "check", "show", "put on a timer").
constexpr std::string_view kCommonWords[] = {
    "about",    "after",   "again",     "all",     "also",   "am",     "another", "any",
    "anything", "are",     "around",    "as",      "at",     "away",   "back",    "be",
    "been",     "bit",     "both",      "buddy",   "but",    "by",     "check",   "currently",
    "dear",     "did",     "does",      "doing",   "done",   "dude",   "each",    "even",
    "ever",     "every",   "exactly",   "for",     "from",   "get",    "give",    "go",
    "going",    "gonna",   "good",      "got",     "guys",   "had",    "has",     "have",
    "he",       "hear",    "her",       "here",    "him",    "his",    "how",     "into",
    "is",       "it",      "its",       "kind",    "let",    "little", "lot",     "mate",
    "me",       "might",   "moment",    "more",    "most",   "much",   "must",    "my",
    "need",     "no",      "not",       "of",      "oh",     "on",     "only",    "or",
    "our",      "out",     "over",      "perhaps", "pretty", "put",    "quite",   "rather",
    "read",     "real",    "really",    "say",     "see",    "she",    "should",  "show",
    "somebody", "someone", "something", "sort",    "still",  "such",   "sure",    "than",
    "that",     "the",     "their",     "them",    "then",   "these",  "they",    "thing",
    "this",     "those",   "too",       "up",      "us",     "very",   "was",     "way",
    "we",       "were",    "what",      "when",    "where",  "which",  "while",   "who",
    "why",      "will",    "with",      "yeah",    "yes",    "yet",    "you",     "your",
    "yourself"};

// Articles, possessives, demonstratives and interrogatives ("what time", "which day"): a noun
// phrase follows.
constexpr std::string_view kDeterminers[] = {"a",     "an",    "the",  "my",    "your", "his",
                                             "her",   "its",   "our",  "their", "this", "that",
                                             "these", "those", "what", "which", "whose"};
// Prepositions: a noun phrase follows, or ends the utterance before them ("who are you voting
// for"). "to" also opens a verb ("going to vote"), which names what is asked about all the same.
constexpr std::string_view kPrepositions[] = {"in",     "at",    "on",    "of",   "for",
                                              "with",   "from",  "until", "till", "about",
                                              "before", "after", "to"};

// Adverbs of time: they end a clause, so the word before them ends its noun phrase ("the
// markets today").
constexpr std::string_view kTimeAdverbs[] = {"today",  "tonight", "tomorrow", "yesterday",
                                             "lately", "later",   "soon"};
// When in the day something is ("this morning").
constexpr std::string_view kPartsOfTheDay[] = {"morning", "afternoon", "evening", "night"};

struct Lexicon {
  // Stem -> the stems of every group it is in, itself included.
  std::unordered_map<std::string, std::vector<std::string>> synonyms;
  std::unordered_set<std::string> common;  // stems
  std::unordered_set<std::string_view> filler{std::begin(kFillerWords), std::end(kFillerWords)};

  Lexicon() {
    for (const auto& words : kSynonymGroups) {
      std::vector<std::string> stems;
      for (auto word : words)
        if (!word.empty()) stems.push_back(english_stem(word));
      for (const auto& stem : stems) {
        auto& into = synonyms[stem];
        for (const auto& other : stems)
          if (std::find(into.begin(), into.end(), other) == into.end()) into.push_back(other);
      }
    }
    for (auto word : kCommonWords) common.insert(english_stem(word));
  }
};

const Lexicon& lexicon() {
  static const Lexicon instance;
  return instance;
}

// Phrasal verbs of an assistant's commands, by particle: the verbs that take it and the one word
// they mean. Off and on mean mute and unmute when what is turned is the sound.
struct PhrasalVerbs {
  std::string_view particle;
  std::initializer_list<std::string_view> verbs;
  std::string_view meaning;
};
const PhrasalVerbs kPhrasalVerbs[] = {
    {"up", {"turn", "crank", "pump", "bump", "dial", "jack", "ramp", "speak"}, "increase"},
    {"down", {"turn", "dial", "bring", "ramp", "tone"}, "decrease"},
    {"off", {"turn", "switch", "shut"}, "cancel"},
    {"on", {"turn", "switch"}, "unmute"},
};
// What an assistant turns up or down, off or on, when it is its sound.
constexpr std::string_view kSoundWords[] = {"volume", "sound",   "audio",
                                            "music",  "speaker", "speakers"};
constexpr std::string_view kPronouns[] = {"it", "this", "that", "things"};
// Words that may follow "turn up" when nothing else is turned: how much, or filler.
constexpr std::string_view kAfterNoObject[] = {"a",      "some",     "more", "again", "please",
                                               "now",    "slightly", "high", "low",   "for",
                                               "little", "bit",      "lot",  "all",   "just"};
// Loudness said of the assistant's sound without naming it: the change of volume it asks for.
struct LoudnessChange {
  std::string_view before, word, change;  // `before` empty: any
};
constexpr LoudnessChange kLoudnessChanges[] = {
    {"", "louder", "increase"},   {"", "quieter", "decrease"},  {"", "softer", "decrease"},
    {"too", "loud", "decrease"},  {"too", "quiet", "increase"}, {"too", "soft", "increase"},
    {"too", "noisy", "decrease"}, {"so", "loud", "decrease"},
};
// Words a request for more or less sound may be wrapped in ("could you make it a tad louder").
constexpr std::string_view kLoudnessWrapping[] = {
    "make", "it",  "things", "tad", "much",  "you're", "it's", "is",
    "are",  "way", "even",   "bit", "bring", "down",   "up",   "turn"};

// A question about a place asked with "what" or "which": "where" ("which country do you come
// from", "what city am i in"), when a verb follows.
constexpr std::string_view kPlaces[] = {"place", "country", "city", "town", "location"};
constexpr std::string_view kAuxiliaries[] = {"do",  "did", "does", "am",   "is",
                                             "are", "was", "were", "have", "has"};

// Who did something, asked with "what" or "which": "which company built you", "what people
// made you".
constexpr std::string_view kMakers[] = {"company",      "companies",  "people",    "person",
                                        "team",         "firm",       "business",  "organization",
                                        "organisation", "developers", "developer", "engineers",
                                        "programmers"};

// What the assistant is, asked yes or no: "are you a robot", "are you some kind of computer
// program", "are you a real person or a computer". Kinds of being, and the words a kind is asked
// with.
constexpr std::string_view kKindsOfBeing[] = {
    "robot",    "human",  "person",  "people", "machine", "computer",     "program",
    "ai",       "bot",    "chatbot", "alive",  "android", "intelligence", "software",
    "creature", "cyborg", "living",  "animal", "being",   "assistant",    "app"};
constexpr std::string_view kKindWords[] = {
    "a",    "an", "some", "kind",       "sort",   "type",  "of",     "like",  "real",      "actual",
    "just", "or", "what", "artificial", "living", "thing", "simple", "smart", "something", "else"};
// How the assistant is pointed at in "is this a robot i'm talking to".
constexpr std::string_view kSpokenTo[] = {"this", "it", "that"};
constexpr std::string_view kSpeakingTo[] = {"that",     "i'm", "i",        "am",   "talking",
                                            "speaking", "to",  "with",     "here", "who",
                                            "which",    "is",  "listening"};

// How a word is spelled, asked in the passive ("how is rhythm spelled"): past participles, and
// the verb the active question asks with ("how do you spell rhythm").
struct Passive {
  std::string_view participle;
  std::string_view verb;
};
constexpr Passive kPassives[] = {
    {"spelled", "spell"}, {"spelt", "spell"}, {"pronounced", "pronounce"}, {"written", "write"}};
// How many words the thing asked about may have ("how is new york spelled").
constexpr std::size_t kMaxPassiveSubject = 3;

// Who calls the assistant something, in "what do people call you", "how should i address you",
// "what name do you go by": asking its name.
constexpr std::string_view kCallers[] = {"do",       "does",   "did",  "should", "shall",  "can",
                                         "may",      "i",      "we",   "they",   "people", "folks",
                                         "everyone", "others", "most", "you"};

// Terms of address at the end of a request ("thanks buddy", "hello there my friend"): said to the
// assistant, so they name nothing. One word, unless it follows a determiner or preposition ("my
// buddy", "to a pal"); "my friend" or "my dear" only after a greeting or thanks, since after a
// verb it is what the request is about ("call my friend").
constexpr std::string_view kAddresses[] = {"buddy", "mate",  "pal",        "dude",   "love",
                                           "dear",  "honey", "sweetheart", "darling"};
constexpr std::string_view kGreetingEnds[] = {"hello",   "hi",        "hey",     "there",
                                              "morning", "afternoon", "evening", "night",
                                              "thanks",  "you",       "bye",     "goodbye"};

// The people a request may be for ("for my son").
constexpr std::string_view kBeneficiaries[] = {
    "son",  "daughter", "kid",   "kids",    "children", "child",    "wife",     "husband",
    "mom",  "dad",      "mum",   "grandma", "grandpa",  "family",   "friends",  "guests",
    "baby", "team",     "class", "boys",    "girls",    "students", "grandkids"};
// Lists: what a list is named with ("my shopping list"), the verbs that put things on one and
// the prepositions they take, the words that already name its items, and questions of what is
// on one, said as its items.
constexpr std::string_view kListOwners[] = {"my", "the", "our", "your", "this", "that"};
constexpr std::string_view kListAdding[] = {"add", "put", "stick", "throw", "pop", "jot", "write"};
constexpr std::string_view kListPrepositions[] = {"to", "on", "onto", "in", "into", "down", "for"};
constexpr std::string_view kItemWords[] = {"item",  "items",   "thing",  "things",  "stuff",
                                           "entry", "entries", "object", "objects", "list"};

// How many words a duration said after "time" or "count down" may have ("an hour and a half").
constexpr std::size_t kMaxDurationWords = 5;

// A few words said in a row; the unused ones empty.
using Phrase = std::string_view[5];

// Questions said another way than the skills' sentences say them.
struct Rephrasing {
  Phrase words;
  std::string_view plainly;
};
constexpr Rephrasing kRephrasings[] = {
    {{"how", "many", "degrees"}, "what temperature"},  // "how many degrees is it outside"
    {{"should", "i", "take"}, "do i need"},            // "should i take an umbrella"
    {{"should", "i", "bring"}, "do i need"},
    {{"should", "i", "wear"}, "do i need"},
    {{"should", "i", "pack"}, "do i need"},
    {{"should", "i", "grab"}, "do i need"},
    {{"should", "i", "carry"}, "do i need"},
    // Being able to is "can": "what are you able to do", "languages you're able to speak".
    {{"are", "you", "able", "to"}, "can you"},
    {{"you", "are", "able", "to"}, "you can"},
    {{"you're", "able", "to"}, "you can"},
    {{"am", "i", "able", "to"}, "can i"},
    {{"are", "you", "capable", "of"}, "can you"},
    // "Till" and "til" are "until": "how long till new year's eve".
    {{"till"}, "until"},
    {{"til"}, "until"},
    // Counting from one is counting: "count from one to ten".
    {{"count", "from", "one", "to"}, "count to"},
    {{"count", "up", "to"}, "count to"},
    // A wish said before a request is the request: "i want to make a new grocery list".
    {{"i", "want", "to"}, ""},
    {{"i'd", "like", "to"}, ""},
    {{"i", "would", "like", "to"}, ""},
    {{"count", "from", "one", "up", "to"}, "count to"},
    // Passing over, said as flying or going over: "when does the iss fly overhead".
    {{"flies", "overhead"}, "passes overhead"},
    {{"fly", "overhead"}, "pass overhead"},
    {{"flies", "over"}, "passes over"},
    {{"fly", "over"}, "pass over"},
    {{"go", "over"}, "pass over"},
    {{"goes", "over"}, "passes over"},
    {{"what", "are", "the", "conditions", "like"}, "what is the weather like"},
    // Spelling asked as writing letter by letter: "how do i write the word restaurant letter by
    // letter", "what letters are in the word colonel".
    {{"letter", "by", "letter"}, ""},
    {{"how", "do", "i", "write"}, "how do you spell"},
    {{"what", "letters", "are", "in"}, "how do you spell"},
    // A laugh asked for: "crack me up", "cheer me up with a joke", "one liners".
    {{"crack", "me", "up"}, "make me laugh"},
    {{"need", "a", "good", "laugh"}, "make me laugh"},
    {{"need", "a", "laugh"}, "make me laugh"},
    {{"could", "use", "a", "laugh"}, "make me laugh"},
    {{"could", "use", "a", "good", "laugh"}, "make me laugh"},
    {{"be", "funny"}, "make me laugh"},
    // Hearing something asked for is being told it: "let's hear a joke", "entertain me with a
    // joke".
    {{"let's", "hear"}, "tell me"},
    {{"entertain", "me", "with"}, "tell me"},
    {{"entertain", "us", "with"}, "tell us"},
    {{"cheer", "me", "up"}, "make me laugh"},
    {{"one", "liners"}, "jokes"},
    {{"one", "liner"}, "joke"},
    // What something is about, said another way: "a joke related to football", "a joke
    // involving bananas".
    {{"related", "to"}, "about"},
    {{"involving"}, "about"},
    {{"having", "to", "do", "with"}, "about"},
    // Adverbs that stress a question say nothing of what it asks: "who am i actually talking
    // to", "do you even have a birthday".
    {{"actually"}, ""},
    {{"even", "have"}, "have"},
    // Since when the assistant is: "since when do you exist".
    {{"since", "when", "do", "you", "exist"}, "when were you created"},
    {{"since", "when", "have", "you", "existed"}, "when were you created"},
    // Adverbs said as a unit twice: "hour by hour" is hourly, "day by day" daily.
    {{"hour", "by", "hour"}, "hourly"},
    {{"day", "by", "day"}, "daily"},
    // Everything, said at length: "stop every single thing".
    {{"every", "single", "thing"}, "everything"},
    // Thanks said as appreciation: "i appreciate it", "much appreciated".
    {{"i", "appreciate", "it"}, "thanks"},
    {{"i", "appreciate", "that"}, "thanks"},
    {{"much", "appreciated"}, "thanks"},
    // Now, said at length: "what year is it at the moment".
    {{"at", "the", "moment"}, "now"},
    {{"right", "this", "minute"}, "now"},
    {{"these", "days"}, "now"},
    {{"hang", "on"}, ""},
    // Whether there will be weather, asked of its chance: "any chance of fog tonight", "should i
    // expect a thunderstorm later".
    {{"any", "chance", "of"}, "will there be"},
    {{"should", "i", "expect"}, "will there be"},
    {{"any", "chance", "you", "could"}, "could you"},
    {{"any", "chance", "you", "can"}, "can you"},
    // Unmuting said as taking off mute.
    {{"take", "yourself", "off", "mute"}, "unmute yourself"},
    {{"take", "it", "off", "mute"}, "unmute"},
    {{"inside", "you"}, "in your system"},
    {{"who", "are", "the", "people", "that"}, "who"},
    {{"who", "are", "the", "people", "who"}, "who"},
    {{"what's", "your", "place", "of", "origin"}, "where do you come from"},
    {{"i", "need", "to", "be", "up"}, "wake me up"},
    {{"how", "long", "ago"}, "when"},
    // The kernel an assistant runs is its kernel: "which linux kernel are you on".
    {{"linux", "kernel"}, "kernel"},
    {{"calendar", "entry"}, "event"},
    // The assistant's making said as switching it on, or as who is behind it.
    {{"were", "you", "switched", "on"}, "were you created"},
    {{"were", "you", "turned", "on"}, "were you created"},
    {{"switch", "you", "on"}, "create you"},
    {{"for", "the", "very", "first", "time"}, ""},
    {{"for", "the", "first", "time"}, ""},
    {{"are", "behind", "you"}, "made you"},
    {{"is", "behind", "you"}, "made you"},
    {{"you", "was"}, "you were"},
    // Alerts missed, asked as what went off or rang: "did anything go off while i was away".
    {{"did", "anything", "go", "off"}, "did i miss any alerts"},
    {{"anything", "go", "off"}, "did i miss any alerts"},
    {{"did", "something", "go", "off"}, "did i miss any alerts"},
    {{"did", "anything", "ring"}, "did i miss any alerts"},
    {{"did", "something", "ring"}, "did i miss any alerts"},
    // The space station seen is the space station passing over: "when will the iss be visible".
    {{"be", "visible"}, "be above"},
    // Other languages, said besides the main one: "besides english what other languages do you
    // speak", "apart from your main language which others do you know".
    {{"besides", "english"}, ""},
    {{"apart", "from", "english"}, ""},
    {{"besides", "your", "main", "language"}, ""},
    {{"apart", "from", "your", "main", "language"}, ""},
    {{"besides", "your", "main", "one"}, ""},
    {{"which", "others"}, "which other languages"},
    {{"what", "others"}, "what other languages"},
    // Time left, asked as how much longer: "how much longer on the pasta timer".
    {{"how", "much", "longer", "on"}, "how much time is left on"},
    {{"how", "much", "longer", "for"}, "how much time is left for"},
    {{"how", "much", "longer", "is", "left"}, "how much time is left"},
    // The day's extremes asked by how far the temperature goes: "how low will the temperature
    // drop tonight", "what's the hottest it'll get today", "the top temp for tomorrow".
    {{"how", "low", "will", "the", "temperature"}, "what is the low temperature"},
    {{"how", "high", "will", "the", "temperature"}, "what is the high temperature"},
    {{"how", "hot", "will", "it", "get"}, "what is the high temperature"},
    {{"how", "cold", "will", "it", "get"}, "what is the low temperature"},
    {{"hottest", "it'll", "get"}, "high temperature"},
    {{"coldest", "it'll", "get"}, "low temperature"},
    {{"hottest", "it", "will", "get"}, "high temperature"},
    {{"coldest", "it", "will", "get"}, "low temperature"},
    {{"top", "temp"}, "high temperature"},
    {{"top", "temperature"}, "high temperature"},
    // When, asked of a day or year: "what day were you born on", "which year were you made".
    {{"what", "day", "were", "you"}, "when were you"},
    {{"what", "date", "were", "you"}, "when were you"},
    {{"what", "year", "were", "you"}, "when were you"},
    {{"which", "year", "were", "you"}, "when were you"},
    {{"what", "day", "you", "were"}, "when you were"},
    {{"what", "year", "you", "were"}, "when you were"},
    {{"how're", "you", "feeling"}, "how are you doing"},
    {{"this", "very", "minute"}, "now"},
    // When, asked of an hour: "at what hour does the sun rise".
    {{"at", "what", "hour"}, "when"},
    // Whether there will be weather, asked of what we get: "are we getting any snow today".
    {{"are", "we", "getting"}, "will there be"},
    {{"are", "we", "going", "to", "get"}, "will there be"},
    {{"will", "we", "get"}, "will there be"},
    {{"at", "present"}, "now"},
    // An age asked by its adjective ("how old are you": an assistant's age is its birth), the
    // time by lateness.
    {{"how", "old", "are", "you"}, "what is your age"},
    {{"how", "many", "years", "you", "have"}, "what is your age"},
    {{"how", "many", "years", "have", "you"}, "what is your age"},
    {{"how", "late", "is", "it"}, "what time is it"},
    {{"what", "hour", "is", "it"}, "what time is it"},
    {{"which", "hour", "is", "it"}, "what time is it"},
    // Asking after someone's well-being: "how are you feeling today" is "how are you doing".
    {{"how", "are", "you", "feeling"}, "how are you doing"},
    {{"are", "you", "feeling", "good"}, "how are you doing"},
    {{"are", "you", "feeling", "okay"}, "how are you doing"},
    {{"are", "you", "feeling", "well"}, "how are you doing"},
    {{"are", "you", "doing", "okay"}, "how are you doing"},
    {{"are", "you", "doing", "well"}, "how are you doing"},
    {{"are", "you", "doing", "good"}, "how are you doing"},
    {{"how's", "life", "treating", "you"}, "how are you doing"},
    {{"how", "is", "life", "treating", "you"}, "how are you doing"},
    // The assistant as the device it runs on: "the ip address of this device", "a graphics card
    // in this thing" ("in this device" is the templates' "in your system" already).
    {{"of", "this", "device"}, ""},
    {{"of", "this", "machine"}, ""},
    {{"of", "this", "thing"}, ""},
    {{"in", "this", "thing"}, "in your system"},
    {{"on", "this", "thing"}, "on your system"},
    // Being connected to a network, said another way: "what wifi are you hooked up to", "which
    // network did you join", "what ip did the router give you".
    {{"hooked", "up", "to"}, "connected to"},
    {{"did", "you", "join"}, "are you connected to"},
    {{"did", "the", "router", "give", "you"}, "do you have"},
    // Muting, said as killing the sound.
    {{"kill", "the", "sound"}, "mute the volume"},
    {{"kill", "the", "volume"}, "mute the volume"},
    {{"kill", "the", "audio"}, "mute the volume"},
    // The volume put at a level: "put the volume at 7", "put the sound on low"; all of it.
    {{"put", "the", "volume", "at"}, "set the volume to"},
    {{"put", "the", "volume", "on"}, "set the volume to"},
    {{"put", "the", "volume", "to"}, "set the volume to"},
    {{"put", "the", "sound", "at"}, "set the volume to"},
    {{"put", "the", "sound", "on"}, "set the volume to"},
    {{"put", "the", "sound", "to"}, "set the volume to"},
    {{"full", "blast"}, "maximum volume"},
    // The volume asked by how loud or high it is: "how loud are you set", "how high is the
    // volume".
    {{"how", "loud", "are", "you"}, "what is your volume"},
    {{"how", "loud", "is", "the", "volume"}, "what is the volume"},
    {{"how", "high", "is", "the", "volume"}, "what is the volume"},
    {{"how", "high", "is", "the", "sound"}, "what is the volume"},
    {{"how", "loud", "is", "the", "sound"}, "what is the volume"},
    // Reminding, said as not forgetting: "don't let me forget to take my pills".
    {{"don't", "let", "me", "forget", "to"}, "remind me to"},
    {{"do", "not", "let", "me", "forget"}, "remind me"},
    {{"make", "sure", "i", "remember", "to"}, "remind me to"},
    {{"remember", "to", "tell", "me", "to"}, "remind me to"},
    // Waking someone up and removing a thing, as phrasal verbs: "get me up at 6", "get rid of".
    {{"get", "me", "up"}, "wake me up"},
    {{"i", "need", "to", "get", "up"}, "wake me up"},
    {{"i", "have", "to", "get", "up"}, "wake me up"},
    {{"i", "must", "get", "up"}, "wake me up"},
    {{"get", "us", "up"}, "wake us up"},
    {{"get", "rid", "of"}, "remove"},
    // The assistant's birth and making, said another way: "when did you come into the world",
    // "do you have a birthday", "what's your hometown", "who wrote your code", "who put you
    // together".
    {{"come", "into", "the", "world"}, "come into existence"},
    {{"come", "to", "life"}, "come into existence"},
    {{"came", "to", "life"}, "came into existence"},
    {{"came", "up", "with", "you"}, "created you"},
    {{"come", "up", "with", "you"}, "create you"},
    {{"dreamed", "you", "up"}, "created you"},
    {{"thought", "you", "up"}, "created you"},
    // Who the assistant is, asked of whom the speaker talks to: "who am i talking to".
    {{"who", "am", "i", "talking", "to"}, "who are you"},
    {{"who", "am", "i", "speaking", "to"}, "who are you"},
    {{"who", "am", "i", "talking", "with"}, "who are you"},
    // What the assistant is, asked the same way: "so what exactly am i talking to here".
    {{"exactly", "am", "i", "talking", "to"}, "exactly are you"},
    {{"what", "am", "i", "talking", "to"}, "what are you"},
    {{"what", "am", "i", "speaking", "to"}, "what are you"},
    // Where it was born, said as a birthplace; who made it, as the company behind it.
    {{"where's", "your", "birthplace"}, "where were you born"},
    {{"where", "is", "your", "birthplace"}, "where were you born"},
    {{"what's", "your", "birthplace"}, "where were you born"},
    {{"what", "is", "your", "birthplace"}, "where were you born"},
    {{"the", "company", "behind", "you"}, "behind you"},
    {{"who's", "behind", "you"}, "who made you"},
    {{"when", "have", "you", "been", "around"}, "when were you created"},
    {{"come", "from", "originally"}, "come from"},
    {{"do", "you", "have", "a", "birthday"}, "when is your birthday"},
    {{"what's", "your", "hometown"}, "where do you come from"},
    {{"what", "is", "your", "hometown"}, "where do you come from"},
    {{"where's", "your", "hometown"}, "where do you come from"},
    {{"where", "did", "you", "grow", "up"}, "where do you come from"},
    {{"what", "age", "are", "you"}, "what is your age"},
    // Its name: "do you have a name", "what you're called", "how are you named".
    {{"do", "you", "have", "a", "name"}, "what is your name"},
    {{"what", "you're", "called"}, "what is your name"},
    {{"what", "you", "are", "called"}, "what is your name"},
    {{"how", "are", "you", "named"}, "what is your name"},
    {{"how", "you", "are", "named"}, "what is your name"},
    // Its making asked in the active ("when did they make you"): the templates' passive.
    {{"did", "they", "make", "you"}, "were you made"},
    {{"did", "they", "build", "you"}, "were you built"},
    {{"did", "they", "create", "you"}, "were you created"},
    {{"wrote", "your", "code"}, "programmed you"},
    {{"wrote", "your", "software"}, "programmed you"},
    {{"put", "you", "together"}, "built you"},
    // A processor working hard is busy: "is your cpu working hard".
    {{"working", "hard"}, "busy"},
    // Sleep for the assistant is not listening: "stop listening for a while", "time for bed".
    {{"stop", "listening"}, "go to sleep"},
    {{"put", "yourself", "to", "sleep"}, "go to sleep"},
    {{"nod", "off"}, "go to sleep"},
    {{"doze", "off"}, "go to sleep"},
    {{"go", "dormant"}, "go to sleep"},
    {{"go", "to", "bed"}, "go to sleep"},
    {{"catch", "some", "z's"}, "go to sleep"},
    // Sleep said as entering a mode or state, resting, a siesta, or as good night to a child.
    {{"switch", "into"}, "enter"},
    {{"go", "into"}, "enter"},
    {{"put", "yourself", "into"}, "enter"},
    {{"switch", "to", "sleep", "mode"}, "enter sleep mode"},
    {{"hibernate"}, "enter hibernation"},
    {{"you", "can", "rest", "now"}, "go to sleep"},
    {{"take", "a", "siesta"}, "initiate siesta"},
    {{"take", "a", "break", "and"}, ""},
    {{"nighty", "night"}, "go to sleep"},
    {{"night", "night"}, "go to sleep"},
    {{"get", "some", "shut", "eye"}, "take a nap"},
    {{"get", "some", "shuteye"}, "take a nap"},
    // A while, said vaguely, says nothing of how long ("go to sleep for a while"): a request's
    // own, not a duration.
    {{"for", "a", "little", "while"}, ""},
    {{"for", "a", "while"}, ""},
    {{"for", "a", "bit"}, ""},
    {{"for", "a", "little", "bit"}, ""},
    {{"don't", "listen"}, "go to sleep"},
    {{"time", "for", "bed"}, "time to sleep"},
    // Where the user lives is their location: "where do i live".
    {{"where", "do", "i", "live"}, "what is my location"},
    // Where someone comes from: "where are you from", "where do you hail from".
    {{"where", "are", "you", "from"}, "where do you come from"},
    {{"where", "are", "you", "originally", "from"}, "where do you come from"},
    {{"hail", "from"}, "come from"},
};

// Questions that mean another only said alone (but for filler and when): "how do you feel" asks
// after the assistant, "how do you feel about cats" asks its opinion.
constexpr Rephrasing kAloneRephrasings[] = {
    {{"how", "do", "you", "feel"}, "how are you doing"},
    // How long the assistant has been around is its age ("how long have you been playing" asks
    // something else).
    {{"how", "long", "have", "you", "been"}, "what is your age"},
};

constexpr std::string_view kCalendars[] = {"calendar", "diary", "schedule", "agenda"};
// The things an assistant alerts with, and how having them is asked ("what alarms do i have").
constexpr std::string_view kAlertKinds[] = {"alarms", "reminders", "timers", "events", "alerts"};
constexpr Phrase kHavingAsked[] = {
    {"do", "i", "have"},  {"have", "i", "got"},  {"have", "i", "set"},
    {"do", "we", "have"}, {"have", "we", "got"}, {"are", "set"},
    {"are", "there"},     {"are", "running"},    {"are", "on"}};
// What is on a list, asked of the list right after ("what's on my shopping list").
constexpr Rephrasing kListQuestions[] = {
    {{"what's", "on"}, "what items are on"},
    {{"what", "is", "on"}, "what items are on"},
    {{"what's", "left", "on"}, "what items are left on"},
    {{"what", "do", "i", "have", "on"}, "what items are on"},
    {{"what", "have", "i", "got", "on"}, "what items are on"},
    {{"read", "me"}, "read the items on"},
    {{"read", "out"}, "read the items on"},
    {{"read"}, "read the items on"},
};

// A network's speed, asked or checked, is the speed test: "check my internet speed", "how fast
// is the wifi", "the wifi feels slow can you test it", "how many megabits am i getting". The
// words that name a network (or its speed), those that say how fast, and the verbs that check.
constexpr std::string_view kNetworks[] = {"internet", "wifi",      "broadband", "connection",
                                          "network",  "bandwidth", "download",  "upload",
                                          "megabits", "mbps",      "megs"};
constexpr std::string_view kNetworkSpeeds[] = {"speed", "speeds", "fast",      "quick",
                                               "slow",  "laggy",  "bandwidth", "megabits",
                                               "mbps",  "megs",   "benchmark"};
constexpr std::string_view kChecking[] = {"check",   "test", "measure",  "run",
                                          "perform", "see",  "benchmark"};
// How far a question word may stand before the speed it asks ("how is my wifi speed").
constexpr std::size_t kMaxSpeedQuestionWords = 5;
// Words between a question word and the speed that ask how to do something instead.
constexpr std::string_view kHowToAsked[] = {"do", "does", "can", "could", "should", "to"};

// The space station, asked after in the words of its skill's sentences: how many are on board,
// who, when it passes over, where it is ("how big is the crew on the space station", "when can i
// see the iss go over my house", "where in the world is the space station these days").
constexpr std::string_view kStationCrew[] = {"people",  "astronauts", "cosmonauts", "crew",
                                             "persons", "humans",     "anyone",     "anybody"};
constexpr Phrase kStationCounting[] = {
    {"how", "many"}, {"number", "of"}, {"crew", "size"}, {"how", "big"}, {"how", "large"}};
constexpr Phrase kStationWho[] = {{"who"}, {"who's"}, {"name", "the", "crew"}};
constexpr Phrase kStationWhen[] = {{"when"}, {"when's"}, {"what", "time"}, {"how", "long"}};
constexpr std::string_view kStationPassing[] = {"over",  "overhead", "flyover", "visible", "see",
                                                "spot",  "pass",     "passes",  "passing", "fly",
                                                "flies", "flying",   "above",   "by",      "come",
                                                "comes", "coming",   "go",      "goes"};
constexpr Phrase kStationWhere[] = {{"where"},       {"where's"},      {"position"},
                                    {"location"},    {"located"},      {"track"},
                                    {"whereabouts"}, {"what", "part"}, {"over", "the"}};

// The assistant's own hardware and system, asked about in other words than its diagnostics
// skill's: "how hard is your cpu working", "is your ram almost full", "which graphics card is in
// this machine", "what's the kernel release on this box". A part is asked about when it is the
// assistant's (or this machine's), or how much of it is used; never of the speaker's own ("my
// cpu fan is making a grinding noise", "my memory is not what it used to be").
struct SystemPart {
  Phrase names[3];
  bool asked_by_use;  // only how much of it is used asks about it ("do you have a good memory")
  std::string_view plainly;
};
constexpr SystemPart kSystemParts[] = {
    {{{"kernel"}}, false, "what is your kernel version"},
    {{{"gpu"}, {"graphics", "card"}, {"video", "card"}}, false, "do you have a gpu"},
    {{{"cpu"}, {"processor"}}, true, "what is your cpu usage"},
    {{{"memory"}, {"ram"}}, true, "what is your memory usage"},
};
// Words that say the assistant or this machine owns what is asked about.
constexpr std::string_view kAssistantsOwn[] = {"you", "your", "you're", "yourself", "this"};
// Words that ask how much of a part is used.
constexpr std::string_view kUseWords[] = {
    "usage",   "used", "using", "use",  "load", "working",   "busy",        "maxed", "percentage",
    "percent", "left", "free",  "full", "low",  "available", "consumption", "much"};
// Words that ask about parts in general, or to get one: no question about the assistant's.
constexpr std::string_view kPartsInGeneral[] = {"my",       "our",     "best",    "buy",
                                                "cheapest", "install", "upgrade", "recommend"};

// Languages asked about in other words than the diagnostics skill's: the assistant's others
// ("do you have any backup languages configured", "besides english what other languages do you
// speak"), the speaker's ("what language do you hear me speaking").
constexpr std::string_view kOtherLanguages[] = {"other", "backup",  "secondary", "additional",
                                                "extra", "besides", "apart",     "else"};
constexpr std::string_view kSpeakersLanguage[] = {"i", "i'm", "me"};
// Where the assistant is ("where is this device located", "where do you think you are right
// now"), or the speaker ("which town do you have me living in"); not where it comes from.
constexpr std::string_view kTheAssistant[] = {"you",     "your", "device",  "assistant",
                                              "speaker", "box",  "yourself"};
constexpr std::string_view kOrigins[] = {"from",      "born",  "made",       "built",    "created",
                                         "developed", "come",  "originate",  "designed", "invented",
                                         "going",     "go",    "programmed", "grow",     "grew",
                                         "hometown",  "raised"};
constexpr Phrase kSpeakerLiving[] = {
    {"i", "live"}, {"me", "living"}, {"i'm", "living"}, {"i'm", "located"}, {"i", "am", "located"}};

// The assistant's ip address or wifi network asked about in other words than its skill's: "i
// need your local ip address", "only the end of your ip address please", "which wireless
// network is this". Not an ip lawyer or an ip rating, nor a wifi password.
constexpr std::string_view kIpAsked[] = {"you",  "your", "yours", "what", "what's", "which",
                                         "tell", "need", "show",  "read", "say",    "know"};
constexpr std::string_view kIpEnd[] = {"end", "last", "final", "digits", "ending"};
constexpr std::string_view kWifi[] = {"wifi", "wireless", "ssid"};
constexpr std::string_view kWifiAsked[] = {"you", "you're", "your", "this", "name"};
constexpr std::string_view kNotTheAssistantsWifi[] = {"password", "connect", "my", "join"};

// Rain and sunshine asked about in other words than the weather skill's: when the rain comes
// ("how long until it rains", "when is the rain supposed to start"), whether the sun is out
// ("is the sun out", "are we getting blue skies today").
constexpr std::string_view kRainWords[] = {"rain",   "rains",   "raining", "rainfall",
                                           "rained", "showers", "wet"};
constexpr Phrase kWhenAsked[] = {
    {"when"}, {"when's"}, {"how", "long", "until"}, {"how", "long", "till"}, {"what", "time"}};
constexpr std::string_view kRainEnding[] = {"stop", "stops", "end", "ends", "clear", "over"};
constexpr Phrase kSunshine[] = {{"sun"}, {"sunshine"}, {"blue", "skies"}, {"blue", "sky"}};
constexpr std::string_view kYesNoOpeners[] = {"is",  "are",   "will",   "do", "does",
                                              "can", "could", "should", "any"};

// A clause of the speaker's own after the request: "can you tell me what the time is i'm running
// late", "should i grab an umbrella we're off to the park". Its subject opens it; the request
// before it is what is asked, the clause is context. The words after which a first-person
// subject belongs to the request instead: an inverted auxiliary ("do i need", "can we"), a
// question word or conjunction ("where i live", "if we go"), a verb taking a clause ("do you
// think i", "remind me when we").
constexpr std::string_view kSpeakers[] = {"i",  "i'm",   "i've",  "i'll",  "i'd",
                                          "we", "we're", "we've", "we'll", "we'd"};
constexpr std::string_view kClauseLinks[] = {
    "do",      "did",     "does",    "am",      "are",    "was",    "were",     "have",
    "has",     "had",     "can",     "could",   "should", "would",  "will",     "shall",
    "may",     "might",   "must",    "what",    "where",  "when",   "why",      "how",
    "who",     "which",   "whom",    "whose",   "if",     "that",   "so",       "and",
    "but",     "or",      "because", "until",   "till",   "before", "after",    "while",
    "once",    "as",      "than",    "whether", "since",  "unless", "though",   "although",
    "think",   "know",    "wonder",  "guess",   "say",    "said",   "hope",     "bet",
    "mean",    "suppose", "believe", "feel",    "let",    "make",   "help",     "tell",
    "remind",  "ask",     "wish",    "like",    "want",   "need",   "whenever", "wherever",
    "whatever"};
// What a statement opens with: its subject, or the article or possessive of one ("i" and "you"
// open requests too: "i was wondering ...", "you're too loud").
constexpr std::string_view kSubjects[] = {"the",   "a",     "an",    "my",     "our",     "his",
                                          "her",   "their", "this",  "that",   "it",      "it's",
                                          "he",    "he's",  "she",   "she's",  "they",    "they're",
                                          "there", "these", "those", "nobody", "everyone"};
// Whose things a clause of the speaker's own is about ("so my kids can", "because the baby").
constexpr std::string_view kOwners[] = {"my", "our", "the"};
// What opens a clause of purpose or reason, the speaker's own circumstances: "so we can start
// the race", "because the baby is asleep". ("when", "before", "after" may say when the question
// is about: "what's the weather when i land in paris".)
constexpr std::string_view kCircumstances[] = {"so", "because", "cause", "cuz", "since", "while"};
constexpr std::string_view kModals[] = {"can", "could", "would", "will", "should", "shall", "may"};
// The subjects after an inverted auxiliary or modal: "can you", "is it", "do i".
constexpr std::string_view kInvertedSubjects[] = {"you", "i", "we", "it", "there", "the"};
// What a request said after a statement of the speaker's own and "so" opens with: a word asking
// it ("please", "you", "can") or a verb saying what to do.
constexpr std::string_view kRequestOpeners[] = {
    "please", "just",  "you",    "go",     "tell",  "give",  "set",  "turn",   "make",
    "put",    "let",   "remind", "wake",   "read",  "stop",  "take", "show",   "play",
    "start",  "enter", "switch", "check",  "count", "spell", "say",  "cancel", "add",
    "lower",  "raise", "mute",   "unmute", "run",   "test",  "find", "look",   "search"};
// The verbs a command after a statement of the speaker's own opens with ("i'm heading out remind
// me at 5").
constexpr std::string_view kRequestVerbs[] = {"tell", "give", "set",    "turn",  "remind",
                                              "wake", "read", "show",   "play",  "cancel",
                                              "add",  "mute", "unmute", "count", "spell"};
// Whom a verb may be said of ("the kids want to know can you tell a joke", "i let him set"):
// then it is no command.
constexpr std::string_view kPersons[] = {"i",   "you", "he",   "she", "we", "they",  "it",
                                         "him", "her", "them", "us",  "me", "people"};
// A question word and its verb in one: a question of its own ("i'm trying to ssh in what's your
// ip address").
constexpr std::string_view kQuestionsContracted[] = {"what's", "where's", "who's",
                                                     "how's",  "when's",  "which's"};
// After these, the speaker's statement asks what follows: "my grandma wants to know who you
// are", "i was wondering what day you were born on".
constexpr std::string_view kAskingVerbs[] = {"know",   "wonder", "wondering", "wondered",
                                             "asking", "asks",   "ask",       "asked",
                                             "forgot", "forget", "remember"};
// At least this many words in a statement of the speaker's own before a request.
constexpr std::size_t kMinPreambleWords = 3;
// At least this many words of request before a clause of the speaker's own.
constexpr std::size_t kMinRequestWords = 3;
// Two words after a noun, with no verb of being, are what the noun is (a relative clause:
// "were there any alerts i missed"); a clause of the speaker's own says more ("i'm late", "we
// need to leave").
constexpr std::size_t kMinOwnClauseWords = 3;

// Idioms of "stop", when the utterance says nothing else ("be quiet" but not "tell the kids to be
// quiet").
constexpr Phrase kStopIdioms[] = {{"cut", "it", "out"},
                                  {"knock", "it", "off"},
                                  {"shut", "up"},
                                  {"be", "quiet"},
                                  {"shush"},
                                  {"hush"},
                                  {"shh"},
                                  {"enough", "already"},
                                  {"that's", "enough"},
                                  {"quit", "talking"},
                                  {"stop", "talking"},
                                  {"stop", "speaking"}};
// A command said to the assistant on its own (english_command_said). What may come before it:
// interjections and filler ("nope cancel that", "whoa hang on stop", "okay so just stop"), and
// the frames a request is asked in ("can you", "you can quit reading").
constexpr std::string_view kCommandOpeners[] = {
    "hey",  "ok",   "okay", "alright", "all",  "right",   "please",   "so",   "um",   "uh",
    "well", "just", "now",  "oh",      "no",   "nope",    "nah",      "whoa", "wait", "hmm",
    "yes",  "yeah", "then", "and",     "hark", "mycroft", "actually", "sorry"};
constexpr Phrase kCommandFrames[] = {{"hang", "on"},
                                     {"you", "can"},
                                     {"can", "you"},
                                     {"could", "you"},
                                     {"would", "you"},
                                     {"will", "you"},
                                     {"i", "said"},
                                     {"come", "on"},
                                     {"whatever's", "running"},
                                     {"whatever's", "playing"}};
// What it may be said of: the task at hand, all of them, or the assistant's doing ("stop
// talking", "quit reading"); a thing ("stop the car", "cancel my flight") is another skill's.
constexpr Phrase kCommandItself[] = {
    {"that", "noise"}, {"this", "noise"}, {"the", "noise"}, {"that", "racket"},
    {"the", "music"},  {"that", "music"}, {"it"},           {"that"},
    {"this"},          {"them"}};
constexpr Phrase kCommandEverything[] = {{"everything"},          {"all", "of", "it"},
                                         {"all", "of", "that"},   {"all", "of", "this"},
                                         {"it", "all"},           {"all", "that"},
                                         {"the", "whole", "lot"}, {"the", "whole", "thing"},
                                         {"all", "the", "stuff"}, {"every", "single", "thing"}};
constexpr std::string_view kAssistantDoings[] = {"talking", "speaking", "counting", "reading",
                                                 "playing", "singing",  "chatting", "rambling",
                                                 "beeping", "ringing",  "going"};
// How or when it is said after it ("right now", "for a second", "please").
constexpr Phrase kCommandAdjuncts[] = {{"right", "now"},
                                       // What is going on, said of it: "all the stuff that's
                                       // going on", "everything you're running".
                                       {"that's", "going", "on"},
                                       {"that", "is", "going", "on"},
                                       {"going", "on"},
                                       {"that", "you're", "running"},
                                       {"you're", "running"},
                                       {"that's", "running"},
                                       {"at", "once"},
                                       {"for", "now"},
                                       {"for", "a", "second"},
                                       {"for", "a", "sec"},
                                       {"for", "a", "moment"},
                                       {"for", "a", "minute"},
                                       {"for", "a", "bit"},
                                       {"for", "a", "while"},
                                       {"thank", "you"},
                                       {"now"},
                                       {"please"},
                                       {"immediately"},
                                       {"already"},
                                       {"then"},
                                       {"thanks"},
                                       {"okay"},
                                       {"ok"},
                                       {"mycroft"},
                                       {"hark"}};
// The auxiliaries a clause of the speaker's own may have after its subject ("the baby is
// sleeping").
constexpr std::string_view kClauseVerbs[] = {"is",    "are",    "was",  "were",  "has",   "have",
                                             "can",   "can't",  "will", "won't", "don't", "doesn't",
                                             "isn't", "aren't", "had",  "needs", "wants"};
constexpr std::size_t kMaxSubjectWords = 3;

// How far apart a verb and its particle may be: "turn the volume all the way up".
constexpr std::size_t kMaxObjectWords = 5;

template <std::size_t N>
bool one_of(const std::string_view (&words)[N], std::string_view word) {
  return std::find(std::begin(words), std::end(words), word) != std::end(words);
}

// Filler, a common word, or how much: nothing a request is about.
bool says_nothing_of_its_own(std::string_view word) {
  return is_filler_word(word) || is_common_english_word(english_stem(word)) ||
         one_of(kAfterNoObject, word);
}

struct WordSpan {
  std::size_t begin, end;
};

std::vector<WordSpan> word_spans(std::string_view text) {
  std::vector<WordSpan> spans;
  auto is_word_char = [](char c) { return (c >= 'a' && c <= 'z') || c == '\''; };
  for (std::size_t i = 0; i < text.size();) {
    if (!is_word_char(text[i])) {
      ++i;
      continue;
    }
    auto end = i;
    while (end < text.size() && is_word_char(text[end])) ++end;
    spans.push_back({i, end});
    i = end;
  }
  return spans;
}

// Word i of the text as said, or nothing past the last.
auto word_at(std::string_view text, const std::vector<WordSpan>& spans) {
  return [text, &spans](std::size_t i) {
    return i < spans.size() ? text.substr(spans[i].begin, spans[i].end - spans[i].begin)
                            : std::string_view();
  };
}

// How many words the phrase has when it is said from word i on (word_at's), else 0.
template <typename WordAt>
std::size_t phrase_said_at(const WordAt& word, std::size_t i, const Phrase& phrase) {
  std::size_t n = 0;
  for (; n < std::size(phrase) && !phrase[n].empty(); ++n)
    if (word(i + n) != phrase[n]) return 0;
  return n;
}

// How many words the first of `phrases` said from word i on has, else 0.
template <typename WordAt>
std::size_t first_phrase_said_at(const WordAt& word, std::size_t i,
                                 std::span<const Phrase> phrases) {
  for (const auto& phrase : phrases)
    if (const auto n = phrase_said_at(word, i, phrase)) return n;
  return 0;
}

}  // namespace

std::string english_stem(std::string_view word) {
  // A thing named after what it does, whose -er the lexicon must keep: a speaker is no speak.
  if (word == "speaker" || word == "speakers") return "speaker";
  auto strip = [&](std::size_t suffix) {
    if (word.size() < suffix + 3) return false;
    word.remove_suffix(suffix);
    if (const auto n = word.size();
        n >= 4 && word[n - 1] == word[n - 2] &&
        std::string_view("aeiouls").find(word[n - 1]) == std::string_view::npos)
      word.remove_suffix(1);
    return true;
  };
  if (word.ends_with("ies") && word.size() >= 5)
    return std::string(word.substr(0, word.size() - 3)) + "y";
  // A plural first, then the noun's own ending: "developers" is a "developer", whose stem is
  // "develop"'s.
  if (word.ends_with("ches") || word.ends_with("shes") || word.ends_with("sses") ||
      word.ends_with("xes")) {
    if (strip(2)) return std::string(word);
  }
  if (word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && strip(1) &&
      !word.ends_with("er"))
    return std::string(word);
  if (word.ends_with("ing") && strip(3)) return std::string(word);
  if (word.ends_with("ed") && strip(2)) return std::string(word);
  if (word.ends_with("er") && strip(2)) return std::string(word);  // "louder", "quieter"
  if (word.ends_with('y') && strip(1)) return std::string(word);
  return std::string(word);
}

std::span<const std::string> english_synonym_stems(std::string_view stem) {
  const auto& lex = lexicon();
  auto it = lex.synonyms.find(std::string(stem));
  if (it == lex.synonyms.end()) return {};
  return it->second;
}

namespace {

// The request without a clause of the speaker's own after it.
std::string_view without_own_clause(std::string_view text) {
  const auto spans = word_spans(text);
  const auto word = word_at(text, spans);
  // The text before word i, digits and all ("count to 3").
  auto before = [&](std::size_t i) {
    auto kept = text.substr(0, spans[i].begin);
    while (!kept.empty() && kept.back() == ' ') kept.remove_suffix(1);
    return kept;
  };
  // A request asks or commands; one that opens with its subject ("the weather was awful i stayed
  // in") tells, and its clauses are all the speaker's.
  if (spans.empty() || one_of(kSubjects, word(0))) return text;
  // A question's clause of circumstance ("what temperature is it before i go catch the bus"); a
  // command's may be its payload ("remind me when we get home").
  const bool asks = is_english_question_word(word(0)) || one_of(kAuxiliaries, word(0)) ||
                    one_of(kModals, word(0));
  for (std::size_t i = kMinRequestWords; i + 1 < spans.size(); ++i) {
    if (one_of(kSpeakers, word(i)) && !one_of(kClauseLinks, word(i - 1)) &&
        (i + kMinOwnClauseWords <= spans.size() || word(i).find('\'') != std::string_view::npos))
      return before(i);
    if (asks && one_of(kCircumstances, word(i)) &&
        (one_of(kSpeakers, word(i + 1)) || one_of(kOwners, word(i + 1))))
      return before(i);
  }
  return text;
}

// The request without a statement of the speaker's own before it: "i always get this one wrong
// how do you spell definitely", "my hands are covered in flour can you set a timer". The
// statement opens with the speaker ("i", "my"); the request with a question that inverts ("how
// do you", "can you", "is it"), or one the statement asks ("i wonder what time it is").
std::string_view without_own_preamble(std::string_view text) {
  const auto spans = word_spans(text);
  const auto word = word_at(text, spans);
  if (spans.empty() || !(one_of(kSpeakers, word(0)) || one_of(kOwners, word(0)))) return text;
  auto inverted = [&](std::size_t i) {
    return (one_of(kModals, word(i)) || one_of(kAuxiliaries, word(i))) &&
           one_of(kInvertedSubjects, word(i + 1));
  };
  // After "so", what the statement leads the speaker to ask: "i'm on a call so please just
  // sleep", "the baby's napping so you should take a nap too".
  auto asked_after_so = [&](std::size_t i) {
    return i > kMinPreambleWords && word(i - 1) == "so" &&
           (is_english_question_word(word(i)) || inverted(i) || one_of(kRequestOpeners, word(i)));
  };
  // "my son wants to know if it's gonna snow": what follows "if".
  auto asked_whether = [&](std::size_t i) {
    return (word(i) == "if" || word(i) == "whether") && one_of(kAskingVerbs, word(i - 1));
  };
  // A command after the statement: "i'm heading out remind me at 5 to pick up the dry cleaning".
  auto commanded = [&](std::size_t i) {
    return one_of(kRequestVerbs, word(i)) && !one_of(kClauseLinks, word(i - 1)) &&
           !one_of(kPersons, word(i - 1)) && word(i - 1) != "to";
  };
  for (std::size_t i = kMinPreambleWords; i + 2 < spans.size(); ++i) {
    if (asked_whether(i)) return text.substr(spans[i + 1].begin);
    if (one_of(kQuestionsContracted, word(i)) || commanded(i) ||
        (is_english_question_word(word(i)) &&
         (inverted(i + 1) || one_of(kAskingVerbs, word(i - 1)))) ||
        (inverted(i) && !one_of(kClauseLinks, word(i - 1))) || asked_after_so(i))
      return text.substr(spans[i].begin);
  }
  return text;
}

// Whether a network's speed is checked, or asked ("how fast is", "what's my broadband speed",
// "how many megabits"); not how to change it ("how do i speed up my wifi", "how can i make my
// internet faster").
bool asks_network_speed(std::string_view text, const std::vector<WordSpan>& spans) {
  const auto word = word_at(text, spans);
  bool network = false, speed = false, asked = false;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    network |= one_of(kNetworks, word(i));
    asked |= one_of(kChecking, word(i)) || (word(i) == "how" && word(i + 1) == "many");
    if (!one_of(kNetworkSpeeds, word(i)) || word(i + 1) == "up") continue;
    speed = true;
    for (std::size_t back = 1; back <= kMaxSpeedQuestionWords && back <= i; ++back) {
      const auto w = word(i - back);
      if (one_of(kHowToAsked, w)) break;
      if (w == "how" || w == "how's" || w == "what" || w == "what's") asked = true;
    }
  }
  return network && speed && asked;
}

// The question a part of the assistant's system is asked about with, or nothing.
std::optional<std::string_view> system_part_asked(std::string_view text,
                                                  const std::vector<WordSpan>& spans) {
  const auto word = word_at(text, spans);
  bool own = false, use = false;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (one_of(kPartsInGeneral, word(i))) return std::nullopt;
    own |= one_of(kAssistantsOwn, word(i));
    use |= one_of(kUseWords, word(i));
  }
  for (const auto& part : kSystemParts) {
    bool named = false;
    for (std::size_t i = 0; i < spans.size() && !named; ++i)
      named = first_phrase_said_at(word, i, part.names) > 0;
    if (named && (part.asked_by_use ? use : own || use)) return part.plainly;
  }
  return std::nullopt;
}

// The question of the diagnostics skill a question about languages or places asks, or nothing.
std::optional<std::string_view> setting_asked(std::string_view text,
                                              const std::vector<WordSpan>& spans) {
  const auto word = word_at(text, spans);
  bool languages = false, language = false, others = false, speakers = false, where = false,
       assistant = false, origin = false, speaker_living = false, mine = false;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    languages |= word(i) == "languages" || word(i) == "ones";
    language |= word(i) == "language";
    others |= one_of(kOtherLanguages, word(i));
    speakers |= one_of(kSpeakersLanguage, word(i));
    mine |= word(i) == "my";
    where |= word(i) == "where" || word(i) == "located" || word(i) == "location" ||
             ((word(i) == "which" || word(i) == "what") &&
              (word(i + 1) == "town" || word(i + 1) == "city"));
    assistant |= one_of(kTheAssistant, word(i));
    origin |= one_of(kOrigins, word(i));
    speaker_living |= first_phrase_said_at(word, i, kSpeakerLiving) > 0;
  }
  if ((languages || language) && others && !speakers) return "what other languages do you have";
  if (language && speakers && !others) return "which language am i speaking";
  if (where && speaker_living) return "where am i";
  if (where && assistant && !speakers && !mine && !origin && !language && !languages)
    return "where are you";
  return std::nullopt;
}

// The ip skill's question an utterance asks, or nothing.
std::optional<std::string_view> network_address_asked(std::string_view text,
                                                      const std::vector<WordSpan>& spans) {
  const auto word = word_at(text, spans);
  bool ip = false, asked = false, end = false, wifi = false, wifi_asked = false, other = false;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    // "ip" names the address unless a noun follows it ("my ip lawyer", "its ip rating").
    const auto next = word(i + 1);
    ip |= word(i) == "ip" && (next.empty() || next == "address" || next == "addresses" ||
                              one_of(kIpEnd, next) || says_nothing_of_its_own(next));
    asked |= one_of(kIpAsked, word(i));
    end |= one_of(kIpEnd, word(i));
    wifi |= one_of(kWifi, word(i));
    wifi_asked |= one_of(kWifiAsked, word(i));
    other |= one_of(kNotTheAssistantsWifi, word(i));
  }
  if (ip && asked)
    return end ? "what are the last digits of your ip address" : "what is your ip address";
  if (wifi && wifi_asked && !other) return "what wifi network are you connected to";
  return std::nullopt;
}

// The weather skill's question about rain or sunshine an utterance asks, with the words that
// say when, or nothing.
std::optional<std::string> rain_or_sun_asked(std::string_view text,
                                             const std::vector<WordSpan>& spans) {
  const auto word = word_at(text, spans);
  bool rain = false, when = false, ending = false, sun = false;
  std::string said_when;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    rain |= one_of(kRainWords, word(i));
    when |= first_phrase_said_at(word, i, kWhenAsked) > 0;
    ending |= one_of(kRainEnding, word(i));
    sun |= first_phrase_said_at(word, i, kSunshine) > 0;
    if (is_english_time_adverb(word(i)) || one_of(kPartsOfTheDay, word(i)) ||
        word(i) == "tonight" || word(i) == "later") {
      if (word(i - 1) == "this") said_when += " this";
      said_when += ' ';
      said_when += word(i);
    }
  }
  if (rain && when && !ending) return "when will it rain next";
  if (sun && !rain && !when && one_of(kYesNoOpeners, word(0)))
    return "is there sunshine" + said_when;
  return std::nullopt;
}

// What is asked of the space station, in its skill's words, or nothing when the station is not
// named (nor astronauts counted "in space").
std::optional<std::string_view> station_asked(std::string_view text,
                                              const std::vector<WordSpan>& spans) {
  const auto word = word_at(text, spans);
  bool station = false, crew = false, counted = false, who = false, when = false, where = false,
       passing = false;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    station |= word(i) == "iss" || (word(i) == "space" && word(i + 1) == "station") ||
               (word(i) == "in" && word(i + 1) == "space" && word(i + 2) != "station");
    crew |= one_of(kStationCrew, word(i));
    counted |= first_phrase_said_at(word, i, kStationCounting) > 0;
    who |= first_phrase_said_at(word, i, kStationWho) > 0;
    when |= first_phrase_said_at(word, i, kStationWhen) > 0;
    where |= first_phrase_said_at(word, i, kStationWhere) > 0;
    passing |= one_of(kStationPassing, word(i));
  }
  if (!station) return std::nullopt;
  if (counted && crew) return "how many people are on board the iss";
  if (who && (crew || !when)) return "who is on board the iss";
  if (when && passing) return "when is the iss passing over";
  if (where) return "where is the iss";
  return std::nullopt;
}

// Rephrasings by the word they start with, each word's in the table's order (the first said
// wins): a reading looks up the word it is at instead of trying every rephrasing.
using RephrasingsByFirstWord = std::unordered_map<std::string_view, std::vector<const Rephrasing*>>;
RephrasingsByFirstWord by_first_word(std::span<const Rephrasing> rephrasings) {
  RephrasingsByFirstWord index;
  for (const auto& r : rephrasings) index[r.words[0]].push_back(&r);
  return index;
}

// One pass of the readings over the text.
std::string said_plainly_once(std::string_view text) {
  static const auto kByFirstWord = by_first_word(kRephrasings);
  static const auto kAloneByFirstWord = by_first_word(kAloneRephrasings);
  const auto spans = word_spans(text);
  const auto word = word_at(text, spans);
  auto words_between = [&](std::size_t from, std::size_t to) {  // [from, to) as said
    return from >= to
               ? std::string()
               : std::string(text.substr(spans[from].begin, spans[to - 1].end - spans[from].begin));
  };
  std::string out;
  std::size_t copied = 0;  // text before this offset is in `out`
  auto replace = [&](std::size_t first_word, std::size_t last_word, std::string_view with) {
    out.append(text.substr(copied, spans[first_word].begin - copied));
    out.append(with);
    copied = spans[last_word].end;
    // Words said as nothing leave no gap ("go to sleep for a while" -> "go to sleep").
    if (with.empty())
      while (!out.empty() && out.back() == ' ') out.pop_back();
  };
  auto said_at = [&](std::size_t i, const Phrase& phrase) {
    return phrase_said_at(word, i, phrase);
  };
  // Whether the words outside [from, to) are only filler, common words or how much (or, with
  // `when_too`, words of when: "today", "this morning").
  auto says_nothing_else = [&](std::size_t from, std::size_t to, bool when_too = false) {
    for (std::size_t i = 0; i < spans.size(); ++i) {
      if (i >= from && i < to) continue;
      if (says_nothing_of_its_own(word(i))) continue;
      if (when_too && (is_english_time_adverb(word(i)) || one_of(kPartsOfTheDay, word(i))))
        continue;
      return false;
    }
    return true;
  };
  // Louder or quieter, the utterance saying nothing else: the assistant's volume.
  auto loudness_word = [](std::string_view w) {
    return std::any_of(std::begin(kLoudnessChanges), std::end(kLoudnessChanges),
                       [&](const LoudnessChange& c) { return c.word == w; });
  };
  auto names_other_things = [&] {
    return std::any_of(spans.begin(), spans.end(), [&](const WordSpan& span) {
      const auto w = text.substr(span.begin, span.end - span.begin);
      return one_of(kSoundWords, w) ||
             !(says_nothing_of_its_own(w) || one_of(kLoudnessWrapping, w) || loudness_word(w));
    });
  };
  // Says the first of `rephrasings` said from word i on (only when nothing else is said, with
  // `alone`) as it means; returns how many words it replaced, 0 for none.
  auto rephrase = [&](std::size_t i, const RephrasingsByFirstWord& rephrasings,
                      bool alone) -> std::size_t {
    const auto found = rephrasings.find(word(i));
    if (found == rephrasings.end()) return 0;
    for (const Rephrasing* r : found->second) {
      const auto n = said_at(i, r->words);
      if (n == 0 || (alone && !says_nothing_else(i, i + n, true))) continue;
      replace(i, i + n - 1, r->plainly);
      return n;
    }
    return 0;
  };
  // Whether a duration is said right after the offset ("25 minutes", "an hour and a half").
  auto duration_after = [&](std::size_t offset) {
    std::vector<std::string_view> said;
    for (auto rest = text.substr(offset); !rest.empty() && said.size() < kMaxDurationWords;) {
      rest.remove_prefix(std::min(rest.find_first_not_of(' '), rest.size()));
      const auto end = std::min(rest.find(' '), rest.size());
      if (end > 0) said.push_back(rest.substr(0, end));
      rest.remove_prefix(end);
    }
    for (std::size_t n = said.size(); n > 0; --n) {
      std::string words;
      for (std::size_t k = 0; k < n; ++k) {
        if (k > 0) words += ' ';
        words.append(said[k]);
      }
      if (parse_duration(words)) return true;
    }
    return false;
  };
  // How the weather is, asked of "it" or "things" outside and nothing else but when: "how's it
  // looking out there this morning", "what are things like outside". Where the question ends
  // (after "outside" or "out there"), or 0.
  auto asks_how_it_is_outside = [&](std::size_t i) -> std::size_t {
    std::size_t at = i;
    if (word(at) == "how's" || word(at) == "what's") {
      ++at;
    } else if ((word(at) == "how" || word(at) == "what") &&
               (word(at + 1) == "is" || word(at + 1) == "are")) {
      at += 2;
    } else if (word(at) != "what") {
      return 0;
    }
    if (word(at) == "what" && (word(at + 1) == "it's" || word(at + 1) == "things're")) {
      at += 2;  // asked within a statement: "i was wondering what it's like out there"
    } else {
      if (word(at) != "it" && word(at) != "things") return 0;
      ++at;
    }
    if (word(at) == "looking" || word(at) == "doing") ++at;
    if (word(at) == "like") ++at;
    if (word(at) == "outside" || word(at) == "outdoors") {
      ++at;
    } else if (word(at) == "out" && word(at + 1) == "there") {
      at += 2;
    } else {
      return 0;
    }
    return says_nothing_else(i, at, true) ? at : 0;
  };
  // Whether the words from i to the end ask the assistant's name as others call it: "what do
  // people call you", "how should i address you", "what name do you go by".
  auto asks_the_name = [&](std::size_t i) {
    const std::size_t end = spans.size();
    if (end < i + 4) return false;
    auto only_callers = [&](std::size_t from, std::size_t to) {
      for (std::size_t w = from; w < to; ++w)
        if (!one_of(kCallers, word(w))) return false;
      return true;
    };
    if ((word(i) == "what" || word(i) == "how") && word(end - 1) == "you" &&
        (word(end - 2) == "call" || word(end - 2) == "address"))
      return only_callers(i + 1, end - 2);
    if (word(i) == "what" && word(i + 1) == "name" && word(end - 1) == "you" &&
        (word(end - 2) == "give" || word(end - 2) == "gave"))  // "what name did they give you"
      return only_callers(i + 2, end - 2);
    return word(i) == "what" && word(i + 1) == "name" && word(end - 2) == "go" &&
           word(end - 1) == "by" && only_callers(i + 2, end - 2);
  };
  // Whether the words from i to the end ask yes or no what kind of being the assistant is: "are
  // you an ai", "so are you like a chatbot or what", "wait are you just a chatbot".
  // Also of "this", or of "it" or "that" as the one spoken to: "is this some kind of computer
  // program", "is it a robot i'm talking to".
  auto asks_what_it_is = [&](std::size_t i) {
    const bool of_you = word(i) == "are" && word(i + 1) == "you";
    const bool of_this = word(i) == "is" && one_of(kSpokenTo, word(i + 1));
    if (!of_you && !of_this) return false;
    bool kind = false, spoken_to = false;
    for (std::size_t w = i + 2; w < spans.size(); ++w) {
      if (one_of(kKindsOfBeing, word(w)) && !spoken_to)
        kind = true;
      else if (of_this && kind && one_of(kSpeakingTo, word(w)))
        spoken_to = true;
      else if (!one_of(kKindWords, word(w)) && !is_filler_word(word(w)))
        return false;
    }
    return kind && (of_you || spoken_to || word(i + 1) == "this");
  };
  // Where the list a request ends with is named ("my shopping list"): the word after which its
  // determiner stands, or 0 for none. Only filler may follow "list".
  auto list_named_at_end = [&](std::size_t from) -> std::size_t {
    std::size_t end = spans.size();
    while (end > from && says_nothing_of_its_own(word(end - 1)) && word(end - 1) != "list") --end;
    if (end <= from + 1 || word(end - 1) != "list") return 0;
    for (std::size_t k = end - 1; k > from; --k)
      if (one_of(kListOwners, word(k - 1))) return k - 1;
    return 0;
  };
  // Whether a calendar is named after word i ("... on my calendar").
  auto calendar_after = [&](std::size_t i) {
    for (std::size_t k = i + 2; k + 2 < spans.size(); ++k)
      if (one_of(kListPrepositions, word(k)) && one_of(kListOwners, word(k + 1)) &&
          one_of(kCalendars, word(k + 2)))
        return true;
    return false;
  };
  // Where the request ends, but for filler after it ("... to my grandma please").
  std::size_t request_end = spans.size();
  while (request_end > 0 && is_filler_word(word(request_end - 1))) --request_end;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    // Whom a request is for, at its end, says nothing of what it asks: "can you count to 50 for
    // my son", "tell a joke for the kids", "introduce yourself to my grandma please".
    if (i + 3 == request_end && (word(i) == "for" || word(i) == "to") &&
        one_of(kListOwners, word(i + 1)) && one_of(kBeneficiaries, word(i + 2))) {
      replace(i, i + 2, "");
      break;
    }
    // Things put on a list are its items: "add eggs and bread to my shopping list", "put
    // sunscreen on the packing list".
    if (one_of(kListAdding, word(i))) {
      if (const auto owner = list_named_at_end(i + 2);
          owner > 0 && owner >= i + 3 && one_of(kListPrepositions, word(owner - 1))) {
        bool names_items = false;
        for (std::size_t k = i + 1; k + 1 < owner; ++k) names_items |= one_of(kItemWords, word(k));
        if (!names_items) {
          replace(i, i, "add items");
          i = owner;
          continue;
        }
      }
    }
    // What is put on a calendar is added to it: "put a dentist appointment on my calendar for
    // tuesday at 3".
    if (one_of(kListAdding, word(i)) && calendar_after(i)) {
      replace(i, i, "add");
      continue;
    }
    // Which alarms someone has, asked of having them: "what alarms do i have", "which
    // reminders have i got" (not "what alarms have i missed").
    if ((word(i) == "what" || word(i) == "which") && one_of(kAlertKinds, word(i + 1))) {
      const auto n = first_phrase_said_at(word, i + 2, kHavingAsked);
      if (n > 0) {
        replace(i, i + 1 + n, "list my " + std::string(word(i + 1)));
        i += 1 + n;
        continue;
      }
    }
    // What is on a list is asked of its items: "what's on my shopping list", "read me the
    // packing list".
    if (const auto* asked = std::find_if(std::begin(kListQuestions), std::end(kListQuestions),
                                         [&](const Rephrasing& q) {
                                           const auto n = said_at(i, q.words);
                                           return n > 0 && list_named_at_end(i + n) == i + n;
                                         });
        asked != std::end(kListQuestions)) {
      const auto n = said_at(i, asked->words);
      replace(i, i + n - 1, asked->plainly);
      i += n - 1;
      continue;
    }
    if (i > 0 && i + 1 == spans.size() && one_of(kAddresses, word(i)) &&
        !opens_english_noun_phrase(word(i - 1))) {
      replace(i, i, "");
      continue;
    }
    if (i > 0 && i + 2 == spans.size() && word(i) == "my" &&
        (word(i + 1) == "friend" || word(i + 1) == "dear") && one_of(kGreetingEnds, word(i - 1))) {
      replace(i, i + 1, "");
      break;
    }
    if (const auto* change = std::find_if(
            std::begin(kLoudnessChanges), std::end(kLoudnessChanges),
            [&](const LoudnessChange& c) {
              return c.word == word(i) && (c.before.empty() || (i > 0 && word(i - 1) == c.before));
            });
        change != std::end(kLoudnessChanges) && !names_other_things()) {
      replace(0, i, std::string(change->change) + " the volume");
      continue;
    }
    // What something is going to be, said last or before when, is what it will be: "what's
    // today's high going to be", "what's the temperature gonna be later".
    if (const std::size_t n = word(i) == "gonna" && word(i + 1) == "be" ? 2
                              : word(i) == "going" && word(i + 1) == "to" && word(i + 2) == "be"
                                  ? 3
                                  : 0;
        n > 0 && i > 0) {
      const auto next = word(i + n);
      if (next.empty() || is_english_time_adverb(next) || one_of(kPartsOfTheDay, next) ||
          next == "later" || next == "tonight" || next == "this") {
        replace(i, i + n - 1, "");
        i += n - 1;
        continue;
      }
    }
    // A question opened by "any" asks whether there are any: "any memos for me", "any
    // appointments coming up this week".
    if (i == 0 && word(0) == "any" && spans.size() > 1 && word(1) != "chance") {
      replace(0, 0, "are there any");
      continue;
    }
    auto rephrased = rephrase(i, kByFirstWord, false);
    if (rephrased == 0) rephrased = rephrase(i, kAloneByFirstWord, true);
    if (rephrased > 0) {
      i += rephrased - 1;
      continue;
    }
    if (word(i) == "how" && (word(i + 1) == "is" || word(i + 1) == "are") &&
        spans.size() >= i + 4 && spans.size() - i - 3 <= kMaxPassiveSubject) {
      const auto* passive =
          std::find_if(std::begin(kPassives), std::end(kPassives),
                       [&](const Passive& p) { return p.participle == word(spans.size() - 1); });
      if (passive != std::end(kPassives)) {
        replace(i, spans.size() - 1,
                "how do you " + std::string(passive->verb) + " " +
                    words_between(i + 2, spans.size() - 1));
        break;
      }
    }
    // Timing a duration is a timer: "can you time 25 minutes", "count down from 3 minutes".
    if (word(i) == "time" && (i == 0 || !opens_english_noun_phrase(word(i - 1))) &&
        duration_after(spans[i].end)) {
      replace(i, i, "set a timer for");
      continue;
    }
    if (word(i) == "count" && word(i + 1) == "down") {
      const std::size_t last = word(i + 2) == "from" ? i + 2 : i + 1;
      if (duration_after(spans[last].end)) {
        replace(i, last, "set a timer for");
        i = last;
        continue;
      }
    }
    if (const auto end = asks_how_it_is_outside(i)) {
      replace(i, end - 1, "how is the weather outside");
      i = end - 1;
      continue;
    }
    if (asks_the_name(i)) {
      replace(i, spans.size() - 1, "what is your name");
      break;
    }
    if ((word(i) == "what" || word(i) == "which") && one_of(kPlaces, word(i + 1)) &&
        one_of(kAuxiliaries, word(i + 2))) {
      replace(i, i + 1, "where");
      ++i;
      continue;
    }
    if ((word(i) == "what" || word(i) == "which") && one_of(kMakers, word(i + 1)) &&
        i + 2 < spans.size()) {
      replace(i, i + 1, "who");
      ++i;
      continue;
    }
    if (asks_what_it_is(i)) {
      // What comes before is the asking's, not another request: "be honest with me are you a
      // bot", "do you have a body or are you just software".
      replace(copied == 0 ? 0 : i, spans.size() - 1, "what are you");
      break;
    }
    if (const auto* idiom = std::find_if(std::begin(kStopIdioms), std::end(kStopIdioms),
                                         [&](const Phrase& candidate) {
                                           const auto n = said_at(i, candidate);
                                           return n > 0 && says_nothing_else(i, i + n);
                                         });
        idiom != std::end(kStopIdioms)) {
      const auto n = said_at(i, *idiom);
      replace(i, i + n - 1, "stop");
      i += n - 1;
      continue;
    }
    for (const auto& phrasal : kPhrasalVerbs) {
      if (std::find(phrasal.verbs.begin(), phrasal.verbs.end(), word(i)) == phrasal.verbs.end())
        continue;
      // The particle, after at most a few words of the object ("turn the sound back on").
      std::size_t particle = i + 1;
      while (particle < spans.size() && particle <= i + 1 + kMaxObjectWords &&
             word(particle) != phrasal.particle)
        ++particle;
      if (particle >= spans.size() || word(particle) != phrasal.particle) continue;
      auto all_the_way = [&](std::size_t at) {
        return word(at) == "all" && word(at + 1) == "the" && word(at + 2) == "way";
      };
      std::size_t object_end = particle;
      bool to_the_end = object_end >= i + 4 && all_the_way(object_end - 3);
      if (to_the_end) object_end -= 3;
      if (object_end > i + 1 && word(object_end - 1) == "back") --object_end;
      // The object is said before the particle, or is the noun phrase after it.
      std::size_t last = particle;
      const bool object_before = object_end > i + 1;
      std::string_view head = object_before ? word(object_end - 1) : std::string_view();
      if (!object_before) {
        std::size_t noun = particle + 1;
        if (opens_english_noun_phrase(word(noun)) && !is_english_preposition(word(noun))) ++noun;
        if (one_of(kSoundWords, word(noun)) || one_of(kPronouns, word(noun))) {
          head = word(noun);
          last = noun;
        }
      }
      if (all_the_way(last + 1)) {
        to_the_end = true;
        last += 3;
      }
      const bool sound = one_of(kSoundWords, head);
      const bool pronoun = one_of(kPronouns, head);
      const bool no_object =
          head.empty() && (last + 1 >= spans.size() || one_of(kAfterNoObject, word(last + 1)));
      std::string with;
      if (phrasal.particle == "up" || phrasal.particle == "down") {
        if (!sound && !pronoun && !no_object) break;  // "turn up the heat"
        if (phrasal.particle == "up" && to_the_end) {
          with = "set the volume to maximum";
        } else if (word(last + 1) == "high" || word(last + 1) == "low") {  // "down low"
          ++last;
          with = "set the volume to " + std::string(word(last));
        } else {
          with = std::string(phrasal.meaning) + " the volume";
        }
      } else if (phrasal.particle == "on") {
        if (!sound) break;  // "turn on the lights"
        with = "unmute the sound";
      } else {
        if (pronoun) break;  // "turn it off and on again": what "it" is, is not said
        with = sound ? "mute the sound" : std::string(phrasal.meaning);
        if (!sound && object_before) with += " " + words_between(i + 1, object_end);
      }
      replace(i, last, with);
      i = last;
      break;
    }
  }
  if (copied == 0) return std::string(text);
  out.append(text.substr(copied));
  // Words said as nothing at the start leave no gap either ("i want to make a list").
  out.erase(0, std::min(out.find_first_not_of(' '), out.size()));
  return out;
}

}  // namespace

namespace {

// "7am", "7:30pm", "7 a.m." as the words they are ("7 am"), as speech to text prints them.
std::string clock_suffixes_spaced(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool after_digit = i > 0 && std::isdigit(static_cast<unsigned char>(text[i - 1]));
    const bool after_digit_space =
        i > 1 && text[i - 1] == ' ' && std::isdigit(static_cast<unsigned char>(text[i - 2]));
    if ((c == 'a' || c == 'p') && (after_digit || after_digit_space)) {
      std::size_t end = 0;  // characters of "am", "a.m." or "a.m" from i
      if (text.substr(i + 1, 3) == ".m.")
        end = 4;
      else if (text.substr(i + 1, 2) == ".m")
        end = 3;
      else if (text.substr(i + 1, 1) == "m")
        end = 2;
      const bool alone = end > 0 && (i + end == text.size() ||
                                     !std::isalpha(static_cast<unsigned char>(text[i + end])));
      if (alone) {
        if (after_digit) out += ' ';
        out += c;
        out += 'm';
        i += end - 1;
        continue;
      }
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string english_said_plainly(std::string_view said) {
  const auto spaced = clock_suffixes_spaced(said);
  const std::string_view text = spaced;
  // What a skill is asked, said anywhere, even in the speaker's own statement ("the wifi feels
  // slow can you test it"): the whole utterance is the skill's question.
  const auto spans = word_spans(text);
  if (asks_network_speed(text, spans)) return "run an internet speed test";
  for (const auto asked_in :
       {station_asked, system_part_asked, setting_asked, network_address_asked})
    if (const auto asked = asked_in(text, spans)) return std::string(*asked);
  if (auto asked = rain_or_sun_asked(text, spans)) return std::move(*asked);
  const auto request = without_own_clause(without_own_preamble(text));
  // Twice: a reading may make another's words ("which country are you from" -> "where are you
  // from" -> "where do you come from").
  auto plainly = said_plainly_once(request);
  return plainly == request ? plainly : said_plainly_once(plainly);
}

namespace {

std::optional<EnglishCommandObject> command_said_as_is(std::string_view text,
                                                       std::span<const std::string> commands) {
  const auto spans = word_spans(text);
  const auto word = word_at(text, spans);
  // Whether punctuation parts word i from the one before ("alright that's plenty, stop").
  auto parted_before = [&](std::size_t i) {
    return i > 0 && i < spans.size() &&
           text.substr(spans[i - 1].end, spans[i].begin - spans[i - 1].end)
                   .find_first_of(",.;:!?") != std::string_view::npos;
  };
  auto said_at = [&](std::size_t i, const Phrase& phrase) {
    return phrase_said_at(word, i, phrase);
  };
  auto first_said_at = [&](std::size_t i, std::span<const Phrase> phrases) {
    return first_phrase_said_at(word, i, phrases);
  };
  // Whether the words before word i are nothing, or end in an opener after which a command
  // starts anew.
  auto opens_a_command = [&](std::size_t i) {
    bool opened = false;
    while (i > 0 && !parted_before(i)) {
      if (one_of(kCommandOpeners, word(i - 1)) ||  // or a command said again: "shh stop"
          std::find(commands.begin(), commands.end(), word(i - 1)) != commands.end()) {
        --i;
      } else if (i >= 2 && std::any_of(std::begin(kCommandFrames), std::end(kCommandFrames),
                                       [&](const Phrase& f) { return said_at(i - 2, f) == 2; })) {
        i -= 2;
      } else {
        break;
      }
      opened = true;
    }
    return i == 0 || parted_before(i) || opened;
  };
  // Whether a clause of the speaker's own opens at word i ("i get it", "the baby is sleeping").
  auto own_clause_at = [&](std::size_t i) {
    if (one_of(kSpeakers, word(i))) return true;
    if (!one_of(kSubjects, word(i))) return false;
    for (std::size_t k = i + 1; k <= i + kMaxSubjectWords && k < spans.size(); ++k) {
      if (one_of(kSpeakers, word(k))) return false;  // "the timer i don't need": another's verb
      if (one_of(kClauseVerbs, word(k)) || word(k).ends_with("'s")) return true;
    }
    return false;
  };
  for (std::size_t i = 0; i < spans.size(); ++i) {
    for (const auto& command : commands) {
      std::size_t at = i;
      bool said = !command.empty();
      for (std::size_t from = 0; said && from < command.size();) {
        auto to = std::min(command.find(' ', from), command.size());
        said = word(at++) == std::string_view(command).substr(from, to - from);
        from = to + 1;
      }
      if (!said || !opens_a_command(i)) continue;
      auto object = EnglishCommandObject::Itself;
      if (auto n = first_said_at(at, kCommandEverything)) {
        object = EnglishCommandObject::Everything;
        at += n;
      } else if (auto m = first_said_at(at, kCommandItself)) {
        at += m;
      } else if (one_of(kAssistantDoings, word(at))) {
        ++at;
      }
      while (auto n = first_said_at(at, kCommandAdjuncts)) at += n;
      if (at == spans.size() || parted_before(at) || own_clause_at(at)) return object;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<EnglishCommandObject> english_command_said(std::string_view utterance,
                                                         std::span<const std::string> commands) {
  // As said, and as said plainly ("stop every single thing"): a reading may make a stop idiom
  // of the command's own words ("shh stop talking" -> "stop stop").
  if (auto object = command_said_as_is(utterance, commands)) return object;
  const auto plainly = english_said_plainly(utterance);
  return plainly == utterance ? std::nullopt : command_said_as_is(plainly, commands);
}

bool is_common_english_word(std::string_view stem) {
  return lexicon().common.contains(std::string(stem));
}

bool is_filler_word(std::string_view word) {
  return lexicon().filler.contains(word);
}

bool is_english_question_word(std::string_view word) {
  constexpr std::string_view kQuestionWords[] = {"what", "which", "who", "whom", "whose",
                                                 "when", "where", "why", "how"};
  return std::find(std::begin(kQuestionWords), std::end(kQuestionWords), word) !=
         std::end(kQuestionWords);
}

bool is_english_time_adverb(std::string_view word) {
  return std::find(std::begin(kTimeAdverbs), std::end(kTimeAdverbs), word) !=
         std::end(kTimeAdverbs);
}

bool is_english_other_day(std::string_view word) {
  return word == "tomorrow" || word == "yesterday";
}

bool is_english_quality_word(std::string_view word) {
  constexpr std::string_view kQualities[] = {
      "good",     "best",    "better",   "great",     "funny",   "funniest", "silly", "corny",
      "corniest", "cheesy",  "bad",      "worst",     "clean",   "short",    "quick", "new",
      "random",   "another", "favorite", "favourite", "stupid",  "lame",     "nice",  "cool",
      "little",   "big",     "old",      "classic",   "awesome", "hilarious"};
  return one_of(kQualities, word);
}

bool is_english_preposition(std::string_view word) {
  return std::find(std::begin(kPrepositions), std::end(kPrepositions), word) !=
         std::end(kPrepositions);
}

bool opens_english_noun_phrase(std::string_view word) {
  return is_english_preposition(word) || std::find(std::begin(kDeterminers), std::end(kDeterminers),
                                                   word) != std::end(kDeterminers);
}

}  // namespace hark::intent
