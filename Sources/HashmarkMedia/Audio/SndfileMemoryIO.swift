import CSndfile
import Synchronization

/// A file in memory that libsndfile reads or writes through `sf_open_virtual`: never a temp file.
///
/// libsndfile's callbacks are C function pointers, so they capture nothing; each finds this box
/// through the `user_data` pointer, which stays valid because `withOpenFile` keeps the box alive
/// until `sf_close`.
final class SndfileMemoryIO {
    /// The file's bytes: the input when reading, what libsndfile wrote when writing.
    private(set) var bytes: [UInt8]
    private var position = 0

    init(_ bytes: [UInt8] = []) { self.bytes = bytes }

    /// libsndfile reports a failed open through a process-wide error number (`sf_error(NULL)`):
    /// opens are serialised so that parallel decodes read their own.
    private static let openLock = Mutex(())

    /// Opens the bytes with libsndfile, runs `body` with the handle, closes it.
    ///
    /// - Parameter info: zero to let libsndfile detect the format (reading), or the format to
    ///   write. libsndfile fills it in on reading.
    func withOpenFile<R>(mode: Int32, info: inout SF_INFO, onOpenError: (Int32, String) -> MediaError,
                         _ body: (OpaquePointer, SF_INFO) throws(MediaError) -> R) throws(MediaError) -> R {
        var io = SF_VIRTUAL_IO(get_filelen: memoryLength, seek: memorySeek, read: memoryRead,
                               write: memoryWrite, tell: memoryTell)
        let user = Unmanaged.passUnretained(self).toOpaque()
        var opened: Result<OpaquePointer, MediaError>?
        Self.openLock.withLock { _ in
            if let file = sf_open_virtual(&io, mode, &info, user) {
                opened = .success(file)
            } else {
                let message = sf_strerror(nil).map { String(cString: $0) } ?? "unknown error"
                opened = .failure(onOpenError(sf_error(nil), message))
            }
        }
        guard let opened else {
            throw MediaError(code: MediaError.Code.internalError, message: "libsndfile was not called.")
        }
        let file = try opened.get()
        defer { sf_close(file) }
        return try withExtendedLifetime(self) { () throws(MediaError) -> R in try body(file, info) }
    }

    fileprivate func seek(_ offset: Int, whence: Int32) -> Int {
        let base: Int
        switch whence {
        case 0: base = 0                // SEEK_SET
        case 1: base = position         // SEEK_CUR
        case 2: base = bytes.count      // SEEK_END
        default: return -1
        }
        let (target, overflow) = base.addingReportingOverflow(offset)
        guard !overflow, target >= 0 else { return -1 }
        position = target
        return target
    }

    fileprivate func read(into destination: UnsafeMutableRawPointer, count: Int) -> Int {
        guard count > 0, position < bytes.count else { return 0 }
        let n = min(count, bytes.count - position)
        bytes.withUnsafeBytes { src in
            guard let base = src.baseAddress else { return }
            destination.copyMemory(from: base + position, byteCount: n)
        }
        position += n
        return n
    }

    fileprivate func write(from source: UnsafeRawPointer, count: Int) -> Int {
        guard count > 0 else { return 0 }
        let end = position + count
        if end > bytes.count { bytes.append(contentsOf: repeatElement(0, count: end - bytes.count)) }
        bytes.withUnsafeMutableBytes { dst in
            guard let base = dst.baseAddress else { return }
            (base + position).copyMemory(from: source, byteCount: count)
        }
        position = end
        return count
    }

    fileprivate var tell: Int { position }

    /// libsndfile has asked for the last byte: a decoder failing now ran out of data.
    var consumedAll: Bool { position >= bytes.count }
}

private func box(_ user: UnsafeMutableRawPointer?) -> SndfileMemoryIO? {
    user.map { Unmanaged<SndfileMemoryIO>.fromOpaque($0).takeUnretainedValue() }
}

private func memoryLength(_ user: UnsafeMutableRawPointer?) -> sf_count_t {
    sf_count_t(box(user)?.bytes.count ?? -1)
}

private func memorySeek(_ offset: sf_count_t, _ whence: Int32, _ user: UnsafeMutableRawPointer?) -> sf_count_t {
    guard let offset = Int(exactly: offset) else { return -1 }
    return sf_count_t(box(user)?.seek(offset, whence: whence) ?? -1)
}

private func memoryRead(_ ptr: UnsafeMutableRawPointer?, _ count: sf_count_t, _ user: UnsafeMutableRawPointer?) -> sf_count_t {
    guard let ptr, let count = Int(exactly: count) else { return 0 }
    return sf_count_t(box(user)?.read(into: ptr, count: count) ?? 0)
}

private func memoryWrite(_ ptr: UnsafeRawPointer?, _ count: sf_count_t, _ user: UnsafeMutableRawPointer?) -> sf_count_t {
    guard let ptr, let count = Int(exactly: count) else { return 0 }
    return sf_count_t(box(user)?.write(from: ptr, count: count) ?? 0)
}

private func memoryTell(_ user: UnsafeMutableRawPointer?) -> sf_count_t {
    sf_count_t(box(user)?.tell ?? -1)
}
