// wharf-bench api: drives bench/api.sh against a running `wharf serve` on loopback.
//
// 1. registers the benchmark's task definitions (busybox, awsvpc, 8 MiB each);
// 2. stores --stored tasks through RunTask (count 10 each call) and waits until they are
//    RUNNING (--stored-kind sleep) or STOPPED (--stored-kind exit);
// 3. measures DescribeTasks (10 and 100 tasks a call) and ListTasks (default page, by family,
//    by desiredStatus STOPPED) for --duration seconds each on --connections keep-alive
//    connections, every request signed with SigV4 as the AWS CLI signs it;
// 4. repeats --cycles times: RunTask count 10 of a sleeper, then DescribeTasks until all 10
//    are RUNNING (the end-to-end latency), then StopTask and wait until all are STOPPED.
// Prints one table line per measurement, starting with "api ".
import AWSProtocol
import Foundation
import Synchronization

/// The benchmark's goal for RunTask of 10 until all RUNNING (issue 4), in milliseconds.
let runTaskGoalMilliseconds = 100.0
/// How long one RunTask cycle may take to reach RUNNING or STOPPED before the run fails, seconds.
let cycleDeadlineSeconds = 60.0
/// Pause between two DescribeTasks polls while waiting for a state, in microseconds.
let pollPauseMicroseconds: UInt32 = 2_000
/// Distinct DescribeTasks bodies prepared per measurement (picked in turn by each request).
let preparedBodies = 64

let storedFamily = "bench-stored"
let cycleFamily = "bench-cycle"

func runAPIBenchmark(_ arguments: [String]) {
    let options = APIBenchmarkOptions(arguments)
    let credential = loadCredential(options.credentialsPath)
    let connection = APIConnection(host: options.host, port: options.port, credential: credential, region: options.region)
    do {
        try registerDefinitions(connection, options)
        let stored = try storeTasks(connection, options)
        emit("api stored tasks: \(stored.count) (\(options.storedKind == .sleep ? "sleepers, RUNNING" : "exit at once, STOPPED"))")
        emit(tableRow("measurement", "requests/s", "requests", "p50 ms", "p99 ms", "errors"))
        for scenario in scenarios(stored, options) {
            let result = try measureThroughput(scenario, options, credential: credential)
            emit(tableRow(scenario.name, String(format: "%.0f", result.rate), "\(result.requests)", f2(result.p50), f2(result.p99),
                          "\(result.errors)"))
        }
        try measureRunTaskCycles(connection, options)
    } catch {
        fail("api benchmark: \(error)")
    }
}

/// One line of the results table: the measurement left-aligned, the figures right-aligned.
func tableRow(_ name: String, _ rate: String, _ requests: String, _ p50: String, _ p99: String, _ errors: String) -> String {
    func left(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
    func right(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(0, width - text.count)) + text }
    return "api " + left(name, 44) + right(rate, 11) + right(requests, 9) + right(p50, 10) + right(p99, 10) + right(errors, 8)
}

// MARK: - Setup

func loadCredential(_ path: String) -> AWSCredential {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { fail("cannot read \(path)") }
    let credentials: [AWSCredential]
    do {
        credentials = try CredentialsFile.parse(text, path: path)
    } catch {
        fail("credentials: \(error)")
    }
    guard let credential = credentials.first(where: { $0.profile == "wharf" }) ?? credentials.first else {
        fail("no credentials in \(path)")
    }
    return credential
}

/// A busybox task with an init as PID 1 (`initProcessEnabled`): `sleep` itself as PID 1 would
/// ignore StopTask's SIGTERM until the 30 s stop timeout, and the cycles stop their tasks.
func taskDefinitionBody(family: String, command: [String]) -> String {
    let commandJSON = command.map { "\"\($0)\"" }.joined(separator: ",")
    return #"{"family":"\#(family)","networkMode":"awsvpc","containerDefinitions":[{"name":"main","image":"busybox","#
        + #""memory":8,"essential":true,"command":[\#(commandJSON)],"linuxParameters":{"initProcessEnabled":true}}]}"#
}

func registerDefinitions(_ connection: APIConnection, _ options: APIBenchmarkOptions) throws {
    let storedCommand = options.storedKind == .sleep ? ["sleep", "86400"] : ["true"]
    _ = try connection.callJSON("RegisterTaskDefinition", taskDefinitionBody(family: storedFamily, command: storedCommand))
    _ = try connection.callJSON("RegisterTaskDefinition", taskDefinitionBody(family: cycleFamily, command: ["sleep", "86400"]))
}

func runTaskBody(family: String) -> String {
    #"{"cluster":"default","taskDefinition":"\#(family)","count":10,"#
        + #""networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-bench"]}}}"#
}

