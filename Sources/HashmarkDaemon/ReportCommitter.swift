import Foundation
import HashmarkReport

/// Group commit of signed reports: callers hand over a report and are resumed once it is durable;
/// a dedicated thread writes whatever has accumulated in one `ReportWriter.write(batch:)` (one
/// round of fsyncs for the whole batch). Under load, batches grow by themselves — while one batch
/// syncs, the next one collects — so the fsync cost per report falls as the rate rises, and at a
/// low rate a batch is a single report with no added delay.
///
/// fsync runs on this thread, never on Swift's cooperative pool, so computing workers are not
/// blocked by the disk.
final class ReportCommitter: Sendable {
    private typealias Pending = (report: VerdictReport, done: CheckedContinuation<Result<ReportWriter.Written, ReportError>, Never>)

    /// The daemon has one committer; its thread lives as long as the process.
    private let worker: BatchingThread<Pending>

    init(writer: ReportWriter) {
        worker = BatchingThread(name: "hashmark.reports") { batch in
            let results = writer.write(batch: batch.map(\.report))
            for (item, result) in zip(batch, results) { item.done.resume(returning: result) }
        }
    }

    /// Writes `report` durably (with the ones other callers handed over meanwhile).
    func write(_ report: VerdictReport) async -> Result<ReportWriter.Written, ReportError> {
        await withCheckedContinuation { continuation in worker.submit((report, continuation)) }
    }
}
