import Foundation

/// A small JPEG preview of an image work, so a report can show the work without its file.
public struct WorkThumbnail: Sendable, Equatable {
    /// Size of the JPEG in pixels.
    public var width: Int
    public var height: Int
    /// Size of the upright full-resolution work: evidence regions are in these pixels.
    public var originalWidth: Int
    public var originalHeight: Int
    public var jpeg: [UInt8]

    public init(width: Int, height: Int, originalWidth: Int, originalHeight: Int, jpeg: [UInt8]) {
        self.width = width
        self.height = height
        self.originalWidth = originalWidth
        self.originalHeight = originalHeight
        self.jpeg = jpeg
    }
}

extension CorpusStore {
    /// Stores (or replaces) the thumbnail of a registered work. `work.not-found` if the work is absent.
    /// Does not change the snapshot: thumbnails play no part in matching.
    public func setThumbnail(_ thumbnail: WorkThumbnail, of id: String) throws(StoreError) {
        guard thumbnail.width > 0, thumbnail.height > 0, thumbnail.originalWidth > 0,
              thumbnail.originalHeight > 0, !thumbnail.jpeg.isEmpty else {
            throw StoreError(code: "work-invalid", message: "thumbnail of \(id) has an empty size or no bytes")
        }
        try write("thumbnail of \(id)") { db in
            guard try db.fetchOne("SELECT 1 FROM works WHERE id = ?", [id]) != nil else {
                throw StoreError(code: "work-not-found", message: "no work '\(id)' to attach a thumbnail to")
            }
            try db.execute("""
                INSERT INTO work_thumbnails(work_id, width, height, original_width, original_height, jpeg)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(work_id) DO UPDATE SET width = excluded.width, height = excluded.height,
                    original_width = excluded.original_width, original_height = excluded.original_height, jpeg = excluded.jpeg
                """, [id, thumbnail.width, thumbnail.height, thumbnail.originalWidth, thumbnail.originalHeight, thumbnail.jpeg])
        }
    }

    /// The stored thumbnail of a work; `nil` for text works and works added before thumbnails existed.
    public func thumbnail(of id: String) throws(StoreError) -> WorkThumbnail? {
        try read("thumbnail of \(id)") { db in
            guard let row = try db.fetchOne("""
                SELECT width, height, original_width, original_height, jpeg FROM work_thumbnails WHERE work_id = ?
                """, [id]) else { return nil }
            return WorkThumbnail(width: Int(try row.int(0)), height: Int(try row.int(1)), originalWidth: Int(try row.int(2)),
                                 originalHeight: Int(try row.int(3)), jpeg: try row.blob(4))
        }
    }
}
