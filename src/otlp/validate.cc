#include "otlp/validate.h"

#include "otlp/utf8.h"

namespace loupe::otlp {
namespace {

std::string CheckId(std::string_view field, IdBytes id, size_t want, bool allow_empty,
                    bool allow_zero) {
  if (id.size == 0 && allow_empty) return "";
  if (id.size != want) {
    return std::string(field) + " has " + std::to_string(id.size) + " bytes, want " +
           std::to_string(want);
  }
  if (!allow_zero && id.IsZero()) return std::string(field) + " is all zeros";
  return "";
}

}  // namespace

bool IdBytes::IsZero() const {
  for (size_t i = 0; i < size; ++i) {
    if (data[i] != 0) return false;
  }
  return true;
}

std::string SpanIdProblem(IdBytes trace_id, IdBytes span_id, IdBytes parent_span_id) {
  std::string p = LinkIdProblem(trace_id, span_id);
  if (p.empty()) p = CheckId("parent_span_id", parent_span_id, 8, true, true);
  return p;
}

std::string LinkIdProblem(IdBytes trace_id, IdBytes span_id) {
  std::string p = CheckId("trace_id", trace_id, 16, false, false);
  if (p.empty()) p = CheckId("span_id", span_id, 8, false, false);
  return p;
}

std::string LogIdProblem(IdBytes trace_id, IdBytes span_id) {
  std::string p = CheckId("trace_id", trace_id, 16, true, true);
  if (p.empty()) p = CheckId("span_id", span_id, 8, true, true);
  return p;
}

void Rejections::Add(std::string what, std::string_view problem) {
  ++count_;
  if (first_.size() < kKeep) {
    what += ": ";
    what += problem;
    first_.push_back(std::move(what));
  }
}

std::string Rejections::Message() const {
  std::string out;
  for (const std::string& s : first_) {
    if (!out.empty()) out += "; ";
    out += s;
  }
  if (count_ > static_cast<int64_t>(first_.size())) {
    out += " (and " + std::to_string(count_ - static_cast<int64_t>(first_.size())) + " more)";
  }
  return out;
}

std::string Rejections::Describe(std::string_view kind, int64_t index, std::string_view name) {
  std::string out(kind);
  out += ' ';
  out += std::to_string(index);
  out += " (name \"";
  std::string_view cut = TruncateUtf8(name, 64);
  out += cut;
  if (cut.size() < name.size()) out += "...";
  out += "\")";
  return out;
}

}  // namespace loupe::otlp
