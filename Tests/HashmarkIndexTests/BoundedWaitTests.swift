import Foundation
@_spi(Testing) import HashmarkStore
import NIOCore
import NIOPosix
import Synchronization
import Testing

/// The deadline on every PostgreSQL wait (`BoundedWait`), on futures the test completes itself:
/// an answer in time is returned; none ends the wait at the deadline; an answer after it goes to
/// `late` (where the store closes a connection opened too late), and a late failure nowhere.
@Suite("Bounded waits on event-loop futures")
struct BoundedWaitTests {
    struct Late: Error {}

    final class Box: Sendable {
        let values = Mutex<[Int]>([])
        let timeouts = Mutex(0)
    }

    static func promise() -> EventLoopPromise<Int> {
        MultiThreadedEventLoopGroup.singleton.next().makePromise(of: Int.self)
    }

    @Test func anAnswerInTimeIsReturnedAndNothingIsLate() throws {
        let p = Self.promise(), box = Box()
        p.futureResult.eventLoop.scheduleTask(in: .milliseconds(20)) { p.succeed(7) }
        let value = try BoundedWait.wait(p.futureResult, seconds: 10, timedOut: { Late() },
                                         onTimeout: { box.timeouts.withLock { $0 += 1 } },
                                         late: { v in box.values.withLock { $0.append(v) } })
        #expect(value == 7)
        Thread.sleep(forTimeInterval: 0.1)
        #expect(box.values.withLock { $0 }.isEmpty && box.timeouts.withLock { $0 } == 0)
    }

    @Test func noAnswerEndsTheWaitAndALateValueIsHandedOver() throws {
        let p = Self.promise(), box = Box()
        let start = Date()
        #expect(throws: Late.self) {
            try BoundedWait.wait(p.futureResult, seconds: 0.2, timedOut: { Late() },
                                 onTimeout: { box.timeouts.withLock { $0 += 1 } },
                                 late: { v in box.values.withLock { $0.append(v) } })
        }
        let waited = Date().timeIntervalSince(start)
        #expect(waited >= 0.2 && waited < 5, "waited \(waited) s")
        #expect(box.timeouts.withLock { $0 } == 1)
        #expect(box.values.withLock { $0 }.isEmpty)
        p.succeed(42)
        let patience = Date().addingTimeInterval(5)
        while box.values.withLock({ $0 }).isEmpty, Date() < patience { Thread.sleep(forTimeInterval: 0.01) }
        #expect(box.values.withLock { $0 } == [42])
    }

    @Test func aLateFailureIsDropped() throws {
        let p = Self.promise(), box = Box()
        #expect(throws: Late.self) {
            try BoundedWait.wait(p.futureResult, seconds: 0.05, timedOut: { Late() },
                                 late: { v in box.values.withLock { $0.append(v) } })
        }
        p.fail(CancellationError())
        Thread.sleep(forTimeInterval: 0.1)
        #expect(box.values.withLock { $0 }.isEmpty)
    }
}
