// wharf-bench: drives bench/runtime.sh, bench/api.sh and bench/scheduler.sh. Each runtime
// subcommand runs one measurement against an isolated runtime (its own data directory,
// bridge, subnet, cgroup parent, veth prefix) and prints one result line starting with "wharf ". Every loop is bounded in count and time.
//
//   wharf-bench cycle      --root DIR --token T --image DIR [--count N] [--network-pool N] [--bridge]
//   wharf-bench concurrent --root DIR --token T --image DIR [--count N] [--network-pool N]
//   wharf-bench density    --root DIR --token T --image DIR [--count N] [--deadline SECONDS] [--network-pool N]
//   wharf-bench cleanup    --root DIR --token T
//   wharf-bench api        --endpoint HOST:PORT --credentials FILE [...]   (a running wharf serve; see APIBenchmark.swift)
//   wharf-bench scheduler  [--instances N] [--tasks N] [--batch N] [--runs N]   (no runtime; see SchedulerBenchmark.swift)
import Foundation
import ImageStore
import LinuxHost
import Runtime


// MARK: - Options

struct Options {
    var command = ""
    var root = ""
    var token = ""
    var image: String?
    var count: Int?
    var deadline: Double?
    var subnet = "10.238.0.0/16"
    /// Network namespaces the runtime prepares ahead (`RuntimeConfiguration.networkPoolSize`).
    var networkPool = RuntimeConfiguration().networkPoolSize
    /// Supervisors the runtime keeps on standby (`RuntimeConfiguration.supervisorPoolSize`).
    var supervisorPool = RuntimeConfiguration().supervisorPoolSize
    /// Cycles in bridge mode with one published (dynamic) port: what publishing costs.
    var bridge = false

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--root": root = iterator.next() ?? ""
            case "--token": token = iterator.next() ?? ""
            case "--image": image = iterator.next()
            case "--count": count = iterator.next().flatMap { Int($0) }
            case "--deadline": deadline = iterator.next().flatMap { Double($0) }
            case "--subnet": subnet = iterator.next() ?? subnet
            case "--bridge": bridge = true
            case "--network-pool":
                guard let size = iterator.next().flatMap({ Int($0) }) else { fail("--network-pool needs a count") }
                networkPool = size
            case "--supervisor-pool":
                guard let size = iterator.next().flatMap({ Int($0) }) else { fail("--supervisor-pool needs a count") }
                supervisorPool = size
            default:
                if command.isEmpty { command = argument } else { fail("unknown argument \(argument)") }
            }
        }
        if command.isEmpty || root.isEmpty || token.isEmpty {
            fail("usage: wharf-bench cycle|concurrent|density|cleanup --root DIR --token T [--image DIR] [--count N] [--deadline S] [--network-pool N] [--supervisor-pool N]")
        }
    }

    var configuration: RuntimeConfiguration {
        var configuration = RuntimeConfiguration(
            dataDirectory: root + "/data",
            bridgeName: "wbench" + token, subnet: IPv4Network(subnet),
            cgroupParent: "wharf-bench-" + token, vethPrefix: "wb", networkPoolSize: networkPool)
        configuration.supervisorPoolSize = supervisorPool
        return configuration
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(("wharf-bench: " + message + "\n").data(using: .utf8)!)
    exit(1)
}

/// A result line, written unbuffered so the script sees it even if a later step fails.
func emit(_ line: String) {
    FileHandle.standardOutput.write((line + "\n").data(using: .utf8)!)
}

func log(_ message: String) {
    FileHandle.standardError.write(("  [wharf-bench] " + message + "\n").data(using: .utf8)!)
}

// MARK: - Helpers

func now() -> Int64 { Clock.monotonicNanoseconds() }
func ms(_ nanoseconds: Int64) -> Double { Double(nanoseconds) / 1e6 }
func ms(_ from: Date?, _ to: Date?) -> Double? {
    guard let from, let to else { return nil }
    return to.timeIntervalSince(from) * 1000
}

