import LinuxHost

/// The state directory a data directory's tasks keep their state in, recorded in
/// `DATA/state-directory`, so that every runtime on that data directory (`wharf serve`, a later
/// `wharf ps`, `wharf stop`) finds the tasks' state without being told again: a runtime that
/// looked in another one would find no task, and its start-up sweeps would take every task's
/// storage, network and cgroups for a dead task's.
enum StateDirectoryRecord {
    static func path(dataDirectory: String) -> String { dataDirectory + "/state-directory" }

    /// The recorded state directory, or nil if none is (a data directory not used yet).
    static func read(dataDirectory: String) -> String? {
        guard let text = try? FileSystem.readIfPresent(path(dataDirectory: dataDirectory)) else { return nil }
        let line = text.split(separator: "\n").first.map(String.init) ?? ""
        return line.hasPrefix("/") ? line : nil
    }

    static func write(_ stateDirectory: String, dataDirectory: String) throws(SystemError) {
        try FileSystem.writeAtomically(path(dataDirectory: dataDirectory), stateDirectory + "\n")
    }

    /// `configuration` with the state directory its data directory's tasks use: the recorded
    /// one unless another was chosen. Choosing another is refused while the recorded one
    /// holds tasks (they would be lost to every runtime on the data directory).
    static func resolve(_ configuration: RuntimeConfiguration) throws(RuntimeError) -> RuntimeConfiguration {
        guard let recorded = read(dataDirectory: configuration.dataDirectory),
              RuntimeConfiguration.normalized(recorded) != RuntimeConfiguration.normalized(configuration.stateDirectory)
        else { return configuration }
        var resolved = configuration
        guard configuration.isStateDirectoryChosen else {
            resolved.stateDirectory = recorded
            return resolved
        }
        let tasks = ((try? FileSystem.listDirectory(recorded + "/tasks")) ?? []).filter { $0.count == TaskID.length }
        guard tasks.isEmpty else {
            throw .invalidConfiguration(
                field: "stateDirectory",
                message: "\(configuration.stateDirectory): the tasks of \(configuration.dataDirectory) keep their state in \(recorded) "
                    + "(\(path(dataDirectory: configuration.dataDirectory))); use that one, or remove its \(tasks.count) task(s) first")
        }
        return resolved
    }
}
