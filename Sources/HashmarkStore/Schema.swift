import GRDB

/// The schema, as GRDB migrations: each runs once per database file, in order.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE works (
                    id TEXT PRIMARY KEY NOT NULL,
                    title TEXT NOT NULL DEFAULT '',
                    owner TEXT NOT NULL DEFAULT '',
                    license TEXT NOT NULL DEFAULT '',
                    source TEXT NOT NULL DEFAULT '',
                    media_type TEXT NOT NULL,
                    sha256 TEXT UNIQUE,
                    added_at DOUBLE NOT NULL
                );
                CREATE TABLE fingerprints (
                    work_id TEXT NOT NULL REFERENCES works(id) ON DELETE CASCADE,
                    algorithm TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    variant INTEGER NOT NULL DEFAULT 0,
                    data BLOB NOT NULL,
                    quality INTEGER
                );
                CREATE INDEX fingerprints_work ON fingerprints(work_id);
                CREATE TABLE text_postings (
                    work_id TEXT NOT NULL REFERENCES works(id) ON DELETE CASCADE,
                    hash INTEGER NOT NULL,
                    position INTEGER NOT NULL
                );
                CREATE INDEX text_postings_hash ON text_postings(hash);
                CREATE INDEX text_postings_work ON text_postings(work_id);
                CREATE TABLE work_texts (
                    work_id TEXT PRIMARY KEY NOT NULL REFERENCES works(id) ON DELETE CASCADE,
                    text TEXT NOT NULL
                );
                CREATE TABLE meta (
                    key TEXT PRIMARY KEY NOT NULL,
                    value
                );
                INSERT INTO meta(key, value) VALUES ('snapshot_version', 0);
                """)
        }
        // Small JPEG previews of image works for the HTML evidence view (not part of matching,
        // so not part of the snapshot digest).
        m.registerMigration("v2-thumbnails") { db in
            try db.execute(sql: """
                CREATE TABLE work_thumbnails (
                    work_id TEXT PRIMARY KEY NOT NULL REFERENCES works(id) ON DELETE CASCADE,
                    width INTEGER NOT NULL,
                    height INTEGER NOT NULL,
                    original_width INTEGER NOT NULL,
                    original_height INTEGER NOT NULL,
                    jpeg BLOB NOT NULL
                );
                """)
        }
        // What made each text work's postings (`FingerprintAlgorithm`), one row per work with
        // postings. Works indexed before this migration have none: the index reports the corpus
        // as stale until they are re-added.
        m.registerMigration("v3-posting-algorithms") { db in
            try db.execute(sql: """
                CREATE TABLE text_posting_algorithms (
                    work_id TEXT PRIMARY KEY NOT NULL REFERENCES works(id) ON DELETE CASCADE,
                    algorithm TEXT NOT NULL,
                    version INTEGER NOT NULL
                );
                """)
        }
        return m
    }
}

extension CorpusStore {
    /// Creates a database file as an older Hashmark left it: only the migrations up to and
    /// including `migration` applied, then `sql` run (rows in that schema). Tests of upgrades.
    @_spi(Testing) public static func createLegacy(path: String, upTo migration: String, sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: migration)
        try queue.write { try $0.execute(sql: sql) }
    }
}
