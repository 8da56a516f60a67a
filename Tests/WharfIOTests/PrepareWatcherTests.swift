import Foundation
import WharfIO
import XCTest

final class PrepareWatcherTests: XCTestCase {
    /// Two descriptors readable at once are reported in one iteration: the prepare watcher that
    /// the first callback starts runs after both callbacks, before the loop waits again.
    func testRunsAfterTheIterationsCallbacksBeforeTheNextWait() throws {
        let loop = try EventLoop()
        let first = try connectedPair()
        let second = try connectedPair()
        defer {
            for fd in [first.server, first.client, second.server, second.client] { Socket.close(fd) }
        }
        writeAll(first.client, [1])
        writeAll(second.client, [2])
        XCTAssertTrue(waitFor(first.server, events: Int16(POLLIN)))
        XCTAssertTrue(waitFor(second.server, events: Int16(POLLIN)))

        var order: [String] = []
        var prepareRuns = 0
        var prepare: PrepareWatcher!
        prepare = PrepareWatcher(loop: loop) {
            prepareRuns += 1
            order.append("prepare")
            prepare.stop()
            loop.stop()
        }
        var watchers: [IOWatcher] = []
        for fd in [first.server, second.server] {
            var watcher: IOWatcher!
            watcher = IOWatcher(loop: loop, fd: fd, events: .read) { _ in
                order.append("read")
                watcher.stop()
                prepare.start()
            }
            watchers.append(watcher)
            watcher.start()
        }
        XCTAssertTrue(runLoop(loop))
        XCTAssertEqual(order, ["read", "read", "prepare"])
        XCTAssertEqual(prepareRuns, 1)
        XCTAssertFalse(prepare.isActive)
        withExtendedLifetime(watchers) {}
    }

    /// A stopped watcher does not run; a started one runs before every wait until stopped.
    func testRunsBeforeEveryWaitUntilStopped() throws {
        let loop = try EventLoop()
        var runs = 0
        var prepare: PrepareWatcher!
        prepare = PrepareWatcher(loop: loop) {
            runs += 1
            if runs == 3 { prepare.stop() }
        }
        let idle = PrepareWatcher(loop: loop) { XCTFail("a stopped prepare watcher ran") }
        let ticks = TimerWatcher(loop: loop) {}
        ticks.start(after: 0.002, repeat: 0.002)
        let end = TimerWatcher(loop: loop) { loop.stop() }
        end.start(after: 0.05)
        prepare.start()
        XCTAssertTrue(runLoop(loop))
        ticks.stop()
        XCTAssertEqual(runs, 3)
        XCTAssertFalse(prepare.isActive)
        XCTAssertFalse(idle.isActive)
    }
}
