#include "privacy/redactor.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>

#include "privacy/patterns.h"

namespace loupe::privacy {

struct Redactor::Pattern {
  std::string name;
  std::unique_ptr<re2::RE2> re;
  std::string replacement;
  int groups = 0;        // submatches the replacement refers to beyond \0
  bool rewrite = false;  // the replacement has backslash escapes
  uint32_t needs = 0;                              // built-ins: Trigger bits
  bool (*may_match)(std::string_view) = nullptr;   // built-ins: finer exact check
  bool (*accept)(std::string_view, size_t, size_t) = nullptr;
};

struct Redactor::SetHolder {
  explicit SetHolder(const re2::RE2::Options& o) : set(o, re2::RE2::UNANCHORED) {}
  re2::RE2::Set set;
};

Redactor::Redactor() = default;
Redactor::~Redactor() = default;

namespace {

re2::RE2::Options PatternOptions() {
  re2::RE2::Options o;
  o.set_log_errors(false);
  return o;
}

// Advances past UTF-8 continuation bytes so a retry never starts mid-character.
size_t NextCharStart(std::string_view text, size_t pos) {
  ++pos;
  while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
  return pos;
}

}  // namespace

Result<std::unique_ptr<Redactor>> Redactor::Create(const ContentPolicyConfig& config) {
  LOUPE_RETURN_IF_ERROR(config.Validate());
  std::unique_ptr<Redactor> r(new Redactor());
  const auto api_keys_switch = config.builtin.find("api_keys");
  for (const BuiltinPattern& b : BuiltinPatterns()) {
    bool on = b.default_on;
    if (b.api_key && api_keys_switch != config.builtin.end()) on = api_keys_switch->second;
    if (auto it = config.builtin.find(std::string(b.name)); it != config.builtin.end()) on = it->second;
    if (!on) continue;
    auto p = std::make_unique<Pattern>();
    p->name = std::string(b.name);
    p->re = std::make_unique<re2::RE2>(b.regex, PatternOptions());
    if (!p->re->ok()) return Status::Internal("built-in pattern " + p->name + ": " + p->re->error());
    p->replacement = "[REDACTED:" + p->name + "]";
    p->needs = b.needs;
    p->may_match = b.may_match;
    p->accept = b.accept;
    r->patterns_.push_back(std::move(p));
  }
  r->first_custom_ = r->patterns_.size();
  for (const CustomPattern& c : config.patterns) {
    auto p = std::make_unique<Pattern>();
    p->name = c.name;
    p->re = std::make_unique<re2::RE2>(c.regex, PatternOptions());
    p->replacement = c.replacement.empty() ? "[REDACTED:" + c.name + "]" : c.replacement;
    p->groups = re2::RE2::MaxSubmatch(p->replacement);
    p->rewrite = p->replacement.find('\\') != std::string::npos;
    r->all_prechecked_ = false;
    r->patterns_.push_back(std::move(p));
  }

  r->set_ = std::make_unique<SetHolder>(PatternOptions());
  for (const auto& p : r->patterns_) {
    std::string error;
    if (r->set_->set.Add(p->re->pattern(), &error) < 0) {
      return Status::InvalidArgument("pattern " + p->name + ": " + error);
    }
    r->names_.push_back(p->name);
  }
  if (!r->patterns_.empty() && !r->set_->set.Compile()) {
    return Status::ResourceExhausted("redaction patterns: RE2 ran out of memory compiling the set");
  }
  return r;
}

bool Redactor::MayMatch(std::string_view text) const {
  if (patterns_.empty() || text.empty()) return false;
  if (!all_prechecked_) return true;
  const uint32_t mask = TriggerMask(text);
  for (const auto& p : patterns_) {
    if ((mask & p->needs) == p->needs && (p->may_match == nullptr || p->may_match(text))) return true;
  }
  return false;
}

bool Redactor::Redact(std::string* text, std::vector<uint64_t>* counts) const {
  if (!MayMatch(*text)) return false;
  return RedactFrom(0, text, counts);
}

bool Redactor::RedactCustom(std::string* text, std::vector<uint64_t>* counts) const {
  if (!has_custom() || text->empty()) return false;
  return RedactFrom(first_custom_, text, counts);
}

bool Redactor::RedactFrom(size_t first, std::string* text, std::vector<uint64_t>* counts) const {
  std::vector<int> hits;
  re2::RE2::Set::ErrorInfo info{re2::RE2::Set::kNoError};
  if (!set_->set.Match(*text, &hits, &info)) {
    if (info.kind == re2::RE2::Set::kNoError) return false;
    // The DFA gave up (a huge string, a pathological pattern): never skip
    // redaction for that, run every pattern one by one instead.
    hits.clear();
    for (size_t i = 0; i < patterns_.size(); ++i) hits.push_back(static_cast<int>(i));
  }
  std::sort(hits.begin(), hits.end());
  hits.erase(hits.begin(), std::lower_bound(hits.begin(), hits.end(), static_cast<int>(first)));
  if (counts->size() < patterns_.size()) counts->resize(patterns_.size(), 0);
  bool changed = false;
  for (int i : hits) {
    uint64_t n = ApplyOne(*patterns_[static_cast<size_t>(i)], text);
    if (n > 0) {
      (*counts)[static_cast<size_t>(i)] += n;
      changed = true;
    }
  }
  return changed;
}

uint64_t Redactor::ApplyOne(const Pattern& p, std::string* text) const {
  const std::string_view in = *text;
  std::string out;
  uint64_t replaced = 0;
  size_t copied = 0;  // in[0, copied) is already in `out`
  size_t pos = 0;
  const int nsub = 1 + p.groups;
  std::vector<re2::StringPiece> sub(static_cast<size_t>(nsub));
  while (pos <= in.size()) {
    if (!p.re->Match(in, pos, in.size(), re2::RE2::UNANCHORED, sub.data(), nsub)) break;
    size_t begin = static_cast<size_t>(sub[0].data() - in.data());
    size_t end = begin + sub[0].size();
    if (end == begin || (p.accept != nullptr && !p.accept(in, begin, end))) {
      // An empty match or a rejected one (a Luhn-invalid number): look for
      // the next match starting one character further on.
      if (begin >= in.size()) break;
      pos = NextCharStart(in, begin);
      continue;
    }
    out.append(in.substr(copied, begin - copied));
    if (!p.rewrite) {
      out.append(p.replacement);
    } else if (!p.re->Rewrite(&out, p.replacement, sub.data(), nsub)) {
      out.append("[REDACTED:" + p.name + "]");  // unreachable: Validate checked the rewrite
    }
    ++replaced;
    copied = pos = end;
  }
  if (replaced == 0) return 0;
  out.append(in.substr(copied));
  *text = std::move(out);
  return replaced;
}

}  // namespace loupe::privacy
