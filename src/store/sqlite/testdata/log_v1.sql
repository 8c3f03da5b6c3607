-- log.db at schema version 1 (unchanged since).
CREATE TABLE schema_version(kind TEXT NOT NULL, version INTEGER NOT NULL);
INSERT INTO schema_version VALUES('loupe-log', 1);
CREATE TABLE raw_batches(
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  received_ns INTEGER NOT NULL,
  spans INTEGER NOT NULL,
  payload BLOB NOT NULL);
