import HashmarkStore

/// The daemon's side of a shared inbox (`SharedInbox`): a copy of a shared file in active/ is
/// processed like a local file, under the shared file's name, between a resolution of its row
/// and the row's completion.
extension SpoolRunner {
    enum SharedOrigin {
        /// A file of the local inbox.
        case local
        /// A copy of a shared file whose row this daemon holds.
        case shared(SharedWorkItem)
        /// A copy of a shared file that ends here: dropped (another daemon holds its row now, or
        /// it is done), or left in active/ for a retry (the database cannot say).
        case handled
    }

    func sharedOrigin(of name: SpoolName) async -> SharedOrigin {
        guard SharedInbox.isCopy(name) else { return .local }
        switch await shared?.resolve(name) ?? .notMine {
        case .mine(let item):
            return .shared(item)
        case .notMine:
            logger.notice("copy of a shared file that another daemon took over (or that is done): dropped",
                          metadata: ["name": "\(name.display)"])
            try? spool.remove(name, from: .active)
        case .unavailable(let problem):
            logger.error("shared file left in active/ for a retry", metadata: ["name": "\(name.display)", "problem": "\(problem)"])
            health.record(problem)
        }
        return .handled
    }

    /// After processing a shared file's copy: once its report is durable the row is done, the
    /// shared original moves to done/ or failed/ and the copy goes; a superseded copy goes; when
    /// the row cannot be completed the copy stays in active/ (`.retry`) and is completed later.
    func finishShared(_ name: SpoolName, _ item: SharedWorkItem, _ outcome: ProcessOutcome) async -> ProcessOutcome {
        var outcome = outcome
        switch outcome.disposition {
        case .done, .failed:
            if let problem = await shared?.complete(item, reportID: outcome.reportID ?? "", failed: outcome.disposition == .failed) {
                outcome.disposition = .retry
                outcome.problem = problem
            } else {
                try? spool.remove(name, from: .active)
            }
        case .superseded:
            try? spool.remove(name, from: .active)
        case .retry:
            break
        }
        return outcome
    }
}
