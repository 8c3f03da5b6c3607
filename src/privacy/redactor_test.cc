// Every built-in pattern: what it must replace and the near-misses it
// must leave alone; custom patterns, replacements and the counts.
#include "privacy/redactor.h"

#include <gtest/gtest.h>

#include "privacy/patterns.h"

namespace loupe::privacy {
namespace {

std::unique_ptr<Redactor> Make(ContentPolicyConfig config = {}) {
  config.capture = CaptureMode::kRedact;
  auto r = Redactor::Create(config);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return std::move(r).value();
}

std::string Redacted(const Redactor& r, std::string text) {
  std::vector<uint64_t> counts;
  r.Redact(&text, &counts);
  return text;
}

struct Case {
  std::string pattern;
  std::string input;
  std::string want;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.pattern << ": \"" << c.input << "\""; }

class BuiltinTest : public ::testing::TestWithParam<Case> {};

TEST_P(BuiltinTest, RedactsOrKeeps) {
  ContentPolicyConfig config;
  config.builtin["ipv4"] = true;  // off by default; tested like the others
  auto r = Make(config);
  const Case& c = GetParam();
  std::vector<uint64_t> counts;
  std::string text = c.input;
  bool changed = r->Redact(&text, &counts);
  EXPECT_EQ(text, c.want) << c.pattern << ": " << c.input;
  EXPECT_EQ(changed, c.input != c.want);
  if (changed) {
    // The replacement names the pattern that matched, and that pattern counted it.
    EXPECT_NE(text.find("[REDACTED:" + c.pattern + "]"), std::string::npos) << text;
    const auto& names = r->names();
    size_t i = std::find(names.begin(), names.end(), c.pattern) - names.begin();
    ASSERT_LT(i, counts.size());
    EXPECT_GE(counts[i], 1u);
  }
}

// Each pattern alone: its pre-check must never hide one of its matches
// (with every pattern on, another pattern's pre-check could mask a bug).
TEST_P(BuiltinTest, AloneItsPrecheckIsExact) {
  const Case& c = GetParam();
  ContentPolicyConfig config;
  for (const auto& b : BuiltinPatterns()) config.builtin[std::string(b.name)] = b.name == c.pattern;
  auto r = Make(config);
  ASSERT_EQ(r->size(), 1u);
  std::string text = c.input;
  std::vector<uint64_t> counts;
  r->Redact(&text, &counts);
  if (c.input != c.want) {
    EXPECT_NE(text, c.input) << c.pattern << " alone missed: " << c.input;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Patterns, BuiltinTest,
    ::testing::Values(
        // e-mail
        Case{"email", "write to jane.doe+tag@mail.example.co.uk today", "write to [REDACTED:email] today"},
        Case{"email", "a@b.io and c_d@e-f.org", "[REDACTED:email] and [REDACTED:email]"},
        Case{"email", "user@localhost has no domain", "user@localhost has no domain"},
        Case{"email", "decorate with @app.route('/x')", "decorate with @app.route('/x')"},
        Case{"email", "a@b.c (one-letter TLD)", "a@b.c (one-letter TLD)"},
        // card numbers: Luhn-valid, issuer digit 2-6, standalone
        Case{"card", "card 4111 1111 1111 1111 exp 12/29", "card [REDACTED:card] exp 12/29"},
        Case{"card", "4111-1111-1111-1111", "[REDACTED:card]"},
        Case{"card", "pay with 5555555555554444.", "pay with [REDACTED:card]."},
        Case{"card", "amex 3782 822463 10005", "amex [REDACTED:card]"},
        Case{"card", "amex 378282246310005", "amex [REDACTED:card]"},
        Case{"card", "order 4111111111111112 shipped", "order 4111111111111112 shipped"},    // Luhn fails
        Case{"card", "order 1234567812345670 shipped", "order 1234567812345670 shipped"},    // Luhn ok, issuer 1
        Case{"card", "tracking 9400111899223197428490", "tracking 9400111899223197428490"},  // 22 digits
        Case{"card", "id 4111-1111-1111-1111-2222", "id 4111-1111-1111-1111-2222"},          // part of a longer run
        Case{"card", "4111 1111 1111 1111 123", "[REDACTED:card] 123"},                    // card then CVV
        // phone numbers
        Case{"phone", "call +1 415 555 2671 now", "call [REDACTED:phone] now"},
        Case{"phone", "call +14155552671", "call [REDACTED:phone]"},
        Case{"phone", "ruf +49 (30) 1234567 an", "ruf [REDACTED:phone] an"},
        Case{"phone", "call (415) 555-2671.", "call [REDACTED:phone]."},
        Case{"phone", "call 415-555-2671 or 415.555.2672", "call [REDACTED:phone] or [REDACTED:phone]"},
        Case{"phone", "call 1-800-555-0199", "call [REDACTED:phone]"},
        Case{"phone", "version 10.0.19045.3693", "version 10.0.19045.3693"},
        Case{"phone", "v1.2.3 and 2.13.4", "v1.2.3 and 2.13.4"},
        Case{"phone", "at 2024-08-06T12:30:45Z", "at 2024-08-06T12:30:45Z"},
        Case{"phone", "build 1.123.456.7890.5", "build 1.123.456.7890.5"},
        Case{"phone", "score +1 2 3", "score +1 2 3"},
        Case{"phone", "id 123e4567-e89b-12d3-a456-426614174000", "id 123e4567-e89b-12d3-a456-426614174000"},
        Case{"phone", "gpt-4o-2024-08-06", "gpt-4o-2024-08-06"},
        // IPv4 (opt-in)
        Case{"ipv4", "from 192.168.1.100 port 80", "from [REDACTED:ipv4] port 80"},
        Case{"ipv4", "from 10.0.0.255", "from [REDACTED:ipv4]"},
        Case{"ipv4", "not 1.2.3.256 nor 1.2.3.4.5", "not 1.2.3.256 nor 1.2.3.4.5"},
        // API keys
        Case{"openai_key", "key sk-proj-Ab3dEf6hIj9kLmN0pQrStUvWxYz12345_-abcdef end",
             "key [REDACTED:openai_key] end"},
        Case{"openai_key", "OPENAI_API_KEY=sk-abcdefghijklmnop1234567890ABCD", "OPENAI_API_KEY=[REDACTED:openai_key]"},
        Case{"openai_key", "pip install scikit-learn sk-learn", "pip install scikit-learn sk-learn"},
        Case{"openai_key", "a task-oriented-assistant-without-any-digit", "a task-oriented-assistant-without-any-digit"},
        Case{"openai_key", "sk-this-is-a-long-phrase-not-a-key", "sk-this-is-a-long-phrase-not-a-key"},
        Case{"anthropic_key", "x-api-key: sk-ant-api03-AbCdEf0123456789AbCdEf0123456789-xyzAA",
             "x-api-key: [REDACTED:anthropic_key]"},
        Case{"aws_access_key", "aws AKIAIOSFODNN7EXAMPLE id", "aws [REDACTED:aws_access_key] id"},
        Case{"aws_access_key", "aws AKIAIOSFODNN7EXAMPL id", "aws AKIAIOSFODNN7EXAMPL id"},  // 15 chars
        Case{"aws_access_key", "aws akiaiosfodnn7example", "aws akiaiosfodnn7example"},
        Case{"github_token", "token ghp_0123456789abcdefghijABCDEFGHIJ012345", "token [REDACTED:github_token]"},
        Case{"github_token", "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
             "[REDACTED:github_token]"},
        Case{"github_token", "ghp_short", "ghp_short"},
        Case{"google_api_key", "key=AIzaSyA-1234567890abcdefghijklmnopqrstu&q=1",
             "key=[REDACTED:google_api_key]&q=1"},
        Case{"google_api_key", "AIza too short", "AIza too short"},
        Case{"slack_token", "xoxb-1234567890-abcdefghij", "[REDACTED:slack_token]"},
        Case{"slack_token", "xoxo hugs", "xoxo hugs"},
        Case{"jwt",
             "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U ok",
             "token [REDACTED:jwt] ok"},
        Case{"jwt", "eyJ alone is not a token", "eyJ alone is not a token"},
        Case{"bearer_token", "Authorization: Bearer abcdef0123456789abcdef", "Authorization: [REDACTED:bearer_token]"},
        Case{"bearer_token", "the bearer of bad news", "the bearer of bad news"},
        Case{"jwt", "Authorization: bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlX2hlcmU",
             "Authorization: bearer [REDACTED:jwt]"},
        Case{"bearer_token", "BEARER abcdefghijklmnopqrstuvwxyz", "[REDACTED:bearer_token]"},
        Case{"github_token", "github_pat_ABCDEFGHIJKLMNOPQRSTUVWXYZabcd", "[REDACTED:github_token]"},
        Case{"aws_access_key", "AKIAABCDEFGHIJKLMNOP", "[REDACTED:aws_access_key]"},
        Case{"google_api_key", "AIzaABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi", "[REDACTED:google_api_key]"},
        Case{"slack_token", "xoxp-abcdefghijklmnop", "[REDACTED:slack_token]"}));

TEST(LuhnTest, KnownNumbers) {
  EXPECT_TRUE(LuhnValid("4111111111111111"));
  EXPECT_TRUE(LuhnValid("79927398713"));
  EXPECT_FALSE(LuhnValid("79927398710"));
  EXPECT_FALSE(LuhnValid("4111111111111112"));
  EXPECT_FALSE(LuhnValid(""));
  EXPECT_FALSE(LuhnValid("4111a11111111111"));
}

TEST(RedactorTest, Ipv4IsOffByDefault) {
  auto r = Make();
  EXPECT_EQ(Redacted(*r, "from 192.168.1.100"), "from 192.168.1.100");
}

TEST(RedactorTest, BuiltinsSwitchOffByNameAndGroup) {
  ContentPolicyConfig c;
  c.builtin["email"] = false;
  c.builtin["api_keys"] = false;
  c.builtin["aws_access_key"] = true;  // a single name wins over its group
  auto r = Make(c);
  EXPECT_EQ(Redacted(*r, "jane@example.com sk-abcdefghijklmnop1234567890 AKIAIOSFODNN7EXAMPLE 415-555-2671"),
            "jane@example.com sk-abcdefghijklmnop1234567890 [REDACTED:aws_access_key] [REDACTED:phone]");
}

TEST(RedactorTest, CustomPatternsWithDefaultAndGroupReplacement) {
  ContentPolicyConfig c;
  c.patterns.push_back({"employee_id", R"(EMP-\d{6})", ""});
  c.patterns.push_back({"ticket", R"(TICKET-(\d+)-([A-Z]+))", R"(TICKET-\1-***)"});
  auto r = Make(c);
  std::vector<uint64_t> counts;
  std::string text = "EMP-123456 opened TICKET-42-ABC and EMP-654321";
  EXPECT_TRUE(r->Redact(&text, &counts));
  EXPECT_EQ(text, "[REDACTED:employee_id] opened TICKET-42-*** and [REDACTED:employee_id]");
  const auto& names = r->names();
  size_t emp = std::find(names.begin(), names.end(), "employee_id") - names.begin();
  size_t ticket = std::find(names.begin(), names.end(), "ticket") - names.begin();
  EXPECT_EQ(counts[emp], 2u);
  EXPECT_EQ(counts[ticket], 1u);
}

TEST(RedactorTest, EmptyMatchesAreNotReplaced) {
  ContentPolicyConfig c;
  c.patterns.push_back({"maybe", "x*", ""});
  auto r = Make(c);
  EXPECT_EQ(Redacted(*r, "abxxc"), "ab[REDACTED:maybe]c");
  EXPECT_EQ(Redacted(*r, "abc"), "abc");
}

TEST(RedactorTest, PlainTextSkipsTheScan) {
  auto r = Make();
  EXPECT_FALSE(r->MayMatch("Tell me a story about a dragon."));
  EXPECT_TRUE(r->MayMatch("call 415"));
  ContentPolicyConfig c;
  c.patterns.push_back({"word", "dragon", ""});
  auto custom = Make(c);
  EXPECT_TRUE(custom->MayMatch("Tell me a story about a dragon."));  // custom patterns have no pre-check
  EXPECT_EQ(Redacted(*custom, "a dragon"), "a [REDACTED:word]");
}

TEST(RedactorTest, UnicodeAroundMatches) {
  auto r = Make();
  EXPECT_EQ(Redacted(*r, "écrivez à jean@exemple.fr — merci ☕ 4111 1111 1111 1112"),
            "écrivez à [REDACTED:email] — merci ☕ 4111 1111 1111 1112");
}

TEST(RedactorTest, LongStringsAreFullyScanned) {
  auto r = Make();
  std::string text(1 << 20, 'a');
  text += " jane@example.com ";
  text += std::string(1 << 20, '7');  // a 1M-digit run is no card
  std::vector<uint64_t> counts;
  EXPECT_TRUE(r->Redact(&text, &counts));
  EXPECT_NE(text.find("[REDACTED:email]"), std::string::npos);
  EXPECT_EQ(text.find("jane@"), std::string::npos);
}

}  // namespace
}  // namespace loupe::privacy