/// The same rank rule as runtime-baseline.sh: the value at 1-based rank int(n*q+0.5).
func percentile(_ values: [Double], _ q: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let rank = max(1, min(sorted.count, Int(Double(sorted.count) * q + 0.5)))
    return sorted[rank - 1]
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

func f1(_ value: Double) -> String { String(format: "%.1f", value) }
func f2(_ value: Double) -> String { String(format: "%.2f", value) }

func busyboxTask(_ command: [String], initProcess: Bool) -> TaskSpec {
    let container = ContainerSpec(name: "main", image: "busybox", command: command, initProcessEnabled: initProcess)
    return TaskSpec(networkMode: .awsvpc, containers: [container])
}

func makeRuntime(_ options: Options) -> ContainerRuntime {
    let runtime: ContainerRuntime
    do {
        runtime = try ContainerRuntime(configuration: options.configuration)
    } catch {
        fail("cannot create the runtime: \(error)")
    }
    if let image = options.image {
        do {
            _ = try runtime.images.importOCILayout(directory: image)
        } catch {
            fail("cannot import the busybox image from \(image): \(error)")
        }
    }
    return runtime
}

/// A "Key:   N kB" value from a /proc file, in KiB.
func procValue(_ path: String, _ key: String) -> Int64? {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
        return Int64(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }
    return nil
}

/// Pids of the direct children of `pid` (from /proc/PID/task/*/children).
func children(of pid: Int32) -> [Int32] {
    let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
    return tasks.flatMap { task -> [Int32] in
        let text = (try? String(contentsOfFile: "/proc/\(pid)/task/\(task)/children", encoding: .utf8)) ?? ""
        return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}

/// Stops every non-stopped task, waits for each (bounded), removes them. Returns leftovers.
func stopAll(_ runtime: ContainerRuntime, ids: [String], timeout: Double) -> (stopMs: Double, failures: Int) {
    let start = now()
    var failures = 0
    for id in ids {
        do { try runtime.stop(id, reason: "bench") } catch { failures += 1 }
    }
    let deadline = Date().addingTimeInterval(timeout)
    for id in ids {
        let remaining = max(0.1, deadline.timeIntervalSinceNow)
        do { try runtime.wait(id, timeout: remaining) } catch { failures += 1 }
    }
    let elapsed = ms(now() - start)
    for id in ids { try? runtime.remove(id) }
    return (elapsed, failures)
}

// MARK: - cycle

/// Launch `true`, wait for STOPPED, remove; N times in sequence.
func runCycle(_ options: Options) {
    let runtime = makeRuntime(options)
    let count = options.count ?? 200
    let budget = Int64((options.deadline ?? 300) * 1e9)
    var spec = busyboxTask(["true"], initProcess: false)
    if options.bridge {
        spec.networkMode = .bridge
        spec.containers[0].portMappings = [PortMapping(containerPort: 8080)]
    }
    let tag = "network pool \(options.networkPool)" + (options.bridge ? ", bridge mode" : "")
    // Warm-up: creates the bridge and faults in code paths; not counted.
    for _ in 0..<3 {
        do {
            let id = try runtime.launch(spec).id
            try runtime.wait(id, timeout: 10)
            try runtime.remove(id)
        } catch {
            fail("warm-up cycle failed: \(error)")
        }
    }
    var cycles: [Double] = []
    var launchCalls: [Double] = []
    var launchToExec: [Double] = []
    var toNetwork: [Double] = []
    var networkToExec: [Double] = []
    var execToStopped: [Double] = []
    var stoppedToObserved: [Double] = []
    var removes: [Double] = []
    var failures = 0
    let started = now()
    for _ in 0..<count {
        if now() - started > budget {
            log("cycle: time budget exhausted after \(cycles.count) cycles")
            break
        }
        let t0 = now()
        do {
            let launched = try runtime.launch(spec)
            let t1 = now()
            let status = try runtime.wait(launched.id, timeout: 10)
            let t2 = now()
            try runtime.remove(launched.id)
            let t3 = now()
            cycles.append(ms(t3 - t0))
            launchCalls.append(ms(t1 - t0))
            removes.append(ms(t3 - t2))
            if let value = status.launchToExecNanoseconds { launchToExec.append(ms(value)) }
            let container = status.containers.first
            if let value = ms(status.createdAt, status.networkReadyAt) { toNetwork.append(value) }
            if let value = ms(status.networkReadyAt, container?.startedAt) { networkToExec.append(value) }
            if let value = ms(container?.startedAt, status.stoppedAt) { execToStopped.append(value) }
            // Observed = wall time when wait returned (t2 mapped to the wall clock).
            let wallObserved = Date(timeIntervalSince1970: Double(Clock.wallNanoseconds() - (now() - t2)) / 1e9)
            if let value = ms(status.stoppedAt, wallObserved) { stoppedToObserved.append(value) }
            if status.essentialExitCode != 0 {
                failures += 1
                log("cycle of task \(launched.id) failed: exit code \(status.essentialExitCode.map(String.init) ?? "none"), \(status.stoppedReason ?? "no reason")")
            }
        } catch {
            failures += 1
            log("cycle failed: \(error)")
            if failures > 10 { fail("too many failed cycles") }
        }
    }
    emit("wharf cycle p50=\(f1(percentile(cycles, 0.5))) p99=\(f1(percentile(cycles, 0.99))) ms (\(cycles.count) runs, \(failures) failures, \(tag))")
    emit("wharf launch-to-exec p50=\(f2(percentile(launchToExec, 0.5))) p99=\(f2(percentile(launchToExec, 0.99))) ms (\(launchToExec.count) runs, \(tag))")
    func part(_ name: String, _ values: [Double]) -> String {
        "\(name) \(f2(percentile(values, 0.5)))/\(f2(percentile(values, 0.99)))"
    }
    emit(
        "wharf cycle breakdown p50/p99 ms: "
            + [
                part("launch-call", launchCalls), part("launch->network-ready", toNetwork),
                part("network-ready->exec", networkToExec), part("exec->task-STOPPED", execToStopped),
                part("STOPPED->wait-returns", stoppedToObserved), part("remove", removes),
            ].joined(separator: ", "))
    runtime.finishRemovals()
}

// MARK: - concurrent

final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var ids: [String] = []
    private(set) var errors: [String] = []
    private(set) var lastReturn: Int64 = 0
    func add(_ id: String, at time: Int64) {
        lock.lock(); defer { lock.unlock() }
        ids.append(id)
        lastReturn = max(lastReturn, time)
    }
    func add(error: String) {
        lock.lock(); defer { lock.unlock() }
        errors.append(error)
    }
}

/// N tasks (`sleep 60`, init) launched from concurrent threads; time until all RUNNING.
func runConcurrent(_ options: Options) {
    let runtime = makeRuntime(options)
    let count = options.count ?? 100
    let spec = busyboxTask(["sleep", "60"], initProcess: true)
    warmUp(runtime)
    let collector = Collector()
    let start = now()
    let wallStart = Clock.wallNanoseconds()
    DispatchQueue.concurrentPerform(iterations: count) { _ in
        do {
            let status = try runtime.launch(spec)
            collector.add(status.id, at: now())
        } catch {
            collector.add(error: "\(error)")
        }
    }
    let launchesReturned = ms(collector.lastReturn - start)
    var notRunning = 0
    var lastExec: Int64 = 0
    let deadline = Date().addingTimeInterval(60)
    for id in collector.ids {
        do {
            let status = try runtime.wait(
                id, timeout: max(0.1, deadline.timeIntervalSinceNow), description: "RUNNING",
                until: { $0.lastStatus == "RUNNING" || $0.lastStatus == "STOPPED" })
            if status.lastStatus != "RUNNING" { notRunning += 1 }
            if let started = status.containers.first?.startedAt {
                lastExec = max(lastExec, Int64(started.timeIntervalSince1970 * 1e9))
            }
        } catch {
            notRunning += 1
        }
    }
    let allRunning = ms(now() - start)
    let lastExecMs = lastExec > 0 ? ms(lastExec - wallStart) : .nan
    for error in collector.errors.prefix(5) { log("concurrent launch failed: \(error)") }
    let (stopMs, stopFailures) = stopAll(runtime, ids: collector.ids, timeout: 60)
    emit(
        "wharf concurrent n=\(count) all-running=\(f1(allRunning)) ms (launch calls returned after \(f1(launchesReturned)) ms,"
            + " last exec at \(f1(lastExecMs)) ms; \(collector.errors.count) launch errors, \(notRunning) not running);"
            + " stop-all+wait=\(f1(stopMs)) ms (\(stopFailures) failures)")
    runtime.finishRemovals()
}

/// One task run to its end before measuring, so bridge creation and first-use costs stay out.
func warmUp(_ runtime: ContainerRuntime) {
    do {
        let id = try runtime.launch(busyboxTask(["true"], initProcess: false)).id
        try runtime.wait(id, timeout: 10)
        try runtime.remove(id)
    } catch {
        fail("warm-up failed: \(error)")
    }
}

// MARK: - density

/// N idle tasks (`sleep 3600`, init) launched one after another; launch-time drift and memory.
func runDensity(_ options: Options) {
    let runtime = makeRuntime(options)
    let count = options.count ?? 1000
    let budget = Int64((options.deadline ?? 900) * 1e9)
    let spec = busyboxTask(["sleep", "3600"], initProcess: true)
    warmUp(runtime)
    sync()
    usleep(500_000)
    let availableBefore = procValue("/proc/meminfo", "MemAvailable") ?? 0
    let freeBefore = procValue("/proc/meminfo", "MemFree") ?? 0
    var ids: [String] = []
    var toRunning: [Double] = []
    var launchCalls: [Double] = []
    var execTimes: [Double] = []
    var failure: String?
    let started = now()
    for index in 0..<count {
        if now() - started > budget {
            failure = "time budget exhausted at \(index) tasks"
            break
        }
        let t0 = now()
        do {
            let launched = try runtime.launch(spec)
            let t1 = now()
            ids.append(launched.id)
            let status = try runtime.wait(
                launched.id, timeout: 10, description: "RUNNING", until: { $0.lastStatus == "RUNNING" || $0.lastStatus == "STOPPED" })
            guard status.lastStatus == "RUNNING" else {
                failure = "task \(index) stopped: \(status.stoppedReason ?? "?") \(status.containers.first?.reason ?? "")"
                break
            }
            toRunning.append(ms(now() - t0))
            launchCalls.append(ms(t1 - t0))
            if let value = status.launchToExecNanoseconds { execTimes.append(ms(value)) }
        } catch {
            failure = "launch \(index) failed: \(error)"
            break
        }
        if (index + 1) % 100 == 0 {
            log("density: \(index + 1) running, last launch->RUNNING \(f1(toRunning.last ?? .nan)) ms")
        }
    }
    let running = toRunning.count
    if let failure { log("density stopped early: \(failure)") }
    // Let page cache and lazily allocated state settle, then measure.
    sync()
    usleep(1_000_000)
    let availableAfter = procValue("/proc/meminfo", "MemAvailable") ?? 0
    let freeAfter = procValue("/proc/meminfo", "MemFree") ?? 0
    var supervisorPss: [Double] = []
    var supervisorRss: [Double] = []
    var containerPss: [Double] = []
    var cgroupBytes: [Double] = []
    let hierarchy = try? CgroupHierarchy.detect()
    // Sample up to 50 tasks spread over the whole run.
    let stride = max(1, ids.count / 50)
    for id in Swift.stride(from: 0, to: ids.count, by: stride).map({ ids[$0] }) {
        guard let status = try? runtime.status(of: id) else { continue }
        if let pid = status.supervisorPID {
            if let value = procValue("/proc/\(pid)/smaps_rollup", "Pss") { supervisorPss.append(Double(value)) }
            if let value = procValue("/proc/\(pid)/status", "VmRSS") { supervisorRss.append(Double(value)) }
        }
        if let pid = status.containers.first?.pid {
            // The container's init plus its child (sleep).
            let pids = [pid] + children(of: pid)
            let pss = pids.compactMap { procValue("/proc/\($0)/smaps_rollup", "Pss") }.reduce(0, +)
            containerPss.append(Double(pss))
        }
        if let hierarchy, let bytes = Cgroup(hierarchy: hierarchy, path: options.configuration.cgroupParent + "/" + id).memoryUsageBytes() {
            cgroupBytes.append(Double(bytes))
        }
    }
    let first10 = median(Array(toRunning.prefix(10)))
    let last10 = median(Array(toRunning.suffix(10)))
    let perTask = running > 0 ? Double(availableBefore - availableAfter) / Double(running) : .nan
    let perTaskFree = running > 0 ? Double(freeBefore - freeAfter) / Double(running) : .nan
    let stopDeadline = 120.0
    let (stopMs, stopFailures) = stopAll(runtime, ids: ids, timeout: stopDeadline)
    runtime.reconcile()
    let leftovers = runtime.taskHostResources().count
    emit(
        "wharf density n=\(running)/\(count) first10=\(f1(first10)) last10=\(f1(last10)) ms ratio=\(f2(last10 / first10))"
            + " (launch call first10 \(f1(median(Array(launchCalls.prefix(10))))) last10 \(f1(median(Array(launchCalls.suffix(10))))) ms;"
            + " launch->exec first10 \(f1(median(Array(execTimes.prefix(10))))) last10 \(f1(median(Array(execTimes.suffix(10))))) ms)"
            + " mem-per-task=\(f1(perTask)) KiB (MemFree-based \(f1(perTaskFree)) KiB)"
            + " supervisor-pss=\(f1(median(supervisorPss))) KiB supervisor-rss=\(f1(median(supervisorRss))) KiB"
            + " container-pss=\(f1(median(containerPss))) KiB cgroup-memory.current=\(f1(median(cgroupBytes) / 1024)) KiB"
            + " stop-all+wait=\(f1(stopMs)) ms (\(stopFailures) failures) leftovers=\(leftovers)"
            + (failure.map { " STOPPED-EARLY: \($0)" } ?? ""))
    runtime.finishRemovals()
}

// MARK: - cleanup

/// Stops and removes every task of this bench run, then the bridge, cgroup parent and directories.
func runCleanup(_ options: Options) {
    let configuration = options.configuration
    if FileManager.default.fileExists(atPath: configuration.dataDirectory),
        let runtime = try? ContainerRuntime(configuration: configuration)
    {
        let live = runtime.tasks().filter { $0.lastStatus != "STOPPED" }.count
        if live > 0 { log("cleanup: stopping \(live) tasks") }
        runtime.removeEverything(timeout: 60)
        let left = runtime.taskHostResources()
        if !left.isEmpty { log("cleanup: left behind: \(left.map(\.description).joined(separator: ", "))") }
    } else {
        ContainerRuntime.removeHostResources(of: configuration)
    }
    try? FileManager.default.removeItem(atPath: options.root)
}

// MARK: - main

if CommandLine.arguments.dropFirst().first == "api" {
    runAPIBenchmark(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
if CommandLine.arguments.dropFirst().first == "scheduler" {
    runSchedulerBenchmark(Array(CommandLine.arguments.dropFirst(2)))
    exit(0)
}
let options = Options(CommandLine.arguments)
switch options.command {
case "cycle": runCycle(options)
case "concurrent": runConcurrent(options)
case "density": runDensity(options)
case "cleanup": runCleanup(options)
default: fail("unknown command \(options.command)")
}
