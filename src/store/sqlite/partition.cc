#include "store/sqlite/partition.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

#include "store/sqlite/queries.h"
#include "store/sqlite/schema.h"

namespace loupe::store::sqlite {
namespace fs = std::filesystem;

std::string DayName(int64_t day) {
  std::chrono::sys_days d{std::chrono::days{day}};
  std::chrono::year_month_day ymd{d};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

bool ParseDayName(std::string_view name, int64_t* day) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (name.size() != 10 || name[4] != '-' || name[7] != '-') return false;
  std::string s(name);
  if (std::sscanf(s.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return false;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return false;
  *day = std::chrono::sys_days(ymd).time_since_epoch().count();
  return DayName(*day) == name;
}

uint64_t SqliteFilesBytes(const std::string& base) {
  uint64_t total = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    std::error_code ec;
    auto n = fs::file_size(base + suffix, ec);
    if (!ec) total += n;
  }
  return total;
}

namespace {

// A new file's directory entry must be durable before data in it is
// relied on (the log forgets what the day file holds).
void SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

Result<std::shared_ptr<Partition>> Partition::Open(const std::string& path, int64_t day, bool create,
                                                   const std::string& sync) {
  std::shared_ptr<Partition> p(new Partition(path, day));
  bool existed = fs::exists(path);
  auto db = Db::Open(path, create);
  if (!db.ok()) return db.status();
  p->writer_ = std::move(*db);
  Db* w = p->writer_.get();
  LOUPE_RETURN_IF_ERROR(RegisterFunctions(w));  // SealDay merges histograms through it
  // Incremental auto-vacuum lets content retention give pages back to
  // the file system without a full VACUUM (only effective on new files).
  if (!existed) LOUPE_RETURN_IF_ERROR(w->Exec("PRAGMA auto_vacuum=INCREMENTAL"));
  LOUPE_RETURN_IF_ERROR(w->Exec("PRAGMA journal_mode=WAL; PRAGMA journal_size_limit=67108864; PRAGMA synchronous=" +
                                sync));
  LOUPE_RETURN_IF_ERROR(Migrate(w, kDayKind));
  if (!existed) SyncDir(fs::path(path).parent_path().string());
  auto meta = w->Prepare("SELECT key, value FROM meta");
  if (!meta.ok()) return meta.status();
  Status s;
  while (meta->Step(&s)) {
    if (meta->Text(0) == "version") p->version_ = meta->Int(1);
    if (meta->Text(0) == "content_dropped") p->content_dropped_ = meta->Int(1) != 0;
  }
  LOUPE_RETURN_IF_ERROR(s);
  auto ix = Indexer::Create(w);
  if (!ix.ok()) return ix.status();
  p->indexer_ = std::move(*ix);
  return p;
}

Partition::~Partition() {
  indexer_.reset();
  writer_.reset();
  reader_.reset();
}

Result<Db*> Partition::reader() {
  if (!reader_) {
    if (!writer_) return Status::Unavailable(path_ + ": day file was dropped");
    auto db = Db::Open(path_, false);
    if (!db.ok()) return db.status();
    LOUPE_RETURN_IF_ERROR(RegisterFunctions(db->get()));
    reader_ = std::move(*db);
  }
  return reader_.get();
}

void Partition::Close() {
  reader_.reset();
  indexer_.reset();
  if (writer_) writer_->Exec("PRAGMA wal_checkpoint(TRUNCATE)");
  writer_.reset();
}

Status Partition::RemoveFiles() {
  // The WAL goes first: a day file left without it is complete up to its
  // last checkpoint (Close truncated the WAL), never the other way round.
  for (const char* suffix : {"-wal", "-shm", ""}) {
    std::error_code ec;
    fs::remove(path_ + suffix, ec);
    if (ec) return Status::IoError(path_ + suffix + ": cannot remove: " + ec.message());
  }
  return Status::Ok();
}

uint64_t Partition::DiskBytes() const { return SqliteFilesBytes(path_); }

}  // namespace loupe::store::sqlite