/// RunTask count 10; the ARNs of the tasks started (failures are an error).
func runTen(_ connection: APIConnection, family: String) throws -> [String] {
    let answer = try connection.callJSON("RunTask", runTaskBody(family: family))
    let failures = answer["failures"] as? [Any] ?? []
    let tasks = answer["tasks"] as? [[String: Any]] ?? []
    guard failures.isEmpty, tasks.count == 10 else {
        throw APIConnectionError.malformedResponse("RunTask placed \(tasks.count) of 10; failures: \(failures)")
    }
    return tasks.compactMap { $0["taskArn"] as? String }
}

func describeBody(_ arns: some Sequence<String>) -> String {
    #"{"cluster":"default","tasks":["# + arns.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
}

/// The `lastStatus` of each of `arns` (up to 100) that DescribeTasks found, by task ARN.
func lastStatuses(_ connection: APIConnection, _ arns: [String]) throws -> [String: String] {
    let answer = try connection.callJSON("DescribeTasks", describeBody(arns))
    var statuses: [String: String] = [:]
    for task in answer["tasks"] as? [[String: Any]] ?? [] {
        if let arn = task["taskArn"] as? String { statuses[arn] = task["lastStatus"] as? String ?? "?" }
    }
    return statuses
}

/// Waits until every one of `arns` has reached `status`; throws after `deadline` seconds or when
/// a task stops while waiting for RUNNING. Each poll asks only about the tasks not there yet,
/// so the observer costs this process and the daemon little while the tasks start (the poll
/// runs every 2 ms on the machine it measures); ``requireAll(_:_:_:)`` then checks them all.
func waitFor(_ status: String, _ arns: [String], _ connection: APIConnection, deadline: Double) throws {
    let end = now() + Int64(deadline * 1e9)
    var pending = arns
    while true {
        var stillPending: [String] = []
        for start in stride(from: 0, to: pending.count, by: 100) {
            let batch = Array(pending[start..<min(pending.count, start + 100)])
            let statuses = try lastStatuses(connection, batch)
            if status == "RUNNING", statuses.values.contains("STOPPED") {
                throw APIConnectionError.malformedResponse("a task stopped while waiting for RUNNING")
            }
            stillPending += batch.filter { statuses[$0] != status }
        }
        pending = stillPending
        if pending.isEmpty { return }
        guard now() < end else {
            throw APIConnectionError.malformedResponse("\(pending.count) tasks not \(status) within \(deadline) s")
        }
        usleep(pollPauseMicroseconds)
    }
}

/// Throws unless every one of `arns` is `status` now (after ``waitFor(_:_:_:deadline:)``, which
/// stops asking about a task once it got there).
func requireAll(_ status: String, _ arns: [String], _ connection: APIConnection) throws {
    for start in stride(from: 0, to: arns.count, by: 100) {
        let batch = Array(arns[start..<min(arns.count, start + 100)])
        let statuses = try lastStatuses(connection, batch)
        if let other = batch.first(where: { statuses[$0] != status }) {
            throw APIConnectionError.malformedResponse("\(other) is \(statuses[other] ?? "missing"), not \(status)")
        }
    }
}

func storeTasks(_ connection: APIConnection, _ options: APIBenchmarkOptions) throws -> [String] {
    var arns: [String] = []
    let started = now()
    for _ in 0..<(options.storedTasks / APIBenchmarkOptions.tasksPerRunTask) {
        arns += try runTen(connection, family: storedFamily)
    }
    log("RunTask x \(options.storedTasks / APIBenchmarkOptions.tasksPerRunTask) answered in \(f1(ms(now() - started))) ms; waiting for the tasks")
    let status = options.storedKind == .sleep ? "RUNNING" : "STOPPED"
    try waitFor(status, arns, connection, deadline: options.storeDeadline)
    try requireAll(status, arns, connection)
    log("\(arns.count) tasks stored in \(f1(ms(now() - started) / 1000)) s")
    return arns
}

// MARK: - Throughput

struct APIScenario {
    var name: String
    var operation: String
    var bodies: [String]
}

struct ThroughputResult {
    var requests: Int
    var errors: Int
    var rate: Double
    var p50: Double
    var p99: Double
}

