import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loading the ledger under its `flock`, and the checkpoints log. Every method runs with the
/// writer's `lock` held and the ledger locked.
extension ReportWriter {
    /// Returns the ledger's state. First use reads the whole file; later, only what another
    /// process appended, which must chain onto the head this writer knew. A ledger that shrank or
    /// whose last known line changed throws and is left untouched. A torn last line (an append cut
    /// short by a crash) is truncated away — only the bytes past the last complete line.
    func loadLedger(fd: Int32) throws -> LedgerState {
        let size = try FileIO.size(fd: fd, path: ledgerPath)
        guard cachedLength >= 0 else { return try loadWhole(fd: fd, size: size) }
        guard size >= cachedLength else {
            throw ReportError(.ledgerShrank, "\(ledgerPath) shrank from \(cachedLength) to \(size) bytes under this writer "
                + "(it had \(cached.count) lines, head \(cached.head)): lines were removed; refusing to write")
        }
        if cached.count > 0 {
            let start = cachedLength - cached.lastLine.count
            let line = try FileIO.readAt(fd: fd, count: cached.lastLine.count, offset: start, path: ledgerPath)
            guard line == cached.lastLine else {
                throw ReportError(.ledgerRewritten, "line \(cached.count) of \(ledgerPath) (the head this writer knew, "
                    + "\(cached.head)) changed under it; refusing to write")
            }
        }
        if size == cachedLength { return cached }

        // Another process appended: its lines must continue our chain.
        let added = try FileIO.readAt(fd: fd, count: size - cachedLength, offset: cachedLength, path: ledgerPath)
        let (entries, complete) = try LedgerEntry.parse(added, firstLine: cached.count + 1)
        var head = cached.head
        for (index, entry) in entries.enumerated() {
            guard entry.previous == head else {
                throw ReportError(.ledgerRewritten, "line \(cached.count + index + 1) of \(ledgerPath) does not chain onto "
                    + "line \(cached.count + index) (head \(head)): the ledger was rewritten; refusing to write")
            }
            head = entry.sha256
        }
        if complete < added.count { try FileIO.truncate(fd: fd, to: cachedLength + complete, path: ledgerPath) }
        // Lines a crashed process wrote may not be durable yet; a checkpoint must never cover those.
        try FileIO.fsyncOrThrow(fd, path: ledgerPath)
        for entry in entries { cached.append(entry) }
        if let last = entries.last { cached.lastLine = try last.line() }
        cachedLength += complete
        return cached
    }

    /// First use: reads and checks the whole chain, then the newest checkpoint signed with this
    /// writer's key (so a truncation made while no writer ran is refused too), then truncates a
    /// torn tail and fsyncs the ledger once.
    private func loadWhole(fd: Int32, size: Int) throws -> LedgerState {
        let bytes = try FileIO.readAt(fd: fd, count: size, offset: 0, path: ledgerPath)
        let (entries, complete) = try LedgerEntry.parse(bytes)
        var chainHead = VerdictReport.genesisHash
        for (index, entry) in entries.enumerated() {
            guard entry.previous == chainHead else {
                throw ReportError(.ledger, "line \(index + 1) does not chain to the line before; refusing to extend it")
            }
            chainHead = entry.sha256
        }
        var covered = 0
        if let newest = try newestCheckpoint() {
            let checkpoint = newest.checkpoint
            guard checkpoint.count <= entries.count else {
                throw ReportError(.ledgerShrank, "\(ledgerPath) has \(entries.count) lines but the checkpoint of "
                    + "\(checkpoint.time) signed with this key covers \(checkpoint.count): lines were removed; refusing to write")
            }
            guard entries[checkpoint.count - 1].sha256 == checkpoint.head else {
                throw ReportError(.ledgerRewritten, "line \(checkpoint.count) of \(ledgerPath) is not the one the checkpoint "
                    + "of \(checkpoint.time) signed (\(checkpoint.head)); refusing to write")
            }
            covered = checkpoint.count
        }
        if complete < bytes.count { try FileIO.truncate(fd: fd, to: complete, path: ledgerPath) }
        try FileIO.fsyncOrThrow(fd, path: ledgerPath)
        var state = LedgerState()
        for entry in entries { state.append(entry) }
        if let last = entries.last { state.lastLine = try last.line() }
        cached = state
        cachedLength = complete
        checkpointed = covered
        return state
    }

    /// The newest complete line of `checkpoints.tsv` (within its last 64 KiB) that is well formed
    /// and signed by this writer's key: lines appended after it by anyone else (garbage, another
    /// key) do not hide it. Nil when there is none; `verify --ledger` reports damaged lines.
    private func newestCheckpoint() throws -> LedgerCheckpoint.Signed? {
        let fd = open(checkpointsPath, O_RDONLY | O_CLOEXEC)
        if fd < 0, errno == ENOENT { return nil }
        guard fd >= 0 else { throw ReportError.io("open \(checkpointsPath)", errno: errno) }
        defer { close(fd) }
        let size = try FileIO.size(fd: fd, path: checkpointsPath)
        let chunk = min(size, 64 << 10)
        let tail = try FileIO.readAt(fd: fd, count: chunk, offset: size - chunk, path: checkpointsPath)
        var end = tail.lastIndex(of: UInt8(ascii: "\n"))
        while let lineEnd = end {
            let start = tail[..<lineEnd].lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            guard start > 0 || chunk == size else { return nil }  // the line may begin before the chunk
            if let line = try? LedgerCheckpoint.parse(line: tail[start..<lineEnd], number: 0),
               line.verifies(with: signingKey.publicKey) {
                return line
            }
            end = start > 0 ? start - 1 : nil
        }
        return nil
    }

    /// Opens `checkpoints.tsv` for appending; when its length is not the one this writer left, a
    /// torn last line (a crash mid-append) is cut first so the next line starts on its own.
    func openCheckpoints() throws -> (fd: Int32, created: Bool) {
        var created = false
        var fd = open(checkpointsPath, O_RDWR | O_APPEND | O_CLOEXEC)
        if fd < 0, errno == ENOENT {
            fd = open(checkpointsPath, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o644)
            created = true
        }
        guard fd >= 0 else { throw ReportError.io("open \(checkpointsPath)", errno: errno) }
        do {
            let size = try FileIO.size(fd: fd, path: checkpointsPath)
            if size > 0, size != checkpointsLength {
                let chunk = min(size, 64 << 10)
                let tail = try FileIO.readAt(fd: fd, count: chunk, offset: size - chunk, path: checkpointsPath)
                if tail.last != UInt8(ascii: "\n") {
                    if let newline = tail.lastIndex(of: UInt8(ascii: "\n")) {
                        try FileIO.truncate(fd: fd, to: size - chunk + newline + 1, path: checkpointsPath)
                    } else if chunk == size {
                        try FileIO.truncate(fd: fd, to: 0, path: checkpointsPath)
                    } else {
                        throw ReportError(.checkpointFormat, "\(checkpointsPath) ends with over \(chunk) bytes without a newline")
                    }
                }
            }
            return (fd, created)
        } catch {
            close(fd)
            throw error
        }
    }

    /// Appends a signed checkpoint of `state` (not fsynced: the caller does that).
    func appendCheckpoint(fd: Int32, for state: LedgerState) throws {
        let checkpoint = LedgerCheckpoint(count: state.count, head: state.head, keyId: signingKey.publicKey.keyId,
                                          time: RFC3339.string(from: Date()))
        try FileIO.writeAll(fd: fd, try checkpoint.line(signedBy: signingKey), path: checkpointsPath)
        checkpointsLength = try FileIO.size(fd: fd, path: checkpointsPath)
    }
}
