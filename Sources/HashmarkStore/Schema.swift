import GRDB

/// The schema: the same migrations, by the same identifiers and in the same order, for both back
/// ends; each runs once per database. SQLite's are GRDB migrations (recorded in `grdb_migrations`),
/// PostgreSQL's run in one transaction under an advisory lock (recorded in `hashmark_migrations`).
enum Schema {
    /// SQLite's migrations (their text is frozen: files written by older releases depend on it).
    static var sqliteMigrator: DatabaseMigrator {
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
        m.registerMigration("v4-shared-ledger") { db in try db.execute(sql: sharedLedgerTable) }
        m.registerMigration("v5-work-queue") { db in
            try db.execute(sql: workQueueTable(id: "INTEGER PRIMARY KEY AUTOINCREMENT", name: "BLOB"))
            try db.execute(sql: workQueueIndex)
        }
        m.registerMigration("v6-work-roles") { db in try db.execute(sql: workRoleColumn(text: "TEXT")) }
        return m
    }

    /// The shared ledger (`SharedLedgerRow`): the same text on both back ends.
    static let sharedLedgerTable = """
        CREATE TABLE shared_ledger (
            seq BIGINT PRIMARY KEY NOT NULL,
            host TEXT NOT NULL,
            host_line BIGINT NOT NULL,
            report_id TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            previous TEXT NOT NULL,
            chain TEXT NOT NULL,
            UNIQUE (host, host_line)
        )
        """
}

extension Schema {
    /// The shared work queue (`SharedWorkItem`): one row per file name in a shared inbox folder.
    /// Times are milliseconds since 1970 by the database server's clock, so hosts whose clocks
    /// differ agree on when a lease ends.
    static func workQueueTable(id: String, name: String) -> String {
        """
        CREATE TABLE work_queue (
            id \(id) NOT NULL,
            name \(name) NOT NULL UNIQUE,
            identity TEXT NOT NULL,
            state TEXT NOT NULL,
            owner TEXT,
            token BIGINT NOT NULL DEFAULT 0,
            lease_until BIGINT NOT NULL DEFAULT 0,
            report_id TEXT,
            outcome TEXT,
            added_ms BIGINT NOT NULL,
            done_ms BIGINT
        )
        """
    }

    static let workQueueIndex = "CREATE INDEX work_queue_state ON work_queue (state, id)"

    /// `WorkRole`: every work registered before it existed is a work.
    static func workRoleColumn(text: String) -> String {
        "ALTER TABLE works ADD COLUMN role \(text) NOT NULL DEFAULT 'work'"
    }

    /// PostgreSQL's migrations: SQLite's tables in PostgreSQL's types. Text columns that the store
    /// sorts on use the "C" collation (bytewise, as SQLite), so both back ends list works in the
    /// same order and give equal contents the same snapshot digest. `rowid` is an explicit
    /// identity column where SQLite has its implicit one (insertion order of bulk reads).
    static let postgresMigrations: [(id: String, statements: [String])] = [
        ("v1", [
            """
            CREATE TABLE works (
                id TEXT COLLATE "C" PRIMARY KEY NOT NULL,
                title TEXT COLLATE "C" NOT NULL DEFAULT '',
                owner TEXT COLLATE "C" NOT NULL DEFAULT '',
                license TEXT COLLATE "C" NOT NULL DEFAULT '',
                source TEXT COLLATE "C" NOT NULL DEFAULT '',
                media_type TEXT COLLATE "C" NOT NULL,
                sha256 TEXT COLLATE "C" UNIQUE,
                added_at DOUBLE PRECISION NOT NULL)
            """,
            """
            CREATE TABLE fingerprints (
                rowid BIGSERIAL PRIMARY KEY,
                work_id TEXT COLLATE "C" NOT NULL REFERENCES works(id) ON DELETE CASCADE,
                algorithm TEXT COLLATE "C" NOT NULL,
                version BIGINT NOT NULL,
                variant BIGINT NOT NULL DEFAULT 0,
                data BYTEA NOT NULL,
                quality BIGINT)
            """,
            "CREATE INDEX fingerprints_work ON fingerprints(work_id)",
            "CREATE INDEX fingerprints_algorithm ON fingerprints(algorithm, version)",
            """
            CREATE TABLE text_postings (
                rowid BIGSERIAL PRIMARY KEY,
                work_id TEXT COLLATE "C" NOT NULL REFERENCES works(id) ON DELETE CASCADE,
                hash BIGINT NOT NULL,
                position BIGINT NOT NULL)
            """,
            "CREATE INDEX text_postings_hash ON text_postings(hash)",
            "CREATE INDEX text_postings_work ON text_postings(work_id)",
            """
            CREATE TABLE work_texts (
                work_id TEXT COLLATE "C" PRIMARY KEY NOT NULL REFERENCES works(id) ON DELETE CASCADE,
                text TEXT NOT NULL)
            """,
            "CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value BIGINT)",
            "INSERT INTO meta(key, value) VALUES ('snapshot_version', 0)",
        ]),
        ("v2-thumbnails", [
            """
            CREATE TABLE work_thumbnails (
                work_id TEXT COLLATE "C" PRIMARY KEY NOT NULL REFERENCES works(id) ON DELETE CASCADE,
                width BIGINT NOT NULL,
                height BIGINT NOT NULL,
                original_width BIGINT NOT NULL,
                original_height BIGINT NOT NULL,
                jpeg BYTEA NOT NULL)
            """,
        ]),
        ("v3-posting-algorithms", [
            """
            CREATE TABLE text_posting_algorithms (
                work_id TEXT COLLATE "C" PRIMARY KEY NOT NULL REFERENCES works(id) ON DELETE CASCADE,
                algorithm TEXT COLLATE "C" NOT NULL,
                version BIGINT NOT NULL)
            """,
        ]),
        ("v4-shared-ledger", [sharedLedgerTable]),
        ("v5-work-queue", [workQueueTable(id: "BIGSERIAL PRIMARY KEY", name: "BYTEA"), workQueueIndex]),
        ("v6-work-roles", [workRoleColumn(text: "TEXT COLLATE \"C\"")]),
    ]
}

extension CorpusStore {
    /// Creates a database file as an older Hashmark left it: only the migrations up to and
    /// including `migration` applied, then `sql` run (rows in that schema). Tests of upgrades.
    @_spi(Testing) public static func createLegacy(path: String, upTo migration: String, sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try Schema.sqliteMigrator.migrate(queue, upTo: migration)
        try queue.write { try $0.execute(sql: sql) }
    }
}
