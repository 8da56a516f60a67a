import LinuxHost

#if canImport(Glibc)
import Glibc
#endif

/// The state directory a data directory's tasks keep their state in, recorded in
/// `DATA/state-directory`, so that every runtime on that data directory (`wharf serve`, a later
/// `wharf ps`, `wharf stop`) finds the tasks' state without being told again: a runtime that
/// looked in another one would find no task, and its start-up sweeps would take every task's
/// storage, network and cgroups for a dead task's.
///
/// Every runtime holds a shared lock (`flock`) on the record for its life, and the record is
/// written only under an exclusive lock taken without waiting: it never changes under a
/// runtime that uses it. Choosing another state directory is refused while the recorded one
/// holds tasks, or while another runtime on the data directory runs.
final class StateDirectoryRecord: @unchecked Sendable {
    /// The record, open and locked (shared) until this object goes.
    private let descriptor: Int32

    static func path(dataDirectory: String) -> String { dataDirectory + "/state-directory" }

    /// Opens (creating) the record of `configuration`'s data directory, which must exist, and
    /// returns it with `configuration` as its tasks need it: with the recorded state directory
    /// unless another was chosen, in which case that one is recorded.
    static func open(_ configuration: RuntimeConfiguration) throws(RuntimeError) -> (StateDirectoryRecord, RuntimeConfiguration) {
        let path = path(dataDirectory: configuration.dataDirectory)
        let descriptor = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .system(SystemError.current(step: "open \(path)", call: "open")) }
        let record = StateDirectoryRecord(descriptor: descriptor)
        try record.lock(LOCK_SH, path: path)
        if let resolved = try resolved(configuration, recorded: record.read()) { return (record, resolved) }
        // The record is to be written: only while no other runtime holds it.
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            // Another runtime holds it (its start may just have recorded its own choice).
            try record.lock(LOCK_SH, path: path)
            if let resolved = try resolved(configuration, recorded: record.read()) { return (record, resolved) }
            throw .invalidConfiguration(
                field: "stateDirectory",
                message: "\(configuration.stateDirectory): another runtime on \(configuration.dataDirectory) is running with "
                    + "the state directory \(record.read() ?? "recorded in \(path)")")
        }
        // Read again under the exclusive lock: a runtime may have recorded its choice meanwhile.
        if let resolved = try resolved(configuration, recorded: record.read()) {
            try record.lock(LOCK_SH, path: path)
            return (record, resolved)
        }
        try record.write(configuration.stateDirectory, path: path)
        try record.lock(LOCK_SH, path: path)
        return (record, configuration)
    }

    /// The recorded state directory of `dataDirectory`, read without a lock (for a runtime
    /// that is not running, see `ContainerRuntime.removeHostResources`).
    static func read(dataDirectory: String) -> String? {
        guard let text = try? FileSystem.readIfPresent(path(dataDirectory: dataDirectory)) else { return nil }
        return parse(text)
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { close(descriptor) }

    /// `configuration` as the record `recorded` says, or nil if the record is to be written
    /// (none yet, or another choice while the recorded directory holds no task).
    private static func resolved(_ configuration: RuntimeConfiguration, recorded: String?) throws(RuntimeError) -> RuntimeConfiguration? {
        guard let recorded else { return nil }
        if RuntimeConfiguration.normalized(recorded) == RuntimeConfiguration.normalized(configuration.stateDirectory) {
            return configuration
        }
        guard configuration.isStateDirectoryChosen else {
            var resolved = configuration
            resolved.stateDirectory = recorded
            try resolved.validate()
            return resolved
        }
        var recordedConfiguration = configuration
        recordedConfiguration.stateDirectory = recorded
        let tasks = TaskID.entries(in: recordedConfiguration.tasksDirectory)
        guard tasks.isEmpty else {
            throw .invalidConfiguration(
                field: "stateDirectory",
                message: "\(configuration.stateDirectory): the tasks of \(configuration.dataDirectory) keep their state in \(recorded) "
                    + "(\(path(dataDirectory: configuration.dataDirectory))); use that one, or remove its \(tasks.count) task(s) first")
        }
        return nil
    }

    private static func parse(_ text: String) -> String? {
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.hasPrefix("/") ? line : nil
    }

    private func lock(_ operation: Int32, path: String) throws(RuntimeError) {
        while flock(descriptor, operation) != 0 {
            guard errno == EINTR else { throw .system(SystemError.current(step: "lock \(path)", call: "flock")) }
        }
    }

    private func read() -> String? {
        var bytes = [UInt8](repeating: 0, count: 4097)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        return Self.parse(String(decoding: bytes[0..<count], as: UTF8.self))
    }

    /// Replaces the record in place (not by rename: the lock belongs to this file).
    private func write(_ stateDirectory: String, path: String) throws(RuntimeError) {
        let bytes = Array((stateDirectory + "\n").utf8)
        guard ftruncate(descriptor, 0) == 0 else { throw .system(SystemError.current(step: "clear \(path)", call: "ftruncate")) }
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        guard written == bytes.count else { throw .system(SystemError.current(step: "write \(path)", call: "pwrite")) }
    }
}
