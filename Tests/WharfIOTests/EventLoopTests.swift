import Foundation
import Synchronization
import WharfIO
import XCTest

final class EventLoopTests: XCTestCase {
    func testTimersFireInDeadlineOrder() throws {
        let loop = try EventLoop()
        var fired: [String] = []
        let late = TimerWatcher(loop: loop) {
            fired.append("late")
            loop.stop()
        }
        let early = TimerWatcher(loop: loop) { fired.append("early") }
        let middle = TimerWatcher(loop: loop) { fired.append("middle") }
        late.start(after: 0.06)
        early.start(after: 0.01)
        middle.start(after: 0.03)
        XCTAssertTrue(runLoop(loop))
        XCTAssertEqual(fired, ["early", "middle", "late"])
        XCTAssertFalse(late.isActive)
    }

    func testRepeatingTimerFiresUntilStopped() throws {
        let loop = try EventLoop()
        var count = 0
        var timer: TimerWatcher!
        timer = TimerWatcher(loop: loop) {
            count += 1
            if count == 3 {
                timer.stop()
                loop.stop()
            }
        }
        timer.start(after: 0.005, repeat: 0.005)
        XCTAssertTrue(runLoop(loop))
        XCTAssertEqual(count, 3)
        XCTAssertFalse(timer.isActive)
    }

    func testExecuteFromOtherThreadsRunsOnTheLoopThreadInOrder() throws {
        let worker = try EventLoopThread(name: "wharf-test-loop")
        defer { worker.stopAndJoin() }
        let loop = worker.loop
        let submitters = 4
        let perSubmitter = 250
        let record = Mutex<(onLoop: Int, offLoop: Int, perThread: [[Int]])>((0, 0, Array(repeating: [], count: submitters)))
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.concurrentPerform(iterations: submitters) { submitter in
            for index in 0..<perSubmitter {
                loop.execute {
                    let onLoop = loop.isInLoopThread
                    let done = record.withLock { state -> Bool in
                        if onLoop { state.onLoop += 1 } else { state.offLoop += 1 }
                        state.perThread[submitter].append(index)
                        return state.onLoop + state.offLoop == submitters * perSubmitter
                    }
                    if done { finished.signal() }
                }
            }
        }
        XCTAssertEqual(finished.wait(timeout: .now() + 5), .success)
        record.withLock { state in
            XCTAssertEqual(state.onLoop, submitters * perSubmitter)
            XCTAssertEqual(state.offLoop, 0)
            for list in state.perThread { XCTAssertEqual(list, Array(0..<perSubmitter)) }
        }
        XCTAssertFalse(loop.isInLoopThread)
    }

    func testWatcherMayBeReleasedInsideItsOwnHandler() throws {
        let loop = try EventLoop()
        let (server, client) = try connectedPair()
        defer {
            Socket.close(server)
            Socket.close(client)
        }
        var watcher: IOWatcher? = nil
        var calls = 0
        watcher = IOWatcher(loop: loop, fd: client, events: .write) { _ in
            calls += 1
            watcher = nil  // last reference: deinit stops and frees it inside its own callback
            loop.stop()
        }
        weak let observed = watcher
        watcher?.start()
        XCTAssertTrue(runLoop(loop))
        XCTAssertEqual(calls, 1)
        XCTAssertNil(observed)
        // The loop goes on working without the freed watcher.
        loop.runOnce(blocking: false)
    }

    func testSetEventsRearmsOnlyOnChange() throws {
        let loop = try EventLoop()
        let (server, client) = try connectedPair()
        defer {
            Socket.close(server)
            Socket.close(client)
        }
        var seen: [IOEvents] = []
        let watcher = IOWatcher(loop: loop, fd: server, events: .read) { events in
            seen.append(events)
            loop.stop()
        }
        watcher.start()
        // Nothing to read: a read watcher stays quiet; switching to write fires at once.
        loop.runOnce(blocking: false)
        XCTAssertEqual(seen, [])
        watcher.set(events: .write)
        XCTAssertTrue(watcher.isActive)
        XCTAssertEqual(watcher.events, .write)
        XCTAssertTrue(runLoop(loop))
        XCTAssertEqual(seen, [.write])
        watcher.stop()
        XCTAssertFalse(watcher.isActive)
    }

    /// Re-arming drops a fed event due but not delivered: it is gone (its owner feeds it again,
    /// as `ClientConnection.want` does for bytes TLS holds), and a re-armed watcher still
    /// reports readiness the kernel sees.
    func testChangingTheWatchedEventsDropsAFedEvent() throws {
        let loop = try EventLoop()
        let (server, client) = try connectedPair()
        defer {
            Socket.close(server)
            Socket.close(client)
        }
        var seen: IOEvents = []
        let watcher = IOWatcher(loop: loop, fd: server, events: .read) { events in
            seen.formUnion(events)
            loop.stop()
        }
        watcher.start()
        // Nothing to read: only the fed event could bring .read, and re-arming drops it.
        watcher.feed(.read)
        watcher.set(events: [.read, .write])
        XCTAssertTrue(runLoop(loop))
        XCTAssertEqual(seen, .write)
        // A byte to read: the re-armed watcher reports it.
        seen = []
        let byte: [UInt8] = [0x2A]
        guard case .bytes(1) = byte.withUnsafeBytes({ Socket.write(client, from: $0) }) else {
            return XCTFail("could not write to the peer")
        }
        watcher.set(events: .read)
        XCTAssertTrue(runLoop(loop))
        XCTAssertEqual(seen, .read)
        watcher.stop()
    }

    /// Readiness the kernel reported, due in the same round as another watcher's callback that
    /// re-arms its watcher (which drops it), is reported again on a later round
    /// (level-triggered): two readable sockets, and whichever callback runs first re-arms the
    /// other watcher while its event is due.
    func testReArmingDropsADueKernelEventWhichComesAgain() throws {
        let loop = try EventLoop()
        let pairs = [try connectedPair(), try connectedPair()]
        defer {
            for pair in pairs {
                Socket.close(pair.server)
                Socket.close(pair.client)
            }
        }
        let byte: [UInt8] = [0x2A]
        for pair in pairs {
            guard case .bytes(1) = byte.withUnsafeBytes({ Socket.write(pair.client, from: $0) }) else {
                return XCTFail("could not write to the peer")
            }
        }
        var watchers: [IOWatcher] = []
        var readSeen = [false, false]
        var reArmed = false
        for index in 0..<2 {
            watchers.append(
                IOWatcher(loop: loop, fd: pairs[index].server, events: .read) { events in
                    if !reArmed {
                        reArmed = true
                        watchers[1 - index].set(events: [.read, .write])
                    }
                    if events.contains(.read) {
                        readSeen[index] = true
                        watchers[index].stop()
                    }
                    if readSeen.allSatisfy({ $0 }) { loop.stop() }
                })
        }
        for watcher in watchers { watcher.start() }
        XCTAssertTrue(runLoop(loop), "a re-armed watcher's readable socket was never reported again")
        XCTAssertEqual(readSeen, [true, true])
        XCTAssertTrue(reArmed)
    }

    func testSpawnedThreadHasItsNameAndJoins() throws {
        let name = Mutex<String>("")
        let thread = try EventLoop.spawnThread(name: "wharf-worker-name-too-long") {
            let text = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
            name.withLock { $0 = text.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        thread.join()
        thread.join()
        XCTAssertEqual(name.withLock { $0 }, "wharf-worker-na")
    }
}
