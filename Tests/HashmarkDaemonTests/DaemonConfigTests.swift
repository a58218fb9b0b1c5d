import Foundation
import HashmarkDaemon
import Logging
import Testing

@Suite("DaemonConfig")
struct DaemonConfigTests {
    static let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("systemd/hashmark.toml").path

    @Test("the shipped example parses and every value in it is taken")
    func example() throws {
        let config = try DaemonConfig(tomlFile: Self.example)
        #expect(config.spoolRoot == "/var/lib/hashmark/spool")
        #expect(config.corpusDB == "/var/lib/hashmark/corpus.sqlite")
        #expect(config.signingKey == "/etc/hashmark/signing-key.pem")
        #expect(config.limits.maxFileBytes == 64 << 20)
        #expect(config.limits.maxPixels == 50_000_000)
        #expect(config.limits.maxTextBytes == 16 << 20)
        #expect(config.limits.maxSeconds == 30)
        #expect(config.workers == 2 && config.queueCapacity == 8)
        #expect(config.scanIntervalSeconds == 30 && config.settleMilliseconds == 100)
        #expect(config.shutdownGraceSeconds == 10)
        #expect(config.metricsListen == "127.0.0.1:9464")
        #expect(config.logLevel == .info)
        #expect(config.sharedFolder == nil && config.sharedLeaseSeconds == 60 && config.sharedPollSeconds == 1)
        let shared = try DaemonConfig(toml: "[shared]\nfolder = \"/srv/up\"\nlease_seconds = 5\npoll_seconds = 0.5\n")
        #expect(shared.sharedFolder == "/srv/up" && shared.sharedLeaseSeconds == 5 && shared.sharedPollSeconds == 0.5)
        #expect(throws: DaemonError.self) { try DaemonConfig(toml: "[shared]\nlease_seconds = 0\n") }
    }

    @Test("absent options keep their documented defaults; metrics are off unless configured")
    func defaults() throws {
        let config = try DaemonConfig(toml: "[spool]\nroot = \"/srv/spool\"\n[limits]\nmax_seconds = 2.5\n")
        var expected = DaemonConfig()
        expected.spoolRoot = "/srv/spool"
        expected.limits.maxSeconds = 2.5
        #expect(config == expected)
        #expect(config.metricsListen == nil)
        #expect(config.workers >= 1 && config.queueCapacity == 4 * config.workers)
    }

    @Test("typos, wrong types and bad values are errors with their own codes")
    func errors() {
        func code(_ toml: String) -> String? {
            do { _ = try DaemonConfig(toml: toml); return nil } catch { return error.code }
        }
        #expect(code("[spool]\nroots = \"/x\"\n") == "config-unknown-key")
        #expect(code("[spoool]\nroot = \"/x\"\n") == "config-unknown-key")
        #expect(code("[workers]\ncount = \"two\"\n") == "config-type")
        #expect(code("[workers]\ncount = 0\n") == "config-value")
        #expect(code("[metrics]\nlisten = \"nowhere\"\n") == "config-value")
        #expect(code("[log]\nlevel = \"loud\"\n") == "config-value")
        #expect(code("[spool\nroot=") == "config-parse")
        #expect(code("spool = 3\n") == "config-type")
        // Upper bounds: an extra digit is an error at start, not a daemon that waits or allocates without end.
        #expect(code("[workers]\ncount = 100000\n") == "config-value")
        #expect(code("[limits]\nmax_seconds = 86400\n") == "config-value")
        #expect(code("[limits]\nmax_file_bytes = 99999999999\n") == "config-value")
        #expect(code("[limits]\nworker_memory_mib = 16\n") == "config-value")
        #expect(code("[scan]\nsettle_ms = 100000000\n") == "config-value")
        #expect(code("[workers]\ncount = 256\n[limits]\nmax_seconds = 3600\n") == nil)
    }

    @Test("flags override the file; nil flags keep the file's values")
    func overrides() throws {
        let config = try DaemonConfig.resolve(configFile: Self.example,
                                              overrides: DaemonOverrides(spoolRoot: "/tmp/s", signingKey: "/k.pem"))
        #expect(config.spoolRoot == "/tmp/s")
        #expect(config.signingKey == "/k.pem")
        #expect(config.corpusDB == "/var/lib/hashmark/corpus.sqlite")
        #expect(try DaemonConfig.resolve(configFile: nil, overrides: DaemonOverrides(corpusDB: "/db")).corpusDB == "/db")
        #expect(throws: DaemonError.self) { try DaemonConfig.resolve(configFile: "/nonexistent/x.toml", overrides: .init()) }
    }

    @Test("log lines: syslog priority prefix and no timestamp under journald; newlines escaped")
    func logFormat() {
        let journald = JournalLogHandler.format(level: .warning, message: "bad\nname",
                                                metadata: ["name": "a b", "n": "3"], journald: true)
        #expect(journald == "<4>bad\\nname n=3 name=\"a b\"")
        let terminal = JournalLogHandler.format(level: .info, message: "ready", metadata: [:], journald: false)
        #expect(terminal.hasSuffix("Z info ready"))
        #expect(terminal.first?.isNumber == true)
    }

    @Test("spool names keep raw bytes and display safely on one line")
    func names() throws {
        let name = try #require(SpoolName(bytes: Array("a\nb".utf8) + [0xFF]))
        #expect(name.display == "a\\nb\\xff")
        #expect(name.utf8String == nil)
        #expect(SpoolName(bytes: Array("x/y".utf8)) == nil)
        #expect(SpoolName("..") == nil)
        #expect(SpoolName(".tmp")?.isHidden == true)
        // Bidi overrides, zero-width and C1 characters are shown, not obeyed: "invoice\u{202E}fdp.exe"
        // would read "invoiceexe.pdf" in a log or a terminal.
        #expect(SpoolName("invoice\u{202E}fdp.exe")?.display == "invoice\\u{202e}fdp.exe")
        #expect(SpoolName("a\u{200B}b\u{2066}c\u{85}d\u{2028}e")?.display == "a\\u{200b}b\\u{2066}c\\u{85}d\\u{2028}e")
        #expect(SpoolName("café 日本")?.display == "café 日本")
    }
}