func scenarios(_ stored: [String], _ options: APIBenchmarkOptions) -> [APIScenario] {
    var generator = SystemRandomNumberGenerator()
    func describe(_ size: Int) -> [String] {
        guard !stored.isEmpty else { return [] }
        return (0..<preparedBodies).map { _ in describeBody((0..<size).map { _ in stored[Int.random(in: 0..<stored.count, using: &generator)] }) }
    }
    return [
        APIScenario(name: "DescribeTasks, 10 tasks a call", operation: "DescribeTasks", bodies: describe(10)),
        APIScenario(name: "DescribeTasks, 100 tasks a call", operation: "DescribeTasks", bodies: describe(100)),
        APIScenario(name: "ListTasks, default (RUNNING, 100 a page)", operation: "ListTasks", bodies: [#"{"cluster":"default"}"#]),
        APIScenario(name: "ListTasks, family=\(storedFamily)", operation: "ListTasks",
                    bodies: [#"{"cluster":"default","family":"\#(storedFamily)"\#(options.storedKind == .exit ? #","desiredStatus":"STOPPED""# : "")}"#]),
        APIScenario(name: "ListTasks, desiredStatus=STOPPED", operation: "ListTasks",
                    bodies: [#"{"cluster":"default","desiredStatus":"STOPPED"}"#]),
    ].filter { !$0.bodies.isEmpty }
}

/// `options.connections` threads, each on its own connection, call the scenario back to back
/// for `options.duration` seconds.
func measureThroughput(_ scenario: APIScenario, _ options: APIBenchmarkOptions, credential: AWSCredential) throws -> ThroughputResult {
    // What the scenario answers, once, so the table says what was measured.
    let probe = APIConnection(host: options.host, port: options.port, credential: credential, region: options.region)
    let answer = try probe.callJSON(scenario.operation, scenario.bodies[0])
    let items = (answer["tasks"] as? [Any] ?? answer["taskArns"] as? [Any] ?? []).count
    log("\(scenario.name): \(items) tasks in the first answer\(answer["nextToken"] != nil ? " (and a nextToken)" : "")")

    let collected = Mutex<(latencies: [Double], errors: Int, failure: String?)>(([], 0, nil))
    let done = DispatchGroup()
    let start = now()
    let end = start + Int64(options.duration * 1e9)
    for index in 0..<options.connections {
        done.enter()
        let thread = Thread {
            let connection = APIConnection(host: options.host, port: options.port, credential: credential, region: options.region)
            var latencies: [Double] = []
            latencies.reserveCapacity(100_000)
            var errors = 0
            var failure: String?
            var turn = index
            while now() < end {
                let body = scenario.bodies[turn % scenario.bodies.count]
                turn += 1
                let sent = now()
                do {
                    let (status, _) = try connection.call(scenario.operation, body)
                    latencies.append(ms(now() - sent))
                    if status != 200 { errors += 1 }
                } catch {
                    failure = "\(error)"
                    break
                }
            }
            collected.withLock { state in
                state.latencies += latencies
                state.errors += errors
                if state.failure == nil { state.failure = failure }
            }
            done.leave()
        }
        thread.start()
    }
    done.wait()
    let elapsed = Double(now() - start) / 1e9
    let (latencies, errors, failure) = collected.withLock { ($0.latencies, $0.errors, $0.failure) }
    if let failure { throw APIConnectionError.malformedResponse("\(scenario.name): \(failure)") }
    return ThroughputResult(requests: latencies.count, errors: errors, rate: Double(latencies.count) / elapsed,
                            p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99))
}

// MARK: - RunTask until RUNNING

func measureRunTaskCycles(_ connection: APIConnection, _ options: APIBenchmarkOptions) throws {
    var untilRunning: [Double] = []
    var runTaskAnswer: [Double] = []
    for cycle in 0..<options.cycles {
        let started = now()
        let arns = try runTen(connection, family: cycleFamily)
        runTaskAnswer.append(ms(now() - started))
        try waitFor("RUNNING", arns, connection, deadline: cycleDeadlineSeconds)
        untilRunning.append(ms(now() - started))
        try requireAll("RUNNING", arns, connection)
        for arn in arns {
            _ = try connection.callJSON("StopTask", #"{"cluster":"default","task":"\#(arn)","reason":"bench cycle"}"#)
        }
        try waitFor("STOPPED", arns, connection, deadline: cycleDeadlineSeconds)
        log("cycle \(cycle + 1): \(f1(untilRunning.last ?? 0)) ms until 10 RUNNING")
    }
    emit(tableRow("RunTask count 10: the answer", "-", "\(runTaskAnswer.count)", f2(percentile(runTaskAnswer, 0.5)),
                  f2(percentile(runTaskAnswer, 0.99)), "0"))
    emit(tableRow("RunTask count 10 until all RUNNING", "-", "\(untilRunning.count)", f2(percentile(untilRunning, 0.5)),
                  f2(percentile(untilRunning, 0.99)), "0"))
    let p50 = percentile(untilRunning, 0.5)
    emit("api goal RunTask of 10 until RUNNING p50 < \(Int(runTaskGoalMilliseconds)) ms: "
        + (p50 < runTaskGoalMilliseconds ? "met" : "NOT met") + " (p50 \(f1(p50)) ms, min \(f1(untilRunning.min() ?? 0)), max \(f1(untilRunning.max() ?? 0)))")
}
