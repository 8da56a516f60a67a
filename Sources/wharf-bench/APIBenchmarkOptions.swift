import Foundation

/// What the tasks stored before the API measurements do once started.
enum StoredTaskKind: String {
    /// `sleep`: the tasks stay RUNNING (ListTasks' default page lists them).
    case sleep
    /// `true`: the tasks exit at once and are stored STOPPED.
    case exit
}

/// Options of `wharf-bench api` (see ``runAPIBenchmark(_:)``).
struct APIBenchmarkOptions {
    /// Seconds one throughput measurement runs.
    static let defaultDuration = 10.0
    /// Concurrent keep-alive connections of the throughput measurements.
    static let defaultConnections = 4
    /// Tasks stored before the throughput measurements.
    static let defaultStoredTasks = 1000
    /// RunTask-of-10 cycles measured.
    static let defaultCycles = 30
    /// Overall bound of the stored tasks' start, in seconds.
    static let defaultStoreDeadline = 600.0
    /// Tasks one RunTask call stores (`--stored` is a multiple of it).
    static let tasksPerRunTask = 10

    var host = "127.0.0.1"
    var port = 0
    var credentialsPath = ""
    var region = "us-east-1"
    var duration = defaultDuration
    var connections = defaultConnections
    var storedTasks = defaultStoredTasks
    var storedKind = StoredTaskKind.sleep
    var cycles = defaultCycles
    var storeDeadline = defaultStoreDeadline

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            let value = iterator.next() ?? ""
            switch argument {
            case "--endpoint":
                let parts = value.split(separator: ":")
                guard parts.count == 2, let port = Int(parts[1]) else { fail("--endpoint wants HOST:PORT, got \(value)") }
                host = String(parts[0])
                self.port = port
            case "--credentials": credentialsPath = value
            case "--region": region = value
            case "--duration": duration = Self.seconds(value, option: argument)
            case "--connections": connections = Self.integer(value, option: argument, atLeast: 1)
            case "--stored":
                storedTasks = Self.integer(value, option: argument, atLeast: 0)
                guard storedTasks % Self.tasksPerRunTask == 0 else {
                    fail("--stored wants a multiple of \(Self.tasksPerRunTask) (tasks are stored by RunTask of \(Self.tasksPerRunTask)), got \(value)")
                }
            case "--stored-kind":
                guard let kind = StoredTaskKind(rawValue: value) else { fail("--stored-kind is sleep or exit, got \(value)") }
                storedKind = kind
            case "--cycles": cycles = Self.integer(value, option: argument, atLeast: 1)
            case "--store-deadline": storeDeadline = Self.seconds(value, option: argument)
            default: fail("unknown argument \(argument)")
            }
        }
        if port == 0 || credentialsPath.isEmpty {
            fail("usage: wharf-bench api --endpoint HOST:PORT --credentials FILE [--duration S] [--connections N] "
                + "[--stored N] [--stored-kind sleep|exit] [--cycles N] [--region R] [--store-deadline S]")
        }
    }

    /// `value` as an integer of at least `minimum`; any other value ends the run naming `option`.
    private static func integer(_ value: String, option: String, atLeast minimum: Int) -> Int {
        guard let number = Int(value), number >= minimum else {
            fail("\(option) wants an integer of at least \(minimum), got '\(value)'")
        }
        return number
    }

    /// `value` as a positive, finite number of seconds; any other value ends the run naming `option`.
    private static func seconds(_ value: String, option: String) -> Double {
        guard let number = Double(value), number.isFinite, number > 0 else {
            fail("\(option) wants a positive number of seconds, got '\(value)'")
        }
        return number
    }
}
